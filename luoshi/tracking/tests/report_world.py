"""A small 2026 plan for the report tests, and evidence files of every kind.

    task "education": lead 区教育局, co-unit 凤桥镇, one milestone, one indicator
    task "fengqiao":  lead 凤桥镇
    task "science":   lead 区科技局 (neither named reporter may see it)

The clock in these tests is 2026-04-03 unless a test says otherwise: the
March period (2026年3月) is the one open for reports. The ``plan``, ``media``
and ``april_3`` fixtures are in conftest.py.
"""
import io
import zipfile
from datetime import date

from django.core.files.uploadedfile import SimpleUploadedFile

from luoshi.plans.models import Measure, Plan, Section, Task

APRIL_3 = "2026-04-03 10:00 +08:00"

PDF_BYTES = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"
PNG_BYTES = b"\x89PNG\r\n\x1a\n" + b"\x00\x00\x00\rIHDR" + b"\x00" * 40
JPEG_BYTES = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + b"\x00" * 40
EXE_BYTES = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff" + b"\x00" * 40


def docx_bytes() -> bytes:
    from docx import Document

    buffer = io.BytesIO()
    document = Document()
    document.add_paragraph("新建幼儿园3所，已竣工验收。")
    document.save(buffer)
    return buffer.getvalue()


def xlsx_bytes() -> bytes:
    from openpyxl import Workbook

    buffer = io.BytesIO()
    book = Workbook()
    book.active.append(["幼儿园", "竣工"])
    book.save(buffer)
    return buffer.getvalue()


def fake_office_zip() -> bytes:
    """A zip with a word/ folder but no [Content_Types].xml: not a Word document."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("word/document.xml", "<w:document/>")
    return buffer.getvalue()


def upload(name: str, content: bytes, content_type: str = "application/octet-stream") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type=content_type)


def report_plan(units: dict, year: int = 2026) -> Plan:
    plan = Plan.objects.create(name=f"南湖区{year}年工作要点", year=year, issuing_body="南湖区人民政府")
    section = Section.objects.create(plan=plan, number="1", level=1, label="一、", title="教育与城镇", position=1)
    rows = [
        ("education", "全面推进教育现代化，新建幼儿园3所。", ["fengqiao"]),
        ("fengqiao", "加快凤桥镇特色小镇建设。", []),
        ("science", "深化“最多跑一次”改革，实现80%事项网上办理。", []),
    ]
    for position, (lead, text, co) in enumerate(rows, start=1):
        measure = Measure.objects.create(
            plan=plan, section=section, number=f"1.{position}", text=text, text_key=f"k{position}", position=position
        )
        task = Task.objects.create(
            plan=plan, measure=measure, title=text.rstrip("。"), lead_unit=units[lead],
            start_date=date(year, 1, 1), due_date=date(year, 12, 31),
        )
        task.co_units.set([units[code] for code in co])
    education = task_of(plan, "education")
    education.milestones.create(title="完成选址", due_date=date(year, 3, 31))
    education.indicators.create(name="新建幼儿园", unit="所", target=3, target_text="3所")
    return plan


def task_of(plan: Plan, lead_code: str) -> Task:
    return plan.tasks.get(lead_unit__code=lead_code)


def files_under(path) -> list:
    return [p for p in path.rglob("*") if p.is_file()]
