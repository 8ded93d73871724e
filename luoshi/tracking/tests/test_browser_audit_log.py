"""A supervisor reads the audit log on a phone without scrolling sideways."""
import pytest

from luoshi.plans.tests.people import units  # noqa: F401
from luoshi.portal.services import task_publish

pytestmark = pytest.mark.browser


def test_the_audit_log_does_not_scroll_sideways_on_a_phone(
    transactional_db, phone_page, screenshot, login, supervisor, units
):
    from luoshi.plans.services import demo_plan_load

    plan = demo_plan_load(actor=supervisor)
    task_publish(tasks=[plan.tasks.order_by("measure__position").first()], actor=supervisor, public=True)
    login(phone_page, "supervisor")
    phone_page.goto(f"{phone_page.base_url}/tracking/audit/")
    assert phone_page.get_by_text("在政务公开页面：否 → 是").count() == 1
    assert phone_page.evaluate("document.documentElement.scrollWidth") <= 375 + 1
    screenshot(phone_page, "audit-log")
