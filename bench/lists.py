"""Lists and pages at 10 plans and at 100: the same user's page should cost the same (PostgreSQL).

    .venv/bin/python bench/lists.py                      # 10 then 100 plans × 100 tasks × 12 months
    .venv/bin/python bench/lists.py --tasks 500          # plans of 500 tasks

Creates its own database (``--database``, luoshi_bench_lists by default, on
127.0.0.1:5432, user postgres, dropped first), fills it with ``luoshi
synth``, marks every task public and one report in twenty of the last month
as waiting for review, and times, median of ``--requests`` requests through
Django's test client, each page for the same user and the same plan:

- 我的任务 of a reporter of one unit, its first page;
- the review queue, its first page;
- ``/api/v1/tasks?plan=`` the first plan, its last page;
- the public plan list (``/public/``), its first page: the page's twenty
  plans are chosen first and only they are summed;
- the cockpit of the first plan.

Then adds plans up to ten times as many and times them again. Prints each
page's time at both sizes, the ratio (goal ≤ 1.3), the queries each ran at
both sizes (goal: equal), and the plan PostgreSQL chose for the review
queue's and the API page's queries. Skipped when no PostgreSQL answers.
"""
import argparse
import statistics
import sys
import time

from _common import HOST, PORT, database_ready, django_on, one_connection, postgres_answers

GOAL = 1.3


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--plans", type=int, default=10, help="plans at the small size (ten times as many at the big)")
    parser.add_argument("--tasks", type=int, default=100)
    parser.add_argument("--months", type=int, default=12)
    parser.add_argument("--requests", type=int, default=15)
    parser.add_argument("--database", default="luoshi_bench_lists")
    args = parser.parse_args()
    if not postgres_answers():
        print(f"SKIPPED bench/lists.py: no PostgreSQL answers on {HOST}:{PORT}")
        return 0
    database_ready(args.database)
    django_on(args.database, client=True)
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.urls import reverse

    from luoshi.accounts.models import Membership, Role, Unit, User
    from luoshi.accounts.services import DEMO_UNITS_PATH, unit_directory_load
    from luoshi.api.services import token_create
    from luoshi.plans.models import Plan, Task
    from luoshi.reports.synth import synth_build
    from luoshi.tracking.models import ProgressReport, ReportingPeriod
    from luoshi.tracking.selectors import review_queue

    one_connection()
    call_command("migrate", verbosity=0)
    unit_directory_load(path=DEMO_UNITS_PATH)

    def grow(plans: int, seed: int) -> None:
        start = time.perf_counter()
        built = synth_build(plans=plans, tasks=args.tasks, months=args.months, seed=seed, year=2024)
        Task.objects.update(is_public=True)
        for period in ReportingPeriod.objects.filter(end=ReportingPeriod.objects.order_by("-end").values("end")[:1]):
            ids = list(ProgressReport.objects.filter(period=period).order_by("pk").values_list("pk", flat=True))[::20]
            ProgressReport.objects.filter(pk__in=ids).update(status=ProgressReport.Status.SUBMITTED)
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
        print(f"added {built.plans} plans, {built.tasks} tasks, {built.reports} reports in "
              f"{time.perf_counter() - start:.0f} s", flush=True)

    grow(args.plans, 1)
    plan = Plan.objects.order_by("pk").first()
    unit = Unit.objects.filter(pk__in=Task.objects.filter(plan=plan).values("lead_unit")).order_by("pk").first()
    reporter = User.objects.create(username="bench-reporter", role=Role.REPORTER)
    Membership.objects.create(user=reporter, unit=unit)
    supervisor = User.objects.create(username="bench-supervisor", role=Role.SUPERVISOR)
    _, token = token_create(user=supervisor)
    as_reporter, as_supervisor, anonymous = Client(), Client(), Client()
    as_reporter.force_login(reporter)
    as_supervisor.force_login(supervisor)
    bearer = {"Authorization": f"Bearer {token}"}
    last_page = (args.tasks + 49) // 50
    pages = {
        "我的任务 (reporter)": lambda: as_reporter.get(reverse("tracking:my_tasks")),
        "review queue": lambda: as_supervisor.get(reverse("tracking:review")),
        "API tasks, last page of a plan": lambda: as_supervisor.get(
            f"/api/v1/tasks?plan={plan.pk}&page={last_page}", headers=bearer),
        "public plan list": lambda: anonymous.get(reverse("portal:plans")),
        "cockpit of a plan": lambda: as_supervisor.get(reverse("reports:cockpit", args=[plan.pk])),
    }

    def measure() -> dict[str, tuple[float, int]]:
        figures = {}
        for name, page in pages.items():
            assert page().status_code == 200, name
            queries = []

            def count(execute, sql, params, many, context):
                queries.append(sql)
                return execute(sql, params, many, context)

            with connection.execute_wrapper(count):
                page()
            times = []
            for _ in range(args.requests):
                start = time.perf_counter()
                page()
                times.append(time.perf_counter() - start)
            figures[name] = (statistics.median(times), len(queries))
        return figures

    small = measure()
    grow(args.plans * 9, 2)
    big = measure()
    plans = Plan.objects.count()
    ok = True
    for name in pages:
        (t_small, q_small), (t_big, q_big) = small[name], big[name]
        ratio = t_big / t_small
        good = ratio <= GOAL and q_small == q_big
        ok = ok and good
        print(f"{name}: {t_small * 1000:.0f} ms at {args.plans} plans, {t_big * 1000:.0f} ms at {plans}, "
              f"ratio {ratio:.2f}; queries {q_small} and {q_big} ({'ok' if good else 'OVER'})")

    def explain(title: str, queryset) -> None:
        sql, params = queryset.query.sql_with_params()
        with connection.cursor() as cursor:
            cursor.execute(f"EXPLAIN {sql}", params)
            print(f"EXPLAIN {title}:\n  " + "\n  ".join(row[0] for row in cursor.fetchall()))

    explain("review queue, first page", review_queue(visible_to=supervisor)[:50])
    api_ids = Task.objects.filter(plan=plan).order_by("-plan__year", "-plan_id", "measure__position", "position", "id")
    explain("API tasks of a plan, a page of ids", api_ids.values_list("pk", flat=True)[(last_page - 1) * 50:last_page * 50])
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
