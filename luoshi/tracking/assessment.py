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
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from django.utils import timezone
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font

from luoshi.accounts.models import Unit
from luoshi.audit.models import AuditEntry
from luoshi.plans.models import Plan, Task
from luoshi.tracking.models import LightSnapshot, ProgressReport, ReportingPeriod, SupervisionNotice, TaskTrack
from luoshi.tracking.supervision import REPORTED_STATUSES, _expects_report

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


def assessment_rank(*, plan: Plan, period: ReportingPeriod) -> list[UnitScore]:
    """Every unit that owed a report for ``period``, best first; equal scores share a rank (1, 2, 2, 4)."""
    tasks = list(Task.objects.filter(plan=plan, lead_unit__isnull=False).select_related("lead_unit"))
    tracks = {t.task_id: t for t in TaskTrack.objects.filter(task__plan=plan)}
    snapshots = dict(LightSnapshot.objects.filter(period=period).values_list("task_id", "light"))
    reports = {
        r.task_id: r
        for r in ProgressReport.objects.filter(period=period, status__in=REPORTED_STATUSES).only(
            "task_id", "submitted_at", "pk"
        )
    }
    returned_report_ids = AuditEntry.objects.filter(
        action="report.return",
        object_type=ProgressReport._meta.label_lower,
        object_id__in=[str(pk) for pk in ProgressReport.objects.filter(period=period).values_list("pk", flat=True)],
    ).values_list("object_id", flat=True)
    report_units = dict(ProgressReport.objects.filter(period=period).values_list("pk", "task__lead_unit_id"))
    returned_by_unit: dict[int, int] = {}
    for report_id in returned_report_ids:
        unit_id = report_units.get(int(report_id))
        returned_by_unit[unit_id] = returned_by_unit.get(unit_id, 0) + 1
    notices_by_unit: dict[int, int] = {}
    for unit_id, issued_at in SupervisionNotice.objects.filter(task__plan=plan).values_list("unit_id", "issued_at"):
        if period.start <= timezone.localdate(issued_at) <= period.end:
            notices_by_unit[unit_id] = notices_by_unit.get(unit_id, 0) + 1

    by_unit: dict[int, list[Task]] = {}
    for task in tasks:
        by_unit.setdefault(task.lead_unit_id, []).append(task)
    scores = []
    for unit_tasks in by_unit.values():
        unit = unit_tasks[0].lead_unit
        signed_off = {
            t.pk: timezone.localdate(tracks[t.pk].signed_off_at)
            for t in unit_tasks
            if t.pk in tracks and tracks[t.pk].signed_off_at
        }
        expected = [t for t in unit_tasks if _expects_report(t, period, signed_off.get(t.pk))]
        if not expected:
            continue
        on_time = sum(
            1
            for t in expected
            if t.pk in reports
            and reports[t.pk].submitted_at
            and timezone.localdate(reports[t.pk].submitted_at) <= period.report_due
        )
        green = sum(1 for t in expected if _light(t, snapshots, tracks) == "green")
        due = [t for t in unit_tasks if (_due(t, tracks) or date.max) <= period.end]
        completed = sum(1 for t in due if t.pk in signed_off and signed_off[t.pk] <= period.report_due)
        returned = returned_by_unit.get(unit.pk, 0)
        notices = notices_by_unit.get(unit.pk, 0)
        parts = {
            "on_time": _share(ON_TIME_POINTS, on_time, len(expected)),
            "on_schedule": _share(ON_SCHEDULE_POINTS, green, len(expected)),
            "completion": _share(COMPLETION_POINTS, completed, len(due)),
            "base": BASE_POINTS.quantize(_TENTH),
            "returned_penalty": min(RETURN_PENALTY * returned, RETURN_PENALTY_MAX),
            "notice_penalty": min(NOTICE_PENALTY * notices, NOTICE_PENALTY_MAX),
        }
        total = parts["on_time"] + parts["on_schedule"] + parts["completion"] + parts["base"]
        total -= parts["returned_penalty"] + parts["notice_penalty"]
        scores.append(
            UnitScore(
                unit=unit, rank=0, score=max(total, Decimal(0)), **parts,
                expected=len(expected), reported_on_time=on_time, green=green, due=len(due),
                completed=completed, returned=returned, notices=notices,
            )
        )
    scores.sort(key=lambda s: (-s.score, s.unit.sort_order, s.unit.pk))
    for index, item in enumerate(scores):
        same_as_before = index and item.score == scores[index - 1].score
        item.rank = scores[index - 1].rank if same_as_before else index + 1
    return scores


def _due(task: Task, tracks: dict[int, TaskTrack]) -> date | None:
    track = tracks.get(task.pk)
    return (track.effective_due if track else None) or task.due_date


def _light(task: Task, snapshots: dict[int, str], tracks: dict[int, TaskTrack]) -> str | None:
    """The light at the period's end; before the nightly run has recorded it, the current one."""
    if task.pk in snapshots:
        return snapshots[task.pk]
    track = tracks.get(task.pk)
    return track.light if track else None


XLSX_HEADERS = [
    "排名", "单位", "总分", "按时报送（30）", "进度正常（30）", "按期办结（20）", "基础分（20）",
    "退回扣分", "督办扣分", "应报任务数", "按时报送数", "绿灯数", "到期任务数", "已销号数", "退回次数", "督办单数",
]


def assessment_xlsx(*, plan: Plan, period: ReportingPeriod, scores: list[UnitScore]) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "考核排名"
    sheet.append([f"{plan.name} · {period.label}考核排名"])
    sheet["A1"].font = Font(bold=True, size=14)
    sheet.append(["计分规则：按时报送30分＋进度正常30分＋按期办结20分＋基础分20分－退回每次2分（最多10分）－督办单每份5分（最多10分）"])
    sheet.append(XLSX_HEADERS)
    for cell in sheet[3]:
        cell.font = Font(bold=True)
        cell.alignment = Alignment(horizontal="center", wrap_text=True)
    for s in scores:
        sheet.append([
            s.rank, s.unit.name, float(s.score), float(s.on_time), float(s.on_schedule), float(s.completion),
            float(s.base), -float(s.returned_penalty), -float(s.notice_penalty), s.expected, s.reported_on_time,
            s.green, s.due, s.completed, s.returned, s.notices,
        ])
    sheet.column_dimensions["B"].width = 24
    sheet.freeze_panes = "C4"
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()
