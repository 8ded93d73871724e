"""Every upload that opens a zip refuses a zip bomb in Chinese, naming the file and the limit, and keeps nothing."""
import io
import zipfile

import pytest
from django.urls import reverse

from luoshi.parsing.tests.zipbombs import GIB, document_xml_bomb, rebuild, sheet_xml_bomb
from luoshi.plans.models import Plan
from luoshi.plans.sheets import task_sheet_export, task_sheet_import
from luoshi.tracking.models import ProgressReport
from luoshi.tracking.tests.report_world import docx_bytes, files_under, task_of

pytestmark = pytest.mark.django_db

SHEET = "xl/worksheets/sheet1.xml"


def _docx_bomb(*, lying: bool = False) -> bytes:
    bomb = document_xml_bomb(GIB)
    declare = {"word/document.xml": 4096} if lying else None
    return rebuild(docx_bytes(), replace={"word/document.xml": bomb}, declare=declare)


@pytest.mark.parametrize("lying", [False, True], ids=["honest", "lying"])
def test_a_plan_document_that_is_a_zip_bomb_is_refused_on_the_import_page(client, supervisor, lying):
    client.force_login(supervisor)
    upload = io.BytesIO(_docx_bomb(lying=lying))
    upload.name = "规划.docx"
    response = client.post(reverse("plans:import"), {"file": upload, "name": "南湖区2026年工作要点", "year": "2026"})
    page = response.content.decode()
    assert response.status_code in (200, 400)
    assert "文件「规划.docx」中的部件「word/document.xml」" in page
    assert ("超过了单个部件 64 MB 的上限" if not lying else "多于它声明的 4096 字节") in page
    assert not Plan.objects.exists()


def test_a_task_sheet_that_is_a_zip_bomb_is_refused_and_nothing_changes(plan, supervisor):
    exported = task_sheet_export(plan=plan)
    assert SHEET in zipfile.ZipFile(io.BytesIO(exported)).namelist()
    bomb = rebuild(exported, replace={SHEET: sheet_xml_bomb(GIB)})
    result = task_sheet_import(plan=plan, data=bomb, actor=supervisor, dry_run=False)
    assert not result.applied
    [error] = result.errors
    assert error.row is None
    assert error.message.startswith("文件中的部件「xl/worksheets/sheet1.xml」解压后有 1024 MB，超过了单个部件 64 MB 的上限")


def test_evidence_that_is_a_zip_bomb_is_refused_and_the_typed_text_kept(
    client, plan, reporter_education, media, april_3
):
    task = task_of(plan, "education")
    client.force_login(reporter_education)
    upload = io.BytesIO(_docx_bomb())
    upload.name = "佐证.docx"
    response = client.post(
        reverse("tracking:task", args=[task.pk]),
        {"percent": "30", "work_state": "in_progress", "narrative": "新建幼儿园已完成选址。", "files": upload},
    )
    page = response.content.decode()
    assert "文件「佐证.docx」中的部件「word/document.xml」解压后有 1024 MB" in page
    assert "新建幼儿园已完成选址。" in page
    assert not ProgressReport.objects.exists()
    assert files_under(media) == []
