"""The task sheet (任务分解表) as .xlsx: export, edit in Excel or WPS, import back.

One row per task. The hidden, locked column 任务编号 holds "<task id>-v<version>"
so an import matches rows exactly and notices a task changed since the export.
Only 任务内容, 牵头单位, 责任单位, 完成时限, 节点 and 指标 are read back; 序号,
所属板块 and 来源原文 are there for the reader and locked.

An import is all or nothing: every row is checked first, and a single bad
cell leaves the database untouched, with a row-by-row list of what to fix.

Milestones and indicators have no ids in the sheet, yet progress reports
record reached milestones and indicator actuals against their rows. An
import therefore updates them in place, matching each line to an existing
row by its title or name, else by a milestone's date or an indicator's place
in the cell (a rename); a line that matches nothing is a new row, and a row
no line matches is removed unless progress was recorded against it, in which
case the import is refused (see ``_continued``).

Speed: a 10,000-task plan is exported with openpyxl's write-only mode and
read with its read-only mode, with every task, unit, milestone and indicator
loaded in a handful of queries (``bench/xlsx.py`` measures it).
"""
from __future__ import annotations

import io
import re
import zipfile
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from openpyxl import Workbook, load_workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Alignment, Border, Font, PatternFill, Protection, Side
from openpyxl.utils import get_column_letter
from openpyxl.utils.datetime import from_excel
from openpyxl.worksheet._write_only import WriteOnlyWorksheet
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet

from luoshi.accounts.models import Unit
from luoshi.parsing import ParseError, facts, safezip
from luoshi.plans import services, workdays
from luoshi.plans.models import Indicator, Milestone, Plan, Section, Task
from luoshi.spreadsheets import as_text, text_row

SHEET_TITLE = "任务分解表"
UNITS_SHEET_TITLE = "单位"
ID_HEADER = "任务编号"
# (header, column width in characters)
COLUMNS = [
    ("序号", 6),
    ("任务内容", 42),
    ("牵头单位", 16),
    ("责任单位", 24),
    ("完成时限", 14),
    ("节点", 32),
    ("指标", 28),
    ("所属板块", 22),
    ("来源原文", 50),
    ("原文责任单位", 30),
    (ID_HEADER, 12),
]
HEADERS = [name for name, _width in COLUMNS]
EDITABLE = ["任务内容", "牵头单位", "责任单位", "完成时限", "节点", "指标"]
# Columns an import cannot do without; the rest are for the reader.
REQUIRED_HEADERS = [ID_HEADER, *EDITABLE]
HEADER_ROW = 2
# A 10,000-task sheet is about 1.5 MB; anything near this is not a task sheet.
MAX_BYTES = 20 * 1024 * 1024
SEPARATOR = "、"
LINE_SEPARATOR = "；\n"
DATE_FORMAT = 'yyyy"年"m"月"d"日"'


@dataclass(frozen=True)
class RowError:
    row: int | None  # the row number Excel shows; None for the file as a whole
    column: str
    message: str

    def __str__(self) -> str:
        where = _("Row %(row)s") % {"row": self.row} if self.row else ""
        if self.column:
            where += _("「%(column)s」") % {"column": self.column}
        if not where:
            return self.message
        # "第5行「完成时限」是公式…" reads as one sentence; other messages follow a colon.
        if self.message.startswith("是"):
            return f"{where}{self.message}"
        return _("%(where)s: %(message)s") % {"where": where, "message": self.message}


@dataclass
class SheetImportResult:
    errors: list[RowError] = field(default_factory=list)
    changes: list[str] = field(default_factory=list)
    # Not errors: a due date on a holiday is the supervisor's call.
    warnings: list[str] = field(default_factory=list)
    applied: bool = False
    rows: int = 0


@dataclass(slots=True)
class TaskState:
    """What the sheet shows of a task, read as plain values (no model instances: 10,000 of those cost seconds)."""

    pk: int
    version: int
    title: str
    lead_unit_id: int | None
    due_date: date | None
    start_date: date | None
    section_id: int
    source: str
    unit_text: str
    unmatched_units: list


@dataclass(frozen=True, slots=True)
class IndicatorState:
    name: str
    baseline: Decimal | None
    target: Decimal | None
    unit: str
    target_text: str

    def same_as(self, other: "IndicatorState") -> bool:
        if (self.name, self.target) != (other.name, other.target):
            return False
        if self.target is None:
            # The sheet shows no baseline without a numeric target, so a
            # baseline there is neither read nor dropped.
            return self.target_text == other.target_text
        return (self.baseline, self.unit) == (other.baseline, other.unit)


@dataclass(slots=True)
class TaskRow:
    """One task as the sheet (and the Word attachment) shows it."""

    task: TaskState
    number: int
    title: str
    lead_unit: str
    co_units: str
    due_date: date | None
    milestones: str
    indicators: str
    section: str
    source: str
    stated_units: str
    key: str


# Loading ---------------------------------------------------------------------


@dataclass
class _PlanData:
    tasks: list[TaskState]
    units: dict[int, Unit]
    co_unit_ids: dict[int, list[int]]
    milestones: dict[int, list[tuple[date, str]]]
    indicators: dict[int, list[IndicatorState]]
    section_paths: dict[int, str]


def _plan_data(plan: Plan) -> _PlanData:
    # One query per table, whatever the number of tasks: no IN lists of
    # thousands of ids, no query per row.
    tasks = [
        TaskState(*values)
        for values in Task.objects.filter(plan=plan)
        .order_by(*Task._meta.ordering[1:])
        .values_list("pk", "version", "title", "lead_unit_id", "due_date", "start_date", "measure__section_id",
                     "measure__text", "unit_text", "unmatched_units")
    ]
    units = {unit.pk: unit for unit in Unit.objects.all()}
    order = {pk: index for index, pk in enumerate(units)}
    co_unit_ids: dict[int, list[int]] = {}
    through = Task.co_units.through.objects.filter(task__plan=plan).values_list("task_id", "unit_id")
    for task_id, unit_id in through:
        co_unit_ids.setdefault(task_id, []).append(unit_id)
    for ids in co_unit_ids.values():
        ids.sort(key=order.__getitem__)
    milestones: dict[int, list[tuple[date, str]]] = {}
    rows = Milestone.objects.filter(task__plan=plan).values_list("task_id", "due_date", "title")
    for task_id, when, title in rows:
        milestones.setdefault(task_id, []).append((when, _clean(title)))
    indicators: dict[int, list[IndicatorState]] = {}
    rows = Indicator.objects.filter(task__plan=plan).values_list(
        "task_id", "name", "baseline", "target", "unit", "target_text"
    )
    for task_id, name, baseline, target, unit, target_text in rows:
        state = IndicatorState(_clean(name), baseline, target, unit, _clean(target_text))
        indicators.setdefault(task_id, []).append(state)
    sections = {section.pk: section for section in Section.objects.filter(plan=plan)}
    section_paths: dict[int, str] = {}
    for pk in sections:
        names = []
        section = sections[pk]
        while section is not None:
            names.append(f"{section.label}{section.title}")
            section = sections.get(section.parent_id)
        section_paths[pk] = " / ".join(reversed(names))
    return _PlanData(tasks, units, co_unit_ids, milestones, indicators, section_paths)


def _number(value: Decimal | None) -> str:
    return "" if value is None else format(value.normalize(), "f")


def _clean(text: str) -> str:
    # Text extracted from PDFs can carry control characters that .xlsx
    # cannot hold.
    return ILLEGAL_CHARACTERS_RE.sub("", text).strip()


def stated_units_text(unit_text: str, unmatched: list[str]) -> str:
    """The plan's own responsibility clause, and the names in it that match no unit of the directory."""
    text = _clean(unit_text)
    if unmatched:
        text += _("(not in the unit directory: %(names)s)") % {"names": SEPARATOR.join(unmatched)}
    return text


def milestone_text(when: date, title: str) -> str:
    return f"{when.isoformat()} {title}"


def indicator_text(indicator: IndicatorState) -> str:
    if indicator.target is not None:
        value = _number(indicator.target) + indicator.unit
        if indicator.baseline is not None:
            value = f"{_number(indicator.baseline)}→{value}"
        return f"{indicator.name}：{value}"
    if indicator.target_text:
        return f"{indicator.name}：{indicator.target_text}"
    return indicator.name


def task_sheet_rows(*, plan: Plan) -> list[TaskRow]:
    data = _plan_data(plan)
    return [_task_row(task, number, data) for number, task in enumerate(data.tasks, start=1)]


def _task_row(task: TaskState, number: int, data: _PlanData) -> TaskRow:
    lead = data.units.get(task.lead_unit_id)
    return TaskRow(
        task=task,
        number=number,
        title=_clean(task.title),
        lead_unit=lead.name if lead else "",
        co_units=SEPARATOR.join(data.units[pk].name for pk in data.co_unit_ids.get(task.pk, [])),
        due_date=task.due_date,
        milestones=LINE_SEPARATOR.join(milestone_text(*m) for m in data.milestones.get(task.pk, [])),
        indicators=LINE_SEPARATOR.join(indicator_text(i) for i in data.indicators.get(task.pk, [])),
        section=data.section_paths.get(task.section_id, ""),
        source=_clean(task.source),
        stated_units=stated_units_text(task.unit_text, task.unmatched_units),
        key=f"{task.pk}-v{task.version}",
    )


# Export ----------------------------------------------------------------------


def _style(ws, *, font: Font, locked: bool, fill=None, number_format=None, horizontal=None):
    # openpyxl resolves a style per cell assignment; resolving it once and
    # sharing the resulting style array keeps a 10,000-row export near the
    # speed of writing bare values.
    cell = WriteOnlyCell(ws)
    cell.font = font
    cell.alignment = Alignment(wrap_text=True, vertical="top", horizontal=horizontal)
    cell.protection = Protection(locked=locked)
    thin = Side(style="thin", color="808080")
    cell.border = Border(left=thin, right=thin, top=thin, bottom=thin)
    if fill is not None:
        cell.fill = fill
    if number_format is not None:
        cell.number_format = number_format
    return cell._style


class _CellRowsSheet(WriteOnlyWorksheet):
    """A write-only sheet whose rows are always lists of ready-styled cells.

    openpyxl's own ``append`` first tries each item as a plain value and
    falls back to a cell on the resulting ValueError; for 100,000 cells that
    detour costs more than writing them. Empty cells are kept too, so that
    an empty editable cell is still unlocked.
    """

    def _values_to_row(self, values, row_idx):
        for col_idx, cell in enumerate(values, 1):
            cell.column = col_idx
            cell.row = row_idx
            yield cell


def _cell(ws, value, style):
    cell = WriteOnlyCell(ws, value)
    cell._style = style
    return as_text(cell)


def task_sheet_export(*, plan: Plan) -> bytes:
    rows = task_sheet_rows(plan=plan)
    wb = Workbook(write_only=True)
    ws = _CellRowsSheet(wb, SHEET_TITLE)
    wb._add_sheet(ws)
    units_ws = wb.create_sheet(UNITS_SHEET_TITLE)
    unit_names = list(Unit.objects.filter(is_active=True).values_list("name", flat=True))

    for index, (_name, width) in enumerate(COLUMNS, start=1):
        ws.column_dimensions[get_column_letter(index)].width = width
    id_letter = get_column_letter(HEADERS.index(ID_HEADER) + 1)
    ws.column_dimensions[id_letter].hidden = True
    ws.freeze_panes = f"C{HEADER_ROW + 1}"
    ws.row_dimensions[1].height = 32
    ws.print_title_rows = f"{HEADER_ROW}:{HEADER_ROW}"
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = Worksheet.PAPERSIZE_A4
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    # Locked cells (序号, 所属板块, 来源原文, 任务编号) stay as exported;
    # formatting, resizing and filtering remain allowed. No password: this
    # guards against slips, not people.
    ws.protection.sheet = True
    ws.protection.formatCells = False
    ws.protection.formatColumns = False
    ws.protection.formatRows = False
    ws.protection.autoFilter = False

    last_row = HEADER_ROW + len(rows)
    last_letter = get_column_letter(len(COLUMNS))
    ws.auto_filter.ref = f"A{HEADER_ROW}:{last_letter}{max(last_row, HEADER_ROW)}"
    _add_validations(ws, plan=plan, unit_count=len(unit_names), last_row=last_row)

    body_font = Font(name="仿宋", size=11)
    title_style = _style(ws, font=Font(name="黑体", size=16, bold=True), locked=True)
    header_style = _style(
        ws,
        font=Font(name="黑体", size=11, bold=True),
        locked=True,
        fill=PatternFill("solid", fgColor="D9E1F2"),
        horizontal="center",
    )
    editable = _style(ws, font=body_font, locked=False)
    locked = _style(ws, font=body_font, locked=True)
    number_style = _style(ws, font=body_font, locked=True, horizontal="center")
    date_style = _style(ws, font=body_font, locked=False, number_format=DATE_FORMAT)

    title = _cell(ws, f"{plan.name}{SHEET_TITLE}", title_style)
    title.alignment = Alignment(vertical="center")
    ws.append([title])
    ws.append([_cell(ws, name, header_style) for name in HEADERS])
    for row in rows:
        ws.append(
            [
                _cell(ws, row.number, number_style),
                _cell(ws, row.title, editable),
                _cell(ws, row.lead_unit, editable),
                _cell(ws, row.co_units, editable),
                _cell(ws, row.due_date, date_style),
                _cell(ws, row.milestones, editable),
                _cell(ws, row.indicators, editable),
                _cell(ws, row.section, locked),
                _cell(ws, row.source, locked),
                _cell(ws, row.stated_units, locked),
                _cell(ws, row.key, locked),
            ]
        )

    units_ws.sheet_state = "hidden"
    for name in unit_names:
        units_ws.append(text_row(units_ws, [name]))

    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def _add_validations(ws, *, plan: Plan, unit_count: int, last_row: int) -> None:
    if last_row <= HEADER_ROW:
        return
    first = HEADER_ROW + 1

    def column(header: str) -> str:
        letter = get_column_letter(HEADERS.index(header) + 1)
        return f"{letter}{first}:{letter}{last_row}"

    if unit_count:
        units = f"'{UNITS_SHEET_TITLE}'!$A$1:$A${unit_count}"
        lead = DataValidation(
            type="list",
            formula1=units,
            allow_blank=True,
            showErrorMessage=True,
            errorTitle=_("Unit not in the directory"),
            error=_("Choose a unit name from the drop-down list."),
        )
        lead.add(column("牵头单位"))
        ws.data_validations.append(lead)
        # Several co-units share a cell ("区教育局、区科技局"), which a strict
        # list would refuse: offer the list, do not enforce it here (the
        # import checks every name).
        co = DataValidation(
            type="list",
            formula1=units,
            allow_blank=True,
            showErrorMessage=False,
            promptTitle="责任单位",
            prompt=_("Choose a unit; separate several units with “、”."),
            showInputMessage=True,
        )
        co.add(column("责任单位"))
        ws.data_validations.append(co)
    due = DataValidation(
        type="date",
        operator="between",
        formula1=f"DATE({plan.year - 1},1,1)",
        formula2=f"DATE({plan.year + 10},12,31)",
        allow_blank=True,
        showErrorMessage=True,
        errorTitle=_("Invalid date"),
        error=_("Write a date, such as 2026-06-30 or 2026年6月30日."),
    )
    due.add(column("完成时限"))
    ws.data_validations.append(due)


# Import ----------------------------------------------------------------------


class _SheetRefused(Exception):
    """The file as a whole cannot be read as a task sheet."""


_DATE_TEXT = re.compile(r"^\s*(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?\s*$")
_MILESTONE = re.compile(
    r"^\s*(?P<date>\d{4}\s*[-/.年]\s*\d{1,2}\s*[-/.月]\s*\d{1,2}\s*日?)\s*(?:之?前)?\s*[：:，,]?\s*(?P<title>.*?)\s*$"
)
_NUMBER = r"[-+]?\d+(?:\.\d+)?"
_INDICATOR = re.compile(
    rf"^(?P<name>[^：:]+?)\s*[：:]\s*(?:(?P<baseline>{_NUMBER})\s*(?:→|->|—>|－>)\s*)?(?P<target>{_NUMBER})\s*(?P<unit>\S.*?)?\s*$"
)
_INDICATOR_TEXT = re.compile(r"^(?P<name>[^：:]+?)\s*[：:]\s*(?P<text>.*?)\s*$")
_LINES = re.compile(r"\s*[；;\n]+\s*")
_UNIT_SPLIT = re.compile(r"[、，,；;/\s]+")
_KEY = re.compile(r"^\s*(\d+)(?:\s*-\s*v(\d+))?\s*$", re.IGNORECASE)
_MERGE = re.compile(rb'<(?:\w+:)?mergeCell\s+ref="([A-Z]+)(\d+)(?::([A-Z]+)(\d+))?"')
# Excel serial numbers of 2000-01-01 and 2099-12-31: a bare number in that
# range in a date column is a date that lost its format.
_SERIAL_RANGE = (36526, 73050)


def _parse_date(value) -> date:
    """A date from a cell: a real date, an Excel serial number, or text such as 2026年6月30日."""
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        if _SERIAL_RANGE[0] <= value <= _SERIAL_RANGE[1]:
            return from_excel(value).date()
        raise ValueError(_("“%(value)s” is not a date") % {"value": value})
    match = _DATE_TEXT.match(str(value))
    if not match:
        raise ValueError(_("“%(value)s” is not a date; write it as 2026-06-30 or 2026年6月30日") % {"value": value})
    year, month, day = map(int, match.groups())
    try:
        return date(year, month, day)
    except ValueError:
        raise ValueError(_("“%(value)s” is not a valid date") % {"value": value}) from None


def _decimal(text: str | None) -> Decimal | None:
    if text is None:
        return None
    value = Decimal(text)
    # Indicator columns hold 16 digits with 4 decimal places.
    if value != value.quantize(Decimal("0.0001")) or abs(value) >= Decimal("1e12"):
        raise InvalidOperation(text)
    return value


def _parse_indicator(line: str) -> IndicatorState:
    match = _INDICATOR.match(line)
    if match:
        name, unit = match["name"].strip(), (match["unit"] or "").strip()
        try:
            baseline, target = _decimal(match["baseline"]), _decimal(match["target"])
        except InvalidOperation:
            raise ValueError(_("The numbers in “%(line)s” have at most 4 decimal places") % {"line": line}) from None
        value_text = line.split("：", 1)[-1] if "：" in line else line.split(":", 1)[-1]
        return IndicatorState(name, baseline, target, unit, value_text.strip())
    match = _INDICATOR_TEXT.match(line)
    if match:
        return IndicatorState(match["name"], None, None, "", match["text"])
    return IndicatorState(line.strip(), None, None, "", "")


def _check_length(value: str, limit: int, what: str) -> None:
    if len(value) > limit:
        raise ValueError(
            _("%(what)s must not exceed %(limit)s characters (it has %(count)s)")
            % {"what": what, "limit": limit, "count": len(value)}
        )


class _UnitDirectory:
    """Unit names as people write them: full name, short name, or an alias."""

    def __init__(self, units: dict[int, Unit]):
        self.by_name: dict[str, Unit] = {}
        self.others: dict[str, list[Unit]] = {}
        for unit in units.values():
            self.by_name[unit.name] = unit
        for unit in units.values():
            for other in {unit.short_name, *(unit.aliases or [])}:
                other = (other or "").strip()
                if other and other not in self.by_name:
                    self.others.setdefault(other, []).append(unit)

    def find(self, name: str) -> Unit:
        unit = self.by_name.get(name)
        if unit is not None:
            return unit
        candidates = self.others.get(name, [])
        active = [unit for unit in candidates if unit.is_active] or candidates
        if len(active) == 1:
            return active[0]
        if not active:
            raise ValueError(_("No unit “%(name)s”; use a name from the unit directory") % {"name": name})
        names = SEPARATOR.join(unit.name for unit in active)
        raise ValueError(_("“%(name)s” could be %(names)s; write the full name") % {"name": name, "names": names})


@dataclass
class _RowIn:
    row: int
    task: TaskState
    version: int | None
    title: str
    lead: Unit | None
    co: list[Unit]
    due: date | None
    milestones: list[tuple[date, str]]
    indicators: list[IndicatorState]


def sheet_size_error(size: int) -> str | None:
    """The refusal for a file of ``size`` bytes, checked before anything reads it."""
    if size <= MAX_BYTES:
        return None
    return _(
        "The file is %(size)s MB, over the task sheet's limit of %(limit)s MB; "
        "check that it is a task sheet exported from this system"
    ) % {"size": f"{size / 1024 / 1024:.1f}", "limit": MAX_BYTES // 1024 // 1024}


def _open_workbook(data: bytes):
    too_big = sheet_size_error(len(data))
    if too_big:
        raise _SheetRefused(too_big)
    if not data:
        raise _SheetRefused(_("The file is empty"))
    if data[:8] == b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1":
        raise _SheetRefused(
            _("Not a valid Excel file: this is an old Office file (.doc or .xls); save it as .xlsx in Excel or WPS, then import it")
        )
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        names = set(archive.namelist())
    except zipfile.BadZipFile:
        raise _SheetRefused(_("Not a valid Excel file (.xlsx)")) from None
    if "xl/workbook.xml" not in names:
        if "word/document.xml" in names:
            raise _SheetRefused(_("Not a valid Excel file: this is a Word document, not an .xlsx sheet"))
        raise _SheetRefused(_("Not a valid Excel file: this is a zip archive, not an .xlsx sheet"))
    try:
        safezip.check(data)
    except ParseError as exc:
        raise _SheetRefused(str(exc).removesuffix("。")) from None
    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=False)
    except Exception as exc:  # openpyxl raises many kinds on a damaged file
        raise _SheetRefused(_("Not a valid Excel file (.xlsx), it cannot be read: %(error)s") % {"error": exc}) from None
    return archive, workbook


def _pick_sheet(workbook):
    if SHEET_TITLE in workbook.sheetnames:
        return workbook[SHEET_TITLE]
    visible = [ws for ws in workbook.worksheets if ws.sheet_state == "visible"]
    if not visible:
        raise _SheetRefused(_("The file has no worksheet"))
    return visible[0]


def _cell_text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


def _find_header(rows: list[tuple[int, list]]) -> tuple[int, dict[str, int]]:
    best: tuple[int, dict[str, int]] | None = None
    for row_number, cells in rows:
        found = {}
        for index, cell in enumerate(cells):
            text = re.sub(r"\s+", "", _cell_text(cell.value))
            if text in HEADERS and text not in found:
                found[text] = index
        if len(found) >= 2 and (best is None or len(found) > len(best[1])):
            best = (row_number, found)
    if best is None:
        raise _SheetRefused(
            _("No header row: none of the first 10 rows has column names such as 「任务内容」「牵头单位」. "
              "Use a task sheet exported from this system")
        )
    missing = [name for name in REQUIRED_HEADERS if name not in best[1]]
    if missing:
        raise _SheetRefused(
            _("The header in row %(row)s lacks the column %(columns)s. This is not a task sheet exported from this "
              "system, or its column names were changed; export it again and edit that")
            % {"row": best[0], "columns": "、".join(f"「{name}」" for name in missing)}
        )
    return best


def _merged_ranges(archive: zipfile.ZipFile, ws, header_row: int) -> list[str]:
    # Read-only worksheets do not expose merged cells; they sit at the end
    # of the sheet's XML.
    path = ws._worksheet_path.lstrip("/")
    xml = archive.read(path)
    ranges = []
    for start_col, start_row, end_col, end_row in _MERGE.findall(xml):
        if int(end_row or start_row) > header_row:
            end = f":{end_col.decode()}{end_row.decode()}" if end_col else ""
            ranges.append((int(start_row), f"{start_col.decode()}{start_row.decode()}{end}"))
    return [_("%(ref)s (from row %(row)s)") % {"ref": ref, "row": row} for row, ref in sorted(ranges)]


def task_sheet_import(*, plan: Plan, data: bytes, actor, dry_run: bool) -> SheetImportResult:
    """Check an edited task sheet against the plan and, if every row is valid and not ``dry_run``, apply it."""
    result = SheetImportResult()
    try:
        archive, workbook = _open_workbook(data)
        ws = _pick_sheet(workbook)
        ws.reset_dimensions()  # sheets written by other programs often misstate their size
        rows = ws.iter_rows()
        head = []
        for row_number, cells in enumerate(rows, start=1):
            head.append((row_number, list(cells)))
            if row_number == 10:
                break
        header_row, columns = _find_header(head)
        merged = _merged_ranges(archive, ws, header_row)
        if merged:
            raise _SheetRefused(
                _("The sheet has merged cells: %(cells)s. Unmerge them, one task per row, then import")
                % {"cells": "、".join(merged)}
            )
    except _SheetRefused as refusal:
        result.errors.append(RowError(None, "", str(refusal)))
        return result

    data_rows = [item for item in head if item[0] > header_row]
    data_rows_iter = ((number, list(cells)) for number, cells in enumerate(rows, start=len(head) + 1))
    plan_data = _plan_data(plan)
    # What an unedited row holds, to recognise one without parsing it.
    tasks = {task.pk: _task_row(task, 0, plan_data) for task in plan_data.tasks}
    directory = _UnitDirectory(plan_data.units)
    seen: dict[int, int] = {}
    parsed: list[_RowIn] = []
    for source in (data_rows, data_rows_iter):
        for row_number, cells in source:
            row_in = _read_row(row_number, cells, columns, plan, tasks, directory, seen, result)
            if row_in is not None:
                parsed.append(row_in)
    workbook.close()

    pending = []
    for row_in in parsed:
        diff = _diff(row_in, plan_data)
        if not diff:
            continue
        if row_in.version is not None and row_in.version != row_in.task.version:
            result.errors.append(
                RowError(
                    row_in.row,
                    ID_HEADER,
                    _("Task %(task)s was changed in the system after the export (version %(exported)s when exported, "
                      "now version %(now)s). Export again and edit the new sheet")
                    % {"task": row_in.task.pk, "exported": row_in.version, "now": row_in.task.version},
                )
            )
            continue
        pending.append((row_in, diff))
        changed = "；".join(f"{label} “{before}” → “{after}”" for label, before, after in diff.values())
        result.changes.append(
            _("Row %(row)s (task %(task)s): %(changes)s") % {"row": row_in.row, "task": row_in.task.pk, "changes": changed}
        )
        if "due" in diff and row_in.due and not workdays.is_workday(row_in.due):
            name = workdays.day_name(row_in.due) or _("weekend")
            result.warnings.append(
                _("Row %(row)s: the due date %(due)s is not a working day (%(name)s)")
                % {"row": row_in.row, "due": row_in.due.isoformat(), "name": name}
            )

    if result.errors or dry_run or not pending:
        return result
    error = _apply(pending, plan_data, actor, plan)
    if error is not None:
        result.errors.append(error)
        return result
    result.applied = True
    return result


def _read_row(row_number, cells, columns, plan, tasks, directory, seen, result) -> _RowIn | None:
    values = {}
    formulas = []
    for name, index in columns.items():
        cell = cells[index] if index < len(cells) else None
        values[name] = getattr(cell, "value", None)
        if getattr(cell, "data_type", None) == "f":
            formulas.append(name)
    texts = {name: _cell_text(value) for name, value in values.items()}
    if not any(texts.values()):
        return None
    result.rows += 1
    errors_before = len(result.errors)

    def error(column: str, message: str) -> None:
        result.errors.append(RowError(row_number, column, message))

    if formulas:
        for name in formulas:
            error(name, _("is a formula; paste it as a value"))
        return None

    key = texts[ID_HEADER]
    match = _KEY.match(key)
    if not key:
        error(ID_HEADER, _("The task number is missing. For a new task, split the measure in the system and export again"))
        return None
    if not match:
        error(ID_HEADER, _("“%(key)s” is not a task number") % {"key": key})
        return None
    pk, version = int(match[1]), int(match[2]) if match[2] else None
    shown = tasks.get(pk)
    if shown is None:
        if Task.objects.filter(pk=pk).exists():
            error(ID_HEADER, _("Task %(task)s is not in the plan “%(plan)s”; check the plan and the file chosen")
                  % {"task": pk, "plan": plan.name})
        else:
            error(ID_HEADER, _("Task %(task)s does not exist (it may have been deleted or merged)") % {"task": pk})
        return None
    if pk in seen:
        error(ID_HEADER, _("Task %(task)s is already in row %(row)s; each task takes one row only")
              % {"task": pk, "row": seen[pk]})
        return None
    seen[pk] = row_number
    if _unedited(values, texts, shown):
        return None
    task = shown.task

    title = texts["任务内容"]
    if not title:
        error("任务内容", _("must not be empty"))
    else:
        try:
            _check_length(title, Task._meta.get_field("title").max_length, "任务内容")
        except ValueError as exc:
            error("任务内容", str(exc))

    lead = None
    lead_name = texts["牵头单位"]
    if lead_name:
        try:
            lead = directory.find(lead_name)
        except ValueError as exc:
            error("牵头单位", str(exc))
    elif task.lead_unit_id:
        error("牵头单位", _("must not be empty"))

    co = []
    for name in _UNIT_SPLIT.split(texts["责任单位"]):
        if not name:
            continue
        try:
            unit = directory.find(name)
        except ValueError as exc:
            error("责任单位", str(exc))
            continue
        if lead is not None and unit.pk == lead.pk:
            error("责任单位", _("“%(name)s” is the lead unit and cannot be a co-unit too") % {"name": name})
        elif unit not in co:
            co.append(unit)

    due = None
    if texts["完成时限"]:
        try:
            due = _parse_date(values["完成时限"])
        except ValueError as exc:
            error("完成时限", str(exc))
    elif task.due_date:
        error("完成时限", _("must not be empty"))
    if due and task.start_date and due < task.start_date:
        error("完成时限", _("%(due)s is before the task's start date %(start)s")
                  % {"due": due.isoformat(), "start": task.start_date.isoformat()})

    milestones = []
    for line in _LINES.split(texts["节点"]):
        if not line:
            continue
        found = _MILESTONE.match(line)
        if found:
            try:
                when = _parse_date(found["date"].strip())
            except ValueError as exc:
                error("节点", str(exc))
                continue
            what = found["title"]
        else:
            worded = _milestone_in_words(line, plan.year)
            if worded is None:
                error("节点", _("“%(line)s” should start with a date or a time limit, such as “2026-06-30 完成方案” "
                              "or “6月底前 完成方案”") % {"line": line})
                continue
            when, what = worded
        if not what:
            error("节点", _("“%(line)s” lacks what the milestone is") % {"line": line})
            continue
        try:
            _check_length(what, Milestone._meta.get_field("title").max_length, _("Milestone text"))
        except ValueError as exc:
            error("节点", str(exc))
            continue
        milestones.append((when, what))

    indicators = []
    for line in _LINES.split(texts["指标"]):
        if not line:
            continue
        try:
            indicator = _parse_indicator(line)
            _check_length(indicator.name, Indicator._meta.get_field("name").max_length, _("Indicator name"))
            _check_length(indicator.unit, Indicator._meta.get_field("unit").max_length, _("Unit of measure"))
            _check_length(indicator.target_text, Indicator._meta.get_field("target_text").max_length, _("Target value"))
        except ValueError as exc:
            error("指标", str(exc))
            continue
        if any(other.name == indicator.name for other in indicators):
            error("指标", _("The indicator “%(name)s” appears twice") % {"name": indicator.name})
            continue
        indicators.append(indicator)

    if len(result.errors) > errors_before:
        return None
    return _RowIn(row_number, task, version, title, lead, co, due, sorted(milestones), indicators)


def _milestone_in_words(line: str, year: int) -> tuple[date, str] | None:
    """A milestone line that opens with a time limit in a plan's words (6月底前, 三季度, 年底前 …).

    Read as the parser reads deadlines in the plan's year (luoshi.parsing.facts), the date its
    last day moved back to a working day, as an import dates a task: (date, what is due).
    """
    line = line.strip()
    found = facts.deadline(line, year)
    if found is None or found.kind not in ("by", "during") or not line.startswith(found.text):
        return None
    return workdays.workday_on_or_before(found.end), line[len(found.text):].lstrip(" \u3000：:，,")


def _unedited(values: dict, texts: dict[str, str], shown: TaskRow) -> bool:
    """True when every editable cell still holds exactly what the export wrote for the task as it is now."""
    due = values["完成时限"]
    if isinstance(due, datetime):
        due = due.date()
    return (
        due == shown.due_date
        and texts["任务内容"] == shown.title
        and texts["牵头单位"] == shown.lead_unit
        and texts["责任单位"] == shown.co_units
        and texts["节点"] == shown.milestones
        and texts["指标"] == shown.indicators
    )


def _diff(row_in: _RowIn, data: _PlanData) -> dict[str, tuple[str, str, str]]:
    """What the row changes: {field: (column, before, after)} in the sheet's own words."""
    task = row_in.task
    diff = {}
    if row_in.title != _clean(task.title):
        diff["title"] = ("任务内容", task.title, row_in.title)
    lead_id = row_in.lead.pk if row_in.lead else None
    if lead_id != task.lead_unit_id:
        before = data.units[task.lead_unit_id].name if task.lead_unit_id else ""
        diff["lead"] = ("牵头单位", before, row_in.lead.name if row_in.lead else "")
    current_co = data.co_unit_ids.get(task.pk, [])
    if {unit.pk for unit in row_in.co} != set(current_co):
        before = SEPARATOR.join(data.units[pk].name for pk in current_co)
        diff["co"] = ("责任单位", before, SEPARATOR.join(unit.name for unit in row_in.co))
    if row_in.due != task.due_date:
        before = task.due_date.isoformat() if task.due_date else ""
        diff["due"] = ("完成时限", before, row_in.due.isoformat() if row_in.due else "")
    current_milestones = data.milestones.get(task.pk, [])
    if row_in.milestones != current_milestones:
        diff["milestones"] = (
            "节点",
            "；".join(milestone_text(*m) for m in current_milestones),
            "；".join(f"{when.isoformat()} {title}" for when, title in row_in.milestones),
        )
    current_indicators = data.indicators.get(task.pk, [])
    if len(row_in.indicators) != len(current_indicators) or not all(
        new.same_as(old) for new, old in zip(row_in.indicators, current_indicators)
    ):
        diff["indicators"] = (
            "指标",
            "；".join(indicator_text(i) for i in current_indicators),
            "；".join(indicator_text(i) for i in row_in.indicators),
        )
    return diff


def _changes(row_in: _RowIn, diff: dict, data: _PlanData) -> dict:
    """The row's edits in the shape ``services.task_update`` takes."""
    changes = {}
    if "title" in diff:
        changes["title"] = row_in.title
    if "lead" in diff:
        changes["lead_unit"] = row_in.lead
    if "co" in diff:
        changes["co_units"] = row_in.co
    if "due" in diff:
        changes["due_date"] = row_in.due
    if "milestones" in diff:
        old = [(m.pk, (m.due_date, _clean(m.title))) for m in Milestone.objects.filter(task_id=row_in.task.pk)]
        ids = _continued(row_in.milestones, old, keys=(lambda _i, m: m[1], lambda _i, m: m[0]))
        changes["milestones"] = [
            {"id": pk, "title": title, "due_date": when} for pk, (when, title) in zip(ids, row_in.milestones)
        ]
    if "indicators" in diff:
        # Same order as _plan_data read them: the task's rows by position.
        pks = Indicator.objects.filter(task_id=row_in.task.pk).values_list("pk", flat=True)
        old = list(zip(pks, data.indicators.get(row_in.task.pk, [])))
        ids = _continued(row_in.indicators, old, keys=(lambda _i, state: state.name, lambda i, _state: i))
        current = dict(old)
        changes["indicators"] = []
        for pk, new in zip(ids, row_in.indicators):
            old_state = current.get(pk)
            # An indicator the row leaves alone keeps what the sheet does not
            # show (a baseline without a numeric target).
            source = old_state if old_state is not None and new.same_as(old_state) else new
            changes["indicators"].append(
                {
                    "id": pk,
                    "name": new.name,
                    "unit": source.unit,
                    "baseline": source.baseline,
                    "target": source.target,
                    "target_text": source.target_text,
                }
            )
    return changes


def _continued(new: list, old: list[tuple[int, object]], *, keys) -> list[int | None]:
    """For each row read from the sheet, the id of the existing row it continues, or None for a new row.

    The sheet carries no row ids, and progress reports point at the rows, so
    they are matched: first by the first key (the name), then, among rows
    still unmatched, by the second (a milestone's date, an indicator's place
    in the cell), which takes a renamed row for the same one.
    """
    ids: list[int | None] = [None] * len(new)
    taken: set[int] = set()
    for key in keys:
        for i, row in enumerate(new):
            if ids[i] is not None:
                continue
            wanted = key(i, row)
            match = next((pk for j, (pk, item) in enumerate(old) if pk not in taken and key(j, item) == wanted), None)
            if match is not None:
                ids[i] = match
                taken.add(match)
    return ids


def _apply(pending: list[tuple[_RowIn, dict]], data: _PlanData, actor, plan: Plan) -> RowError | None:
    """Apply every row or none; the first row that fails is returned as the error."""
    rows = {row_in.task.pk: row_in for row_in, _diff in pending}
    try:
        with transaction.atomic():
            services.tasks_update_bulk(
                plan=plan,
                changes_by_task={row_in.task.pk: _changes(row_in, diff, data) for row_in, diff in pending},
                versions={pk: row_in.task.version for pk, row_in in rows.items()},
                actor=actor,
            )
    except services.StaleEdit as exc:
        current = rows[exc.task.pk]
        return RowError(current.row, ID_HEADER, _("Task %(task)s was just changed by someone else; nothing was imported. Export again and retry")
                        % {"task": current.task.pk})
    except services.TaskEditInvalid as exc:
        current = rows[exc.task_id]
        return RowError(current.row, "", _("%(errors)s. Nothing was imported") % {"errors": "；".join(exc.messages)})
    return None
