"""A supervisor imports the seed plan in Debian's chromium and reads the plan tree."""
import pytest

from luoshi.plans.models import Plan
from luoshi.plans.services import SEED_PLAN_FILE, SEED_PLAN_NAME
from luoshi.plans.tests.people import units  # noqa: F401

pytestmark = pytest.mark.browser


def test_a_supervisor_imports_the_seed_through_the_upload_page_and_reads_the_tree(
    transactional_db, page, screenshot, login, supervisor, units
):
    login(page, "supervisor")
    page.goto(page.base_url + "/plans/")
    page.click("a.button[href='/plans/import/']")
    page.set_input_files("#id_file", str(SEED_PLAN_FILE))
    page.fill("#id_name", SEED_PLAN_NAME)
    page.fill("#id_year", "2018")
    page.fill("#id_issuing_body", "中共嘉兴市南湖区委")
    screenshot(page, "upload")
    page.click("button[type=submit].primary")
    page.wait_for_load_state()

    assert page.url.endswith("/plans/import/preview/")
    assert page.locator(".measure-row").count() == 35
    assert page.get_by_text("全力打造红色信仰引领地", exact=True).is_visible()
    assert page.locator(".task-card.proposed .why").count() >= 30  # matched words shown beside the lead unit
    assert not Plan.objects.exists()
    screenshot(page, "preview")

    page.click("button[name=confirm]")
    page.wait_for_load_state()
    plan = Plan.objects.get()
    assert page.url.endswith(f"/plans/{plan.pk}/")
    assert page.locator("h1").inner_text() == SEED_PLAN_NAME
    assert page.locator(".task-card").count() == 35
    assert page.locator(".section.level-1").count() == 4
    assert page.locator(".section.level-2").count() == 15
    screenshot(page, "tree")

    page.locator(".task-card .task-actions a").first.click()
    page.wait_for_load_state()
    assert page.url.endswith("/edit/")
    due = plan.tasks.order_by("measure__position").first().due_date
    page.fill("#id_supervising_leader", "张三")
    page.click("form button[type=submit].primary")
    page.wait_for_load_state()
    card = page.locator(".task-card").inner_text()
    assert "张三" in card
    assert f"{due.year}年{due.month}月{due.day}日" in card  # untouched fields survive the round trip
    screenshot(page, "task")


def test_the_plan_tree_reads_on_a_phone(transactional_db, phone_page, screenshot, login, supervisor, units):
    from luoshi.plans.services import demo_plan_load

    plan = demo_plan_load(actor=supervisor)
    login(phone_page, "supervisor")
    phone_page.goto(f"{phone_page.base_url}/plans/{plan.pk}/")
    assert phone_page.locator(".task-card").count() == 35
    width = phone_page.evaluate("document.documentElement.scrollWidth")
    assert width <= 375 + 1, "the tree must not scroll sideways on a phone"
    screenshot(phone_page, "tree")


def test_a_second_tab_saving_a_stale_form_keeps_what_was_typed(transactional_db, page, screenshot, login,
                                                               supervisor, units):
    from luoshi.plans.services import demo_plan_load

    plan = demo_plan_load(actor=supervisor)
    task = plan.tasks.order_by("measure__position").first()
    login(page, "supervisor")
    edit_url = f"{page.base_url}/plans/tasks/{task.pk}/edit/"
    page.goto(edit_url)
    second = page.context.new_page()
    second.goto(edit_url)

    page.fill("#id_supervising_leader", "张三")
    page.click("form button[type=submit].primary")
    page.wait_for_load_state()

    second.fill("#id_supervising_leader", "李四")
    second.fill("#id_description", "第二个标签页写的说明")
    second.click("form button[type=submit].primary")
    second.wait_for_load_state()

    assert second.locator(".stale").is_visible()
    assert "督查室 王敏" in second.locator(".stale").inner_text()
    assert "张三" in second.locator(".stale").inner_text()
    assert second.input_value("#id_supervising_leader") == "李四"
    assert second.input_value("#id_description") == "第二个标签页写的说明"
    screenshot(second, "stale")
    task.refresh_from_db()
    assert task.supervising_leader == "张三"
