"""Task tables in Word and Excel files import as measures with their units and time limits."""
import io
import zipfile

import openpyxl
import pytest
from docx import Document

from luoshi.parsing import ParseError, parse_bytes

HEADER = ["序号", "重点任务", "牵头部门", "配合部门", "时间节点"]


def docx_bytes(document) -> bytes:
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def task_table(document, rows):
    table = document.add_table(rows=len(rows), cols=len(rows[0]))
    for r, row in enumerate(rows):
        for c, text in enumerate(row):
            table.cell(r, c).text = text
    return table


def town_plan_table(document):
    rows = [
        HEADER,
        ["一、产业发展", "", "", "", ""],
        ["1", "新增规上工业企业10家", "镇经济发展办", "区投资促进中心、区统计局", "2026年6月底前"],
        ["2", "完成低效用地减量20亩", "镇规划建设办", "", "年内"],
        ["序号", "重点任务", "牵头\n部门", "配合部门", "时间节点"],
        ["二、民生保障", "", "", "", ""],
        ["3", "新建社区食堂2家", "镇社区事务办", "各村居", "2026年底"],
        ["4", "开展适老化改造100户", "", "", "2026年"],
    ]
    table = task_table(document, rows)
    # Group rows span the table; the 牵头部门 cells of rows 3 and 4 are one merged cell.
    for r in (1, 5):
        table.cell(r, 0).merge(table.cell(r, 4))
    merged = table.cell(6, 2).merge(table.cell(7, 2))
    merged.text = "镇社区事务办"
    return table


def test_a_word_document_whose_tasks_are_in_a_table_imports_the_rows_as_measures_by_group():
    document = Document()
    document.add_paragraph("某镇2026年重点工作任务分解表")
    town_plan_table(document)
    outline = parse_bytes(docx_bytes(document), filename="分解表.docx")
    assert outline.title == "某镇2026年重点工作任务分解表"
    assert [(s.label, s.title) for s in outline.sections] == [("一、", "产业发展"), ("二、", "民生保障")]
    measures = list(outline.measures())
    assert [m.text for m in measures] == ["新增规上工业企业10家", "完成低效用地减量20亩", "新建社区食堂2家", "开展适老化改造100户"]
    first = measures[0]
    assert first.responsibility.lead == ["镇经济发展办"]
    assert first.responsibility.co == ["区投资促进中心", "区统计局"]
    assert first.responsibility.form == "table"
    assert first.deadline.text == "2026年6月底前" and first.deadline.end.isoformat() == "2026-06-30"
    assert first.targets and first.targets[0].value == 10
    # The merged 牵头部门 cell covers the last row too.
    assert measures[3].responsibility.lead == ["镇社区事务办"]
    assert measures[3].deadline.kind == "year" and measures[3].deadline.end.isoformat() == "2026-12-31"
    assert not any(w.code == "table_not_tasks" for w in outline.warnings)


def test_a_task_table_after_the_plan_text_is_an_appendix_and_other_tables_are_kept_as_text():
    document = Document()
    document.add_paragraph("某镇2026年工作要点")
    document.add_paragraph("一、产业发展")
    document.add_paragraph("新增规上工业企业10家。")
    document.add_paragraph("二、民生保障")
    document.add_paragraph("新建社区食堂2家。")
    document.add_paragraph("表1 各村人口")
    task_table(document, [["村名", "户数", "人口"], ["东村", "300", "900"]])
    document.add_paragraph("附件：重点任务分解表")
    task_table(document, [["序号", "工作任务", "责任单位"], ["1", "新建社区食堂2家", "镇社区事务办、各村居"]])
    outline = parse_bytes(docx_bytes(document), filename="要点.docx")
    assert [m.text for m in outline.measures()] == ["新增规上工业企业10家。", "新建社区食堂2家。"]
    [appendix] = outline.appendices
    assert appendix.appendix and appendix.title == "附件：重点任务分解表"
    assert [m.text for m in appendix.measures] == ["新建社区食堂2家"]
    assert appendix.measures[0].responsibility.co == ["镇社区事务办", "各村居"]
    [warning] = [w for w in outline.warnings if w.code == "table_not_tasks"]
    assert "表1 各村人口" in warning.message and "2 行" in warning.message
    assert "东村 | 300 | 900" in outline.preamble


def xlsx_bytes(rows, merges=(), title="任务表") -> bytes:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = title
    for row in rows:
        sheet.append(row)
    for merge in merges:
        sheet.merge_cells(merge)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def test_an_excel_task_list_with_merged_cells_and_half_edited_rows_imports_every_task():
    rows = [
        ["2026年城市更新重点任务清单", None, None, None, None, None],
        ["任务类型", "序号", "具体措施", "牵头单位", "协办单位", "完成时限"],
        ["城市更新", 1, "完成旧改项目3个", "区房管局", "区财政局、区规划资源局等", "2026年底前"],
        [None, 2, "推进老旧小区加装电梯50台", "区房管局", "各街镇", "长期"],
        [None, 3, "整治背街小巷8条", None, None, "2026年10月"],
        ["生态环境", 4, "治理黑臭河道5条", "区河湖办（新）", "区生态环境局", "2026年6月底前"],
        [None, 5, None, "区水务局", None, None],
    ]
    data = xlsx_bytes(rows, merges=["A1:F1", "A3:A5", "A6:A7"])
    outline = parse_bytes(data, filename="更新清单.xlsx")
    assert outline.source_format == "xlsx"
    assert outline.title == "2026年城市更新重点任务清单"
    assert [s.title for s in outline.sections] == ["城市更新", "生态环境"]
    measures = list(outline.measures())
    assert [m.text for m in measures] == ["完成旧改项目3个", "推进老旧小区加装电梯50台", "整治背街小巷8条", "治理黑臭河道5条"]
    assert measures[0].responsibility.co == ["区财政局", "区规划资源局"]
    # A task whose unit cells were left empty keeps its text and has no units.
    assert measures[2].responsibility is None and measures[2].deadline.end.isoformat() == "2026-10-31"
    # A unit name nobody knows is kept as written, for the importer to flag.
    assert measures[3].responsibility.lead == ["区河湖办（新）"]


def test_an_excel_file_without_a_task_header_says_which_headers_it_looked_for():
    data = xlsx_bytes([["姓名", "职务", "电话"], ["张三", "主任", "123"]], title="通讯录")
    with pytest.raises(ParseError) as error:
        parse_bytes(data, filename="通讯录.xlsx")
    assert error.value.code == "xlsx_no_tasks"
    assert "「通讯录」" in str(error.value) and "牵头单位" in str(error.value) and "任务" in str(error.value)


def test_a_damaged_excel_file_is_a_clear_error():
    with pytest.raises(ParseError) as error:
        parse_bytes(b"PK\x03\x04" + b"\x00" * 26 + b"xl/workbook.xml", filename="任务表.xlsx")
    assert error.value.code == "damaged_xlsx"
    assert str(error.value).startswith("文件「任务表.xlsx」已损坏")


def test_an_excel_file_with_broken_xml_inside_is_a_clear_error_not_a_traceback():
    good = xlsx_bytes([HEADER, ["1", "新建社区食堂2家", "镇社区事务办", "", "年内"]])
    broken = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(good)) as source, zipfile.ZipFile(broken, "w") as target:
        for item in source.infolist():
            content = source.read(item.filename)
            target.writestr(item, content[: len(content) // 2] if item.filename.endswith("sheet1.xml") else content)
    with pytest.raises(ParseError) as error:
        parse_bytes(broken.getvalue(), filename="任务表.xlsx")
    assert error.value.code == "damaged_xlsx"
