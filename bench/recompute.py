"""The nightly run (`luoshi recompute`) on a synthetic data set on PostgreSQL.

    .venv/bin/python bench/recompute.py                          # 100 plans × 500 tasks × 36 months
    .venv/bin/python bench/recompute.py --plans 10 --keep        # a quick one, kept for the next run

Creates its own database (``--database``, luoshi_bench_recompute by default,
on 127.0.0.1:5432, user postgres; ``--keep`` leaves it and reuses it), fills
it with ``luoshi synth`` (whose lights and snapshots are the engine's own,
written by a full run: its time is printed) and times the command on the
nights that matter:

- the same day again: nothing changed, nothing is written;
- the next day, after 1 % of the tasks got a late acceptance for an old
  period: every light is judged for the new day, the changed tasks' history
  is rewritten, nobody else's;
- the day after the next period ended: one new snapshot per task;
- ``--full``: everything judged and compared again (after a change of the
  thresholds or the calendar).

Also prints how much faster working days are counted by arithmetic than day
by day over the spans the engine asks for. Goal: each night of 50,000 tasks
in at most 60 s. Skipped, with a line saying so, when no PostgreSQL answers.
"""
import argparse
import random
import sys
import time
from datetime import date, timedelta
from io import StringIO

from _common import HOST, PORT, database_ready, django_on, postgres_answers

DATABASE = "luoshi_bench_recompute"
GOAL_SECONDS = 60


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--plans", type=int, default=100)
    parser.add_argument("--tasks", type=int, default=500)
    parser.add_argument("--months", type=int, default=36)
    parser.add_argument("--database", default=DATABASE, help=f"the database to create and fill (default {DATABASE})")
    parser.add_argument("--keep", action="store_true", help="keep the database (and reuse it if it exists)")
    args = parser.parse_args()
    if not postgres_answers():
        print(f"SKIPPED bench/recompute.py: no PostgreSQL answers on {HOST}:{PORT}")
        return 0
    database = args.database
    database_ready(database, keep=args.keep)
    django_on(database)
    from django.core.management import call_command
    from django.db import connection

    from luoshi.accounts.services import DEMO_UNITS_PATH, unit_directory_load
    from luoshi.plans import workdays
    from luoshi.plans.models import Plan, Task
    from luoshi.reports.synth import synth_build
    from luoshi.tracking.models import ProgressReport, ReportingPeriod, TaskTrack
    from luoshi.tracking.tests.supervision_data import report_make

    call_command("migrate", verbosity=0)
    if not Plan.objects.exists():
        unit_directory_load(path=DEMO_UNITS_PATH)
        start = time.perf_counter()
        result = synth_build(plans=args.plans, tasks=args.tasks, months=args.months, seed=1)
        print(
            f"synth: {result.tasks} tasks, {result.reports} reports, {result.snapshots} snapshots in "
            f"{time.perf_counter() - start:.1f} s, its lights and snapshots by a full run of the engine "
            f"(red {result.lights['red']}, yellow {result.lights['yellow']}, green {result.lights['green']})"
        )
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    tasks = Task.objects.count()
    day = TaskTrack.objects.order_by("-judged_on").values_list("judged_on", flat=True).first()
    print(f"{tasks} tasks in {Plan.objects.count()} plans; the data stands on {day}")

    def night(label: str, when: date, *extra: str) -> float:
        out = StringIO()
        start = time.perf_counter()
        call_command("recompute", "--date", when.isoformat(), *extra, stdout=out)
        seconds = time.perf_counter() - start
        lines = out.getvalue().splitlines()
        changed = sum(int(line.split("输入有变 ")[1].split(" ")[0]) for line in lines if "输入有变" in line)
        tracks = sum(int(line.split("改写灯色 ")[1].split(" ")[0]) for line in lines if "改写灯色" in line)
        snapshots = sum(int(line.split("快照 ")[1].split(" ")[0]) for line in lines if "快照" in line)
        verdict = "ok" if seconds <= GOAL_SECONDS * tasks / 50_000 else "OVER"
        print(f"{label}: {seconds:.1f} s, {seconds / tasks * 1000:.2f} ms a task, {seconds / tasks * 50_000:.0f} s at "
              f"50,000 tasks ({verdict}, goal {GOAL_SECONDS} s); "
              f"inputs changed {changed}, lights rewritten {tracks}, snapshots written {snapshots}")
        return seconds

    times = [night("same day again", day)]
    # A late acceptance for an old period, for 1 % of the tasks.
    rng = random.Random(7)
    picked = rng.sample(list(Task.objects.values_list("pk", flat=True)), max(1, tasks // 100))
    for task in Task.objects.filter(pk__in=picked).select_related("lead_unit"):
        period = ReportingPeriod.objects.filter(plan_id=task.plan_id, end__lt=day).order_by("-start")[1]
        ProgressReport.objects.filter(task=task, period=period).delete()
        report_make(task, period, percent=min(100, rng.randint(40, 90)), submitted_on=day)
    times.append(night("next day, 1 % of tasks with a late acceptance", day + timedelta(days=1)))
    ended = ReportingPeriod.objects.filter(end__gte=day).order_by("end").values_list("end", flat=True).first()
    times.append(night("the day after a period ended", ended + timedelta(days=1)))
    times.append(night("--full", ended + timedelta(days=1), "--full"))

    spans = [(date(2024, 1, 1) + timedelta(days=rng.randrange(700)), rng.randrange(30, 700)) for _ in range(3000)]
    spans = [(a, a + timedelta(days=n)) for a, n in spans]

    def by_day(a: date, b: date) -> int:
        return sum(workdays.is_workday(a + timedelta(days=n)) for n in range(1, (b - a).days + 1))

    start = time.perf_counter()
    counted = [by_day(a, b) for a, b in spans]
    slow = time.perf_counter() - start
    start = time.perf_counter()
    assert [workdays.working_days_between(a, b) for a, b in spans] == counted
    fast = time.perf_counter() - start
    print(f"working days over {len(spans)} spans of 1 to 23 months: day by day {slow * 1e6 / len(spans):.0f} µs, "
          f"by arithmetic {fast * 1e6 / len(spans):.1f} µs a span, {slow / fast:.0f}× faster")
    return 0 if max(times) <= GOAL_SECONDS * tasks / 50_000 else 1


if __name__ == "__main__":
    sys.exit(main())
