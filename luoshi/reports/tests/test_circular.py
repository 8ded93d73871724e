"""The monthly circular (通报) of the seed plan: its GB/T 9704-2012 layout and its figures."""
import io
import re
import zipfile
from datetime import date

import pytest
from django.utils import translation
from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn
from docx.shared import Pt

from luoshi.reports import charts
from luoshi.reports.circular import (
    CircularError,
    circular_data,
    circular_docx,
    circular_period,
    circular_register,
    office_reader,
)
from luoshi.reports.models import Circular
from luoshi.reports.selectors import cockpit_data
from luoshi.reports.tests.cockpit_world import demo_world
from luoshi.tracking.models import TaskTrack


@pytest.fixture(scope="module")
def seed_plan(django_db_setup, django_db_blocker):
    yield from demo_world(django_db_blocker)


@pytest.fixture(scope="module")
def docx_bytes(seed_plan, django_db_blocker):
    with django_db_blocker.unblock():
        return circular_docx(plan=seed_plan, period=circular_period(plan=seed_plan, spec="latest"))


@pytest.fixture
def document(docx_bytes):
    return Document(io.BytesIO(docx_bytes))


def _texts(document) -> list[str]:
    return [p.text for p in document.paragraphs]


def _paragraph(document, startswith: str):
    return next(p for p in document.paragraphs if p.text.startswith(startswith))


def _east_asian(run) -> str:
    return run._element.rPr.rFonts.get(qn("w:eastAsia"))


def test_the_page_is_a4_with_the_standard_margins(document):
    section = document.sections[0]
    def mm(length):  # Word stores twips: a millimetre is not a whole number of them
        return round(length.mm)

    assert (mm(section.page_width), mm(section.page_height)) == (210, 297)
    assert (mm(section.top_margin), mm(section.bottom_margin)) == (37, 35)
    assert (mm(section.left_margin), mm(section.right_margin)) == (28, 26)


def test_every_run_names_its_east_asian_font(document):
    runs = [r for p in document.paragraphs for r in p.runs if r.text]
    runs += [r for t in document.tables for row in t.rows for c in row.cells for p in c.paragraphs for r in p.runs]
    assert runs and all(_east_asian(r) for r in runs)


def test_the_masthead_is_the_office_in_red_over_the_number_and_a_red_rule(document):
    masthead = document.paragraphs[0]
    assert masthead.text == "南湖区督查室"
    assert _east_asian(masthead.runs[0]) == "方正小标宋简体"
    assert str(masthead.runs[0].font.color.rgb) == "E60012"
    number = next(p for p in document.paragraphs if "督通" in p.text)
    assert re.fullmatch(r"南湖督通〔2018〕\d+号", number.text)
    assert number.alignment == WD_ALIGN_PARAGRAPH.CENTER
    rule = number._p.pPr.find(qn("w:pBdr")).find(qn("w:bottom"))
    assert rule.get(qn("w:color")) == "E60012"


def test_the_title_is_xiaobiaosong_size_2_centred(document):
    title = _paragraph(document, "关于《")
    assert title.text == "关于《南湖全力争当弘扬红船精神排头兵》2018年6月推进情况的通报"
    assert title.alignment == WD_ALIGN_PARAGRAPH.CENTER
    assert (_east_asian(title.runs[0]), title.runs[0].font.size) == ("方正小标宋简体", Pt(22))


def test_the_body_is_fangsong_size_3_on_fixed_28_point_lines_with_heiti_and_kaiti_headings(document):
    body = _paragraph(document, "《南湖全力争当")
    assert (_east_asian(body.runs[0]), body.runs[0].font.size) == ("仿宋_GB2312", Pt(16))
    assert body.paragraph_format.line_spacing == Pt(28)
    assert body.paragraph_format.line_spacing_rule == 4  # EXACTLY
    level_1 = [p for p in document.paragraphs if re.match(r"^[一二三四]、", p.text)]
    assert [p.text for p in level_1] == ["一、总体情况", "二、存在的主要问题", "三、表扬和通报", "四、下步工作要求"]
    assert {_east_asian(p.runs[0]) for p in level_1} == {"黑体"}
    level_2 = [p for p in document.paragraphs if p.text.startswith("（一）")]
    assert level_2 and {_east_asian(p.runs[0]) for p in level_2} == {"楷体_GB2312"}


def test_page_numbers_are_page_fields_on_the_outer_side_of_odd_and_even_pages(document, docx_bytes):
    section = document.sections[0]
    assert document.settings.odd_and_even_pages_header_footer
    for footer, align in ((section.footer, WD_ALIGN_PARAGRAPH.RIGHT), (section.even_page_footer, WD_ALIGN_PARAGRAPH.LEFT)):
        paragraph = footer.paragraphs[0]
        assert paragraph.alignment == align
        assert "".join(t.text for t in paragraph._p.iter(qn("w:t"))) == "— 1 —"
        assert paragraph._p.find(qn("w:fldSimple")).get(qn("w:instr")) == "PAGE"
        assert paragraph.runs[0].font.size == Pt(14)
        assert _east_asian(paragraph.runs[0]) == "宋体"
    with zipfile.ZipFile(io.BytesIO(docx_bytes)) as archive:
        assert b"w:evenAndOddHeaders" in archive.read("word/settings.xml")


def test_the_figures_are_the_cockpits(document, seed_plan):
    data = cockpit_data(plan=seed_plan, visible_to=office_reader())
    text = "".join(_texts(document))
    lights = data.lights
    assert f"共分解任务{data.tasks}项" in text
    assert f"总体进度{data.percent}%" in text
    assert f"绿灯（按计划推进）{lights['green']}项" in text
    assert f"黄灯（进度滞后）{lights['yellow']}项，红灯（严重滞后）{lights['red']}项" in text
    for part in data.parts:
        assert f"任务{part.tasks}项，总体进度{part.percent}%" in text


def test_the_red_list_names_every_red_task_with_its_lead_unit_and_reason(document, seed_plan):
    text = "\n".join(_texts(document))
    red = TaskTrack.objects.filter(task__plan=seed_plan, light="red", signed_off_at__isnull=True)
    assert red.count() == 3
    for track in red.select_related("task__lead_unit"):
        line = next(t for t in _texts(document) if track.task.title in t and "牵头单位" in t)
        assert track.task.lead_unit.name in line
        assert track.reasons[0]["text"] in line
    assert "（一）红灯任务（3项）" in text
    assert re.search(r"（二）黄灯任务（\d+项）", text)


def test_units_are_praised_and_those_leading_red_tasks_named(document):
    text = "\n".join(_texts(document))
    assert "考核排名前列的单位" in text
    named = next(t for t in _texts(document) if t.startswith("牵头任务亮红灯的单位"))
    assert "（红灯1项）" in named


def test_the_charts_are_pictures_in_the_body(document):
    assert len(document.inline_shapes) == 3


def test_the_appendix_lists_every_task_with_its_light_and_percent(document, seed_plan):
    table = document.tables[-1]
    assert [c.text for c in table.rows[0].cells] == ["序号", "任务", "牵头单位", "完成时限", "灯色", "进度"]
    assert len(table.rows) - 1 == seed_plan.tasks.count()
    shown = {row.cells[1].text: (row.cells[4].text, row.cells[5].text) for row in table.rows[1:]}
    for track in TaskTrack.objects.filter(task__plan=seed_plan).select_related("task"):
        light = "green" if track.signed_off_at else track.light
        percent = 100 if track.signed_off_at else track.percent
        assert shown[track.task.title] == ({"green": "绿灯", "yellow": "黄灯", "red": "红灯"}[light], f"{percent}%")
    label = next(p for p in document.paragraphs if p.text == "附件")
    assert label.paragraph_format.page_break_before
    assert _east_asian(label.runs[0]) == "黑体"


def test_a_circular_keeps_its_number_and_the_next_period_takes_the_next(db, seed_plan):
    june = circular_period(plan=seed_plan, spec="2018-06")
    may = circular_period(plan=seed_plan, spec="2018-05")
    Circular.objects.all().delete()
    first = circular_register(plan=seed_plan, period=june)
    assert first.number == "南湖督通〔2018〕1号"
    assert circular_register(plan=seed_plan, period=june).number == "南湖督通〔2018〕1号"
    assert circular_register(plan=seed_plan, period=may).number == "南湖督通〔2018〕2号"


def test_an_earlier_period_has_its_own_ranking_and_trend(db, seed_plan):
    data = circular_data(plan=seed_plan, period=circular_period(plan=seed_plan, spec="2018-03"))
    assert [p.period.label for p in data.trend] == ["2018年1月", "2018年2月", "2018年3月"]


def test_without_a_cjk_font_charts_are_drawn_with_numbered_labels_and_a_warning(monkeypatch, caplog):
    charts.cjk_font.cache_clear()
    monkeypatch.setattr(charts.shutil, "which", lambda name: None)
    try:
        png = charts.progress_bars_png(labels=["红色领航", "Part B"], percents=[50, None], title="进度")
        assert png.startswith(b"\x89PNG")
        assert "No CJK font" in caplog.text
    finally:
        charts.cjk_font.cache_clear()


def test_a_circular_error_speaks_the_reader_s_language(db, seed_plan):
    with translation.override("en"), pytest.raises(CircularError, match="is neither “latest” nor a month"):
        circular_period(plan=seed_plan, spec="May")
    with translation.override("zh-hans"), pytest.raises(CircularError, match="“May”不是有效的报送周期"):
        circular_period(plan=seed_plan, spec="May")


def test_a_plan_without_an_ended_period_is_named_in_the_error(db, seed_plan):
    with translation.override("zh-hans"), pytest.raises(CircularError, match=f"规划“{seed_plan.name}”"):
        circular_period(plan=seed_plan, spec="latest", today=date(2018, 1, 2))


def test_the_headline_the_trend_sentence_and_the_charts_tell_the_same_numbers(db, seed_plan, monkeypatch):
    drawn = {}
    real_trend, real_lights = charts.trend_png, charts.lights_png
    monkeypatch.setattr(charts, "trend_png", lambda **kw: drawn.setdefault("trend", kw) and real_trend(**kw))
    monkeypatch.setattr(charts, "lights_png", lambda **kw: drawn.setdefault("lights", kw) and real_lights(**kw))
    period = circular_period(plan=seed_plan, spec="latest")
    data = circular_data(plan=seed_plan, period=period)
    document = Document(io.BytesIO(circular_docx(plan=seed_plan, period=period)))
    headline = _paragraph(document, f"《{seed_plan.name}》共分解任务").text
    trend = next(p.text for p in document.paragraphs if "红灯任务由" in p.text)
    lights = data.cockpit.lights
    assert f"绿灯（按计划推进）{lights['green']}项" in headline and f"红灯（严重滞后）{lights['red']}项" in headline
    assert f"总体进度{data.cockpit.percent}%" in headline
    # The sentence ends where the headline stands, on the day of issue.
    assert re.search(rf"变为{lights['red']}项，黄灯任务由\d+项变为{lights['yellow']}项", trend), trend
    assert trend.rstrip("。").endswith(f"{data.cockpit.percent}%")
    assert "2018年7月10日" in trend
    # The trend chart's last bar and the lights chart are the headline's counts.
    assert drawn["trend"]["counts"][-1] == lights and drawn["lights"]["counts"] == lights
    assert drawn["trend"]["periods"][-1] == "7月10日"
    # Its earlier bars are the periods' ends, as the sentence's start.
    first = data.trend[0]
    assert drawn["trend"]["counts"][0] == first.lights and f"红灯任务由{first.lights['red']}项" in trend
