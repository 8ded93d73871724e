"""The task sheet (任务分解表) as a Word attachment laid out to GB/T 9704-2012.

What the standard fixes and this follows: A4 paper; margins 37 mm top, 35 mm
bottom, 28 mm left, 26 mm right; the 附件 label in 黑体 三号 at the top left;
the title in 方正小标宋简体 二号, centred; body text in 仿宋_GB2312 三号;
page numbers in 宋体 四号 as "— 1 —", right on odd pages and left on even.
A nine-column table does not fit a portrait page, so the section is
landscape with the same margins, and the table's text is 五号 so that a
task reads on one or two lines per column; its header row, in 黑体, repeats
on every page.

Every run names its East Asian font in ``w:rFonts/@w:eastAsia``: Word and
WPS pick the Chinese font from that attribute, not from ``w:ascii``.
"""
from __future__ import annotations

import io

from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_CELL_VERTICAL_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt

from luoshi.plans.models import Plan
from luoshi.plans.sheets import HEADERS, task_sheet_rows

TITLE_FONT = "方正小标宋简体"
BODY_FONT = "仿宋_GB2312"
HEADING_FONT = "黑体"
PAGE_NUMBER_FONT = "宋体"
LATIN_FONT = "Times New Roman"
SIZE_2 = Pt(22)  # 二号
SIZE_3 = Pt(16)  # 三号
SIZE_4 = Pt(14)  # 四号
SIZE_5 = Pt(10.5)  # 五号
# The standard's 22 lines per page of body text.
BODY_LINE_SPACING = Pt(28.95)

# Every column of the Excel sheet but the hidden task id; widths in mm add up
# to the 243 mm between the margins of a landscape A4 page.
DOC_COLUMNS = [name for name in HEADERS if name != "任务编号"]
COLUMN_WIDTHS_MM = [10, 45, 20, 24, 20, 34, 28, 22, 40]


def set_run_font(run, name: str, size, *, bold: bool = False) -> None:
    run.font.name = LATIN_FONT
    run.font.size = size
    run.font.bold = bold
    run._element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), name)


def _paragraph(container, text: str, font: str, size, *, bold=False, align=None, spacing=None):
    paragraph = container.add_paragraph()
    if align is not None:
        paragraph.alignment = align
    fmt = paragraph.paragraph_format
    fmt.space_before = fmt.space_after = Pt(0)
    fmt.first_line_indent = Pt(0)
    if spacing is None:
        fmt.line_spacing_rule = WD_LINE_SPACING.SINGLE
    else:
        fmt.line_spacing = spacing
    if text:
        set_run_font(paragraph.add_run(text), font, size, bold=bold)
    return paragraph


def _page_number(footer, align) -> None:
    paragraph = footer.paragraphs[0]
    paragraph.alignment = align
    set_run_font(paragraph.add_run("— "), PAGE_NUMBER_FONT, SIZE_4)
    field = OxmlElement("w:fldSimple")
    field.set(qn("w:instr"), "PAGE")
    run = paragraph.add_run("1")
    set_run_font(run, PAGE_NUMBER_FONT, SIZE_4)
    run._element.addprevious(field)
    field.append(run._element)
    set_run_font(paragraph.add_run(" —"), PAGE_NUMBER_FONT, SIZE_4)


def _repeat_header(row) -> None:
    properties = row._tr.get_or_add_trPr()
    header = OxmlElement("w:tblHeader")
    header.set(qn("w:val"), "true")
    properties.append(header)


def _cell_text(cell, text: str, font: str, *, bold=False, align=None) -> None:
    cell.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.CENTER
    # One paragraph per line, so milestones and indicators stay one per line.
    lines = text.split("\n") if text else [""]
    first = cell.paragraphs[0]
    for index, line in enumerate(lines):
        paragraph = first if index == 0 else cell.add_paragraph()
        if align is not None:
            paragraph.alignment = align
        fmt = paragraph.paragraph_format
        fmt.space_before = fmt.space_after = Pt(0)
        fmt.first_line_indent = Pt(0)
        fmt.line_spacing_rule = WD_LINE_SPACING.SINGLE
        if line:
            set_run_font(paragraph.add_run(line), font, SIZE_5, bold=bold)


def _date(value) -> str:
    return f"{value.year}年{value.month}月{value.day}日" if value else ""


def task_sheet_docx(*, plan: Plan) -> bytes:
    rows = task_sheet_rows(plan=plan)
    document = Document()
    document.core_properties.title = f"{plan.name}任务分解表"

    normal = document.styles["Normal"]
    normal.font.name = LATIN_FONT
    normal.font.size = SIZE_3
    normal.element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), BODY_FONT)
    normal.paragraph_format.line_spacing = BODY_LINE_SPACING

    section = document.sections[0]
    section.orientation = WD_ORIENT.LANDSCAPE
    section.page_width, section.page_height = Mm(297), Mm(210)
    section.top_margin, section.bottom_margin = Mm(37), Mm(35)
    section.left_margin, section.right_margin = Mm(28), Mm(26)
    # The page number sits 7 mm below the text block.
    section.footer_distance = Mm(28)
    document.settings.odd_and_even_pages_header_footer = True
    _page_number(section.footer, WD_ALIGN_PARAGRAPH.RIGHT)
    _page_number(section.even_page_footer, WD_ALIGN_PARAGRAPH.LEFT)

    _paragraph(document, "附件", HEADING_FONT, SIZE_3, spacing=BODY_LINE_SPACING)
    _paragraph(document, "", BODY_FONT, SIZE_3, spacing=BODY_LINE_SPACING)
    _paragraph(
        document, f"{plan.name}任务分解表", TITLE_FONT, SIZE_2, align=WD_ALIGN_PARAGRAPH.CENTER, spacing=Pt(36)
    )
    _paragraph(document, "", BODY_FONT, SIZE_3, spacing=BODY_LINE_SPACING)

    table = document.add_table(rows=1, cols=len(DOC_COLUMNS))
    table.style = document.styles["Table Grid"]
    table.autofit = False
    for cell, name in zip(table.rows[0].cells, DOC_COLUMNS):
        _cell_text(cell, name, HEADING_FONT, align=WD_ALIGN_PARAGRAPH.CENTER)
    _repeat_header(table.rows[0])
    for row in rows:
        values = [
            str(row.number),
            row.title,
            row.lead_unit,
            row.co_units,
            _date(row.due_date),
            row.milestones.replace("；\n", "\n"),
            row.indicators.replace("；\n", "\n"),
            row.section,
            row.source,
        ]
        cells = table.add_row().cells
        for index, (cell, value) in enumerate(zip(cells, values)):
            centred = DOC_COLUMNS[index] in ("序号", "牵头单位", "完成时限")
            _cell_text(cell, value, BODY_FONT, align=WD_ALIGN_PARAGRAPH.CENTER if centred else None)
    for column, width in zip(table.columns, COLUMN_WIDTHS_MM):
        for cell in column.cells:
            cell.width = Mm(width)

    out = io.BytesIO()
    document.save(out)
    return out.getvalue()
