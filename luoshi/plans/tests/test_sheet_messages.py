"""The task sheet's messages speak the reader's language: English msgids through gettext, Chinese from the catalogue."""
import ast
import re
from pathlib import Path

from django.utils import translation

from luoshi.plans import sheets

CJK = re.compile(r"[\u4e00-\u9fff]")
# The message argument of each call that reports a problem (a column name may be Chinese: it is the sheet's header).
MESSAGE_ARGS = {"ValueError": 0, "_SheetRefused": 0, "error": 1, "RowError": 2}


def test_no_message_of_the_sheet_import_is_a_chinese_literal():
    tree = ast.parse(Path(sheets.__file__).read_text(encoding="utf-8"))
    literals = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id in MESSAGE_ARGS:
            index = MESSAGE_ARGS[node.func.id]
            if len(node.args) > index:
                arg = node.args[index]
                if isinstance(arg, (ast.Constant, ast.JoinedStr)) and CJK.search(ast.unparse(arg)):
                    literals.append(f"line {node.lineno}: {ast.unparse(arg)}")
    assert literals == []


def test_a_sheet_message_is_chinese_in_chinese_and_english_in_english():
    big = sheets.MAX_BYTES + 1024 * 1024
    with translation.override("zh-hans"):
        assert sheets.sheet_size_error(big).startswith("文件大小为 21.0 MB，超过任务分解表的上限 20 MB；")
        assert str(sheets.RowError(5, "完成时限", "不能为空")) == "第5行「完成时限」：不能为空"
    with translation.override("en"):
        assert sheets.sheet_size_error(big).startswith("The file is 21.0 MB, over the task sheet's limit of 20 MB")
        assert str(sheets.RowError(5, "完成时限", "must not be empty")) == "Row 5「完成时限」: must not be empty"
