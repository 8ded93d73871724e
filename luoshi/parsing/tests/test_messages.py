"""Errors and warnings: a stable English code for programs, a Chinese message for people."""
import re
from pathlib import Path

from luoshi.parsing import ParseError, ParseWarning
from luoshi.parsing.messages import ERRORS, WARNINGS

SOURCE = Path(__file__).parents[1]


def _codes(pattern: str) -> set[str]:
    found = set()
    for path in SOURCE.glob("*.py"):
        found |= set(re.findall(pattern, path.read_text(encoding="utf-8")))
    return found


def test_every_code_the_parser_uses_has_a_message_and_every_message_is_used():
    raised = (
        _codes(r'ParseError\(\s*"(\w+)"')
        | _codes(r'b"[^"]*": \("(\w+)"')  # decode._BINARY_MAGIC
        | _codes(r'return "(\w+)", \{')  # decode._acceptable
    )
    assert raised == set(ERRORS)
    warned = _codes(r'ParseWarning\.make\(\s*"(\w+)"') | _codes(r'Note\(\s*"(\w+)"')
    assert warned == set(WARNINGS)


def test_codes_are_stable_english_identifiers_and_messages_are_chinese():
    for code, template in {**ERRORS, **WARNINGS}.items():
        assert re.fullmatch(r"[a-z]+(_[a-z]+)*", code)
        assert re.search("[\u4e00-\u9fff]", template) and template.endswith("。"), code


def test_an_error_names_the_file_when_it_is_known_and_says_what_to_do():
    named = ParseError("not_docx", filename="j.docx")
    assert str(named) == named.message == "文件「j.docx」的扩展名是 .docx，但内容不是 Word 文档。请用 Word 或 WPS 另存为 .docx 后重新上传。"
    assert named.code == "not_docx"
    assert str(ParseError("empty")).startswith("文件是空的")
    assert str(ParseError("empty", what="文本")).startswith("文本是空的")


def test_a_warning_serialises_with_its_code_message_section_and_details():
    warning = ParseWarning.make("numbering_jump", section_id="2", previous=2, number=4, text="四、加强基层治理")
    assert str(warning) == warning.message
    assert warning.to_dict() == {
        "code": "numbering_jump",
        "message": "编号从 2 跳到了 4（“四、加强基层治理”），该段未作为标题，已并入上一节正文。请检查原文编号是否漏编或错编。",
        "section_id": "2",
        "context": {"previous": 2, "number": 4, "text": "四、加强基层治理"},
    }
    spaced = ParseWarning.make("heading_recovered", title="全力打造红色信仰引领地", damage=" ")
    assert "（成了空格）" in spaced.message
