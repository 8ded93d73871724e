"""A plan that is a 任务分解表 (.xlsx or a Word table) imports as one task per row, with the units its cells name."""
import io

import openpyxl
import pytest
from docx import Document

from luoshi.plans.models import Task
from luoshi.plans.services import plan_import
from luoshi.plans.tests.people import units  # noqa: F401

pytestmark = pytest.mark.django_db

ROWS = [
    ["凤桥镇2027年重点工作任务分解表", None, None, None, None],
    ["序号", "工作任务", "牵头单位", "配合单位", "完成时限"],
    [1, "新增规上工业企业10家", "区经济和信息化局", "区统计局、凤桥镇", "2027年6月底前"],
    [2, "完成老旧小区综合改造3个", "区住房和城乡建设局", "区财政局", "2027年底前"],
    [3, "开展适老化改造100户", "镇社会事务办", None, "年内"],
]


def xlsx_plan() -> bytes:
    workbook = openpyxl.Workbook()
    for row in ROWS:
        workbook.active.append(row)
    workbook.active.merge_cells("A1:E1")
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def docx_plan() -> bytes:
    document = Document()
    document.add_paragraph(ROWS[0][0])
    table = document.add_table(rows=len(ROWS) - 1, cols=5)
    for r, row in enumerate(ROWS[1:]):
        for c, value in enumerate(row):
            table.cell(r, c).text = "" if value is None else str(value)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


@pytest.mark.parametrize("filename, content", [("分解表.xlsx", xlsx_plan), ("分解表.docx", docx_plan)])
def test_each_row_of_a_task_table_becomes_a_task_led_by_the_unit_its_cell_names(units, supervisor, filename, content):
    plan = plan_import(name="凤桥镇2027年重点工作", year=2027, filename=filename, content=content(), actor=supervisor)
    tasks = list(Task.objects.filter(plan=plan).order_by("pk"))
    assert [t.title for t in tasks] == ["新增规上工业企业10家", "完成老旧小区综合改造3个", "开展适老化改造100户"]
    first = tasks[0]
    assert first.lead_unit.name == "区经济和信息化局"
    assert set(first.co_units.values_list("name", flat=True)) == {"区统计局", "凤桥镇"}
    assert first.due_date.isoformat() <= "2027-06-30" and first.due_date.isoformat() >= "2027-06-25"
    assert tasks[1].lead_unit.name == "区住房和城乡建设局"
    # A unit the directory does not know is kept as written, never replaced by a guess.
    assert tasks[2].unmatched_units == ["镇社会事务办"] and tasks[2].lead_unit is None
