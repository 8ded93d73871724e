"""Who may open the cockpit and its task lists: the supervision office and leaders, not units or strangers."""
import pytest
from django.urls import reverse

from luoshi.reports.synth import synth_build

pytestmark = pytest.mark.django_db


@pytest.fixture
def plan(units):
    synth_build(plans=1, tasks=6, months=2, seed=3)
    from luoshi.plans.models import Plan

    return Plan.objects.get()


PAGES = [
    lambda plan: reverse("reports:cockpit", args=[plan.pk]),
    lambda plan: reverse("reports:drill", args=[plan.pk]) + "?light=green",
    lambda plan: reverse("reports:cockpit_latest"),
]


@pytest.mark.parametrize("url", PAGES)
@pytest.mark.parametrize("who", ["supervisor", "leader", "admin_user"])
def test_the_office_and_leaders_may_read_it(client, request, plan, url, who):
    client.force_login(request.getfixturevalue(who))
    response = client.get(url(plan))
    assert response.status_code in (200, 302)
    if response.status_code == 302:
        assert response.url == reverse("reports:cockpit", args=[plan.pk])


@pytest.mark.parametrize("url", PAGES)
@pytest.mark.parametrize("who", ["reporter_education", "reporter_fengqiao"])
def test_a_unit_reporter_is_refused(client, request, plan, url, who):
    client.force_login(request.getfixturevalue(who))
    assert client.get(url(plan)).status_code == 403


@pytest.mark.parametrize("url", PAGES)
def test_an_anonymous_visitor_is_sent_to_log_in(client, plan, url):
    response = client.get(url(plan))
    assert response.status_code == 302 and response.url.startswith(reverse("login"))


def test_a_plan_that_does_not_exist_is_a_404(client, leader, plan):
    client.force_login(leader)
    assert client.get(reverse("reports:cockpit", args=[plan.pk + 100])).status_code == 404


def test_the_documents_page_answers_a_leader_s_post_with_405(client, plan, leader):
    client.force_login(leader)
    assert client.post(reverse("reports:documents", args=[plan.pk])).status_code == 405
