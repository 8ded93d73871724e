"""The cockpit and its task lists run the same number of queries whatever the size of the plan."""
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from luoshi.plans.models import Plan
from luoshi.reports.synth import synth_build

pytestmark = pytest.mark.django_db


def queries(client, url: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


def plan_of(tasks: int, months: int) -> Plan:
    synth_build(plans=1, tasks=tasks, months=months, seed=tasks)
    return Plan.objects.order_by("-pk").first()


@pytest.mark.parametrize(
    "url",
    [
        lambda plan: reverse("reports:cockpit", args=[plan.pk]),
        lambda plan: reverse("reports:drill", args=[plan.pk]),
        lambda plan: reverse("reports:drill", args=[plan.pk]) + f"?light=green&section={plan.sections.first().pk}",
        lambda plan: reverse("reports:drill", args=[plan.pk]) + f"?programme={plan.programmes.first().pk}",
    ],
    ids=["cockpit", "all-tasks", "green-in-a-part", "programme"],
)
def test_ten_tasks_and_sixty_tasks_cost_the_same_queries(client, supervisor, units, url):
    client.force_login(supervisor)
    small = plan_of(10, 3)
    big = plan_of(60, 6)
    assert big.tasks.count() == 60 and small.tasks.count() == 10
    assert queries(client, url(small)) == queries(client, url(big))
