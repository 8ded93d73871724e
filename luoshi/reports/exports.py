"""Excel exports of a plan: the task list with its lights, and the history of every progress report.

Both sheets have Chinese headers in bold, the header row frozen and column
widths set for Chinese text, and read only what ``visible_to`` may read
(``luoshi.plans.selectors.task_list``). The lights and percents are the
cockpit's (``luoshi.reports.selectors``): a signed-off task counts as 100 %
and green.
"""
from __future__ import annotations

import io

from django.db.models import Max
from django.utils import timezone
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill

from luoshi.plans import selectors as plan_selectors
from luoshi.plans.models import Plan, Section
from luoshi.reports.selectors import DrillFilter, drill_tasks
from luoshi.tracking.models import ProgressReport

LIGHT_NAMES = {"green": "绿灯", "yellow": "黄灯", "red": "红灯"}
LIGHT_FILLS = {"green": "C6EFCE", "yellow": "FFEB9C", "red": "FFC7CE"}
TASK_COLUMNS = [
    ("板块", 24), ("目标", 24), ("举措编号", 10), ("任务", 60), ("牵头单位", 20), ("配合单位", 28),
    ("完成时限", 12), ("灯色", 8), ("进度（%）", 10), ("最近报送日期", 14), ("原因", 50),
]
HISTORY_COLUMNS = [
    ("举措编号", 10), ("任务", 60), ("报送周期", 12), ("报送单位", 20), ("进度（%）", 10), ("状态", 10),
    ("提交时间", 18), ("提交人", 16), ("审核时间", 18), ("审核人", 16), ("退回理由", 40),
]
STATUS_NAMES = {"draft": "草稿", "submitted": "待审核", "returned": "已退回", "accepted": "已通过"}


def _sheet(workbook: Workbook, title: str, columns: list[tuple[str, int]]):
    sheet = workbook.active
    sheet.title = title
    sheet.append([name for name, _width in columns])
    for cell, (_name, width) in zip(sheet[1], columns):
        cell.font = Font(bold=True)
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
        sheet.column_dimensions[cell.column_letter].width = width
    sheet.freeze_panes = "A2"
    return sheet


def _local(moment):
    # Excel has no time zones: write the office's wall-clock time.
    return timezone.localtime(moment).replace(tzinfo=None) if moment else None


def _bytes(workbook: Workbook) -> bytes:
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def _tree(plan: Plan) -> dict[int, tuple[str, str]]:
    """Section id → (its part, its objective), from one query: where a task sits in the plan."""
    sections = {s.pk: s for s in Section.objects.filter(plan=plan)}
    places = {}
    for pk, section in sections.items():
        chain = [section]
        while chain[-1].parent_id is not None:
            chain.append(sections[chain[-1].parent_id])
        chain.reverse()
        part = str(chain[0])
        objective = chain[1].title if len(chain) > 1 else ""
        places[pk] = (part, objective)
    return places


def task_list_xlsx(*, plan: Plan, visible_to) -> bytes:
    """One row per task: its place in the plan, units, due date, light, percent, last report and reasons."""
    tasks = (
        drill_tasks(plan=plan, visible_to=visible_to, filters=DrillFilter())
        .annotate(last_report=Max("reports__submitted_at"))
        .prefetch_related("co_units")
        .order_by("measure__position", "position", "pk")
    )
    places = _tree(plan)
    workbook = Workbook()
    sheet = _sheet(workbook, "任务清单", TASK_COLUMNS)
    for task in tasks:
        track = getattr(task, "track", None)
        due = (track.effective_due if track else None) or task.due_date
        part, objective = places.get(task.measure.section_id, ("", ""))
        light = task.shown_light or ""
        reasons = "；".join(r["text"] for r in track.reasons) if track and light != "green" else ""
        sheet.append([
            part, objective, task.measure.number, task.title,
            task.lead_unit.name if task.lead_unit else "",
            "、".join(u.name for u in task.co_units.all()),
            due, LIGHT_NAMES.get(light, light), task.shown_percent,
            _local(task.last_report).date() if task.last_report else None,
            reasons,
        ])
        row = sheet.max_row
        sheet.cell(row, 7).number_format = "yyyy-mm-dd"
        sheet.cell(row, 10).number_format = "yyyy-mm-dd"
        if light in LIGHT_FILLS:
            sheet.cell(row, 8).fill = PatternFill("solid", fgColor=LIGHT_FILLS[light])
    return _bytes(workbook)


def progress_history_xlsx(*, plan: Plan, visible_to) -> bytes:
    """One row per progress report of the plan, oldest period first: who reported what and who reviewed it."""
    visible = plan_selectors.task_list(visible_to=visible_to, plan=plan).values("pk")
    reports = (
        ProgressReport.objects.filter(task__plan=plan, task__in=visible)
        .select_related("task", "task__measure", "period", "unit", "submitted_by", "reviewed_by")
        .order_by("period__start", "task__measure__position", "task__position", "task_id")
    )
    workbook = Workbook()
    sheet = _sheet(workbook, "进度报送记录", HISTORY_COLUMNS)
    for report in reports:
        sheet.append([
            report.task.measure.number, report.task.title, report.period.label, report.unit.name, report.percent,
            STATUS_NAMES.get(report.status, report.status),
            _local(report.submitted_at), str(report.submitted_by) if report.submitted_by else "",
            _local(report.reviewed_at), str(report.reviewed_by) if report.reviewed_by else "",
            report.return_reason,
        ])
        row = sheet.max_row
        sheet.cell(row, 7).number_format = sheet.cell(row, 9).number_format = "yyyy-mm-dd hh:mm"
    return _bytes(workbook)
