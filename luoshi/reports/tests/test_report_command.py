"""``luoshi report``: the monthly circular, StratML and the exports written to files."""
import io
from io import StringIO

import pdfplumber
import pytest
from django.core.management import CommandError, call_command
from docx import Document
from openpyxl import load_workbook

from luoshi.reports.circular import pdf_converter
from luoshi.reports.tests.cockpit_world import demo_world


@pytest.fixture(scope="module")
def seed_plan(django_db_setup, django_db_blocker):
    yield from demo_world(django_db_blocker)


def run(*args) -> str:
    out = StringIO()
    call_command("report", *[str(a) for a in args], stdout=out)
    return out.getvalue()


def test_monthly_writes_the_latest_circular(db, seed_plan, tmp_path):
    target = tmp_path / "通报.docx"
    said = run("monthly", seed_plan.pk, "--period", "latest", "--output", target)
    assert "2018年6月通报" in said
    document = Document(io.BytesIO(target.read_bytes()))
    assert any("2018年6月推进情况的通报" in p.text for p in document.paragraphs)


def test_monthly_takes_a_month(db, seed_plan, tmp_path):
    target = tmp_path / "may.docx"
    run("monthly", seed_plan.pk, "--period", "2018-05", "--output", target)
    assert any("2018年5月推进情况的通报" in p.text for p in Document(str(target)).paragraphs)


@pytest.mark.parametrize("period, message", [
    ("2018-13", "“2018-13”不是有效的报送周期"),
    ("May", "“May”不是有效的报送周期"),
    ("2019-05", "没有包含2019-05的报送周期"),
])
def test_a_bad_period_is_refused_with_the_reason_in_chinese(db, seed_plan, tmp_path, period, message):
    with pytest.raises(CommandError, match=message):
        run("monthly", seed_plan.pk, "--period", period, "--output", tmp_path / "x.docx")
    assert not (tmp_path / "x.docx").exists()


def test_an_unknown_plan_is_refused(db, seed_plan, tmp_path):
    with pytest.raises(CommandError, match="没有编号为 999999 的规划"):
        run("monthly", 999999, "--output", tmp_path / "x.docx")


def test_stratml_and_the_exports_are_written(db, seed_plan, tmp_path):
    run("stratml", seed_plan.pk, "--output", tmp_path / "plan.xml")
    assert b"urn:ISO:std:iso:17469:tech:xsd:stratml_core" in (tmp_path / "plan.xml").read_bytes()
    run("tasks", seed_plan.pk, "--output", tmp_path / "tasks.xlsx")
    assert load_workbook(tmp_path / "tasks.xlsx").active.max_row == seed_plan.tasks.count() + 1
    run("history", seed_plan.pk, "--output", tmp_path / "history.xlsx")
    assert load_workbook(tmp_path / "history.xlsx").active["C2"].value == "2018年1月"


def test_the_pdf_shows_the_chinese_title_as_text(db, seed_plan, tmp_path):
    if pdf_converter() is None:
        pytest.skip("LibreOffice (soffice) is not installed: PDF output is optional")
    target = tmp_path / "通报.pdf"
    run("monthly", seed_plan.pk, "--format", "pdf", "--output", target)
    with pdfplumber.open(target) as pdf:
        first = "".join((pdf.pages[0].extract_text() or "").split())
        assert len(pdf.pages) > 3
    # Text extracted as the characters written means the fonts were mapped, not drawn as boxes.
    assert "关于《南湖全力争当弘扬红船精神排头兵》2018年6月推进情况的通报" in first
    assert "南湖区督查室" in first
