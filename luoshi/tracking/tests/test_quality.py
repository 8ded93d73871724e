"""The report quality check: one test per warning, and a good report with none."""
import pytest
from django.utils import translation

from luoshi.tracking.quality import PreviousReport, report_warnings, similarity

GOOD = (
    "3月12日召开红色文化示范地建设推进会，印发《南湖区红色资源保护利用实施方案》；"
    "完成革命旧址修缮2处，累计接待研学团队46批次。"
)
PREVIOUS = PreviousReport(
    narrative="完成红色资源普查，形成旧址清单一份，2月底前报区委宣传部审定。", percent=30
)


@pytest.fixture(autouse=True)
def chinese():
    with translation.override("zh-hans"):
        yield


def codes(warnings) -> list[str]:
    return [w.code for w in warnings]


def test_a_concrete_report_gets_no_warnings():
    assert report_warnings(narrative=GOOD, percent=45, previous=PREVIOUS, evidence_count=2) == []


def test_stock_phrases_with_nothing_measurable_are_flagged_by_name():
    warnings = report_warnings(
        narrative="按照区委区政府部署，稳步推进各项工作，取得积极成效。",
        percent=45,
        previous=PREVIOUS,
        evidence_count=1,
    )
    assert codes(warnings) == ["stock_phrases"]
    assert warnings[0].text == "使用了套话（稳步推进、取得积极成效），但没有数字、日期或具体成果"


@pytest.mark.parametrize(
    "narrative",
    [
        "稳步推进旧址修缮，已完成2处。",  # a figure
        "有序推进，已完成三项前期工作。",  # a Chinese numeral with a measure word
        "加快推进，计划六月底前完成招标。",  # a date
        "扎实推进，印发《实施方案》。",  # a named document
        "积极推进，项目已开工。",  # a finished, verifiable step
    ],
)
def test_stock_phrases_are_fine_next_to_something_checkable(narrative):
    assert report_warnings(narrative=narrative, percent=45, previous=None, evidence_count=1) == []


def test_percent_that_went_down_is_flagged():
    warnings = report_warnings(narrative=GOOD, percent=25, previous=PREVIOUS, evidence_count=1)
    assert codes(warnings) == ["percent_down"]
    assert warnings[0].text == "完成进度由 30% 降为 25%，请说明原因"


def test_percent_unchanged_is_not_flagged():
    assert report_warnings(narrative=GOOD, percent=30, previous=PREVIOUS, evidence_count=1) == []


def test_text_copied_from_the_previous_cycle_is_flagged_even_with_a_small_edit():
    copied = PREVIOUS.narrative.replace("2月底", "3月底")
    assert similarity(copied, PREVIOUS.narrative) >= 0.9
    warnings = report_warnings(narrative=copied, percent=40, previous=PREVIOUS, evidence_count=1)
    assert codes(warnings) == ["copied"]
    assert warnings[0].text == "报告内容与上一周期基本相同"


def test_a_rewritten_report_on_the_same_task_is_not_a_copy():
    rewritten = "红色资源普查结果已经区委宣传部审定，旧址清单共列入17处，3处启动修缮设计。"
    assert similarity(rewritten, PREVIOUS.narrative) < 0.9
    assert report_warnings(narrative=rewritten, percent=40, previous=PREVIOUS, evidence_count=1) == []


def test_similarity_ignores_spaces_and_punctuation():
    assert similarity("完成 方案，报送审定。", "完成方案报送审定") == 1.0
    assert similarity("", "") == 0.0


def test_100_percent_with_no_evidence_is_flagged():
    warnings = report_warnings(narrative=GOOD, percent=100, previous=PREVIOUS, evidence_count=0)
    assert codes(warnings) == ["no_evidence"]
    assert warnings[0].text == "报告已完成 100%，但未上传佐证材料"
    assert report_warnings(narrative=GOOD, percent=100, previous=PREVIOUS, evidence_count=1) == []


def test_a_first_report_has_nothing_to_compare_with():
    assert report_warnings(narrative=GOOD, percent=10, previous=None, evidence_count=0) == []


def test_several_problems_give_several_warnings():
    warnings = report_warnings(
        narrative="稳步推进。", percent=100, previous=PreviousReport(narrative="稳步推进。", percent=100),
        evidence_count=0,
    )
    assert codes(warnings) == ["stock_phrases", "copied", "no_evidence"]
