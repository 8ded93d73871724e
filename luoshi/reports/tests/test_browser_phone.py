"""In Debian's chromium, on a phone: the cockpit, the lights and the list pages fit the screen, and a
list table's rows are cards whose cells name their column; the plan switcher changes the plan on desktop."""
from io import StringIO

import pytest
from django.core.management import call_command
from django.urls import reverse

from luoshi.accounts.services import DEMO_PASSWORD
from luoshi.plans.models import Plan
from luoshi.plans.services import SEED_PLAN_NAME
from luoshi.tracking.demo import DEMO_TODAY
from luoshi.tracking.tests.report_world import report_plan

pytestmark = pytest.mark.browser


WIDEST = """() => [...document.querySelectorAll('body *')]
    .filter(e => e.getBoundingClientRect().right > document.documentElement.clientWidth + 1)
    .slice(0, 5).map(e => e.tagName + '.' + e.className + ' ' + Math.round(e.getBoundingClientRect().right))"""


def _fits(page) -> None:
    # The phone's own width: a mobile browser widens window.innerWidth to what overflows.
    width = page.viewport_size["width"]
    assert page.evaluate("document.documentElement.scrollWidth") <= width, (page.url, page.evaluate(WIDEST))


def test_the_cockpit_and_the_lists_fit_a_phone_and_the_switcher_changes_plan(
    transactional_db, phone_page, page, screenshot, login, settings, units
):
    settings.LUOSHI_DEMO_TODAY = DEMO_TODAY
    call_command("demo", stdout=StringIO())
    seed = Plan.objects.get(name=SEED_PLAN_NAME)
    other = report_plan(units, year=2017)

    phone = phone_page
    login(phone, "leader", DEMO_PASSWORD)
    phone.goto(phone.base_url + reverse("reports:cockpit", args=[seed.pk]))
    phone.wait_for_load_state("networkidle")
    assert phone.get_by_role("heading", name=SEED_PLAN_NAME).is_visible()
    _fits(phone)
    # The unit ranking is a list of cards, not columns one character wide.
    unit_cell = phone.locator("table.ranking tbody tr").first.locator("th")
    assert "单位" in unit_cell.evaluate("cell => getComputedStyle(cell, '::before').content")
    assert unit_cell.evaluate("cell => cell.getBoundingClientRect().width") > 200
    screenshot(phone, "cockpit-phone")

    phone.goto(phone.base_url + reverse("plans:list"))
    _fits(phone)
    row = phone.locator("table.plan-table tbody tr", has_text=SEED_PLAN_NAME)
    # The header row is hidden; each cell carries its column's name.
    assert not phone.locator("table.plan-table thead").is_visible()
    label = row.locator("td[data-label='加权进度']").evaluate("cell => getComputedStyle(cell, '::before').content")
    assert "加权进度" in label
    assert row.locator("td[data-label='任务数']").is_visible()
    screenshot(phone, "plan-list-phone")

    phone.goto(phone.base_url + reverse("tracking:plan_status", args=[seed.pk]))
    _fits(phone)
    screenshot(phone, "status-phone")
    phone.goto(phone.base_url + reverse("reports:drill", args=[seed.pk]) + "?light=red")
    _fits(phone)
    screenshot(phone, "drill-phone")
    for url in (reverse("tracking:assessment", args=[seed.pk]), reverse("tracking:review"), reverse("tracking:audit"),
                reverse("tracking:notices"), reverse("unit_list")):
        phone.goto(phone.base_url + url)
        _fits(phone)
    screenshot(phone, "last-list-phone")

    login(page, "supervisor", DEMO_PASSWORD)
    page.goto(page.base_url + reverse("tracking:plan_status", args=[seed.pk]))
    page.select_option("#plan-picker", str(other.pk))
    page.wait_for_url(f"**{reverse('tracking:plan_status', args=[other.pk])}")
    assert page.get_by_role("heading", name=other.name).is_visible()
    # The menu's 驾驶舱 link now opens the plan chosen.
    page.get_by_role("link", name="驾驶舱").click()
    page.wait_for_url(f"**{reverse('reports:cockpit', args=[other.pk])}")
    screenshot(page, "cockpit-after-switch-desktop")
    page.goto(page.base_url + reverse("plans:list"))
    assert page.locator("table.plan-table thead").is_visible()
    screenshot(page, "plan-list-desktop")
