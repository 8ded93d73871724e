"""The GB/T 9704-2012 layout helpers, on documents built and read back."""
import io
from datetime import date

from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.oxml.ns import qn
from docx.shared import Pt

from luoshi.documents import (
    FIRST_LINE_INDENT,
    HEADING_FONT,
    SIZE_3,
    SIZE_4,
    SIZE_5,
    cell_text,
    chinese_date,
    column_widths,
    grid_table,
    number_pages,
    official_document,
    paragraph,
    red_masthead,
    repeat_header,
)


def reread(document):
    out = io.BytesIO()
    document.save(out)
    return Document(io.BytesIO(out.getvalue()))


def east_asian_font(run) -> str | None:
    return run._element.rPr.rFonts.get(qn("w:eastAsia"))


def mm(length) -> int:
    # Word stores twips: a millimetre is not a whole number of them.
    return round(length.mm)


def test_an_official_document_is_a4_portrait_with_the_standard_margins_and_fangsong_sanhao():
    document = reread(official_document("通知"))

    section = document.sections[0]
    assert (mm(section.page_width), mm(section.page_height)) == (210, 297)
    assert [mm(m) for m in (section.top_margin, section.bottom_margin, section.left_margin, section.right_margin)] == [
        37, 35, 28, 26
    ]
    normal = document.styles["Normal"]
    assert normal.element.rPr.rFonts.get(qn("w:eastAsia")) == "仿宋_GB2312"
    assert normal.font.size == SIZE_3
    assert document.core_properties.title == "通知"


def test_a_landscape_document_turns_the_page_and_keeps_the_margins():
    section = reread(official_document("表", landscape=True)).sections[0]

    assert section.orientation == WD_ORIENT.LANDSCAPE
    assert (mm(section.page_width), mm(section.page_height)) == (297, 210)
    assert (mm(section.top_margin), mm(section.left_margin)) == (37, 28)


def test_pages_are_numbered_right_on_odd_pages_and_left_on_even_ones():
    document = official_document("通知")
    number_pages(document)
    document = reread(document)

    section = document.sections[0]
    assert document.settings.odd_and_even_pages_header_footer
    assert mm(section.footer_distance) == 28
    odd, even = section.footer.paragraphs[0], section.even_page_footer.paragraphs[0]
    assert (odd.alignment, even.alignment) == (WD_ALIGN_PARAGRAPH.RIGHT, WD_ALIGN_PARAGRAPH.LEFT)
    for footer in (odd, even):
        assert footer.text == "—  —"  # the number itself is inside the PAGE field
        assert 'w:instr="PAGE"' in footer._p.xml
        assert all(east_asian_font(run) == "宋体" and run.font.size == SIZE_4 for run in footer.runs)
        assert footer.paragraph_format.left_indent is None and footer.paragraph_format.right_indent is None


def test_page_numbers_can_stand_one_character_in_from_the_outer_edge():
    document = official_document("通报")
    number_pages(document, one_character_in=True)
    section = reread(document).sections[0]

    assert section.footer.paragraphs[0].paragraph_format.right_indent == SIZE_4
    assert section.even_page_footer.paragraphs[0].paragraph_format.left_indent == SIZE_4


def test_a_paragraph_is_single_spaced_with_no_space_around_it_and_names_its_east_asian_font():
    document = official_document("通知")
    paragraph(document, "附件", HEADING_FONT)
    (added,) = reread(document).paragraphs

    fmt = added.paragraph_format
    assert (fmt.space_before, fmt.space_after, fmt.line_spacing_rule) == (Pt(0), Pt(0), WD_LINE_SPACING.SINGLE)
    assert fmt.first_line_indent is None
    assert (east_asian_font(added.runs[0]), added.runs[0].font.size) == ("黑体", SIZE_3)
    assert added.runs[0].font.bold is False


def test_a_paragraph_can_have_exact_line_spacing_an_indent_and_no_text():
    document = official_document("通知")
    paragraph(document, "正文", spacing=Pt(28), indent=FIRST_LINE_INDENT)
    paragraph(document)
    body, blank = reread(document).paragraphs

    assert body.paragraph_format.line_spacing == Pt(28)
    assert body.paragraph_format.line_spacing_rule == WD_LINE_SPACING.EXACTLY
    assert body.paragraph_format.first_line_indent == FIRST_LINE_INDENT
    assert east_asian_font(body.runs[0]) == "仿宋_GB2312"
    assert blank.runs == []


def test_the_masthead_is_the_issuer_in_red_then_the_number_over_a_red_rule():
    document = official_document("通报")
    red_masthead(document, "南湖区督查室", "南湖督通〔2018〕5号")
    issuer, blank, number, blank_after = reread(document).paragraphs

    assert issuer.text == "南湖区督查室"
    assert issuer.alignment == WD_ALIGN_PARAGRAPH.CENTER
    assert east_asian_font(issuer.runs[0]) == "方正小标宋简体"
    assert str(issuer.runs[0].font.color.rgb) == "E60012"
    assert (blank.text, blank_after.text) == ("", "")
    assert number.text == "南湖督通〔2018〕5号"
    rule = number._p.pPr.find(qn("w:pBdr")).find(qn("w:bottom"))
    assert (rule.get(qn("w:val")), rule.get(qn("w:color"))) == ("single", "E60012")


def test_a_cell_holds_one_paragraph_per_line_in_wuhao():
    document = official_document("表")
    table = grid_table(document, rows=1, cols=2)
    cell_text(table.cell(0, 0), "完成选址\n开工建设")
    cell_text(table.cell(0, 1), "")
    (table,) = reread(document).tables

    lines = table.cell(0, 0).paragraphs
    assert [p.text for p in lines] == ["完成选址", "开工建设"]
    assert all(east_asian_font(p.runs[0]) == "仿宋_GB2312" and p.runs[0].font.size == SIZE_5 for p in lines)
    assert table.cell(0, 1).paragraphs[0].runs == []


def test_a_grid_table_repeats_its_header_row_and_sets_every_cells_width():
    document = official_document("表")
    table = grid_table(document, rows=2, cols=2)
    repeat_header(table.rows[0])
    column_widths(table, (35, 121))
    (table,) = reread(document).tables

    assert table.style.name == "Table Grid"
    assert table.rows[0]._tr.trPr.find(qn("w:tblHeader")) is not None
    assert table.rows[1]._tr.trPr is None
    assert [mm(cell.width) for row in table.rows for cell in row.cells] == [35, 121, 35, 121]


def test_dates_are_written_the_chinese_way_and_no_date_is_empty():
    assert chinese_date(date(2026, 7, 3)) == "2026年7月3日"
    assert chinese_date(None) == ""
