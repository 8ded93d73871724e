"""The home page starts each role where its work is: the plans for readers of everything, my tasks for a reporter."""
import pytest
from django.urls import reverse

from luoshi.plans.models import Task
from luoshi.plans.tests.sample_tasks import sample_plan

pytestmark = pytest.mark.django_db


@pytest.fixture
def plans(units):
    """The sample plan, and a second one whose tasks are all 区科技局's."""
    first = sample_plan(units)
    second = sample_plan(units)
    second.name = "南湖区2019年工作要点"
    second.save()
    Task.objects.filter(plan=second).update(lead_unit=units["science"])
    for task in second.tasks.all():
        task.co_units.clear()
    return first, second


@pytest.mark.parametrize("who", ["supervisor", "leader"])
def test_home_lists_every_plan_with_a_link_for_a_supervisor_and_a_leader(client, plans, who, request):
    client.force_login(request.getfixturevalue(who))
    page = client.get(reverse("home")).content.decode()
    for plan in plans:
        assert f'href="{reverse("plans:detail", args=[plan.pk])}"' in page
        assert plan.name in page
    assert reverse("tracking:my_tasks") not in page.split("<main", 1)[-1]


def test_home_links_a_reporter_to_its_tasks_and_lists_no_plans(client, plans, reporter_education):
    client.force_login(reporter_education)
    main = client.get(reverse("home")).content.decode().split("<main", 1)[-1]
    assert f'href="{reverse("tracking:my_tasks")}"' in main
    assert "我的任务" in main
    assert reverse("plans:detail", args=[plans[0].pk]) not in main


def test_the_plan_list_shows_a_reporter_only_the_plans_with_its_units_tasks(client, plans, reporter_education):
    client.force_login(reporter_education)
    page = client.get(reverse("plans:list")).content.decode()
    assert reverse("plans:detail", args=[plans[0].pk]) in page
    assert reverse("plans:detail", args=[plans[1].pk]) not in page
    assert reverse("plans:import") not in page
