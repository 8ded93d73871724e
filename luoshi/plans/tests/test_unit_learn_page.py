"""`luoshi units learn FILE` and the supervisor's page: last year's 任务分解表 in, what was learned out."""
from io import BytesIO

import docx
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.test import Client
from django.urls import reverse
from openpyxl import Workbook

from luoshi.plans.models import UnitCorrection
from luoshi.plans.suggest import UnitSuggester

pytestmark = pytest.mark.django_db

HEADER = ["序号", "工作任务", "牵头单位", "配合单位", "完成时限"]
ROWS = [
    ["1", "推进义务教育学校新建和改扩建", "区教育局", "凤桥镇", "2025年12月"],
    ["2", "建设科技企业孵化器，培育科技型中小企业", "区科技局", "区教育局、区发改委", "2025年6月"],
    ["3", "召开全区动员大会", "各相关部门", "", "2025年3月"],
]


def xlsx_table(rows=ROWS) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "任务分解表"
    sheet.append(["2025年重点工作任务分解表"])
    sheet.append(HEADER)
    for row in rows:
        sheet.append(row)
    buffer = BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def docx_table(rows=ROWS) -> bytes:
    document = docx.Document()
    document.add_paragraph("2025年重点工作任务分解表")
    table = document.add_table(rows=1, cols=len(HEADER))
    for cell, text in zip(table.rows[0].cells, HEADER):
        cell.text = text
    for row in rows:
        for cell, text in zip(table.add_row().cells, row):
            cell.text = text
    buffer = BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def learned():
    return sorted(
        (c.unit.code, c.role) for c in UnitCorrection.objects.filter(source=UnitCorrection.Source.LEARNED)
    )


def test_the_command_learns_an_xlsx_table_and_says_what_it_learned(units, tmp_path, capsys):
    path = tmp_path / "2025年任务分解表.xlsx"
    path.write_bytes(xlsx_table())

    call_command("units", "learn", str(path))

    out = capsys.readouterr().out
    assert "Learned from 2025年任务分解表.xlsx: 2 of 3 rows; units matched: 3, names matching no unit: 1." in out
    assert "Matched no unit (left out): 区发改委" in out
    assert "Placeholders, not units: 各相关部门" in out
    assert learned() == [("education", "co"), ("education", "lead"), ("fengqiao", "co"), ("science", "lead")]


def test_the_command_refuses_a_file_that_is_not_a_task_table(units, tmp_path):
    path = tmp_path / "要点.txt"
    path.write_text("一、推进教育", encoding="utf-8")

    with pytest.raises(CommandError, match=r"\.xlsx 或 \.docx"):
        call_command("units", "learn", str(path))
    assert learned() == []


def test_the_command_names_a_missing_file(units, tmp_path):
    with pytest.raises(CommandError, match="没有.xlsx|Cannot read"):
        call_command("units", "learn", str(tmp_path / "没有.xlsx"))


@pytest.fixture
def supervisor_client(supervisor):
    client = Client()
    client.force_login(supervisor)
    return client


def upload(client, name, content):
    return client.post(reverse("plans:unit_learn"), {"file": SimpleUploadedFile(name, content)})


def test_the_page_learns_a_docx_table_and_shows_rows_units_and_unmatched_names(units, supervisor_client):
    response = upload(supervisor_client, "2025年任务分解表.docx", docx_table())

    page = response.content.decode()
    assert response.status_code == 200
    assert "已从“2025年任务分解表.docx”学习：共 3 行，学到 2 行" in page
    assert "匹配到 3 个单位" in page
    assert "1 个名称未匹配到单位" in page and "区发改委" in page
    assert "第3行：没有写明目录中的单位" in page
    assert learned() == [("education", "co"), ("education", "lead"), ("fengqiao", "co"), ("science", "lead")]


def test_what_the_page_learned_leads_a_similar_measure(units, supervisor_client):
    upload(supervisor_client, "2025年任务分解表.xlsx", xlsx_table())

    lead = UnitSuggester.from_db().suggest("推进学校新建和改扩建工程").lead[0]

    assert lead.unit_code == "education"
    assert any(m.startswith("学自: 推进义务教育学校新建") for m in lead.matched)


def test_the_page_refuses_a_document_without_a_task_table_and_says_what_it_needs(units, supervisor_client):
    document = docx.Document()
    document.add_paragraph("一、推进义务教育优质均衡")
    buffer = BytesIO()
    document.save(buffer)

    response = upload(supervisor_client, "要点.docx", buffer.getvalue())

    assert "要点.docx中没有找到任务分解表：表头须有任务列，以及牵头单位或责任单位列。" in response.content.decode()
    assert learned() == []


def test_a_reporter_cannot_teach_the_suggester(units, reporter_education):
    client = Client()
    client.force_login(reporter_education)

    response = client.post(reverse("plans:unit_learn"), {"file": SimpleUploadedFile("t.xlsx", xlsx_table())})

    assert response.status_code == 403
    assert learned() == []


def test_the_unit_directory_links_supervisors_to_the_learning_page(units, supervisor_client, reporter_education):
    link = reverse("plans:unit_learn")
    assert link in supervisor_client.get(reverse("unit_list")).content.decode()

    reporter = Client()
    reporter.force_login(reporter_education)
    assert link not in reporter.get(reverse("unit_list")).content.decode()
