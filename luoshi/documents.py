"""The GB/T 9704-2012 layout shared by every Word document Luoshi writes.

The task sheet attachment (luoshi.plans.documents), the 督办单
(luoshi.tracking.notices) and the monthly 通报 (luoshi.reports.circular) are
all official documents, so they share what the standard fixes: A4 paper with
margins of 37 mm top, 35 mm bottom, 28 mm left and 26 mm right; the title in
方正小标宋简体 二号; the body in 仿宋_GB2312 三号; page numbers "— 1 —" in
宋体 四号, right on odd pages and left on even ones, 7 mm below the text
block; and, for a document with a 版头, the issuer in red over the 发文字号
and a red rule.

Every run names its East Asian font in ``w:rFonts/@w:eastAsia``: Word and WPS
pick the Chinese font from that attribute, not from ``w:ascii``.
"""
from __future__ import annotations

from datetime import date

from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_CELL_VERTICAL_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt, RGBColor

TITLE_FONT = "方正小标宋简体"
BODY_FONT = "仿宋_GB2312"
HEADING_FONT = "黑体"
PAGE_NUMBER_FONT = "宋体"
LATIN_FONT = "Times New Roman"
SIZE_2 = Pt(22)  # 二号
SIZE_3 = Pt(16)  # 三号
SIZE_4 = Pt(14)  # 四号
SIZE_5 = Pt(10.5)  # 五号
MASTHEAD_SIZE = Pt(36)  # the 版头 is set larger than any text on the page
TITLE_LINE_SPACING = Pt(36)
FIRST_LINE_INDENT = Pt(32)  # two characters of 三号
RED = RGBColor(0xE6, 0x00, 0x12)


def official_document(title: str, *, landscape: bool = False) -> Document:
    """An empty document on A4 with the standard's margins, its body text 仿宋_GB2312 三号.

    Landscape keeps the same margins: a wide table is the only reason to turn the page.
    """
    document = Document()
    document.core_properties.title = title
    normal = document.styles["Normal"]
    normal.font.name = LATIN_FONT
    normal.font.size = SIZE_3
    normal.element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), BODY_FONT)
    section = document.sections[0]
    if landscape:
        section.orientation = WD_ORIENT.LANDSCAPE
        section.page_width, section.page_height = Mm(297), Mm(210)
    else:
        section.page_width, section.page_height = Mm(210), Mm(297)
    section.top_margin, section.bottom_margin = Mm(37), Mm(35)
    section.left_margin, section.right_margin = Mm(28), Mm(26)
    return document


def number_pages(document, *, one_character_in: bool = False) -> None:
    """"— N —" page numbers with a PAGE field: right on odd pages, left on even ones.

    The standard puts them one character in from the text block's outer edge
    (单页码居右空一字，双页码居左空一字); ``one_character_in`` does so.
    """
    section = document.sections[0]
    # The page number's line sits 7 mm below the text block.
    section.footer_distance = Mm(28)
    document.settings.odd_and_even_pages_header_footer = True
    _page_number(section.footer, odd=True, one_character_in=one_character_in)
    _page_number(section.even_page_footer, odd=False, one_character_in=one_character_in)


def _page_number(footer, *, odd: bool, one_character_in: bool) -> None:
    paragraph = footer.paragraphs[0]
    paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT if odd else WD_ALIGN_PARAGRAPH.LEFT
    if one_character_in:
        fmt = paragraph.paragraph_format
        if odd:
            fmt.right_indent = SIZE_4
        else:
            fmt.left_indent = SIZE_4
    set_run_font(paragraph.add_run("— "), PAGE_NUMBER_FONT, SIZE_4)
    field = OxmlElement("w:fldSimple")
    field.set(qn("w:instr"), "PAGE")
    number = paragraph.add_run("1")
    set_run_font(number, PAGE_NUMBER_FONT, SIZE_4)
    number._element.addprevious(field)
    field.append(number._element)
    set_run_font(paragraph.add_run(" —"), PAGE_NUMBER_FONT, SIZE_4)


def set_run_font(run, name: str, size) -> None:
    run.font.name = LATIN_FONT
    run.font.size = size
    # The standard marks headings by typeface (黑体, 楷体), never by bold.
    run.font.bold = False
    run._element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), name)


def _format(paragraph, *, align, spacing, indent) -> None:
    if align is not None:
        paragraph.alignment = align
    fmt = paragraph.paragraph_format
    fmt.space_before = fmt.space_after = Pt(0)
    if spacing is None:
        fmt.line_spacing_rule = WD_LINE_SPACING.SINGLE
    else:
        fmt.line_spacing = spacing  # a length: "exactly", as the standard's fixed grid wants
    if indent is not None:
        fmt.first_line_indent = indent


def _run(paragraph, text: str, font: str, size, *, color) -> None:
    run = paragraph.add_run(text)
    set_run_font(run, font, size)
    if color is not None:
        run.font.color.rgb = color


def paragraph(
    container, text: str = "", font: str = BODY_FONT, size=SIZE_3, *,
    align=None, spacing=None, indent=None, color=None,
):
    """A paragraph with no space around it, single-spaced unless ``spacing`` is a length; empty when ``text`` is."""
    added = container.add_paragraph()
    _format(added, align=align, spacing=spacing, indent=indent)
    if text:
        _run(added, text, font, size, color=color)
    return added


def red_rule(paragraph) -> None:
    """The red separator under the 发文字号, drawn as the paragraph's bottom border across the text block."""
    borders = OxmlElement("w:pBdr")
    bottom = OxmlElement("w:bottom")
    for key, value in (("w:val", "single"), ("w:sz", "12"), ("w:space", "8"), ("w:color", "E60012")):
        bottom.set(qn(key), value)
    borders.append(bottom)
    paragraph._p.get_or_add_pPr().append(borders)


def red_masthead(document, issuer: str, number: str) -> None:
    """The 版头: the issuer in red 方正小标宋简体, a blank line, the 发文字号 over the red rule, a blank line."""
    paragraph(document, issuer, TITLE_FONT, MASTHEAD_SIZE, align=WD_ALIGN_PARAGRAPH.CENTER, color=RED)
    paragraph(document)
    red_rule(paragraph(document, number, align=WD_ALIGN_PARAGRAPH.CENTER))
    paragraph(document)


def grid_table(document, *, rows: int, cols: int):
    """A table with every cell ruled, whose column widths are the ones the caller sets."""
    table = document.add_table(rows=rows, cols=cols)
    table.style = document.styles["Table Grid"]
    table.autofit = False
    return table


def column_widths(table, widths_mm) -> None:
    """Word reads a column's width from its cells, so every cell gets it."""
    for column, width in zip(table.columns, widths_mm):
        for cell in column.cells:
            cell.width = Mm(width)


def repeat_header(row) -> None:
    """Repeat ``row`` at the top of every page the table runs onto."""
    header = OxmlElement("w:tblHeader")
    header.set(qn("w:val"), "true")
    row._tr.get_or_add_trPr().append(header)


def cell_text(cell, text: str, font: str = BODY_FONT, size=SIZE_5, *, align=None, color=None) -> None:
    """Vertically centred, single-spaced text, one paragraph per line so that listed items stay one per line."""
    cell.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.CENTER
    for index, line in enumerate(text.split("\n") if text else [""]):
        added = cell.paragraphs[0] if index == 0 else cell.add_paragraph()
        _format(added, align=align, spacing=None, indent=None)
        if line:
            _run(added, line, font, size, color=color)


def chinese_date(day: date | None) -> str:
    """"2026年7月13日", as the standard writes dates; "" for no date."""
    return f"{day.year}年{day.month}月{day.day}日" if day else ""
