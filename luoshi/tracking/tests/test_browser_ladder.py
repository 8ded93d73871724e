"""In Debian's chromium: a supervisor drafts a 督办单, previews it and submits it for approval; a leader approves;
the reporter signs for it (签收) on a phone and replies; the task page shows the escalation ladder with dates.

The clock is the real one (a browser's cookies would expire in a frozen past), so the plan is for the current year.
"""
import pytest
from django.urls import reverse
from django.utils import timezone

from luoshi.tracking.models import Acknowledgement, ReportingCycle, SupervisionNotice, TaskTrack
from luoshi.tracking.periods import today
from luoshi.tracking.tests.report_world import report_plan, task_of

pytestmark = pytest.mark.browser


def test_a_notice_is_drafted_approved_signed_for_and_answered_and_the_ladder_shows_it(
    transactional_db, page, phone_page, screenshot, login, units, reporter_education, supervisor, leader
):
    plan = report_plan(units, year=timezone.localdate().year)
    task = task_of(plan, "education")
    TaskTrack.objects.create(task=task, light="red", percent=20, reasons=[
        {"code": "milestone_missed", "light": "red", "text": "节点「完成选址」未完成"},
    ])
    ReportingCycle.objects.create(plan=plan, notice_needs_approval=True)
    units["education"].leader = leader
    units["education"].save()
    # The unit signed for the task when it was given; the notice is what waits.
    Acknowledgement.objects.filter(task__plan=plan).update(acked_at=timezone.now())

    # The office: 催办 from the task page, then a draft from the red list.
    login(page, "supervisor")
    page.goto(page.base_url + reverse("plans:task", args=[task.pk]))
    page.fill("#chase-note", "请本周内落实幼儿园选址。")
    page.get_by_role("button", name="催办", exact=True).click()
    page.wait_for_load_state()
    assert page.get_by_text("已向区教育局催办。").is_visible()
    page.goto(page.base_url + reverse("tracking:plan_status", args=[plan.pk]))
    page.get_by_role("button", name="起草督办单").click()
    page.wait_for_load_state()
    assert page.get_by_text("督办单草稿已生成").is_visible()
    page.fill("#text", "请于一周内明确3所幼儿园选址方案，并报送督查室。")
    page.get_by_role("button", name="保存草稿").click()
    page.wait_for_load_state()
    assert page.get_by_text("草稿已保存。").is_visible()
    with page.expect_download() as download:
        page.get_by_role("link", name="预览（.docx）").click()
    assert download.value.suggested_filename.endswith(".docx")
    screenshot(page, "draft-desktop")
    page.get_by_role("button", name="提交审批").click()
    page.wait_for_load_state()
    assert page.get_by_text("已提交领导审批。").is_visible()
    notice = SupervisionNotice.objects.get(task=task)
    assert (notice.status, notice.number) == ("pending", None)

    # The leader approves: it is numbered and sent.
    page.context.clear_cookies()
    login(page, "leader")
    page.goto(page.base_url + reverse("tracking:notices") + "?status=pending")
    page.get_by_role("link", name="草稿").click()
    page.wait_for_load_state()
    assert page.get_by_text("请于一周内明确3所幼儿园选址方案").first.is_visible()
    page.get_by_role("button", name="同意并发送").click()
    page.wait_for_load_state()
    notice.refresh_from_db()
    assert notice.status == "open" and notice.number.startswith(f"南湖督〔{today().year}〕")
    assert page.get_by_text(f"已审批，督办单{notice.number}已发送。").is_visible()
    assert notice.copied_to == ["区领导 李建国"]
    screenshot(page, "approved-desktop")

    # The reporter, on a phone: 待签收, 签收, then the reply.
    phone = phone_page
    login(phone, "reporter-education")
    phone.goto(phone.base_url + reverse("tracking:my_tasks"))
    assert phone.get_by_text(f"督办单{notice.number}").is_visible()
    assert phone.evaluate("document.documentElement.scrollWidth") <= 375
    screenshot(phone, "to-sign-phone")
    phone.get_by_role("button", name="签收").click()
    phone.wait_for_load_state()
    assert phone.get_by_text("已签收").first.is_visible()
    assert Acknowledgement.objects.get(notice=notice).acked_by == reporter_education
    phone.goto(phone.base_url + reverse("tracking:notice", args=[notice.pk]))
    phone.fill("#reply", "已完成2所幼儿园选址，第3所本月底前确定。")
    phone.get_by_role("button", name="提交反馈").click()
    phone.wait_for_load_state()
    notice.refresh_from_db()
    assert notice.status == "replied"

    # The task page shows the rungs reached, with their dates.
    day = today().isoformat()
    phone.goto(phone.base_url + reverse("plans:task", args=[task.pk]))
    ladder = phone.locator(".ladder-panel")
    assert ladder.locator('[data-rung="chase"]').inner_text().count(day) == 1
    assert notice.number in ladder.locator('[data-rung="notice"]').inner_text()
    assert "未到此步" in ladder.locator('[data-rung="circular"]').inner_text()
    assert phone.evaluate("document.documentElement.scrollWidth") <= 375
    ladder.scroll_into_view_if_needed()
    screenshot(phone, "ladder-phone")
    page.context.clear_cookies()
    login(page, "supervisor")
    page.goto(page.base_url + reverse("plans:task", args=[task.pk]))
    page.locator(".ladder-panel").scroll_into_view_if_needed()
    screenshot(page, "ladder-desktop")
