"""A reporter reads a task page, history included, on a phone without scrolling sideways."""
import pytest

from luoshi.plans.models import Task
from luoshi.plans.tests.people import units  # noqa: F401
from luoshi.portal.services import task_publish

pytestmark = pytest.mark.browser


def test_a_task_page_with_history_does_not_scroll_sideways_on_a_phone(
    transactional_db, phone_page, screenshot, login, supervisor, reporter_education, units
):
    from luoshi.plans.services import demo_plan_load

    plan = demo_plan_load(actor=supervisor)
    task = plan.tasks.order_by("measure__position").first()
    Task.objects.filter(pk=task.pk).update(lead_unit=units["education"])
    task_publish(tasks=[task], actor=supervisor, public=True)
    login(phone_page, "reporter-education")
    phone_page.goto(f"{phone_page.base_url}/plans/tasks/{task.pk}/")
    assert phone_page.locator("table.history tr").count() >= 2
    assert phone_page.evaluate("document.documentElement.scrollWidth") <= 375 + 1
    screenshot(phone_page, "task-history")
