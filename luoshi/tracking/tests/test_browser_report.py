"""In Debian's chromium: a reporter submits a report with a file from a phone; a supervisor
returns it from a desktop; the reporter reads the reason.

The clock is the real one (a browser's cookies would expire in a frozen past),
so the plan is for the current year.
"""
import pytest
from django.urls import reverse
from django.utils import timezone

from luoshi.tracking.models import ProgressReport
from luoshi.tracking.tests.report_world import PDF_BYTES, report_plan, task_of

pytestmark = pytest.mark.browser


def test_a_reporter_submits_from_a_phone_and_a_supervisor_returns_the_report(
    transactional_db, phone_page, page, screenshot, login, units, reporter_education, supervisor, tmp_path, settings
):
    settings.MEDIA_ROOT = tmp_path / "media"
    plan = report_plan(units, year=timezone.localdate().year)
    task = task_of(plan, "education")
    evidence = tmp_path / "选址批复.pdf"
    evidence.write_bytes(PDF_BYTES)

    phone = phone_page
    login(phone, "reporter-education")
    phone.goto(phone.base_url + reverse("tracking:my_tasks"))
    # The new task is listed twice: waiting to be signed for (待签收) and among the tasks.
    assert phone.get_by_text("全面推进教育现代化，新建幼儿园3所").first.is_visible()
    screenshot(phone, "my-tasks-phone")
    phone.get_by_role("link", name="报送进度").click()
    phone.wait_for_load_state()
    phone.fill("#id_percent", "30")
    phone.get_by_label("推进中").check()
    phone.fill("#id_narrative", "完成3所幼儿园选址，其中2所已开工。")
    phone.get_by_label("完成选址").check()
    phone.set_input_files("#id_files", str(evidence))
    # Nothing sticks out sideways on a 375 px screen.
    assert phone.evaluate("document.documentElement.scrollWidth") <= 375
    screenshot(phone, "report-form-phone")
    phone.get_by_role("button", name="报送").click()
    phone.wait_for_load_state()
    assert phone.get_by_text("进度报告已报送，等待督查室审核").is_visible()
    screenshot(phone, "submitted-phone")

    report = ProgressReport.objects.get(task=task)
    assert (report.status, report.percent, report.evidence.get().original_name) == ("submitted", 30, "选址批复.pdf")

    login(page, "supervisor")
    page.goto(page.base_url + reverse("tracking:review"))
    page.get_by_role("link", name="全面推进教育现代化").click()
    page.wait_for_load_state()
    assert page.get_by_role("link", name="选址批复.pdf").is_visible()
    assert page.get_by_text("全面推进教育现代化，新建幼儿园3所。").first.is_visible()
    page.fill("#id_reason", "请补充开工现场照片。")
    screenshot(page, "review-desktop")
    page.get_by_role("button", name="退回责任单位").click()
    page.wait_for_load_state()
    assert page.get_by_text("已连同退回理由退回区教育局").is_visible()
    screenshot(page, "returned-desktop")

    report.refresh_from_db()
    assert (report.status, report.return_reason) == ("returned", "请补充开工现场照片。")
    phone.goto(phone.base_url + reverse("tracking:my_tasks"))
    assert phone.get_by_text("请补充开工现场照片。").is_visible()
    screenshot(phone, "returned-phone")
