"""考核: the hand-checked example of docs/assessment.md, the ranking page and its .xlsx, and who may see them."""
import io
from datetime import date
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from luoshi.audit.services import audit_record
from luoshi.tracking.assessment import assessment_rank
from luoshi.tracking.models import LightSnapshot, SupervisionNotice, TaskTrack
from luoshi.tracking.periods import periods_ensure
from luoshi.tracking.tests.supervision_data import plan_make, report_make, task_make

pytestmark = pytest.mark.django_db


def at(day: date, hour: int = 10):
    return timezone.make_aware(timezone.datetime(day.year, day.month, day.day, hour))


@pytest.fixture
def example(units, supervisor):
    """March 2026, reports due Tuesday 7 April (docs/assessment.md, 示例 / example)."""
    plan = plan_make(year=2026)
    march = periods_ensure(plan=plan, until=date(2026, 4, 1))[2]
    a = task_make(plan, units["education"], title="新建幼儿园3所")
    b = task_make(plan, units["education"], title="教师队伍建设")
    c = task_make(plan, units["fengqiao"], title="凤桥水蜜桃节", due=date(2026, 3, 31))
    report_a = report_make(a, march, percent=30, submitted_on=date(2026, 4, 3))
    report_make(b, march, percent=20, submitted_on=date(2026, 4, 9))
    report_make(c, march, percent=100, submitted_on=date(2026, 4, 2))
    audit_record(actor=supervisor, action="report.return", obj=report_a, note="缺少开工数据")
    for task, light in ((a, "green"), (b, "yellow"), (c, "green")):
        LightSnapshot.objects.create(task=task, period=march, light=light, percent=0)
    TaskTrack.objects.create(task=c, signed_off_by=supervisor, signed_off_at=at(date(2026, 4, 1)))
    notice = SupervisionNotice.objects.create(
        task=c, unit=units["fengqiao"], number="南湖督〔2026〕1号", reasons=[], reply_due=date(2026, 3, 27)
    )
    SupervisionNotice.objects.filter(pk=notice.pk).update(issued_at=at(date(2026, 3, 20)))
    return plan, march


def test_the_hand_checked_example_scores_and_ranks_as_documented(example):
    plan, march = example
    fengqiao, education = assessment_rank(plan=plan, period=march)
    assert (fengqiao.unit.name, fengqiao.rank, fengqiao.score) == ("凤桥镇", 1, Decimal("95"))
    assert (fengqiao.on_time, fengqiao.on_schedule, fengqiao.completion) == (30, 30, 20)
    assert (fengqiao.completed, fengqiao.due, fengqiao.notices, fengqiao.notice_penalty) == (1, 1, 1, 5)
    assert (education.unit.name, education.rank, education.score) == ("区教育局", 2, Decimal("68"))
    assert (education.on_time, education.on_schedule, education.completion) == (15, 15, 20)
    assert (education.reported_on_time, education.green, education.expected) == (1, 1, 2)
    assert (education.returned, education.returned_penalty) == (1, 2)


def test_the_penalty_for_returned_reports_stops_at_ten_points(units, supervisor):
    plan = plan_make(year=2026)
    march = periods_ensure(plan=plan, until=date(2026, 4, 1))[2]
    task = task_make(plan, units["education"])
    report = report_make(task, march, percent=30)
    LightSnapshot.objects.create(task=task, period=march, light="green", percent=30)
    for _ in range(7):
        audit_record(actor=supervisor, action="report.return", obj=report)
    (education,) = assessment_rank(plan=plan, period=march)
    assert (education.returned, education.returned_penalty, education.score) == (7, 10, 90)


def test_units_with_equal_scores_share_a_rank(units):
    plan = plan_make(year=2026)
    march = periods_ensure(plan=plan, until=date(2026, 4, 1))[2]
    for unit in units.values():
        task_make(plan, unit, title=f"{unit.name}任务")
    ranks = [(s.rank, s.score) for s in assessment_rank(plan=plan, period=march)]
    # Nobody reported and nothing is green: 0 + 0 + 20 (nothing due) + 20 each.
    assert ranks == [(1, Decimal(40))] * 3


@pytest.mark.parametrize(
    "who, status",
    [("supervisor", 200), ("leader", 200), ("admin_user", 200), ("reporter_education", 403), (None, 302)],
)
def test_the_ranking_page_and_export_are_for_the_office_and_leaders(client, request, example, who, status):
    plan, march = example
    if who:
        client.force_login(request.getfixturevalue(who))
    for name in ("tracking:assessment", "tracking:assessment_export"):
        assert client.get(reverse(name, args=[plan.pk]), {"period": march.pk}).status_code == status


def test_the_ranking_page_and_workbook_show_each_units_score(client, example, leader):
    plan, march = example
    client.force_login(leader)
    page = client.get(reverse("tracking:assessment", args=[plan.pk]), {"period": march.pk}).content.decode()
    assert page.index("凤桥镇") < page.index("区教育局")
    assert "95" in page and "68" in page
    response = client.get(reverse("tracking:assessment_export", args=[plan.pk]), {"period": march.pk})
    sheet = load_workbook(io.BytesIO(response.content)).active
    assert sheet["A1"].value.endswith("2026年3月考核排名")
    assert [c.value for c in sheet[4]][:3] == [1, "凤桥镇", 95]
    assert [c.value for c in sheet[5]][:3] == [2, "区教育局", 68]


# ── The SQL counts against the rule computed task by task in Python ───────


def reference_counts(plan, period) -> dict[int, dict]:
    """The counts of docs/assessment.md, task by task in Python: what assessment_rank must sum in SQL."""
    from luoshi.audit.models import AuditEntry
    from luoshi.plans.models import Task
    from luoshi.tracking.models import ProgressReport
    from luoshi.tracking.supervision import REPORTED_STATUSES, expects_report

    tracks = {t.task_id: t for t in TaskTrack.objects.filter(task__plan=plan)}
    snapshots = dict(LightSnapshot.objects.filter(period=period).values_list("task_id", "light"))
    reports = {r.task_id: r for r in ProgressReport.objects.filter(period=period, status__in=REPORTED_STATUSES)}
    report_units = dict(ProgressReport.objects.filter(period=period).values_list("pk", "task__lead_unit_id"))
    counts: dict[int, dict] = {}
    for task in Task.objects.filter(plan=plan, lead_unit__isnull=False):
        track = tracks.get(task.pk)
        signed_off = timezone.localdate(track.signed_off_at) if track and track.signed_off_at else None
        due_on = (track.effective_due if track else None) or task.due_date or date.max
        light = snapshots.get(task.pk, track.light if track else None)
        report = reports.get(task.pk)
        c = counts.setdefault(task.lead_unit_id, dict.fromkeys(
            ("expected", "reported_on_time", "green", "due", "completed", "returned", "notices"), 0
        ))
        if expects_report(task, period, signed_off):
            c["expected"] += 1
            c["reported_on_time"] += bool(
                report and report.submitted_at and timezone.localdate(report.submitted_at) <= period.report_due
            )
            c["green"] += light == "green"
        if due_on <= period.end:
            c["due"] += 1
            c["completed"] += bool(signed_off and signed_off <= period.report_due)
    for object_id in AuditEntry.objects.filter(action="report.return", object_type="tracking.progressreport").values_list(
        "object_id", flat=True
    ):
        unit_id = report_units.get(int(object_id))
        if unit_id in counts:
            counts[unit_id]["returned"] += 1
    for notice in SupervisionNotice.objects.filter(task__plan=plan):
        if notice.unit_id in counts and period.start <= timezone.localdate(notice.issued_at) <= period.end:
            counts[notice.unit_id]["notices"] += 1
    return {unit_id: c for unit_id, c in counts.items() if c["expected"]}


def test_the_sql_counts_match_the_rule_applied_task_by_task(units, supervisor):
    """Every edge of the rule, drawn at random: late or missing reports, drafts, tasks without a track or
    snapshot, sign-offs before, during and after the period, late-created tasks, extensions, notices outside
    the period, returns of other periods' reports; the moments straddle local midnight at every bound."""
    import random

    from luoshi.tracking.models import ProgressReport

    rng = random.Random(17)
    plan = plan_make(year=2026)
    periods = periods_ensure(plan=plan, until=date(2026, 6, 1))
    march, other = periods[2], periods[1]
    around = [date(2026, 2, 27), date(2026, 3, 1), date(2026, 3, 31), date(2026, 4, 1), date(2026, 4, 7),
              date(2026, 4, 8), date(2026, 5, 2)]
    # Each side of the period's start and end and of the report due date; 07:00 local is 23:00 UTC the day before.
    moments = [at(day, hour) for day, hour in (
        (date(2026, 2, 28), 23), (date(2026, 3, 1), 0), (date(2026, 3, 1), 7), (date(2026, 3, 31), 23),
        (date(2026, 4, 1), 0), (date(2026, 4, 7), 23), (date(2026, 4, 8), 0), (date(2026, 4, 8), 7), (date(2026, 5, 2), 10),
    )]

    def moment():
        return rng.choice(moments)

    for n in range(120):
        unit = rng.choice(list(units.values()))
        task = task_make(
            plan, unit, title=f"任务{n}",
            start=rng.choice([None, date(2026, 1, 1), date(2026, 4, 1)]),
            due=rng.choice([None, date(2026, 3, 31), date(2026, 4, 30), date(2026, 12, 31)]),
            created=rng.choice([date(2026, 1, 1), date(2026, 4, 7), date(2026, 4, 8)]),
        )
        if rng.random() < 0.8:
            TaskTrack.objects.create(
                task=task, light=rng.choice(["green", "yellow", "red"]),
                effective_due=rng.choice([None, None, date(2026, 3, 15), date(2026, 6, 30)]),
                signed_off_by=supervisor, signed_off_at=moment() if rng.random() < 0.4 else None,
            )
        if rng.random() < 0.7:
            LightSnapshot.objects.create(task=task, period=march, light=rng.choice(["green", "yellow"]), percent=0)
        for period in (march, other):
            if rng.random() < 0.8:
                report = report_make(
                    task, period, percent=10, status=rng.choice(list(ProgressReport.Status)),
                    submitted_on=rng.choice(around),
                )
                ProgressReport.objects.filter(pk=report.pk).update(submitted_at=moment() if rng.random() < 0.9 else None)
                for _ in range(rng.choice([0, 0, 1, 2])):
                    audit_record(actor=supervisor, action="report.return", obj=report)
        if rng.random() < 0.2:
            notice = SupervisionNotice.objects.create(
                task=task, unit=rng.choice(list(units.values())), number=f"南湖督〔2026〕{n}号", reasons=[],
                reply_due=date(2026, 4, 10),
            )
            SupervisionNotice.objects.filter(pk=notice.pk).update(issued_at=moment())

    expected = reference_counts(plan, march)
    scores = assessment_rank(plan=plan, period=march)
    fields = ("expected", "reported_on_time", "green", "due", "completed", "returned", "notices")
    assert {s.unit.pk: {f: getattr(s, f) for f in fields} for s in scores} == expected
    assert all(0 < c["expected"] and c["due"] and c["returned"] for c in expected.values())  # the draw covers every part
