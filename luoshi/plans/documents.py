"""The task sheet (任务分解表) as a Word attachment laid out to GB/T 9704-2012.

The page, fonts and page numbers are the standard's (luoshi.documents); on
them, the 附件 label in 黑体 三号 at the top left and the title centred. A
nine-column table does not fit a portrait page, so the section is landscape
with the same margins, and the table's text is 五号 so that a task reads on
one or two lines per column; its header row, in 黑体, repeats on every page.
"""
from __future__ import annotations

import io

from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.shared import Pt

from luoshi.documents import (
    HEADING_FONT,
    SIZE_2,
    TITLE_FONT,
    TITLE_LINE_SPACING,
    cell_text,
    chinese_date,
    column_widths,
    grid_table,
    number_pages,
    official_document,
    paragraph,
    repeat_header,
)
from luoshi.plans.models import Plan
from luoshi.plans.sheets import HEADERS, task_sheet_rows

# The standard's 22 lines per page of body text.
BODY_LINE_SPACING = Pt(28.95)

# Every column of the Excel sheet but the hidden task id; widths in mm add up
# to the 243 mm between the margins of a landscape A4 page.
DOC_COLUMNS = [name for name in HEADERS if name != "任务编号"]
COLUMN_WIDTHS_MM = [10, 40, 18, 22, 18, 30, 24, 20, 34, 26]
CENTRED_COLUMNS = ("序号", "牵头单位", "完成时限")


def task_sheet_docx(*, plan: Plan) -> bytes:
    rows = task_sheet_rows(plan=plan)
    document = official_document(f"{plan.name}任务分解表", landscape=True)
    document.styles["Normal"].paragraph_format.line_spacing = BODY_LINE_SPACING
    number_pages(document)

    paragraph(document, "附件", HEADING_FONT, spacing=BODY_LINE_SPACING)
    paragraph(document, spacing=BODY_LINE_SPACING)
    paragraph(
        document, f"{plan.name}任务分解表", TITLE_FONT, SIZE_2, align=WD_ALIGN_PARAGRAPH.CENTER,
        spacing=TITLE_LINE_SPACING,
    )
    paragraph(document, spacing=BODY_LINE_SPACING)

    table = grid_table(document, rows=1, cols=len(DOC_COLUMNS))
    for cell, name in zip(table.rows[0].cells, DOC_COLUMNS):
        cell_text(cell, name, HEADING_FONT, align=WD_ALIGN_PARAGRAPH.CENTER)
    repeat_header(table.rows[0])
    for row in rows:
        values = [
            str(row.number),
            row.title,
            row.lead_unit,
            row.co_units,
            chinese_date(row.due_date),
            row.milestones.replace("；\n", "\n"),
            row.indicators.replace("；\n", "\n"),
            row.section,
            row.source,
            row.stated_units,
        ]
        cells = table.add_row().cells
        for name, cell, value in zip(DOC_COLUMNS, cells, values):
            cell_text(cell, value, align=WD_ALIGN_PARAGRAPH.CENTER if name in CENTRED_COLUMNS else None)
    column_widths(table, COLUMN_WIDTHS_MM)

    out = io.BytesIO()
    document.save(out)
    return out.getvalue()
