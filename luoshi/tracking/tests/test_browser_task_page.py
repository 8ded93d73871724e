"""In Debian's chromium: the one task page. A supervisor opens a red task from the cockpit's red list and
reads its light, reasons and reports; a leader gives a 批示 with a reply date; the lead unit's reporter
finds it on 我的任务 from a phone and answers it; a reporter of another unit gets 404.

The clock is the real one (a browser's cookies would expire in a frozen past), so the plan is for the
current year and its March milestone is missed, which makes the education task red.
"""
from datetime import date

import pytest
from django.urls import reverse
from django.utils import timezone

from luoshi.tracking.models import ProgressReport, TaskComment
from luoshi.tracking.periods import periods_ensure
from luoshi.tracking.supervision import plan_recompute
from luoshi.tracking.tests.report_world import report_plan, task_of

pytestmark = pytest.mark.browser


def test_the_one_task_page_from_the_red_list_to_an_answered_instruction(
    transactional_db, page, phone_page, screenshot, login, units, supervisor, leader, reporter_education,
    reporter_fengqiao,
):
    year = timezone.localdate().year
    plan = report_plan(units, year=year)
    task = task_of(plan, "education")
    january = periods_ensure(plan=plan, until=date(year, 2, 28))[0]
    ProgressReport.objects.create(
        task=task, period=january, unit=task.lead_unit, status=ProgressReport.Status.ACCEPTED, percent=10,
        work_state="in_progress", narrative="完成幼儿园布点规划。", submitted_by=reporter_education,
        submitted_at=timezone.now(), reviewed_by=supervisor, reviewed_at=timezone.now(),
    )
    plan_recompute(plan=plan)
    task_url = reverse("plans:task", args=[task.pk])

    login(page, "supervisor")
    page.goto(page.base_url + reverse("reports:cockpit", args=[plan.pk]))
    page.get_by_role("link", name="全面推进教育现代化，新建幼儿园3所").first.click()
    page.wait_for_url(f"**{task_url}")
    assert page.locator(".task-light").inner_text() == "红灯"
    assert page.get_by_text("节点「完成选址」").first.is_visible()
    assert page.locator(".reports").get_by_text(f"{year}年1月").is_visible()
    assert page.get_by_role("link", name="编辑").is_visible()
    screenshot(page, "task-page-supervisor")

    page.context.clear_cookies()
    login(page, "leader")
    page.goto(page.base_url + task_url)
    assert page.get_by_role("link", name="编辑").count() == 0
    page.fill("#id_text", "请区教育局加快选址，本月内报送进展。")
    page.check("#id_instruction")
    due = page.input_value("#id_reply_due")
    assert due > timezone.localdate().isoformat()  # N working days ahead
    page.get_by_role("button", name="发送").click()
    page.wait_for_load_state()
    assert page.get_by_text("批示已送达区教育局").is_visible()
    assert page.locator(".comment.instruction").get_by_text("领导批示").is_visible()
    screenshot(page, "task-page-instruction")
    instruction = TaskComment.objects.get()
    assert instruction.is_instruction and instruction.reply_due.isoformat() == due

    phone = phone_page
    login(phone, "reporter-education")
    phone.goto(phone.base_url + reverse("tracking:my_tasks"))
    assert phone.get_by_role("heading", name="待回复批示").is_visible()
    screenshot(phone, "my-tasks-instruction-phone")
    phone.locator(".instructions-due").get_by_role("link", name="全面推进教育现代化，新建幼儿园3所").click()
    phone.wait_for_load_state()
    phone.fill(f"#id_answer_{instruction.pk}", "已召开专题会，4处选址本月底前确定。")
    assert phone.evaluate("document.documentElement.scrollWidth") <= 375
    screenshot(phone, "task-page-answer-phone")
    phone.get_by_role("button", name="回复批示").click()
    phone.wait_for_load_state()
    assert phone.get_by_text("批示回复已记录").is_visible()
    instruction.refresh_from_db()
    assert instruction.answered_by == reporter_education
    phone.goto(phone.base_url + reverse("tracking:my_tasks"))
    assert phone.get_by_role("heading", name="待回复批示").count() == 0

    phone.context.clear_cookies()
    login(phone, "reporter-fengqiao")
    response = phone.goto(phone.base_url + reverse("plans:task", args=[task_of(plan, "science").pk]))
    assert response.status == 404
    screenshot(phone, "task-page-other-unit-404-phone")
