"""In Debian's chromium: a supervisor reads a 300-task plan by its outline and opens one section, on a desktop
and on a phone."""
import pytest

from luoshi.plans import views
from luoshi.plans.models import Measure, Section
from luoshi.plans.tests.test_plan_page_outline import big_plan

pytestmark = pytest.mark.browser


def test_a_supervisor_opens_one_section_of_a_big_plan(transactional_db, page, phone_page, screenshot, login,
                                                      supervisor, units):
    plan = big_plan(units, tasks=300)
    objective = Section.objects.get(plan=plan, number="2.1")
    login(page, "supervisor")
    page.goto(f"{page.base_url}/plans/{plan.pk}/")
    assert page.locator(".task-card").count() == 0
    assert page.locator(".section-figures").count() == 6
    assert "75 条举措，75 项任务" in page.locator(f"#section-{objective.pk} .section-figures").inner_text()
    screenshot(page, "outline")

    page.locator(f"#section-{objective.pk} .section-title a").click()
    page.wait_for_load_state()
    assert page.url.endswith(f"?section={objective.pk}#section-{objective.pk}")
    assert page.locator(f"#section-{objective.pk} .task-card").count() == views.SECTION_PAGE_MEASURES
    first = Measure.objects.filter(section=objective).order_by("position").first()
    assert page.get_by_text(first.text).is_visible()  # the sentence beside its task
    screenshot(page, "section")
    page.get_by_role("link", name="下一页").click()
    page.wait_for_load_state()
    assert page.locator(f"#section-{objective.pk} .task-card").count() == 75 - views.SECTION_PAGE_MEASURES

    login(phone_page, "supervisor")
    phone_page.goto(f"{phone_page.base_url}/plans/{plan.pk}/?section={objective.pk}")
    assert phone_page.locator(".task-card").count() == views.SECTION_PAGE_MEASURES
    assert phone_page.evaluate("document.documentElement.scrollWidth") <= 375 + 1
    screenshot(phone_page, "section-phone")
