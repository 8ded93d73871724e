import io

import pytest
from docx import Document
from docx.oxml.ns import qn
from docx.shared import Pt

from luoshi.plans.documents import task_sheet_docx
from luoshi.plans.models import Plan
from luoshi.plans.tests.test_sheets import make_plan, make_units

pytestmark = pytest.mark.django_db


@pytest.fixture
def document():
    plan = make_plan(make_units())
    return Document(io.BytesIO(task_sheet_docx(plan=plan)))


def east_asian_font(run) -> str | None:
    fonts = run._element.rPr.rFonts
    return fonts.get(qn("w:eastAsia")) if fonts is not None else None


def text_paragraphs(document):
    return [p for p in document.paragraphs if p.text]


def test_the_page_is_a4_with_the_official_margins(document):
    section = document.sections[0]

    assert {round(section.page_width.mm), round(section.page_height.mm)} == {210, 297}
    assert round(section.top_margin.mm) == 37
    assert round(section.bottom_margin.mm) == 35
    assert round(section.left_margin.mm) == 28
    assert round(section.right_margin.mm) == 26


def test_the_attachment_label_is_heiti_sanhao_at_the_top_left(document):
    label = text_paragraphs(document)[0]

    assert label.text == "附件"
    assert label.alignment is None  # left, as the paragraph default
    run = label.runs[0]
    assert east_asian_font(run) == "黑体"
    assert run.font.size == Pt(16)


def test_the_title_is_fangzheng_xiaobiaosong_erhao_centred(document):
    title = text_paragraphs(document)[1]

    assert title.text == "南湖区2026年工作要点任务分解表"
    assert title.alignment == 1  # centre
    assert east_asian_font(title.runs[0]) == "方正小标宋简体"
    assert title.runs[0].font.size == Pt(22)


def test_body_text_defaults_to_fangsong_gb2312_sanhao(document):
    normal = document.styles["Normal"]

    assert normal.element.rPr.rFonts.get(qn("w:eastAsia")) == "仿宋_GB2312"
    assert normal.font.size == Pt(16)


def test_the_table_has_the_sheet_columns_a_heiti_header_and_one_row_per_task(document):
    (table,) = document.tables

    header = table.rows[0]
    assert [cell.text for cell in header.cells] == [
        "序号", "任务内容", "牵头单位", "责任单位", "完成时限", "节点", "指标", "所属板块", "来源原文", "原文责任单位"
    ]
    assert all(east_asian_font(cell.paragraphs[0].runs[0]) == "黑体" for cell in header.cells)
    assert header._tr.trPr.find(qn("w:tblHeader")) is not None  # repeats on every page
    assert len(table.rows) == 1 + 3
    first = table.rows[1].cells
    assert [first[0].text, first[2].text, first[3].text, first[4].text] == ["1", "区教育局", "凤桥镇", "2026年6月30日"]
    assert first[5].text == "2026-03-31 完成选址\n2026-05-29 开工建设"
    assert east_asian_font(first[1].paragraphs[0].runs[0]) == "仿宋_GB2312"


def test_every_run_names_its_east_asian_font(document):
    runs = [run for p in document.paragraphs for run in p.runs]
    runs += [run for row in document.tables[0].rows for cell in row.cells for p in cell.paragraphs for run in p.runs]

    assert runs
    assert all(east_asian_font(run) for run in runs)


def test_pages_are_numbered_in_the_footer(document):
    footer_xml = document.sections[0].footer._element.xml

    assert 'w:instr="PAGE"' in footer_xml
    assert "— " in document.sections[0].footer.paragraphs[0].text


def test_a_plan_without_tasks_gives_a_table_with_only_its_header():
    plan = Plan.objects.create(name="空规划", year=2026)

    document = Document(io.BytesIO(task_sheet_docx(plan=plan)))

    assert len(document.tables[0].rows) == 1
