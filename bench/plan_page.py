"""The plan page (/plans/<id>/) of a 200-task plan and of a 2,000-task one: it should cost the same (PostgreSQL).

    .venv/bin/python bench/plan_page.py                    # 200 and 2,000 tasks
    .venv/bin/python bench/plan_page.py --small 100 --big 1000

Creates its own database (``--database``, luoshi_bench_plan_page by default,
on 127.0.0.1:5432, user postgres, dropped first), fills it with two plans of
``luoshi synth`` (sections, co-units, reports, lights by the engine), and
times, median of ``--requests`` requests through Django's test client as a
supervisor, on each plan:

- the plan page: a plan of more than 100 tasks shows its outline, each
  section with its measures, tasks and lights counted;
- one section opened (``?section=ID``, the section with the most measures),
  its first page of sentences beside their tasks (at most 50; a section of
  the small plan may hold fewer, and then the ratio is of the time per task
  shown).

Prints each page's time for both plans, the ratio (goal ≤ 1.3) and the
queries each ran (goal: equal). Skipped when no PostgreSQL answers.
"""
import argparse
import statistics
import sys
import time

from _common import HOST, PORT, database_ready, django_on, one_connection, postgres_answers

GOAL = 1.3


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--small", type=int, default=200, help="tasks of the small plan")
    parser.add_argument("--big", type=int, default=2000, help="tasks of the big plan")
    parser.add_argument("--months", type=int, default=6)
    parser.add_argument("--requests", type=int, default=15)
    parser.add_argument("--database", default="luoshi_bench_plan_page")
    args = parser.parse_args()
    if not postgres_answers():
        print(f"SKIPPED bench/plan_page.py: no PostgreSQL answers on {HOST}:{PORT}")
        return 0
    database_ready(args.database)
    django_on(args.database, client=True)
    from django.core.management import call_command
    from django.db import connection
    from django.db.models import Count
    from django.test import Client
    from django.urls import reverse

    from luoshi.accounts.models import Role, User
    from luoshi.accounts.services import DEMO_UNITS_PATH, unit_directory_load
    from luoshi.plans.models import Plan, Section
    from luoshi.reports.synth import synth_build

    one_connection()
    call_command("migrate", verbosity=0)
    unit_directory_load(path=DEMO_UNITS_PATH)
    start = time.perf_counter()
    for seed, tasks in enumerate((args.small, args.big), start=1):
        synth_build(plans=1, tasks=tasks, months=args.months, seed=seed, year=2024)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    small_plan, big_plan = Plan.objects.order_by("pk")
    print(f"plans of {small_plan.tasks.count()} and {big_plan.tasks.count()} tasks built in "
          f"{time.perf_counter() - start:.0f} s", flush=True)
    supervisor = User.objects.create(username="bench-supervisor", role=Role.SUPERVISOR)
    client = Client()
    client.force_login(supervisor)

    def pages(plan: Plan) -> dict:
        url = reverse("plans:detail", args=[plan.pk])
        section = Section.objects.filter(plan=plan).annotate(n=Count("measures")).order_by("-n", "pk").first()
        return {
            "plan page (outline)": lambda: client.get(url),
            "one section opened": lambda: client.get(url, {"section": section.pk}),
        }

    def measure(plan: Plan) -> dict[str, tuple[float, int]]:
        figures = {}
        for name, page in pages(plan).items():
            assert page().status_code == 200, name
            queries = []

            def count(execute, sql, params, many, context):
                queries.append(sql)
                return execute(sql, params, many, context)

            with connection.execute_wrapper(count):
                page()
            times = []
            for _ in range(args.requests):
                begun = time.perf_counter()
                page()
                times.append(time.perf_counter() - begun)
            shown = page().content.decode().count('class="task-card"')
            figures[name] = (statistics.median(times), len(queries), shown)
        return figures

    small, big = measure(small_plan), measure(big_plan)
    ok = True
    for name in small:
        (t_small, q_small, n_small), (t_big, q_big, n_big) = small[name], big[name]
        ratio = t_big / t_small
        line = (f"{name}: {t_small * 1000:.0f} ms at {args.small} tasks, {t_big * 1000:.0f} ms at {args.big}, "
                f"ratio {ratio:.2f}; queries {q_small} and {q_big}")
        if n_small != n_big:
            # A section of the small plan may hold fewer sentences than a page: compare the cost of each task shown.
            ratio = (t_big / n_big) / (t_small / n_small)
            line += f"; {n_small} and {n_big} tasks shown, ratio per task shown {ratio:.2f}"
        good = ratio <= GOAL and q_small == q_big
        ok = ok and good
        print(f"{line} ({'ok' if good else 'OVER'})")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
