"""The cockpit on a synthetic province-scale data set on PostgreSQL: server time and its ratio to bare SQL.

    .venv/bin/python bench/cockpit.py                       # 20 plans × 500 tasks × 12 months
    .venv/bin/python bench/cockpit.py --plans 100 --months 36   # the full 1.8 M reports
    .venv/bin/python bench/cockpit.py --plans 4 --database luoshi_bench_perf --keep   # a quick one, kept

Creates its own database (``--database``, luoshi_bench_cockpit by default,
on 127.0.0.1:5432, user postgres; ``--keep`` leaves it for another run), fills it with
``luoshi synth`` and prints, for one 500-task plan:

- the cockpit page's server time, median and p95 over 50 requests through
  Django's test client (view, queries, template; no network);
- the same for the bare SQL the page needs, hand-written and run through a
  cursor: every GROUP BY the cockpit runs, with the same groups and sums (by
  section, programme and lead unit and light; the trend by period and light;
  the ranking's counts, returned reports and notices by unit), the red list
  and the sections and periods the figures are labelled with. What is left
  to the page is Django's own work: session, user, plan, ORM and template;
- the ratio of the two medians. Goal: ≤ 3.

Skipped, with a line saying so, when no PostgreSQL answers.
"""
import argparse
import statistics
import sys
import time
from datetime import timedelta

from _common import HOST, PORT, database_ready, django_on, postgres_answers, psql

DATABASE = "luoshi_bench_cockpit"
REQUESTS = 50

# What the page reads, hand-written: every GROUP BY the cockpit runs, with the
# same groups and sums, the red list and the rows the figures are labelled
# with (sections, periods). %(plan)s is the plan; the ranking's period is
# %(period)s, its last day %(end)s, and %(starts)s, %(ends)s and %(after_due)s
# are the first moments of its first day, of the day after it and of the day
# after its report due date.
_SHOWN = """
    CASE WHEN tt.signed_off_at IS NOT NULL THEN 'green' ELSE tt.light END AS light,
    count(*), sum(t.weight),
    sum(t.weight * CASE WHEN tt.signed_off_at IS NOT NULL THEN 100 ELSE COALESCE(tt.percent, 0) END),
    sum(t.weight) FILTER (WHERE tt.planned_percent IS NOT NULL),
    sum(t.weight * CASE WHEN tt.signed_off_at IS NOT NULL THEN 100 ELSE COALESCE(tt.percent, 0) END)
        FILTER (WHERE tt.planned_percent IS NOT NULL),
    sum(t.weight * tt.planned_percent) FILTER (WHERE tt.planned_percent IS NOT NULL)"""
_EXPECTED = """(t.start_date IS NULL OR t.start_date <= %(end)s) AND t.created < %(after_due)s
    AND (tt.signed_off_at IS NULL OR tt.signed_off_at >= %(starts)s)"""
BARE_SQL = [
    # The plan tree, to label parts and objectives and fold sections into them.
    "SELECT id, parent_id, level, number, label, title FROM plans_section WHERE plan_id = %(plan)s ORDER BY position",
    # Overall figures, parts and objectives: by section and light.
    f"""SELECT m.section_id, {_SHOWN}
       FROM plans_task t JOIN plans_measure m ON m.id = t.measure_id LEFT JOIN tracking_tasktrack tt ON tt.task_id = t.id
       WHERE t.plan_id = %(plan)s GROUP BY 1, 2""",
    # Programmes.
    f"""SELECT tp.programme_id, p.name, {_SHOWN}
       FROM plans_task t JOIN plans_task_programmes tp ON tp.task_id = t.id JOIN plans_programme p ON p.id = tp.programme_id
       LEFT JOIN tracking_tasktrack tt ON tt.task_id = t.id
       WHERE t.plan_id = %(plan)s GROUP BY 1, 2, 3""",
    # Lead units.
    f"""SELECT t.lead_unit_id, u.name, u.sort_order, {_SHOWN}
       FROM plans_task t JOIN accounts_unit u ON u.id = t.lead_unit_id LEFT JOIN tracking_tasktrack tt ON tt.task_id = t.id
       WHERE t.plan_id = %(plan)s GROUP BY 1, 2, 3, 4""",
    # The red list, with what each row shows.
    """SELECT t.id, t.title, t.lead_unit_id, u.name, tt.percent, tt.reasons, m.number
       FROM plans_task t JOIN tracking_tasktrack tt ON tt.task_id = t.id JOIN plans_measure m ON m.id = t.measure_id
       LEFT JOIN accounts_unit u ON u.id = t.lead_unit_id
       WHERE t.plan_id = %(plan)s AND tt.light = 'red' AND tt.signed_off_at IS NULL ORDER BY m.position, t.position, t.id""",
    # The periods, to label the trend.
    "SELECT id, label, start, \"end\", report_due FROM tracking_reportingperiod WHERE plan_id = %(plan)s ORDER BY start",
    # The trend: by period and light over the snapshots.
    """SELECT s.period_id, s.light, count(*), sum(t.weight), sum(t.weight * s.percent)
       FROM tracking_lightsnapshot s JOIN tracking_reportingperiod r ON r.id = s.period_id JOIN plans_task t ON t.id = s.task_id
       WHERE r.plan_id = %(plan)s GROUP BY 1, 2""",
    # The ranking (docs/assessment.md): per lead unit, tasks that owed a report, reported on time, green at the
    # period's end, due, signed off in time.
    f"""SELECT t.lead_unit_id, u.name, u.sort_order,
              count(*) FILTER (WHERE {_EXPECTED}),
              count(*) FILTER (WHERE {_EXPECTED} AND pr.submitted_at < %(after_due)s),
              count(*) FILTER (WHERE {_EXPECTED} AND COALESCE(s.light, tt.light) = 'green'),
              count(*) FILTER (WHERE COALESCE(tt.effective_due, t.due_date) <= %(end)s),
              count(*) FILTER (WHERE COALESCE(tt.effective_due, t.due_date) <= %(end)s AND tt.signed_off_at < %(after_due)s)
       FROM plans_task t JOIN accounts_unit u ON u.id = t.lead_unit_id
       LEFT JOIN tracking_tasktrack tt ON tt.task_id = t.id
       LEFT JOIN tracking_progressreport pr ON pr.task_id = t.id AND pr.period_id = %(period)s
            AND pr.status IN ('submitted', 'returned', 'accepted')
       LEFT JOIN tracking_lightsnapshot s ON s.task_id = t.id AND s.period_id = %(period)s
       WHERE t.plan_id = %(plan)s GROUP BY 1, 2, 3 HAVING count(*) FILTER (WHERE {_EXPECTED}) > 0""",
    # The ranking's returned reports, one audit entry per return, by lead unit.
    """SELECT t.lead_unit_id, count(*)
       FROM audit_auditentry a JOIN tracking_progressreport pr ON a.object_id = pr.id::text JOIN plans_task t ON t.id = pr.task_id
       WHERE a.action = 'report.return' AND a.object_type = 'tracking.progressreport' AND pr.period_id = %(period)s
       GROUP BY 1""",
    # The ranking's supervision notices issued in the period, by unit.
    """SELECT n.unit_id, count(*) FROM tracking_supervisionnotice n JOIN plans_task t ON t.id = n.task_id
       WHERE t.plan_id = %(plan)s AND n.issued_at >= %(starts)s AND n.issued_at < %(ends)s GROUP BY 1""",
]


def timed(work, runs: int) -> list[float]:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        work()
        times.append(time.perf_counter() - start)
    return times


def p95(times: list[float]) -> float:
    return sorted(times)[max(0, round(0.95 * len(times)) - 1)]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--plans", type=int, default=20)
    parser.add_argument("--tasks", type=int, default=500)
    parser.add_argument("--months", type=int, default=12)
    parser.add_argument("--database", default=DATABASE, help=f"the database to create and fill (default {DATABASE})")
    parser.add_argument("--keep", action="store_true", help="keep the database (and reuse it if it exists)")
    args = parser.parse_args()
    database = args.database
    if not postgres_answers():
        print(f"SKIPPED bench/cockpit.py: no PostgreSQL answers on {HOST}:{PORT}")
        return 0

    database_ready(database, keep=args.keep)
    django_on(database, client=True)
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.urls import reverse

    from luoshi.accounts.models import Role, User
    from luoshi.accounts.services import DEMO_UNITS_PATH, unit_directory_load
    from luoshi.plans.models import Plan
    from luoshi.reports.selectors import ranking_period_for
    from luoshi.reports.synth import synth_build
    from luoshi.tracking import periods
    from luoshi.tracking.assessment import day_start

    try:
        call_command("migrate", verbosity=0)
        if not Plan.objects.exists():
            unit_directory_load(path=DEMO_UNITS_PATH)
            start = time.perf_counter()
            result = synth_build(plans=args.plans, tasks=args.tasks, months=args.months, seed=1)
            print(
                f"Synthesised {result.plans} plans × {args.tasks} tasks × {args.months} months: "
                f"{result.reports} reports, {result.snapshots} snapshots in {time.perf_counter() - start:.1f} s"
            )
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE")
        plan = Plan.objects.order_by("-pk").first()
        user, _ = User.objects.get_or_create(username="bench-leader", defaults={"role": Role.LEADER})
        client = Client()
        client.force_login(user)
        url = reverse("reports:cockpit", args=[plan.pk])
        period = ranking_period_for(plan=plan, today=periods.today())
        day = timedelta(days=1)
        params = {
            "plan": plan.pk, "period": period.pk, "end": period.end, "starts": day_start(period.start),
            "ends": day_start(period.end + day), "after_due": day_start(period.report_due + day),
        }

        def page():
            response = client.get(url)
            assert response.status_code == 200, response.status_code

        def bare():
            with connection.cursor() as cursor:
                for sql in BARE_SQL:
                    cursor.execute(sql, params)
                    cursor.fetchall()

        for work in (page, bare):
            timed(work, 3)  # warm caches and connections
        page_times = timed(page, REQUESTS)
        sql_times = timed(bare, REQUESTS)
        tasks = plan.tasks.count()
        print(f"Cockpit of a {tasks}-task plan ({Plan.objects.count()} plans in the database), {REQUESTS} requests:")
        print(f"  page      median {statistics.median(page_times) * 1000:7.1f} ms   p95 {p95(page_times) * 1000:7.1f} ms")
        print(f"  bare SQL  median {statistics.median(sql_times) * 1000:7.1f} ms   p95 {p95(sql_times) * 1000:7.1f} ms")
        ratio = statistics.median(page_times) / statistics.median(sql_times)
        print(f"  ratio page / bare SQL: {ratio:.2f} (goal ≤ 3)")
    finally:
        connection.close()
        if not args.keep:
            psql(f"DROP DATABASE IF EXISTS {database}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
