"""Inputs nobody thought of: the parser returns an outline or a ParseError, quickly."""
import time

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from luoshi.parsing import Outline, ParseError, parse_bytes, parse_text

CJK_TEXT = st.text(
    alphabet=st.sampled_from(list("一二三四五六七八九十、（）()1234567890.。；，：“”是第部分章年月底前增长新增达到%家个亿元\n 　全力打造红色引领地强化创新")),
    max_size=400,
)


def outcome(parse, data):
    try:
        result = parse(data)
    except ParseError as e:
        assert str(e), "a ParseError must say what is wrong"
        return e
    assert isinstance(result, Outline)
    result.to_dict()
    return result


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.binary(max_size=3000))
def test_random_bytes_give_an_outline_or_a_parse_error(data):
    outcome(parse_bytes, data)


@settings(max_examples=150, deadline=None)
@given(st.text(max_size=600))
def test_random_unicode_gives_an_outline_or_a_parse_error(text):
    outcome(parse_text, text)


@settings(max_examples=150, deadline=None)
@given(CJK_TEXT)
def test_random_plan_like_text_gives_an_outline_or_a_parse_error(text):
    outcome(parse_text, text)


def test_a_single_five_megabyte_line_does_not_hang():
    line = ("推进项目建设，完成投资50亿元" * 400_000)[:5_000_000]
    start = time.perf_counter()
    outcome(parse_bytes, line.encode("utf-8"))
    assert time.perf_counter() - start < 30


def test_ten_thousand_label_like_lines_do_not_hang():
    lines = "\n".join(f"{'一二三四五六七八九十'[i % 10]}、（{i % 9 + 1}）{i}.第{i}部分一是" for i in range(10_000))
    start = time.perf_counter()
    outcome(parse_text, "方案\n" + lines)
    assert time.perf_counter() - start < 30


def test_nine_hundred_and_ninety_nine_numbered_headings_become_as_many_sections():
    lines = "\n".join(f"{i}.第{i}项任务\n完成任务{i}。" for i in range(1, 1000))
    start = time.perf_counter()
    outline = parse_text("方案\n" + lines)
    assert len(outline.sections) == 999
    assert time.perf_counter() - start < 30
