"""Drill-down: every cockpit figure opens the tasks behind it, each with its reason and source sentence."""
import pytest
from django.urls import reverse

from luoshi.accounts.models import User
from luoshi.plans.models import Plan, Programme, Section, Task
from luoshi.reports.tests.cockpit_world import demo_world
from luoshi.tracking.models import TaskTrack


@pytest.fixture(scope="module")
def seed_plan(django_db_setup, django_db_blocker):
    yield from demo_world(django_db_blocker)


@pytest.fixture
def leader_client(db, client, seed_plan):
    client.force_login(User.objects.get(username="leader"))
    return client


def drill(client, plan, **query):
    response = client.get(reverse("reports:drill", args=[plan.pk]), query)
    return response


def test_the_red_count_opens_the_red_tasks_with_reason_source_sentence_and_link(leader_client, seed_plan):
    response = drill(leader_client, seed_plan, light="red")
    tasks = list(response.context["page"].object_list)
    red = TaskTrack.objects.filter(task__plan=seed_plan, light="red", signed_off_at__isnull=True)
    assert {t.pk for t in tasks} == set(red.values_list("task_id", flat=True))
    html = response.content.decode()
    for task in tasks:
        assert reverse("plans:task", args=[task.pk]) in html
        assert task.track.reasons[0]["text"] in html
        assert task.measure.text[:40] in html
    assert "红灯" in html


def test_a_part_opens_the_tasks_of_all_its_objectives(leader_client, seed_plan):
    part = Section.objects.get(plan=seed_plan, level=1, number="2")
    tasks = drill(leader_client, seed_plan, section=part.pk).context["page"].object_list
    assert len(tasks) == Task.objects.filter(plan=seed_plan, measure__section__parent=part).count() > 0
    assert all(t.measure.number.startswith("2.") for t in tasks)


def test_filters_combine_and_the_worst_light_comes_first(leader_client, seed_plan):
    part = Section.objects.get(plan=seed_plan, level=1, number="2")
    tasks = list(drill(leader_client, seed_plan, section=part.pk).context["page"].object_list)
    order = {"red": 0, "yellow": 1, "green": 2}
    assert [order[t.shown_light] for t in tasks] == sorted(order[t.shown_light] for t in tasks)
    yellow = drill(leader_client, seed_plan, section=part.pk, light="yellow").context["page"].object_list
    assert [t.pk for t in yellow] == [t.pk for t in tasks if t.shown_light == "yellow"]


def test_a_programme_opens_its_tasks(leader_client, seed_plan):
    programme = Programme.objects.get(plan=seed_plan, name="四个年")
    tasks = drill(leader_client, seed_plan, programme=programme.pk).context["page"].object_list
    assert {t.pk for t in tasks} == set(programme.tasks.values_list("pk", flat=True))
    assert "四个年" in drill(leader_client, seed_plan, programme=programme.pk).content.decode()


def test_a_unit_opens_the_tasks_it_leads(leader_client, seed_plan):
    task = Task.objects.filter(plan=seed_plan, lead_unit__name="区科学技术局").first()
    response = drill(leader_client, seed_plan, unit=task.lead_unit_id)
    assert {t.lead_unit_id for t in response.context["page"].object_list} == {task.lead_unit_id}
    assert "区科学技术局" in response.content.decode()


def test_a_signed_off_task_counts_as_green_and_done(leader_client, seed_plan):
    done = TaskTrack.objects.get(task__plan=seed_plan, signed_off_at__isnull=False)
    green = drill(leader_client, seed_plan, light="green").context["page"].object_list
    shown = next(t for t in green if t.pk == done.task_id)
    assert shown.shown_percent == 100


@pytest.mark.parametrize("query", [{"light": "blue"}, {"section": "abc"}, {"section": "999999"}, {"programme": "999999"}, {"unit": "999999"}])
def test_a_filter_that_names_nothing_is_a_404_not_an_empty_list(leader_client, seed_plan, query):
    assert drill(leader_client, seed_plan, **query).status_code == 404


def test_a_section_of_another_plan_is_a_404(leader_client, seed_plan):
    other = Plan.objects.create(name="另一规划", year=2018)
    section = Section.objects.create(plan=other, number="1", level=1, title="其他", position=0)
    assert drill(leader_client, seed_plan, section=section.pk).status_code == 404
