"""In Debian's chromium: a supervisor searches a plan's tasks from the plan page, filters the red ones,
chases and reassigns the ticked tasks; the same list on a phone reads as cards and fits the screen.

The clock is the real one (a browser's cookies would expire in a frozen past), so the plan is for the current year.
"""
import pytest
from django.urls import reverse
from django.utils import timezone

from luoshi.audit.models import AuditEntry
from luoshi.inbox.models import Notification
from luoshi.tracking.models import TaskTrack
from luoshi.tracking.tests.report_world import report_plan, task_of

pytestmark = pytest.mark.browser


def test_a_supervisor_filters_chases_and_reassigns_from_the_task_list(
    transactional_db, page, phone_page, screenshot, login, units, supervisor, reporter_education
):
    plan = report_plan(units, year=timezone.localdate().year)
    education, fengqiao = task_of(plan, "education"), task_of(plan, "fengqiao")
    TaskTrack.objects.create(task=education, percent=20, light="red")
    TaskTrack.objects.create(task=fengqiao, percent=60, light="green")

    login(page, "supervisor")
    page.goto(page.base_url + reverse("plans:detail", args=[plan.pk]))
    page.get_by_label("搜索任务").fill("幼儿园")
    page.get_by_role("button", name="搜索", exact=True).click()
    page.wait_for_load_state()
    rows = page.locator("table.task-list tbody tr")
    assert rows.count() == 1 and "全面推进教育现代化" in rows.first.inner_text()

    page.locator("input[name=q]").fill("")
    page.locator("select[name=light]").select_option("red")
    page.locator("select[name=sort]").select_option("progress")
    page.get_by_role("button", name="筛选").click()
    page.wait_for_load_state()
    assert rows.count() == 1
    screenshot(page, "red-filtered-desktop")
    page.get_by_label("全面推进教育现代化").check()
    page.get_by_role("button", name="催办其牵头单位").click()
    page.wait_for_load_state()
    assert page.get_by_text("已向1个单位催办1项任务。").is_visible()
    # Back on the list as it was filtered.
    assert page.locator("select[name=light]").input_value() == "red"
    assert Notification.objects.filter(user=reporter_education, subject__startswith="【催办】").count() == 1

    page.get_by_label("全面推进教育现代化").check()
    page.locator("select[name=lead_unit]").select_option(label="区科技局")
    page.get_by_role("button", name="改派").click()
    page.wait_for_load_state()
    assert page.get_by_text("1项任务已改由区科技局牵头。").is_visible()
    screenshot(page, "reassigned-desktop")
    education.refresh_from_db()
    assert education.lead_unit == units["science"]
    assert AuditEntry.objects.filter(action="task.update", object_id=str(education.pk)).exists()

    login(phone_page, "supervisor")
    phone_page.goto(phone_page.base_url + reverse("tracking:plan_tasks", args=[plan.pk]))
    assert phone_page.evaluate("document.documentElement.scrollWidth") <= phone_page.viewport_size["width"]
    cell = phone_page.locator("table.task-list tbody tr").first.locator("td[data-label='牵头单位']")
    assert "牵头单位" in cell.evaluate("cell => getComputedStyle(cell, '::before').content")
    screenshot(phone_page, "task-list-phone")
