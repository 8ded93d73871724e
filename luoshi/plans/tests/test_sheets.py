import io
from datetime import date, datetime
from decimal import Decimal
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import ManagementUtility, call_command
from django.core.management.base import CommandError
from docx import Document
from hypothesis import given
from hypothesis import strategies as st
from openpyxl import Workbook, load_workbook

from luoshi.accounts.models import Unit
from luoshi.accounts.services import unit_directory_load
from luoshi.audit.models import AuditEntry
from luoshi.plans import services, sheets, workdays
from luoshi.plans.documents import task_sheet_docx
from luoshi.plans.models import Measure, Plan, Section, Task
from luoshi.plans.sheets import task_sheet_export, task_sheet_import

pytestmark = pytest.mark.django_db

UNIT_DIRECTORY = Path(__file__).resolve().parents[2] / "accounts" / "data" / "nanhu-units.yaml"


# A small plan with everything a row can show ----------------------------------


def make_units() -> dict[str, Unit]:
    rows = [
        ("education", "区教育局", "区教育局", ["教育局"], "government"),
        ("science", "区科学技术局", "区科技局", ["科技局"], "government"),
        ("finance", "区财政局", "区财政局", ["财政局"], "government"),
        ("fengqiao", "凤桥镇", "凤桥镇", ["凤桥"], "town"),
        ("market", "区市场监督管理局", "区市场监管局", ["市场局"], "government"),
        ("market-branch", "区市场监督管理局凤桥分局", "", ["市场局"], "government"),
    ]
    return {
        code: Unit.objects.create(
            code=code, name=name, short_name=short, aliases=aliases, kind=kind, sort_order=index
        )
        for index, (code, name, short, aliases, kind) in enumerate(rows)
    }


def make_plan(units: dict[str, Unit], *, name="南湖区2026年工作要点", year=2026) -> Plan:
    """Three tasks under one objective:

    1. 新建幼儿园 — lead 区教育局, co 凤桥镇, due 2026-06-30, two milestones, a numeric indicator
    2. 科技攻坚 — lead 区科学技术局, due 2026-12-31, a worded indicator
    3. 财政保障 — lead 区财政局, co 区教育局、区科学技术局, due 2026-09-30
    """
    plan = Plan.objects.create(name=name, year=year)
    part = Section.objects.create(plan=plan, number="1", level=1, label="一、", title="全力建设教育强区", position=1)
    objective = Section.objects.create(
        plan=plan, parent=part, number="1.1", level=2, title="实施“学在南湖”品牌行动", position=2
    )
    rows = [
        ("新建幼儿园3所，改善办学条件。", "education", ["fengqiao"], date(2026, 6, 30)),
        ("开展“科技创新攻坚年”活动。", "science", [], date(2026, 12, 31)),
        ("保障教育和科技经费投入。", "finance", ["education", "science"], date(2026, 9, 30)),
    ]
    for position, (text, lead, co, due) in enumerate(rows, start=1):
        measure = Measure.objects.create(
            plan=plan, section=objective, number=f"1.1.{position}", text=text, text_key=f"{name}-{position}",
            position=position,
        )
        task = Task.objects.create(
            plan=plan, measure=measure, title=text.rstrip("。"), lead_unit=units[lead], due_date=due
        )
        task.co_units.set([units[code] for code in co])
    first, second, _third = plan.tasks.all()
    first.milestones.create(title="完成选址", due_date=date(2026, 3, 31), position=0)
    first.milestones.create(title="开工建设", due_date=date(2026, 5, 29), position=1)
    first.indicators.create(name="新建幼儿园", baseline=Decimal("0"), target=Decimal("3"), unit="所")
    second.indicators.create(name="创建目标", target_text="争创国家级创新型县（市）")
    return plan


@pytest.fixture
def units(db):
    # Replaces the shared cast's units, so the shared users (supervisor,
    # reporter_education) stand beside these.
    return make_units()


@pytest.fixture
def plan(units):
    return make_plan(units)


# Editing a sheet as a person would in Excel ------------------------------------


class Sheet:
    """An exported sheet opened for editing; ``cell(task_row, header)`` addresses cells as a person reads them."""

    def __init__(self, data: bytes):
        self.book = load_workbook(io.BytesIO(data))
        self.ws = self.book[sheets.SHEET_TITLE]
        self.columns = {cell.value: cell.column for cell in self.ws[sheets.HEADER_ROW]}

    def cell(self, task_row: int, header: str):
        return self.ws.cell(row=sheets.HEADER_ROW + task_row, column=self.columns[header])

    def set(self, task_row: int, header: str, value) -> "Sheet":
        self.cell(task_row, header).value = value
        return self

    def bytes(self) -> bytes:
        out = io.BytesIO()
        self.book.save(out)
        return out.getvalue()


def edited(plan, edits: dict) -> bytes:
    sheet = Sheet(task_sheet_export(plan=plan))
    for (row, header), value in edits.items():
        sheet.set(row, header, value)
    return sheet.bytes()


def versions(plan) -> list[int]:
    return list(plan.tasks.order_by("pk").values_list("version", flat=True))


# Export -----------------------------------------------------------------------


def test_the_export_has_a_title_a_header_and_one_row_per_task(plan):
    sheet = Sheet(task_sheet_export(plan=plan))
    ws = sheet.ws

    assert ws["A1"].value == "南湖区2026年工作要点任务分解表"
    assert [cell.value for cell in ws[2]] == sheets.HEADERS
    assert ws.max_row == 2 + 3
    assert [sheet.cell(1, h).value for h in ("序号", "任务内容", "牵头单位", "责任单位")] == [
        1, "新建幼儿园3所，改善办学条件", "区教育局", "凤桥镇"
    ]
    assert sheet.cell(1, "完成时限").value == datetime(2026, 6, 30)
    assert sheet.cell(1, "节点").value == "2026-03-31 完成选址；\n2026-05-29 开工建设"
    assert sheet.cell(1, "指标").value == "新建幼儿园：0→3所"
    assert sheet.cell(2, "指标").value == "创建目标：争创国家级创新型县（市）"
    assert sheet.cell(3, "责任单位").value == "区教育局、区科学技术局"
    assert sheet.cell(1, "所属板块").value == "一、全力建设教育强区 / 实施“学在南湖”品牌行动"
    assert sheet.cell(1, "来源原文").value == "新建幼儿园3所，改善办学条件。"
    task = plan.tasks.first()
    assert sheet.cell(1, "任务编号").value == f"{task.pk}-v1"


def test_the_export_hides_and_locks_the_task_id_and_freezes_the_header(plan):
    ws = Sheet(task_sheet_export(plan=plan)).ws

    assert ws.column_dimensions["K"].hidden
    assert ws.protection.sheet
    assert ws["K3"].protection.locked
    assert ws["I3"].protection.locked  # 来源原文 is for reading
    assert ws["J3"].protection.locked  # so is the plan's own responsibility clause
    assert not ws["B3"].protection.locked  # 任务内容 is for editing
    assert not ws["E3"].protection.locked
    assert ws["D4"].value is None and not ws["D4"].protection.locked  # an empty cell stays editable
    assert ws.freeze_panes == "C3"


def test_the_export_is_set_in_chinese_fonts_with_wrapped_text(plan):
    ws = Sheet(task_sheet_export(plan=plan)).ws

    assert ws["B3"].font.name == "仿宋"
    assert ws["B3"].alignment.wrap_text
    assert ws["B2"].font.name == "黑体"
    assert ws.column_dimensions["B"].width > ws.column_dimensions["A"].width


def test_the_export_offers_unit_and_date_validation(plan, units):
    book = load_workbook(io.BytesIO(task_sheet_export(plan=plan)))
    ws = book[sheets.SHEET_TITLE]
    listed = book[sheets.UNITS_SHEET_TITLE]

    assert listed.sheet_state == "hidden"
    assert [row[0].value for row in listed.iter_rows()] == [unit.name for unit in units.values()]
    by_range = {str(v.sqref): v for v in ws.data_validations.dataValidation}
    assert by_range["C3:C5"].type == "list"
    assert by_range["C3:C5"].formula1 == "'单位'!$A$1:$A$6"
    assert by_range["C3:C5"].showErrorMessage
    assert by_range["D3:D5"].type == "list"
    assert not by_range["D3:D5"].showErrorMessage  # several co-units per cell
    assert by_range["E3:E5"].type == "date"


def test_an_empty_plan_exports_a_sheet_with_only_its_header(units):
    empty = Plan.objects.create(name="空规划", year=2026)

    ws = Sheet(task_sheet_export(plan=empty)).ws

    assert ws.max_row == 2


# Round trip ---------------------------------------------------------------------


def test_an_export_imported_back_unedited_changes_nothing(plan, supervisor):
    result = task_sheet_import(plan=plan, data=task_sheet_export(plan=plan), actor=supervisor, dry_run=False)

    assert result.errors == []
    assert result.changes == []
    assert result.rows == 3
    assert not result.applied
    assert versions(plan) == [1, 1, 1]
    assert not AuditEntry.objects.exists()


def test_an_export_saved_again_by_excel_imports_back_unchanged(plan, supervisor):
    # openpyxl re-saving the workbook stands in for Excel: same cells, new file.
    data = Sheet(task_sheet_export(plan=plan)).bytes()

    result = task_sheet_import(plan=plan, data=data, actor=supervisor, dry_run=False)

    assert (result.errors, result.changes) == ([], [])
    assert versions(plan) == [1, 1, 1]


def test_edits_in_every_editable_column_are_applied_and_audited(plan, units, supervisor):
    data = edited(plan, {
            (1, "任务内容"): "新建幼儿园4所",
            (1, "牵头单位"): "教育局",  # an alias
            (1, "责任单位"): "凤桥镇、区财政局",
            (1, "完成时限"): "2026年8月31日",
            (1, "节点"): "2026-03-31 完成选址；2026/7/31 主体完工",
            (1, "指标"): "新建幼儿园：0→4所；在园幼儿数：1200人",
        },
    )

    result = task_sheet_import(plan=plan, data=data, actor=supervisor, dry_run=False)

    assert result.errors == []
    assert result.applied
    assert len(result.changes) == 1
    assert result.changes[0].startswith("第3行")
    task = plan.tasks.first()
    assert task.title == "新建幼儿园4所"
    assert task.lead_unit == units["education"]
    assert set(task.co_units.all()) == {units["fengqiao"], units["finance"]}
    assert task.due_date == date(2026, 8, 31)
    assert [(m.due_date, m.title) for m in task.milestones.all()] == [
        (date(2026, 3, 31), "完成选址"),
        (date(2026, 7, 31), "主体完工"),
    ]
    assert [(i.name, i.baseline, i.target, i.unit) for i in task.indicators.all()] == [
        ("新建幼儿园", Decimal("0"), Decimal("4"), "所"),
        ("在园幼儿数", None, Decimal("1200"), "人"),
    ]
    assert task.version == 2
    assert versions(plan)[1:] == [1, 1]
    entry = AuditEntry.objects.get()
    assert entry.actor == supervisor
    assert entry.object_id == str(task.pk)
    assert entry.before["title"] == "新建幼儿园3所，改善办学条件"
    assert entry.after["title"] == "新建幼儿园4所"
    assert entry.after["due_date"] == "2026-08-31"


def test_a_dry_run_lists_the_changes_and_applies_nothing(plan, supervisor):
    data = edited(plan, {(2, "牵头单位"): "区财政局", (3, "完成时限"): "2026-10-30"})

    result = task_sheet_import(plan=plan, data=data, actor=supervisor, dry_run=True)

    assert not result.applied
    assert result.changes == [
        f"第4行（任务{plan.tasks.all()[1].pk}）：牵头单位 “区科学技术局” → “区财政局”",
        f"第5行（任务{plan.tasks.all()[2].pk}）：完成时限 “2026-09-30” → “2026-10-30”",
    ]
    assert versions(plan) == [1, 1, 1]
    assert not AuditEntry.objects.exists()


def test_dates_may_be_real_dates_or_text_in_common_forms(plan, supervisor):
    for value, expected in [
        (datetime(2026, 7, 15), date(2026, 7, 15)),
        ("2026-07-16", date(2026, 7, 16)),
        ("2026/7/17", date(2026, 7, 17)),
        ("2026.7.20", date(2026, 7, 20)),
        ("2026年7月21日", date(2026, 7, 21)),
        (46225, date(2026, 7, 22)),  # a date that lost its cell format
    ]:
        result = task_sheet_import(
            plan=plan, data=edited(plan, {(1, "完成时限"): value}), actor=supervisor, dry_run=False
        )
        assert result.errors == [], value
        assert plan.tasks.first().due_date == expected


def test_a_due_date_on_a_holiday_is_kept_with_a_warning(plan, supervisor):
    workdays.calendar_cache_clear()
    data = edited(plan, {(3, "完成时限"): "2026-10-05"})

    result = task_sheet_import(plan=plan, data=data, actor=supervisor, dry_run=False)

    assert result.applied
    assert result.warnings == ["第5行：完成时限 2026-10-05 不是工作日（国庆节）"]
    assert plan.tasks.all()[2].due_date == date(2026, 10, 5)


# Row-by-row errors, nothing applied ---------------------------------------------


def test_bad_rows_are_listed_by_row_and_column_and_nothing_is_applied(plan, supervisor):
    data = edited(plan, {
            (1, "任务内容"): "一个有效的修改",
            (2, "牵头单位"): "区教委",
            (2, "完成时限"): "年底前",
            (3, "任务内容"): None,
            (3, "责任单位"): "区教育局、不存在的局",
        },
    )

    result = task_sheet_import(plan=plan, data=data, actor=supervisor, dry_run=False)

    assert not result.applied
    assert [(e.row, e.column) for e in result.errors] == [
        (4, "牵头单位"),
        (4, "完成时限"),
        (5, "任务内容"),
        (5, "责任单位"),
    ]
    messages = [str(e) for e in result.errors]
    assert messages[0] == "第4行「牵头单位」：找不到单位“区教委”，请使用单位名录中的名称"
    assert messages[1].startswith("第4行「完成时限」：“年底前”不是日期")
    assert messages[2] == "第5行「任务内容」：不能为空"
    assert "不存在的局" in messages[3]
    assert plan.tasks.first().title == "新建幼儿园3所，改善办学条件"
    assert versions(plan) == [1, 1, 1]
    assert not AuditEntry.objects.exists()


def test_a_formula_is_refused_with_the_cell_named(plan, supervisor):
    data = edited(plan, {(3, "完成时限"): "=DATE(2026,10,30)"})

    result = task_sheet_import(plan=plan, data=data, actor=supervisor, dry_run=False)

    assert [str(e) for e in result.errors] == ["第5行「完成时限」是公式，请粘贴为数值"]
    assert versions(plan) == [1, 1, 1]


def test_emptying_the_lead_unit_or_the_due_date_is_refused(plan, supervisor):
    data = edited(plan, {(1, "牵头单位"): None, (2, "完成时限"): ""})

    result = task_sheet_import(plan=plan, data=data, actor=supervisor, dry_run=False)

    assert [str(e) for e in result.errors] == ["第3行「牵头单位」：不能为空", "第4行「完成时限」：不能为空"]


def test_an_alias_shared_by_two_units_asks_for_the_full_name(plan, supervisor):
    result = task_sheet_import(
        plan=plan, data=edited(plan, {(1, "牵头单位"): "市场局"}), actor=supervisor, dry_run=True
    )

    assert [str(e) for e in result.errors] == [
        "第3行「牵头单位」：“市场局”可指区市场监督管理局、区市场监督管理局凤桥分局，请写全称"
    ]


def test_the_lead_unit_cannot_also_be_a_co_unit(plan, supervisor):
    result = task_sheet_import(
        plan=plan, data=edited(plan, {(1, "责任单位"): "凤桥镇、区教育局"}), actor=supervisor, dry_run=True
    )

    assert [str(e) for e in result.errors] == ["第3行「责任单位」：“区教育局”已是牵头单位，不能同时作为责任单位"]


def test_milestones_and_indicators_must_be_readable(plan, supervisor):
    data = edited(plan, {(1, "节点"): "尽快 完成选址；2026-02-30 开工", (2, "指标"): "研发投入：2.123456→3%"},
    )

    result = task_sheet_import(plan=plan, data=data, actor=supervisor, dry_run=True)

    assert [str(e) for e in result.errors] == [
        "第3行「节点」：“尽快 完成选址”应以日期或时限开头，例如“2026-06-30 完成方案”或“6月底前 完成方案”",
        "第3行「节点」：“2026-02-30”不是有效日期",
        "第4行「指标」：“研发投入：2.123456→3%”中的数值最多保留4位小数",
    ]


def test_milestones_take_the_deadline_words_of_a_plan(plan, supervisor):
    data = edited(plan, {(1, "节点"): "6月底前 完成选址；三季度主体完工；年底前：投入使用"})

    result = task_sheet_import(plan=plan, data=data, actor=supervisor, dry_run=False)

    assert result.errors == [] and result.applied
    # As the parser reads them in the plan's year (2026), on a working day like an imported due date.
    assert [(m.due_date, m.title) for m in plan.tasks.first().milestones.all()] == [
        (date(2026, 6, 30), "完成选址"),
        (date(2026, 9, 30), "主体完工"),
        (date(2026, 12, 31), "投入使用"),
    ]


def test_a_task_of_another_plan_is_refused(plan, units, supervisor):
    other = make_plan(units, name="另一个规划")
    sheet = Sheet(task_sheet_export(plan=plan))
    stranger = other.tasks.first()
    sheet.set(1, "任务编号", f"{stranger.pk}-v1")

    result = task_sheet_import(plan=plan, data=sheet.bytes(), actor=supervisor, dry_run=False)

    assert [str(e) for e in result.errors] == [
        f"第3行「任务编号」：任务{stranger.pk}不属于规划“南湖区2026年工作要点”，请检查是否选错了规划或文件"
    ]


def test_an_unknown_or_repeated_task_id_is_refused(plan, supervisor):
    sheet = Sheet(task_sheet_export(plan=plan))
    first = plan.tasks.first()
    sheet.set(2, "任务编号", f"{first.pk}-v1")
    sheet.set(3, "任务编号", "999999-v1")

    result = task_sheet_import(plan=plan, data=sheet.bytes(), actor=supervisor, dry_run=False)

    assert [str(e) for e in result.errors] == [
        f"第4行「任务编号」：任务{first.pk}在第3行已出现过，每个任务只能占一行",
        "第5行「任务编号」：任务999999不存在（可能已被删除或合并）",
    ]


def test_a_new_row_without_a_task_id_is_refused(plan, supervisor):
    sheet = Sheet(task_sheet_export(plan=plan))
    sheet.ws.append([4, "新增的任务", "区教育局"])

    result = task_sheet_import(plan=plan, data=sheet.bytes(), actor=supervisor, dry_run=False)

    assert [str(e) for e in result.errors] == ["第6行「任务编号」：缺少任务编号。新增任务请在系统中拆分举措后重新导出"]


def test_an_edit_to_a_task_changed_since_the_export_is_refused(plan, supervisor):
    data = edited(plan, {(1, "任务内容"): "表格中的修改"})
    task = plan.tasks.first()
    Task.objects.filter(pk=task.pk).update(title="系统中的修改", version=2)

    result = task_sheet_import(plan=plan, data=data, actor=supervisor, dry_run=False)

    assert [e.row for e in result.errors] == [3]
    assert "导出后已在系统中修改（导出时第1版，现为第2版）" in result.errors[0].message
    assert Task.objects.get(pk=task.pk).title == "系统中的修改"


def test_a_task_changed_since_the_export_only_where_the_sheet_does_not_look_is_no_conflict(plan, supervisor):
    data = edited(plan, {(2, "任务内容"): "表格中的修改"})
    first = plan.tasks.first()
    Task.objects.filter(pk=first.pk).update(description="系统中补充的说明", version=2)

    result = task_sheet_import(plan=plan, data=data, actor=supervisor, dry_run=False)

    assert result.errors == []
    assert result.applied
    assert versions(plan) == [2, 2, 1]


# Files that are not a task sheet ---------------------------------------------------


def workbook_bytes(rows, *, merge=None) -> bytes:
    book = Workbook()
    ws = book.active
    for row in rows:
        ws.append(row)
    if merge:
        ws.merge_cells(merge)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def test_a_sheet_from_another_template_names_the_missing_headers(plan, supervisor):
    data = workbook_bytes([["序号", "任务内容", "责任单位", "完成时间"], [1, "某项工作", "区教育局", "2026-06-30"]])

    result = task_sheet_import(plan=plan, data=data, actor=supervisor, dry_run=False)

    assert [str(e) for e in result.errors] == [
        "第1行的表头缺少「任务编号」、「牵头单位」、「完成时限」、「节点」、「指标」列。"
        "这不是本系统导出的任务分解表，或列名被改动了；请重新导出后在其中编辑"
    ]


def test_a_sheet_without_any_known_header_says_so(plan, supervisor):
    result = task_sheet_import(
        plan=plan, data=workbook_bytes([["姓名", "电话"], ["张三", "123"]]), actor=supervisor, dry_run=False
    )

    assert result.errors[0].message.startswith("找不到表头")


def test_merged_cells_are_refused_with_their_place(plan, supervisor):
    sheet = Sheet(task_sheet_export(plan=plan))
    sheet.ws.merge_cells("C4:C5")

    result = task_sheet_import(plan=plan, data=sheet.bytes(), actor=supervisor, dry_run=False)

    assert [str(e) for e in result.errors] == ["表中有合并单元格：C4:C5（第4行起）。请取消合并，每个任务占一行后再导入"]
    assert versions(plan) == [1, 1, 1]


def test_a_merged_title_above_the_header_is_fine(plan, supervisor):
    sheet = Sheet(task_sheet_export(plan=plan))
    sheet.ws.merge_cells("A1:I1")

    result = task_sheet_import(plan=plan, data=sheet.bytes(), actor=supervisor, dry_run=False)

    assert result.errors == []


def test_a_50_mb_file_is_refused_before_it_is_parsed(plan, supervisor, monkeypatch):
    def never(*args, **kwargs):
        raise AssertionError("a file over the limit must not reach openpyxl")

    monkeypatch.setattr(sheets, "load_workbook", never)

    result = task_sheet_import(plan=plan, data=b"PK" + b"\0" * (50 * 1024 * 1024), actor=supervisor, dry_run=False)

    assert result.errors[0].message.startswith("文件大小为 50.0 MB，超过任务分解表的上限 20 MB")


@pytest.mark.parametrize(
    "data, message",
    [
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 4000, "不是有效的 Excel 文件：这是旧版 Office 文件（.doc 或 .xls）"),
        (bytes(range(256)) * 40, "不是有效的 Excel 文件（.xlsx）"),
        (b"", "文件是空的"),
        ("序号,任务内容\n1,修路\n".encode("gb18030"), "不是有效的 Excel 文件（.xlsx）"),
    ],
    ids=["doc-renamed", "binary-junk", "empty", "csv-renamed"],
)
def test_a_file_that_is_not_an_xlsx_is_refused(plan, supervisor, data, message):
    result = task_sheet_import(plan=plan, data=data, actor=supervisor, dry_run=False)

    assert result.errors[0].message.startswith(message)
    assert result.errors[0].row is None


def test_a_word_document_renamed_xlsx_is_called_what_it_is(plan, supervisor):
    result = task_sheet_import(plan=plan, data=task_sheet_docx(plan=plan), actor=supervisor, dry_run=False)

    assert result.errors[0].message == "不是有效的 Excel 文件：这是一个Word 文档，不是 .xlsx 表格"


# Commands -------------------------------------------------------------------------


def run_command(*args) -> str:
    out = StringIO()
    call_command(*args, stdout=out)
    return out.getvalue()


def test_export_tasks_writes_the_xlsx_and_the_docx(plan, tmp_path):
    xlsx, docx = tmp_path / "tasks.xlsx", tmp_path / "tasks.docx"

    out = run_command("export-tasks", str(plan.pk), "--format", "xlsx", "--output", str(xlsx))
    run_command("export-tasks", str(plan.pk), "--format", "docx", "--output", str(docx))

    assert "（3 项任务）" in out
    assert load_workbook(xlsx)[sheets.SHEET_TITLE].max_row == 5
    assert Document(str(docx)).tables[0].rows[1].cells[2].text == "区教育局"


def test_export_tasks_names_a_missing_plan(tmp_path):
    with pytest.raises(CommandError, match="没有编号为 999 的规划"):
        run_command("export-tasks", "999", "--output", str(tmp_path / "x.xlsx"))


def test_import_tasks_dry_run_prints_the_changes_and_applies_nothing(plan, tmp_path):
    path = tmp_path / "edited.xlsx"
    path.write_bytes(edited(plan, {(1, "牵头单位"): "区财政局"}))

    out = run_command("import-tasks", str(plan.pk), str(path), "--dry-run")

    assert "牵头单位 “区教育局” → “区财政局”" in out
    assert "试运行：1 项任务将被修改，未写入数据库。" in out
    assert versions(plan) == [1, 1, 1]


def test_import_tasks_applies_and_records_the_user(plan, supervisor, tmp_path):
    path = tmp_path / "edited.xlsx"
    path.write_bytes(edited(plan, {(1, "牵头单位"): "区财政局"}))

    out = run_command("import-tasks", str(plan.pk), str(path), "--user", "supervisor")

    assert "已导入：1 项任务已修改。" in out
    assert plan.tasks.first().lead_unit.code == "finance"
    assert AuditEntry.objects.get().actor == supervisor


def test_import_tasks_fails_with_the_row_by_row_errors(plan, tmp_path):
    path = tmp_path / "edited.xlsx"
    path.write_bytes(edited(plan, {(1, "牵头单位"): "区教委", (2, "完成时限"): "年底"}))

    with pytest.raises(CommandError) as caught:
        run_command("import-tasks", str(plan.pk), str(path))

    message = str(caught.value)
    assert "有 2 处错误，未导入任何内容" in message
    assert "第3行「牵头单位」：找不到单位“区教委”" in message
    assert "第4行「完成时限」：“年底”不是日期" in message


def test_import_tasks_exits_non_zero_from_the_shell(plan, tmp_path):
    path = tmp_path / "junk.xlsx"
    path.write_bytes(b"not a workbook")

    with pytest.raises(SystemExit) as caught:
        call_command_from_argv("import-tasks", str(plan.pk), str(path))

    assert caught.value.code != 0


def test_import_tasks_says_when_nothing_changed(plan, tmp_path):
    path = tmp_path / "same.xlsx"
    path.write_bytes(task_sheet_export(plan=plan))

    out = run_command("import-tasks", str(plan.pk), str(path))

    assert "没有改动" in out


def call_command_from_argv(*args) -> None:
    ManagementUtility(["luoshi", *args]).execute()


# The seed plan, imported the way a supervisor imports it ----------------------------


@pytest.fixture
def seed_plan(db):
    unit_directory_load(path=UNIT_DIRECTORY)
    return services.plan_import(
        name=services.SEED_PLAN_NAME,
        year=2018,
        filename=services.SEED_PLAN_FILE.name,
        content=services.SEED_PLAN_FILE.read_bytes(),
        actor=None,
    )


def test_the_imported_seed_plan_survives_the_round_trip_unchanged(seed_plan, supervisor):
    audited = AuditEntry.objects.count()
    data = task_sheet_export(plan=seed_plan)
    rows = list(load_workbook(io.BytesIO(data))[sheets.SHEET_TITLE].iter_rows(min_row=3, values_only=True))
    assert len(rows) == seed_plan.tasks.count() == 35
    assert all(row[2] for row in rows)  # every task has its suggested lead unit

    result = task_sheet_import(plan=seed_plan, data=Sheet(data).bytes(), actor=supervisor, dry_run=False)

    assert (result.errors, result.changes, result.rows) == ([], [], 35)
    assert set(seed_plan.tasks.values_list("version", flat=True)) == {1}
    assert AuditEntry.objects.count() == audited


def test_every_cell_of_the_seed_sheet_can_be_read_back_after_a_full_parse(seed_plan, supervisor):
    # Rewriting every editable cell with what it already says (as text, the
    # way a person retyping it would) forces the full parse of each row.
    sheet = Sheet(task_sheet_export(plan=seed_plan))
    for row in range(1, 36):
        due = sheet.cell(row, "完成时限").value
        sheet.set(row, "完成时限", f"{due:%Y年%-m月%-d日}")
        sheet.set(row, "责任单位", (sheet.cell(row, "责任单位").value or "").replace("、", "，"))

    result = task_sheet_import(plan=seed_plan, data=sheet.bytes(), actor=supervisor, dry_run=True)

    assert (result.errors, result.changes) == ([], [])


# What the export writes, the import reads ---------------------------------------------

_amounts = st.decimals(min_value=-10**9, max_value=10**9, places=4, allow_nan=False, allow_infinity=False)
_words = st.text(alphabet="研发投入新建幼儿园亩家所人次亿元%", min_size=1, max_size=8)


@given(day=st.dates(min_value=date(2000, 1, 1), max_value=date(2099, 12, 31)))
def test_a_date_in_any_accepted_form_reads_back_as_itself(day):
    for text in (day.isoformat(), f"{day.year}年{day.month}月{day.day}日", f"{day.year}/{day.month}/{day.day}"):
        assert sheets._parse_date(text) == day


@given(name=_words, baseline=st.none() | _amounts, target=_amounts, unit=st.sampled_from(["", "%", "所", "亿元", "万人次"]))
def test_an_exported_indicator_reads_back_as_itself(name, baseline, target, unit):
    indicator = sheets.IndicatorState(name, baseline, target, unit, "")

    assert sheets._parse_indicator(sheets.indicator_text(indicator)).same_as(indicator)
