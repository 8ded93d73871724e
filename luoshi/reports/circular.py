"""The monthly 通报 (circular): the cockpit's figures as an official document laid out to GB/T 9704-2012.

docs/circular.md describes the document section by section. In short:

- the page, fonts and page numbers of GB/T 9704-2012 (luoshi.documents),
  the page numbers one character in from the edge of the text;
- 版头: the office's name (LUOSHI_ORG_NAME + 督查室) in red 方正小标宋简体,
  the 发文字号 ("南湖督通〔2018〕5号") centred under it, and a red rule;
- the title in 方正小标宋简体 二号, centred; the body in 仿宋_GB2312 三号 at a
  fixed 28 pt line spacing, level-1 headings (一、) in 黑体 and level-2
  headings ((一)) in 楷体_GB2312;
- the figures (overall progress, lights, parts), charts as images, the red
  and yellow lists with their reasons, the units praised and those named
  for lagging, then the 附件: every task with its light and percent.

The figures come from ``luoshi.reports.selectors.cockpit_data`` read as the
office (every task), so the document's numbers are the cockpit's. They are
the live figures on the day of issue; the period names the cycle the
circular speaks of, and its ranking stops at that period. The trend (its
sentence and its chart) runs over the periods up to that one and ends with
the day of issue, whose figures are the headline's: one source, one set of
numbers.
"""
from __future__ import annotations

import io
import logging
import re
import shutil
import subprocess
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt, RGBColor
from django_tasks.base import TaskResultStatus
from docx.table import _Cell

from luoshi import documents as layout
from luoshi.jobs import live_job_args
from luoshi.accounts.models import Role, User
from luoshi.documents import (
    BODY_FONT,
    FIRST_LINE_INDENT,
    HEADING_FONT,
    RED,
    SIZE_2,
    SIZE_3,
    TITLE_FONT,
    TITLE_LINE_SPACING,
    cell_text,
    chinese_date,
    grid_table,
    repeat_header,
)
from luoshi.plans.models import Plan, Task
from luoshi.plans.services import SEED_PLAN_NAME
from luoshi.reports import charts
from luoshi.reports.models import Circular, GeneratedDocument
from luoshi.reports.selectors import CockpitData, DrillFilter, Group, cockpit_data, drill_tasks
from luoshi.tracking import periods as tracking_periods
from luoshi.tracking.assessment import UnitScore, assessment_rank
from luoshi.tracking.ladder import circular_steps_record
from luoshi.tracking.models import ReportingPeriod
from luoshi.tracking.notices import notice_prefix

logger = logging.getLogger(__name__)

KAI_FONT = "楷体_GB2312"
BODY_LINE_SPACING = Pt(28)
LIGHT_NAMES = {"green": "绿灯", "yellow": "黄灯", "red": "红灯"}
CHINESE_NUMERALS = "一二三四五六七八九十"
PRAISED_TOP = 3
# Columns of the 附件 table and their widths in mm (the text block is 156 mm wide).
APPENDIX_COLUMNS = [("序号", 10), ("任务", 66), ("牵头单位", 30), ("完成时限", 24), ("灯色", 12), ("进度", 14)]
# The steps a background generation reports: figures, charts, body, appendix, file;
# a PDF takes one more, the conversion.
STEPS = 5
_MONTH = re.compile(r"^(\d{4})-(\d{1,2})$")
_PART_NUMBER = re.compile(r"^[一二三四五六七八九十]+、")


class CircularError(ValueError):
    """A circular cannot be made as asked (no such period, no period ended yet, no converter).

    The message is shown as it is to the office, on the page and by ``luoshi report``: it is translated.
    """


def _no_pdf() -> CircularError:
    return CircularError(_("PDF needs LibreOffice (soffice), which is not installed; the .docx is available."))


# ── Which period, which number ───────────────────────────────────────────


def circular_period(*, plan: Plan, spec: str, today: date | None = None) -> ReportingPeriod:
    """The period named by ``spec``: "latest" (the last one that has ended) or a month "2018-05"."""
    today = today or tracking_periods.today()
    periods = tracking_periods.periods_ensure(plan=plan, until=today)
    if spec == "latest":
        ended = tracking_periods.current_period(periods=periods, today=today)
        if ended is None:
            raise CircularError(_("No reporting period of plan “%(plan)s” has ended by %(today)s.")
                                % {"plan": plan.name, "today": date_format(today)})
        return ended
    match = _MONTH.match(spec)
    if not match or not 1 <= int(match.group(2)) <= 12:
        raise CircularError(_("“%(spec)s” is neither “latest” nor a month written YYYY-MM.") % {"spec": spec})
    first = date(int(match.group(1)), int(match.group(2)), 1)
    for period in periods:
        if period.start <= first <= period.end:
            return period
    raise CircularError(_("Plan “%(plan)s” has no reporting period containing %(month)s by %(today)s.")
                        % {"plan": plan.name, "month": spec, "today": date_format(today)})


def circular_prefix() -> str:
    """"南湖督通": the office's short name as on its notices (南湖督), and 通 for 通报."""
    return f"{notice_prefix()}通"


def circular_register(*, plan: Plan, period: ReportingPeriod, today: date | None = None) -> Circular:
    """The circular's number: the one it already has, or the next of the year of issue.

    Regenerating a period's circular keeps its number. Two supervisors
    issuing at once cannot take the same serial: it is unique, and the one
    who loses the race takes the next.
    """
    existing = Circular.objects.filter(plan=plan, period=period).first()
    if existing is not None:
        return existing
    issued_on = today or tracking_periods.today()
    for _attempt in range(5):
        serial = (Circular.objects.filter(year=issued_on.year).aggregate(m=Max("serial"))["m"] or 0) + 1
        try:
            with transaction.atomic():
                return Circular.objects.create(
                    plan=plan, period=period, year=issued_on.year, serial=serial, issued_on=issued_on,
                    number=f"{circular_prefix()}〔{issued_on.year}〕{serial}号",
                )
        except IntegrityError:
            existing = Circular.objects.filter(plan=plan, period=period).first()
            if existing is not None:
                return existing
    raise CircularError(_("Could not allocate a circular number; please try again."))


# ── The figures ──────────────────────────────────────────────────────────


@dataclass
class TaskLine:
    title: str
    lead_unit: str
    due: date | None
    light: str
    percent: int
    reasons: list[str]
    task_id: int | None = None


@dataclass
class TrendLine:
    label: str  # as the chart writes it: "3月", "7月10日"
    lights: dict[str, int]
    percent: Decimal | None
    said: str  # as the sentence says it: "2018年3月", "2018年7月10日"


@dataclass
class CircularData:
    plan: Plan
    period: ReportingPeriod
    circular: Circular
    cockpit: CockpitData
    tasks: list[TaskLine]
    red: list[TaskLine]
    yellow: list[TaskLine]
    ranking: list[UnitScore]
    trend: list  # the cockpit's TrendPoints up to the period

    @property
    def trend_lines(self) -> list[TrendLine]:
        """The trend the sentence and the chart both tell: the lights at the end of each period up to
        the circular's, then today's, which are the headline's figures, so the three cannot disagree."""
        lines = [
            TrendLine(p.period.label.removeprefix(f"{p.period.start.year}年"), p.lights, p.percent, p.period.label)
            for p in self.trend
        ]
        today = self.cockpit.today
        lines.append(TrendLine(f"{today.month}月{today.day}日", self.cockpit.lights, self.cockpit.percent,
                               chinese_date(today)))
        return lines

    @property
    def completed(self) -> int:
        return sum(1 for t in self.tasks if t.light == "green" and t.percent == 100)

    @property
    def praised(self) -> list[UnitScore]:
        return [s for s in self.ranking if s.rank <= PRAISED_TOP]

    @property
    def all_green_units(self) -> list[Group]:
        return sorted(
            (g for g in self.cockpit.units if g.tasks and g.lights["green"] == g.tasks), key=lambda g: g.label
        )

    @property
    def lagging_units(self) -> list[Group]:
        """Units leading a red task, most red first (the cockpit's order of concern)."""
        return [g for g in self.cockpit.units if g.lights["red"]]


def office_reader() -> User:
    """The reader a circular is written for: the office, which sees every task and the ranking.

    An unsaved user: the command line has no one logged in, and a circular
    must not depend on which supervisor pressed the button.
    """
    return User(username="circular", role=Role.SUPERVISOR, is_active=True)


def _line(task: Task) -> TaskLine:
    track = getattr(task, "track", None)
    reasons = [r["text"] for r in (track.reasons if track else [])] if task.shown_light != "green" else []
    due = (track.effective_due if track else None) or task.due_date
    return TaskLine(
        title=task.title,
        lead_unit=task.lead_unit.name if task.lead_unit else "—",
        due=due,
        light=task.shown_light or "green",
        percent=task.shown_percent,
        reasons=reasons,
        task_id=task.pk,
    )


def circular_data(*, plan: Plan, period: ReportingPeriod, today: date | None = None) -> CircularData:
    today = today or tracking_periods.today()
    reader = office_reader()
    cockpit = cockpit_data(plan=plan, visible_to=reader, today=today)
    tasks = drill_tasks(plan=plan, visible_to=reader, filters=DrillFilter()).order_by(
        "measure__position", "position", "pk"
    )
    lines = [_line(task) for task in tasks]
    if cockpit.ranking_period is not None and cockpit.ranking_period.pk == period.pk:
        ranking = cockpit.ranking
    else:
        ranking = assessment_rank(plan=plan, period=period)
    return CircularData(
        plan=plan,
        period=period,
        circular=circular_register(plan=plan, period=period, today=today),
        cockpit=cockpit,
        tasks=lines,
        red=[t for t in lines if t.light == "red"],
        yellow=[t for t in lines if t.light == "yellow"],
        ranking=ranking,
        trend=[p for p in cockpit.trend if p.period.start <= period.start],
    )


# ── Layout helpers ───────────────────────────────────────────────────────


def _unnumbered(label: str) -> str:
    """A part's title without its "一、": inside the circular's own numbered headings it would read as one of them."""
    return _PART_NUMBER.sub("", label)


def _percent(value: Decimal | int | None) -> str:
    return "—" if value is None else f"{value}%"


def _paragraph(document, text: str = "", font: str = BODY_FONT, size=SIZE_3, *, spacing=BODY_LINE_SPACING, **options):
    # The circular's lines are exactly 28 pt unless a caller asks for single spacing.
    return layout.paragraph(document, text, font, size, spacing=spacing, **options)


def _body(document, text: str):
    return _paragraph(document, text, indent=FIRST_LINE_INDENT)


def _heading(document, number: int, text: str):
    return _paragraph(document, f"{CHINESE_NUMERALS[number - 1]}、{text}", HEADING_FONT, indent=FIRST_LINE_INDENT)


def _subheading(document, number: int, text: str):
    return _paragraph(document, f"（{CHINESE_NUMERALS[number - 1]}）{text}", KAI_FONT, indent=FIRST_LINE_INDENT)


def _picture(document, png: bytes, width=Mm(140)) -> None:
    # Single spacing: a picture in a paragraph of exact 28 pt lines would be cut to one line.
    paragraph = _paragraph(document, align=WD_ALIGN_PARAGRAPH.CENTER, spacing=None)
    paragraph.add_run().add_picture(io.BytesIO(png), width=width)


def _new_document(data: CircularData):
    document = layout.official_document(_title(data))
    document.core_properties.author = f"{settings.LUOSHI_ORG_NAME}督查室"
    layout.number_pages(document, one_character_in=True)
    return document


def _title(data: CircularData) -> str:
    return f"关于《{data.plan.name}》{data.period.label}推进情况的通报"


# ── The document, part by part ───────────────────────────────────────────


def _overall(document, data: CircularData, chart_pngs: dict[str, bytes]) -> None:
    cockpit = data.cockpit
    lights = cockpit.lights
    _heading(document, 1, "总体情况")
    share = f"，占{round(lights['green'] * 100 / cockpit.tasks)}%" if cockpit.tasks else ""
    _body(
        document,
        f"《{data.plan.name}》共分解任务{cockpit.tasks}项，截至{chinese_date(cockpit.today)}，"
        f"总体进度{_percent(cockpit.percent)}。其中，绿灯（按计划推进）{lights['green']}项{share}，"
        f"黄灯（进度滞后）{lights['yellow']}项，红灯（严重滞后）{lights['red']}项；已办结销号{data.completed}项。",
    )
    _subheading(document, 1, "分板块推进情况")
    for part in cockpit.parts:
        _body(
            document,
            f"{_unnumbered(part.label)}：任务{part.tasks}项，总体进度{_percent(part.percent)}，"
            f"绿灯{part.lights['green']}项、黄灯{part.lights['yellow']}项、红灯{part.lights['red']}项。",
        )
    if "parts" in chart_pngs:
        _picture(document, chart_pngs["parts"])
    _subheading(document, 2, "灯色分布及趋势")
    lines = data.trend_lines
    if len(lines) >= 2:
        first, last = lines[0], lines[-1]
        _body(
            document,
            f"{first.said}末至{last.said}，红灯任务由{first.lights['red']}项变为{last.lights['red']}项，"
            f"黄灯任务由{first.lights['yellow']}项变为{last.lights['yellow']}项，"
            f"总体进度{_movement(first.percent, last.percent)}。",
        )
    else:
        _body(document, f"本期绿灯{lights['green']}项、黄灯{lights['yellow']}项、红灯{lights['red']}项。")
    if "lights" in chart_pngs:
        _picture(document, chart_pngs["lights"], width=Mm(95))
    if "trend" in chart_pngs:
        _picture(document, chart_pngs["trend"])


def _movement(before: Decimal | None, after: Decimal | None) -> str:
    """"由40%提高到55%", "由55%降至50%", "保持50%": the sentence says which way it went."""
    if before is None or after is None:
        return f"为{_percent(after)}"
    if before == after:
        return f"保持{_percent(after)}"
    return f"由{_percent(before)}{'提高到' if after > before else '降至'}{_percent(after)}"


def _task_list(document, tasks: list[TaskLine], empty: str) -> None:
    if not tasks:
        _body(document, empty)
    for number, task in enumerate(tasks, start=1):
        reasons = "；".join(task.reasons) or "进度滞后"
        _body(document, f"{number}. {task.title}（牵头单位：{task.lead_unit}，进度{task.percent}%）。{reasons}。")


def _problems(document, data: CircularData) -> None:
    _heading(document, 2, "存在的主要问题")
    _subheading(document, 1, f"红灯任务（{len(data.red)}项）")
    _task_list(document, data.red, "本期无红灯任务。")
    _subheading(document, 2, f"黄灯任务（{len(data.yellow)}项）")
    _task_list(document, data.yellow, "本期无黄灯任务。")


def _units(document, data: CircularData) -> None:
    _heading(document, 3, "表扬和通报")
    _subheading(document, 1, "予以表扬")
    if data.praised:
        names = "、".join(f"{s.unit.name}（{s.score}分）" for s in data.praised)
        _body(document, f"{data.period.label}考核排名前列的单位：{names}。")
    praised = {s.unit.name for s in data.praised}
    green = [g for g in data.all_green_units if g.label not in praised]
    if green:
        _body(document, f"牵头任务全部亮绿灯的其他单位（{len(green)}个）：{'、'.join(g.label for g in green)}。")
    if not data.praised and not green:
        _body(document, "本期无予以表扬的单位。")
    _subheading(document, 2, "予以通报")
    lagging = data.lagging_units
    if lagging:
        names = "、".join(f"{g.label}（红灯{g.lights['red']}项）" for g in lagging)
        _body(
            document,
            f"牵头任务亮红灯的单位：{names}。请上述单位认真分析滞后原因，"
            "制定整改措施，明确完成时间，于下一报送周期前将整改情况书面报督查室。",
        )
    else:
        _body(document, "本期没有牵头任务亮红灯的单位。")


def _requirements(document) -> None:
    _heading(document, 4, "下步工作要求")
    _body(
        document,
        "各责任单位要对照任务分解表，逐项梳理推进情况，对进度滞后的任务明确时间节点、落实责任人，"
        "确保按期完成。牵头单位要加强统筹协调，配合单位要主动对接、形成合力。",
    )
    _body(
        document,
        "各单位要按时、如实报送工作进度，报送内容要有具体数据和成果，避免空话套话。"
        "督查室将持续跟踪红灯、黄灯任务推进情况，并将落实情况纳入年度考核。",
    )


def _closing(document, data: CircularData) -> None:
    _paragraph(document)
    _paragraph(document, f"附件：{data.period.label}任务推进情况一览表", indent=FIRST_LINE_INDENT)
    _paragraph(document)
    _paragraph(document)
    _paragraph(document, f"{settings.LUOSHI_ORG_NAME}督查室", align=WD_ALIGN_PARAGRAPH.RIGHT)
    _paragraph(document, chinese_date(data.circular.issued_on), align=WD_ALIGN_PARAGRAPH.RIGHT)


def _appendix(document, data: CircularData) -> None:
    label = _paragraph(document, "附件", HEADING_FONT)
    label.paragraph_format.page_break_before = True
    _paragraph(document, spacing=None)
    _paragraph(document, f"{data.period.label}任务推进情况一览表", TITLE_FONT, SIZE_2,
               align=WD_ALIGN_PARAGRAPH.CENTER, spacing=TITLE_LINE_SPACING)
    _paragraph(document, spacing=None)
    table = grid_table(document, rows=len(data.tasks) + 1, cols=len(APPENDIX_COLUMNS))
    # Word reads the cells' widths, LibreOffice and WPS the grid's: set both, and fix the layout.
    fixed = OxmlElement("w:tblLayout")
    fixed.set(qn("w:type"), "fixed")
    table._tbl.tblPr.append(fixed)
    for column, (_name, width) in zip(table.columns, APPENDIX_COLUMNS):
        column.width = Mm(width)
    widths = [Mm(width) for _name, width in APPENDIX_COLUMNS]

    def cells(row):
        # Row.cells re-reads the whole table's grid on every call (quadratic in rows); a
        # row's own <w:tc> elements are all this table has.
        found = [_Cell(tc, table) for tc in row._tr.tc_lst]
        for cell, width in zip(found, widths):
            cell.width = width
        return found

    rows = table.rows
    for cell, (name, _width) in zip(cells(rows[0]), APPENDIX_COLUMNS):
        cell_text(cell, name, HEADING_FONT, align=WD_ALIGN_PARAGRAPH.CENTER)
    repeat_header(rows[0])
    centre = WD_ALIGN_PARAGRAPH.CENTER
    colours = {"red": RED, "yellow": RGBColor(0xB8, 0x86, 0x00)}
    for number, (row, task) in enumerate(zip(rows[1:], data.tasks), start=1):
        number_cell, title, unit, due, light, percent = cells(row)
        cell_text(number_cell, str(number), align=centre)
        cell_text(title, task.title)
        cell_text(unit, task.lead_unit, align=centre)
        cell_text(due, task.due.strftime("%Y.%m.%d") if task.due else "—", align=centre)
        cell_text(light, LIGHT_NAMES.get(task.light, task.light), align=centre, color=colours.get(task.light))
        cell_text(percent, f"{task.percent}%", align=centre)


def _chart_pngs(data: CircularData) -> dict[str, bytes]:
    pngs = {}
    if data.cockpit.parts:
        pngs["parts"] = charts.progress_bars_png(
            labels=[_unnumbered(p.label) for p in data.cockpit.parts],
            percents=[p.percent for p in data.cockpit.parts],
            title="各板块总体进度",
        )
    if data.cockpit.tasks:
        pngs["lights"] = charts.lights_png(counts=data.cockpit.lights)
    if data.trend:
        lines = data.trend_lines
        pngs["trend"] = charts.trend_png(periods=[line.label for line in lines], counts=[line.lights for line in lines])
    return pngs


def circular_docx(
    *, plan: Plan, period: ReportingPeriod, today: date | None = None, progress: Callable[[int], None] | None = None
) -> bytes:
    """The circular as .docx bytes; ``progress(step)`` is called after each of the ``STEPS`` steps."""
    step = progress or (lambda _n: None)
    data = circular_data(plan=plan, period=period, today=today)
    step(1)
    pngs = _chart_pngs(data)
    step(2)
    document = _new_document(data)
    layout.red_masthead(document, f"{settings.LUOSHI_ORG_NAME}督查室", data.circular.number)
    _paragraph(document, _title(data), TITLE_FONT, SIZE_2, align=WD_ALIGN_PARAGRAPH.CENTER, spacing=TITLE_LINE_SPACING)
    _paragraph(document)
    _paragraph(document, "各有关单位：")
    _body(
        document,
        f"为推动《{data.plan.name}》各项任务落到实处，{settings.LUOSHI_ORG_NAME}督查室对{data.period.label}"
        "各责任单位任务推进情况进行了督查。现将有关情况通报如下：",
    )
    _overall(document, data, pngs)
    _problems(document, data)
    # The escalation ladder's last rung: each red task is now named in a 通报.
    circular_steps_record(
        task_ids=[t.task_id for t in data.red if t.task_id], number=data.circular.number,
        day=data.circular.issued_on,
    )
    _units(document, data)
    _requirements(document)
    _closing(document, data)
    step(3)
    _appendix(document, data)
    step(4)
    out = io.BytesIO()
    document.save(out)
    step(5)
    return out.getvalue()


# ── PDF through LibreOffice ──────────────────────────────────────────────


def pdf_converter() -> str | None:
    """The LibreOffice binary, when installed; PDF output is optional."""
    return shutil.which("soffice") or shutil.which("libreoffice")


def docx_to_pdf(docx: bytes, *, timeout: int = 180) -> bytes:
    converter = pdf_converter()
    if converter is None:
        raise _no_pdf()
    with tempfile.TemporaryDirectory(prefix="luoshi-pdf-") as folder:
        work = Path(folder)
        source = work / "circular.docx"
        source.write_bytes(docx)
        # A profile of its own: two conversions at once would fight over the user's.
        profile = (work / "profile").as_uri()
        completed = subprocess.run(
            [converter, f"-env:UserInstallation={profile}", "--headless", "--convert-to", "pdf",
             "--outdir", str(work), str(source)],
            capture_output=True, text=True, timeout=timeout, check=False,
        )
        target = work / "circular.pdf"
        if not target.exists():
            raise CircularError(_("LibreOffice could not convert the circular: %(detail)s")
                                % {"detail": completed.stderr.strip() or completed.stdout.strip()})
        return target.read_bytes()


def circular_file(*, plan: Plan, period: ReportingPeriod, format: str = "docx", today: date | None = None,
                  progress: Callable[[int], None] | None = None) -> tuple[str, bytes]:
    """(file name, bytes) of the circular as .docx or .pdf."""
    if format not in ("docx", "pdf"):
        raise ValidationError(f"Unknown format {format!r}: docx or pdf.")
    if format == "pdf" and pdf_converter() is None:
        raise _no_pdf()
    content = circular_docx(plan=plan, period=period, today=today, progress=progress)
    if format == "pdf":
        content = docx_to_pdf(content)
        if progress is not None:
            progress(STEPS + 1)
    return f"{period.label}通报.{format}", content


# ── Generation in the background ─────────────────────────────────────────


def document_request(*, plan: Plan, period: ReportingPeriod, format: str, actor) -> GeneratedDocument:
    """Queue the circular's generation; the worker picks it up once the row is committed."""
    # Imported here: the task module imports this one to run the job.
    from luoshi.reports import tasks

    if format == GeneratedDocument.Format.PDF and pdf_converter() is None:
        raise _no_pdf()
    document = GeneratedDocument.objects.create(
        plan=plan, period=period, kind=GeneratedDocument.Kind.CIRCULAR, format=format, created_by=actor,
        steps_total=STEPS + (format == GeneratedDocument.Format.PDF),
    )
    transaction.on_commit(lambda: tasks.document_generate.enqueue(document.pk))
    return document


def document_generate(*, document_id: int) -> GeneratedDocument:
    """Build a queued document (a circular or a big export), recording each step; a failure is recorded on the row.

    The claim is an update that only succeeds from "queued", so two workers
    handed the same job build it once.
    """
    claimed = GeneratedDocument.objects.filter(pk=document_id, status=GeneratedDocument.Status.QUEUED).update(
        status=GeneratedDocument.Status.RUNNING
    )
    document = GeneratedDocument.objects.select_related("plan", "period", "created_by").get(pk=document_id)
    if not claimed:
        return document

    def progress(step: int) -> None:
        GeneratedDocument.objects.filter(pk=document_id).update(steps_done=step)

    try:
        if document.kind == GeneratedDocument.Kind.CIRCULAR:
            name, content = circular_file(plan=document.plan, period=document.period, format=document.format,
                                          progress=progress)
        else:
            # Imported here: the exports read the cockpit's selectors, which this module's callers load first.
            from luoshi.reports.exports import export_file

            name, content = export_file(document=document)
    except Exception as error:  # noqa: BLE001 — whatever went wrong, the page must say so
        logger.exception("Generating document %s failed", document_id)
        GeneratedDocument.objects.filter(pk=document_id).update(
            status=GeneratedDocument.Status.FAILED, error=str(error) or error.__class__.__name__, finished=timezone.now()
        )
    else:
        document.refresh_from_db()
        document.filename = name
        document.file.save(name, ContentFile(content), save=False)
        document.status = GeneratedDocument.Status.READY
        document.steps_done = document.steps_total
        document.finished = timezone.now()
        document.save(update_fields=["filename", "file", "status", "steps_done", "finished"])
    document.refresh_from_db()
    return document


def documents_requeue(*, created_before) -> int:
    """Send every document left 生成中 or 排队中 without a live job back to the queue, from step 0.

    A worker killed while building leaves the row "running" with its job
    stuck; the sweep has already put stale jobs back in the queue, so a
    document whose job is not running now is built again.
    """
    from luoshi.reports import tasks

    running = live_job_args(tasks.document_generate, statuses=[TaskResultStatus.RUNNING])
    queued = live_job_args(tasks.document_generate, statuses=[TaskResultStatus.READY])
    stuck = GeneratedDocument.objects.filter(
        status__in=[GeneratedDocument.Status.QUEUED, GeneratedDocument.Status.RUNNING], created__lt=created_before
    ).exclude(pk__in=running)
    count = 0
    for document_id in stuck.values_list("pk", flat=True):
        GeneratedDocument.objects.filter(pk=document_id).update(status=GeneratedDocument.Status.QUEUED, steps_done=0)
        if document_id not in queued:
            tasks.document_generate.enqueue(document_id)
        count += 1
    return count


def demo_circular_load(*, actor, today: date) -> GeneratedDocument | None:
    """The demo's monthly circular for the seed plan's latest ended period, as of the demo's day.

    Built in the command rather than by a worker, so that `make demo` shows a
    finished 通报 on the documents page at once. Does nothing when one exists.
    """
    plan = Plan.objects.filter(name=SEED_PLAN_NAME).first()
    if plan is None or GeneratedDocument.objects.filter(plan=plan).exists():
        return None
    period = circular_period(plan=plan, spec="latest", today=today)
    name, content = circular_file(plan=plan, period=period, today=today)
    document = GeneratedDocument(
        plan=plan, period=period, kind=GeneratedDocument.Kind.CIRCULAR, format=GeneratedDocument.Format.DOCX,
        created_by=actor, status=GeneratedDocument.Status.READY, steps_total=STEPS, steps_done=STEPS,
        filename=name, finished=timezone.now(),
    )
    document.file.save(name, ContentFile(content), save=False)
    document.save()
    return document
