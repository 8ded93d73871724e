"""The task sheet import refuses text and numbers beyond their columns row by row, and changes nothing."""
import io

import pytest
from openpyxl import load_workbook

from luoshi.plans import sheets
from luoshi.plans.models import Indicator, Task
from luoshi.plans.sheets import task_sheet_export, task_sheet_import

pytestmark = pytest.mark.django_db


def _edited(plan, header: str, value: str) -> bytes:
    book = load_workbook(io.BytesIO(task_sheet_export(plan=plan)))
    ws = book[sheets.SHEET_TITLE]
    columns = {cell.value: cell.column for cell in ws[sheets.HEADER_ROW]}
    ws.cell(row=sheets.HEADER_ROW + 1, column=columns[header]).value = value
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


@pytest.mark.parametrize(
    ("header", "value", "message"),
    [
        ("任务内容", "长" * 600, "500"),
        ("节点", "2026-06-30 " + "节" * 301, "300"),
        ("指标", "指" * 201 + "：3所", "200"),
        ("指标", "新建幼儿园：0→123456789012345678901234567890所", "4位小数"),
    ],
)
def test_a_value_beyond_its_column_is_refused_with_its_row_and_nothing_changes(plan, supervisor, header, value, message):
    before = list(Task.objects.values().order_by("pk")), list(Indicator.objects.values().order_by("pk"))
    result = task_sheet_import(plan=plan, data=_edited(plan, header, value), actor=supervisor, dry_run=False)
    after = list(Task.objects.values().order_by("pk")), list(Indicator.objects.values().order_by("pk"))
    assert after == before
    [error] = result.errors
    assert str(error).startswith(f"第3行「{header}」：") and message in str(error)

