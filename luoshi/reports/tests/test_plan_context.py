"""红黄绿灯 and 驾驶舱 remember the plan chosen and switch between the plans a reader may see."""
import pytest
from django.urls import reverse

from luoshi.tracking.tests.report_world import report_plan

pytestmark = pytest.mark.django_db


@pytest.fixture
def plans(units):
    # Newest first: 2026 is what a reader gets before choosing anything.
    return {year: report_plan(units, year=year) for year in (2024, 2025, 2026)}


@pytest.fixture
def browser(client, leader):
    client.force_login(leader)
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "zh-hans"
    return client


def test_the_lights_and_the_cockpit_open_the_newest_plan_before_anything_is_chosen(browser, plans):
    assert browser.get(reverse("tracking:status_latest"))["Location"] == reverse("tracking:plan_status", args=[plans[2026].pk])
    assert browser.get(reverse("reports:cockpit_latest"))["Location"] == reverse("reports:cockpit", args=[plans[2026].pk])


def test_a_plan_opened_on_the_status_page_is_the_one_the_cockpit_opens(browser, plans):
    browser.get(reverse("tracking:plan_status", args=[plans[2024].pk]))
    assert browser.get(reverse("reports:cockpit_latest"))["Location"] == reverse("reports:cockpit", args=[plans[2024].pk])
    assert browser.get(reverse("tracking:status_latest"))["Location"] == reverse("tracking:plan_status", args=[plans[2024].pk])


def test_the_switcher_lists_every_plan_and_choosing_one_reloads_on_it(browser, plans):
    page = browser.get(reverse("tracking:plan_status", args=[plans[2026].pk])).content.decode()
    assert f'action="{reverse("tracking:status_latest")}"' in page and "data-autosubmit" in page
    for year, plan in plans.items():
        assert f'<option value="{plan.pk}"' in page
    assert f'<option value="{plans[2026].pk}" selected>' in page
    chosen = browser.get(reverse("tracking:status_latest"), {"plan": plans[2025].pk})
    assert chosen["Location"] == reverse("tracking:plan_status", args=[plans[2025].pk])
    cockpit = browser.get(reverse("reports:cockpit", args=[plans[2025].pk])).content.decode()
    assert f'<option value="{plans[2025].pk}" selected>' in cockpit
    # The cockpit's choice is remembered by the status page too.
    assert browser.get(reverse("tracking:status_latest"))["Location"].endswith(f"/plans/{plans[2025].pk}/status/")


def test_a_plan_id_the_reader_may_not_see_falls_back_to_the_remembered_one(browser, plans):
    browser.get(reverse("reports:cockpit", args=[plans[2025].pk]))
    response = browser.get(reverse("reports:cockpit_latest"), {"plan": 999999})
    assert response["Location"] == reverse("reports:cockpit", args=[plans[2025].pk])


def test_a_reporter_gets_no_status_page_and_an_anonymous_visitor_is_sent_to_log_in(client, plans, reporter_education):
    anonymous = client.get(reverse("tracking:status_latest"))
    assert anonymous.status_code == 302 and reverse("login") in anonymous["Location"]
    client.force_login(reporter_education)
    assert client.get(reverse("tracking:status_latest")).status_code == 403
    assert client.get(reverse("reports:cockpit_latest")).status_code == 403
