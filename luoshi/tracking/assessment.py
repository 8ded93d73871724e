"""考核 (assessment): a score per unit and period, and the ranking. The rule is docs/assessment.md.

100 points = on-time reports 30 + tasks on schedule (green) 30 + completions
20 + 20 for nothing else going wrong, less 2 per returned report (at most 10)
and 5 per supervision notice (at most 10); never below 0. Every part is
returned with the counts behind it, so the page can show a unit why it
scored what it did.
"""
from __future__ import annotations

import io
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import CharField, Count, F, FilteredRelation, OuterRef, Q, Subquery, Sum
from django.db.models.functions import Cast, Coalesce
from django.utils import timezone
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font

from luoshi.accounts.models import Unit
from luoshi.audit.models import AuditEntry
from luoshi.plans.models import Plan, Task
from luoshi.tracking.models import ProgressReport, ReportingCycle, ReportingPeriod, SupervisionNotice
from luoshi.spreadsheets import text_row
from luoshi.tracking.supervision import REPORTED_STATUSES, period_closes_cycle

ON_TIME_POINTS = Decimal(30)
ON_SCHEDULE_POINTS = Decimal(30)
COMPLETION_POINTS = Decimal(20)
BASE_POINTS = Decimal(20)
RETURN_PENALTY, RETURN_PENALTY_MAX = Decimal(2), Decimal(10)
NOTICE_PENALTY, NOTICE_PENALTY_MAX = Decimal(5), Decimal(10)
_TENTH = Decimal("0.1")


@dataclass
class UnitScore:
    unit: Unit
    rank: int
    score: Decimal
    on_time: Decimal
    on_schedule: Decimal
    completion: Decimal
    base: Decimal
    returned_penalty: Decimal
    notice_penalty: Decimal
    # The counts behind the parts.
    expected: int  # tasks that owed a report for the period
    reported_on_time: int
    green: int
    due: int  # tasks due by the period's end
    completed: int  # of those, signed off
    returned: int
    notices: int


def _share(points: Decimal, part: int, whole: int) -> Decimal:
    value = points if whole == 0 else points * part / whole
    return value.quantize(_TENTH, rounding=ROUND_HALF_UP)


def day_start(day: date) -> datetime:
    """The first moment of ``day`` in the site's time zone.

    ``localdate(moment) <= day`` is ``moment < day_start(day + 1 day)``: comparing
    timestamps with bounds lets the database count by local date on indexed columns.
    """
    return timezone.make_aware(datetime.combine(day, time.min))


def assessment_rank(*, plan: Plan, period: ReportingPeriod) -> list[UnitScore]:
    """Every unit that owed a report for ``period``, best first; equal scores share a rank (1, 2, 2, 4).

    The counts are summed in the database: one GROUP BY over the plan's tasks
    (returned reports counted by a subquery on the audit log's index), then the
    units with their notices, so a plan of 5000 tasks costs two queries, as one
    of 50 does.
    """
    period_starts = day_start(period.start)
    after_due = day_start(period.report_due + timedelta(days=1))
    # The same rule as the lights' "unreported cycles" (supervision.expects_report).
    expected = (
        (Q(start_date__isnull=True) | Q(start_date__lte=period.end))
        & Q(created__lt=after_due)
        & (Q(signed_off_at__isnull=True) | Q(signed_off_at__gte=period_starts))
    )
    # A task with its own, longer reporting cycle owes a report only in the period that closes it.
    skipping = [f for f in ReportingCycle.Frequency.values if not period_closes_cycle(period, f)]
    if skipping:
        expected &= ~Q(cycle__frequency__in=skipping)
    due = Q(due_on__lte=period.end)
    # A report returned twice counts twice: one audit entry per return, found on the (object_type, object_id) index.
    returns = (
        AuditEntry.objects.filter(
            action="report.return",
            object_type=ProgressReport._meta.label_lower,
            object_id=Cast(OuterRef("report__pk"), CharField()),
        )
        .order_by()
        .values("object_id")
        .annotate(n=Count("pk"))
        .values("n")
    )
    # Notices go to a unit, which need not lead the task they are about: counted per unit, not per task.
    notices = (
        SupervisionNotice.objects.filter(
            unit_id=OuterRef("pk"),
            task__plan=plan,
            issued_at__gte=period_starts,
            issued_at__lt=day_start(period.end + timedelta(days=1)),
        )
        .order_by()
        .values("unit_id")
        .annotate(n=Count("pk"))
        .values("n")
    )
    # One report and one snapshot at most per task and period (unique constraints): LEFT JOINs that add no rows.
    rows = (
        Task.objects.filter(plan=plan, lead_unit__isnull=False)
        .alias(
            report=FilteredRelation("reports", condition=Q(reports__period=period)),
            snapshot=FilteredRelation("snapshots", condition=Q(snapshots__period=period)),
        )
        .annotate(
            signed_off_at=F("track__signed_off_at"),
            due_on=Coalesce("track__effective_due", "due_date"),
            # The light at the period's end; before the nightly run has recorded it, the current one.
            light_then=Coalesce("snapshot__light", "track__light"),
        )
        .values("lead_unit_id")
        .annotate(
            expected=Count("pk", filter=expected),
            reported_on_time=Count(
                "pk",
                filter=expected & Q(report__status__in=REPORTED_STATUSES, report__submitted_at__lt=after_due),
            ),
            green=Count("pk", filter=expected & Q(light_then="green")),
            due=Count("pk", filter=due),
            completed=Count("pk", filter=due & Q(signed_off_at__lt=after_due)),
            returned=Coalesce(Sum(Subquery(returns)), 0),
        )
        .filter(expected__gt=0)
        .order_by()
    )
    counts = {row.pop("lead_unit_id"): row for row in rows}

    scores = []
    # Not the fields that match units to measures (aliases, duty keywords): a JSON decode each, unused here.
    units = (
        Unit.objects.filter(pk__in=list(counts))
        .defer("aliases", "duty_keywords", "duties")
        .annotate(notices_in_period=Coalesce(Subquery(notices), 0))
    )
    for unit in units:
        c = counts[unit.pk]
        c["notices"] = unit.notices_in_period
        parts = {
            "on_time": _share(ON_TIME_POINTS, c["reported_on_time"], c["expected"]),
            "on_schedule": _share(ON_SCHEDULE_POINTS, c["green"], c["expected"]),
            "completion": _share(COMPLETION_POINTS, c["completed"], c["due"]),
            "base": BASE_POINTS.quantize(_TENTH),
            "returned_penalty": min(RETURN_PENALTY * c["returned"], RETURN_PENALTY_MAX),
            "notice_penalty": min(NOTICE_PENALTY * c["notices"], NOTICE_PENALTY_MAX),
        }
        total = parts["on_time"] + parts["on_schedule"] + parts["completion"] + parts["base"]
        total -= parts["returned_penalty"] + parts["notice_penalty"]
        scores.append(UnitScore(unit=unit, rank=0, score=max(total, Decimal(0)), **parts, **c))
    scores.sort(key=lambda s: (-s.score, s.unit.sort_order, s.unit.pk))
    for index, item in enumerate(scores):
        same_as_before = index and item.score == scores[index - 1].score
        item.rank = scores[index - 1].rank if same_as_before else index + 1
    return scores


XLSX_HEADERS = [
    "排名", "单位", "总分", "按时报送（30）", "进度正常（30）", "按期办结（20）", "基础分（20）",
    "退回扣分", "督办扣分", "应报任务数", "按时报送数", "绿灯数", "到期任务数", "已销号数", "退回次数", "督办单数",
]


def assessment_xlsx(*, plan: Plan, period: ReportingPeriod, scores: list[UnitScore]) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "考核排名"
    sheet.append(text_row(sheet, [f"{plan.name} · {period.label}考核排名"]))
    sheet["A1"].font = Font(bold=True, size=14)
    sheet.append(["计分规则：按时报送30分＋进度正常30分＋按期办结20分＋基础分20分－退回每次2分（最多10分）－督办单每份5分（最多10分）"])
    sheet.append(XLSX_HEADERS)
    for cell in sheet[3]:
        cell.font = Font(bold=True)
        cell.alignment = Alignment(horizontal="center", wrap_text=True)
    for s in scores:
        sheet.append(text_row(sheet, [
            s.rank, s.unit.name, float(s.score), float(s.on_time), float(s.on_schedule), float(s.completion),
            float(s.base), -float(s.returned_penalty), -float(s.notice_penalty), s.expected, s.reported_on_time,
            s.green, s.due, s.completed, s.returned, s.notices,
        ]))
    sheet.column_dimensions["B"].width = 24
    sheet.freeze_panes = "C4"
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()
