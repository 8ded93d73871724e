"""Text that Excel would take for a formula is written as text in every .xlsx we export, and imports back unchanged."""
import io
from datetime import date

import pytest
from openpyxl import load_workbook

from luoshi.plans.sheets import task_sheet_export, task_sheet_import
from luoshi.plans.models import Task
from luoshi.reports.exports import progress_history_xlsx, task_list_xlsx
from luoshi.tracking.assessment import assessment_rank, assessment_xlsx
from luoshi.tracking.periods import period_for
from luoshi.tracking.services import report_return, report_submit
from luoshi.tracking.tests.report_world import task_of

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("april_3")]

TITLE = '=HYPERLINK("http://evil.example/","点此查看")'
UNIT = "=cmd|' /C calc'!A0"
REASON = "+1+cmd|' /C calc'!A0"
LEADER = "@SUM(1,1)"


@pytest.fixture
def hostile_plan(plan, units, reporter_education, supervisor):
    units["education"].name = UNIT
    units["education"].save()
    task = task_of(plan, "education")
    Task.objects.filter(pk=task.pk).update(title=TITLE, supervising_leader=LEADER)
    period = period_for(plan=plan, day=date(2026, 4, 3))
    report = report_submit(task=task, actor=reporter_education, period=period, percent=20,
                           work_state="in_progress", narrative="-完成选址")
    report_return(report=report, actor=supervisor, reason=REASON, expected_version=report.version)
    return plan


def _cells(data: bytes):
    book = load_workbook(io.BytesIO(data))
    return [cell for ws in book.worksheets for row in ws.iter_rows() for cell in row if cell.value is not None]


def _assert_text_not_formula(data: bytes, expected: set[str]):
    cells = _cells(data)
    assert [c.coordinate for c in cells if c.data_type == "f"] == []
    found = {c.value for c in cells if c.value in expected}
    assert found == expected
    assert all(c.quotePrefix for c in cells if c.value in expected)


def test_the_task_sheet_writes_a_formula_like_title_as_text_and_imports_it_back_unchanged(hostile_plan, supervisor):
    data = task_sheet_export(plan=hostile_plan)
    _assert_text_not_formula(data, {TITLE, UNIT})
    result = task_sheet_import(plan=hostile_plan, data=data, actor=supervisor, dry_run=False)
    assert not result.errors and not result.changes
    assert Task.objects.get(title=TITLE).lead_unit.name == UNIT


def test_the_task_list_and_the_progress_history_write_formula_like_text_as_text(hostile_plan, supervisor):
    _assert_text_not_formula(task_list_xlsx(plan=hostile_plan, visible_to=supervisor), {TITLE, UNIT})
    _assert_text_not_formula(progress_history_xlsx(plan=hostile_plan, visible_to=supervisor), {TITLE, UNIT, REASON})


def test_the_assessment_ranking_writes_a_formula_like_unit_name_as_text(hostile_plan):
    period = period_for(plan=hostile_plan, day=date(2026, 4, 3))
    data = assessment_xlsx(plan=hostile_plan, period=period, scores=assessment_rank(plan=hostile_plan, period=period))
    _assert_text_not_formula(data, {UNIT})
