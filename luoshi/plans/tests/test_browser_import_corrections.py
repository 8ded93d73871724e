"""A supervisor corrects the parsed plan on the preview in the browser, then saves it."""
import pytest

from luoshi.plans.models import Plan, Task
from luoshi.plans.tests.people import units  # noqa: F401

pytestmark = pytest.mark.browser

PLAN = """2027年凤桥镇工作要点

一、聚焦产业发展
（一）推进重大项目建设。完善项目全生命周期管理。
（二）提升营商环境。6月底前出台惠企政策。
（三）抄送：区委办、区府办
二、聚焦民生改善
（一）办好民生实事。年内新建村级居家养老服务照料中心4家。
"""


def _upload(page, tmp_path):
    path = tmp_path / "fengqiao_2027.txt"
    path.write_text(PLAN, encoding="utf-8")
    page.goto(page.base_url + "/plans/import/")
    page.set_input_files("#id_file", str(path))
    page.fill("#id_name", "凤桥镇2027年工作要点")
    page.fill("#id_year", "2027")
    page.click("button[type=submit].primary")
    page.wait_for_load_state()
    assert page.url.endswith("/plans/import/preview/")


def _row(page, text):
    return page.locator(".measure-row", has_text=text)


def test_a_supervisor_merges_drops_and_reassigns_on_the_preview_then_finds_the_result_on_the_plan_page(
    transactional_db, page, screenshot, login, supervisor, units, tmp_path
):
    login(page, "supervisor")
    _upload(page, tmp_path)
    assert page.locator(".measure-row").count() == 4
    screenshot(page, "preview")

    row = _row(page, "6月底前出台惠企政策")
    row.locator("summary").click()
    row.get_by_role("button", name="与上一条合并").click()
    page.wait_for_load_state()
    assert page.locator(".measure-row").count() == 3
    assert _row(page, "完善项目全生命周期管理。6月底前出台惠企政策。").count() == 1

    row = _row(page, "区委办、区府办")
    row.locator("summary").click()
    row.get_by_role("button", name="删除").click()
    page.wait_for_load_state()
    assert page.locator(".measure-row").count() == 2

    row = _row(page, "完善项目全生命周期管理")
    row.locator("summary").click()
    row.locator("select[name=lead]").select_option(label="区商务局")
    row.get_by_role("button", name="保存修正").click()
    page.wait_for_load_state()
    row = _row(page, "完善项目全生命周期管理")
    assert "区商务局" in row.locator(".lead-unit").inner_text()
    assert "在预览中选定" in row.inner_text()
    assert not Plan.objects.exists()
    screenshot(page, "corrected")

    page.locator("#confirm-bottom button[name=confirm]").click()
    page.wait_for_load_state()
    plan = Plan.objects.get()
    # The browser keeps the #section anchor of the last correction across the redirect.
    assert page.url.split("#")[0].endswith(f"/plans/{plan.pk}/")
    assert page.locator(".task-card").count() == 2
    card = page.locator(".task-card", has_text="区商务局")
    assert card.count() == 1
    task = Task.objects.get(plan=plan, lead_unit__code="commerce")
    assert task.title == "完善项目全生命周期管理。6月底前出台惠企政策。"
    assert not Task.objects.filter(plan=plan, title__contains="区府办").exists()
    screenshot(page, "plan")


def test_the_preview_with_its_corrections_reads_on_a_phone(
    transactional_db, phone_page, screenshot, login, supervisor, units, tmp_path
):
    login(phone_page, "supervisor")
    _upload(phone_page, tmp_path)
    row = _row(phone_page, "6月底前出台惠企政策")
    row.locator("summary").click()
    assert row.get_by_role("button", name="与上一条合并").is_visible()
    width = phone_page.evaluate("document.documentElement.scrollWidth")
    assert width <= 375 + 1, "the preview must not scroll sideways on a phone"
    assert phone_page.locator("#confirm-top button[name=confirm]").is_visible()
    screenshot(phone_page, "preview")
