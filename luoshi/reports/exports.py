"""Excel exports of a plan: the task list with its lights, and the history of every progress report.

Both sheets have Chinese headers in bold, the header row frozen and column
widths set for Chinese text, and read only what ``visible_to`` may read
(``luoshi.plans.selectors.task_list``). The lights and percents are the
cockpit's (``luoshi.reports.selectors``): a signed-off task counts as 100 %
and green.
"""
from __future__ import annotations

import io

from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from luoshi.accounts.models import Unit, User
from luoshi.plans import selectors as plan_selectors
from luoshi.plans.models import Plan, Section, Task
from luoshi.reports.selectors import DrillFilter, drill_tasks
from luoshi.spreadsheets import text_row
from luoshi.tracking.models import ProgressReport, ReportingPeriod

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
    """A write-only sheet with its header row written: rows stream to the file, so a history of
    tens of thousands of reports costs time in proportion to its rows and little memory."""
    sheet = workbook.create_sheet(title)
    for index, (_name, width) in enumerate(columns, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width
    sheet.freeze_panes = "A2"
    bold = Font(bold=True)
    centred = Alignment(horizontal="center", vertical="center", wrap_text=True)
    header = []
    for name, _width in columns:
        cell = WriteOnlyCell(sheet, value=name)
        cell.font, cell.alignment = bold, centred
        header.append(cell)
    sheet.append(header)
    return sheet


def _styled(sheet, value, *, number_format: str | None = None, fill: PatternFill | None = None):
    cell = WriteOnlyCell(sheet, value=value)
    if number_format:
        cell.number_format = number_format
    if fill is not None:
        cell.fill = fill
    return cell


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


# A job reports its progress in this many steps (one per tenth of the rows).
STEPS = 10


def _stepper(total: int, progress):
    """A function to call with each row's index that reports ``progress(step)`` at every tenth of ``total``."""
    if progress is None or total == 0:
        return lambda index: None
    marks = {max(1, (total * step) // STEPS): step for step in range(1, STEPS + 1)}

    def row_done(index: int) -> None:
        step = marks.get(index + 1)
        if step is not None:
            progress(step)

    return row_done


def task_list_xlsx(*, plan: Plan, visible_to, progress=None) -> bytes:
    """One row per task: its place in the plan, units, due date, light, percent, last report and reasons.

    ``progress``, when given, is called with 1 … ``STEPS`` as the rows are written.
    """
    tasks = (
        drill_tasks(plan=plan, visible_to=visible_to, filters=DrillFilter())
        .order_by("measure__position", "position", "pk")
    )
    places = _tree(plan)
    # Co-units' names in one query of plain rows: a prefetch builds a queryset and a unit per task and unit.
    co_units: dict[int, list[str]] = {}
    for task_id, name in (
        Task.co_units.through.objects.filter(task__plan=plan)
        .order_by("task_id", "unit__sort_order", "unit_id")
        .values_list("task_id", "unit__name")
    ):
        co_units.setdefault(task_id, []).append(name)
    # Grouped on its own: a GROUP BY over every column of the task query would sort the plan's whole history.
    last_reports = dict(
        ProgressReport.objects.filter(task__plan=plan, submitted_at__isnull=False)
        .values("task_id").annotate(last=Max("submitted_at")).values_list("task_id", "last")
    )
    workbook = Workbook(write_only=True)
    sheet = _sheet(workbook, "任务清单", TASK_COLUMNS)
    fills = {light: PatternFill("solid", fgColor=colour) for light, colour in LIGHT_FILLS.items()}
    # Plain rows: a model instance per task, measure, unit and track would cost more than the sheet.
    rows = list(tasks.values_list(
        "pk", "title", "measure__number", "measure__section_id", "lead_unit__name", "due_date",
        "track__effective_due", "track__reasons", "shown_light", "shown_percent",
    ))
    row_done = _stepper(len(rows), progress)
    for index, (pk, title, number, section_id, lead, due_date, effective_due, track_reasons, light, percent) in (
        enumerate(rows)
    ):
        part, objective = places.get(section_id, ("", ""))
        light = light or ""
        reasons = "；".join(r["text"] for r in track_reasons or ()) if light != "green" else ""
        # Dates go in plain: openpyxl formats a date as yyyy-mm-dd by itself.
        sheet.append(text_row(sheet, [
            part, objective, number, title, lead or "",
            "、".join(co_units.get(pk, ())),
            effective_due or due_date,
            _styled(sheet, LIGHT_NAMES.get(light, light), fill=fills.get(light)),
            percent,
            _local(last_reports[pk]).date() if pk in last_reports else None,
            reasons,
        ]))
        row_done(index)
    return _bytes(workbook)


def progress_history_xlsx(*, plan: Plan, visible_to, progress=None) -> bytes:
    """One row per progress report of the plan, oldest period first: who reported what and who reviewed it.

    Reports are read as plain rows and their tasks, periods, units and people
    once each: a plan's history runs to tens of thousands of rows, and a model
    instance per row and related object would cost more than writing the sheet.
    """
    visible = plan_selectors.task_list(visible_to=visible_to, plan=plan).values("pk")
    rows = list(
        ProgressReport.objects.filter(task__plan=plan, task__in=visible)
        .order_by("period__start", "task__measure__position", "task__position", "task_id")
        .values_list(
            "task_id", "period_id", "unit_id", "percent", "status", "submitted_at", "submitted_by_id",
            "reviewed_at", "reviewed_by_id", "return_reason",
        )
    )
    tasks = {pk: (number, title) for pk, number, title in Task.objects.filter(plan=plan).values_list(
        "pk", "measure__number", "title")}
    periods = dict(ReportingPeriod.objects.filter(plan=plan).values_list("pk", "label"))
    units = dict(Unit.objects.filter(pk__in={row[2] for row in rows}).values_list("pk", "name"))
    people = {
        user.pk: str(user)
        for user in User.objects.filter(pk__in={pk for row in rows for pk in (row[6], row[8]) if pk is not None})
    }
    zone = timezone.get_current_timezone()

    def local(moment):
        # Excel has no time zones: write the office's wall-clock time.
        return moment.astimezone(zone).replace(tzinfo=None) if moment else None

    workbook = Workbook(write_only=True)
    sheet = _sheet(workbook, "进度报送记录", HISTORY_COLUMNS)
    moment = "yyyy-mm-dd hh:mm"
    row_done = _stepper(len(rows), progress)
    for index, (task_id, period_id, unit_id, percent, status, submitted, submitter, reviewed, reviewer, reason) in (
        enumerate(rows)
    ):
        sheet.append(text_row(sheet, [
            *tasks[task_id], periods[period_id], units[unit_id], percent,
            STATUS_NAMES.get(status, status),
            _styled(sheet, local(submitted), number_format=moment), people.get(submitter, ""),
            _styled(sheet, local(reviewed), number_format=moment), people.get(reviewer, ""),
            reason,
        ]))
        row_done(index)
    return _bytes(workbook)


# ── Big exports in the background ────────────────────────────────────────


def export_rows(*, plan: Plan, kind: str, visible_to) -> int:
    """How many rows the export of ``kind`` would have: one count query."""
    from luoshi.reports.models import GeneratedDocument

    visible = plan_selectors.task_list(visible_to=visible_to, plan=plan)
    if kind == GeneratedDocument.Kind.HISTORY:
        return ProgressReport.objects.filter(task__plan=plan, task__in=visible.values("pk")).count()
    return visible.count()


EXPORTS = {
    "task_list": (task_list_xlsx, "任务清单"),
    "history": (progress_history_xlsx, "进度报送记录"),
}


def export_filename(*, plan: Plan, kind: str) -> str:
    return f"{plan.name}-{EXPORTS[kind][1]}.xlsx"


def export_request(*, plan: Plan, kind: str, actor):
    """Queue the export of ``kind`` as a document built by the worker; the user follows it on its page.

    A plan's history runs to tens of thousands of rows: written in the
    request, it would hold a web worker for the whole time and end in a
    proxy's time-out. The job reads what ``actor`` may read.
    """
    from luoshi.reports import tasks
    from luoshi.reports.models import GeneratedDocument

    document = GeneratedDocument.objects.create(
        plan=plan, kind=kind, format=GeneratedDocument.Format.XLSX, created_by=actor, steps_total=STEPS,
    )
    transaction.on_commit(lambda: tasks.document_generate.enqueue(document.pk))
    return document


def export_file(*, document) -> tuple[str, bytes]:
    """Build a queued export document's workbook, reporting each tenth of the rows on the row."""
    from luoshi.reports.models import GeneratedDocument

    def progress(step: int) -> None:
        GeneratedDocument.objects.filter(pk=document.pk).update(steps_done=step)

    build, _name = EXPORTS[document.kind]
    content = build(plan=document.plan, visible_to=document.created_by, progress=progress)
    return export_filename(plan=document.plan, kind=document.kind), content
