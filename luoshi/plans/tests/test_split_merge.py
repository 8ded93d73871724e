"""Splitting a measure's task into several, and merging tasks of one measure back into one."""
from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse

from luoshi.audit.models import AuditEntry
from luoshi.plans.models import Task
from luoshi.plans.services import SEED_PLAN_FILE, StaleEdit, plan_import, task_split, task_update, tasks_merge
from luoshi.plans.tests.people import units  # noqa: F401

pytestmark = pytest.mark.django_db


@pytest.fixture
def plan(units, supervisor):
    return plan_import(name="南湖2018", year=2018, filename="seed.txt", content=SEED_PLAN_FILE.read_bytes(),
                       actor=supervisor)


@pytest.fixture
def task(plan, supervisor, units):
    task = plan.tasks.get(measure__number="2.1.3")
    return task_update(task=task, actor=supervisor, expected_version=1, changes={
        "lead_unit": units["science"], "co_units": [units["education"]], "due_date": date(2018, 11, 30),
        "supervising_leader": "张三",
    })


def test_splitting_makes_one_task_per_title_with_the_same_units_and_dates(task, supervisor, units):
    tasks = task_split(task=task, actor=supervisor, expected_version=task.version,
                       titles=["柔性电子技术研究院建设", "未来技术研究院建设", "浙大南湖求是驿站建设"])
    assert [t.title for t in tasks] == ["柔性电子技术研究院建设", "未来技术研究院建设", "浙大南湖求是驿站建设"]
    assert tasks[0].pk == task.pk  # the first keeps the task, its id and its history
    for t in tasks:
        t.refresh_from_db()
        assert t.measure_id == task.measure_id
        assert t.lead_unit == units["science"]
        assert list(t.co_units.all()) == [units["education"]]
        assert t.due_date == date(2018, 11, 30)
        assert t.supervising_leader == "张三"
    assert list(Task.objects.filter(measure=task.measure).order_by("position").values_list("pk", flat=True)) == [
        t.pk for t in tasks]
    assert AuditEntry.objects.filter(action="task.split").count() == 2


def test_splitting_needs_two_titles(task, supervisor):
    with pytest.raises(ValidationError):
        task_split(task=task, actor=supervisor, expected_version=task.version, titles=["只有一个", "  "])
    assert Task.objects.filter(measure=task.measure).count() == 1


def test_splitting_a_stale_task_is_refused(task, supervisor):
    with pytest.raises(StaleEdit):
        task_split(task=task, actor=supervisor, expected_version=1, titles=["a", "b"])
    assert Task.objects.filter(measure=task.measure).count() == 1


def test_merging_keeps_the_first_task_and_gathers_the_others_units_milestones_and_indicators(task, supervisor,
                                                                                             units):
    first, second = task_split(task=task, actor=supervisor, expected_version=task.version, titles=["甲", "乙"])
    task_update(task=second, actor=supervisor, expected_version=second.version, changes={
        "lead_unit": units["fengqiao"], "co_units": [],
        "milestones": [{"title": "乙的节点", "due_date": date(2018, 6, 29)}],
        "indicators": [{"name": "乙的指标", "unit": "个", "baseline": None, "target": 3}],
        "due_date": date(2018, 12, 28),
    })

    merged = tasks_merge(tasks=[second, first], actor=supervisor, title="甲乙合并")

    assert merged.pk == first.pk
    assert merged.title == "甲乙合并"
    assert merged.lead_unit == units["science"]
    assert {u.code for u in merged.co_units.all()} == {"education", "fengqiao"}
    assert [m.title for m in merged.milestones.all()] == ["乙的节点"]
    assert [i.name for i in merged.indicators.all()] == ["乙的指标"]
    assert merged.due_date == date(2018, 12, 28)  # the latest of the merged due dates
    assert not Task.objects.filter(pk=second.pk).exists()
    gone = AuditEntry.objects.get(action="task.merge", object_id=str(second.pk))
    assert gone.before["title"] == "乙"


def test_merging_tasks_of_different_measures_keeps_the_first_measures_task(plan, supervisor):
    a, b = plan.tasks.order_by("measure__position")[:2]
    kept = tasks_merge(tasks=[b, a], actor=supervisor)
    assert kept.pk == a.pk
    assert not Task.objects.filter(pk=b.pk).exists()


def test_a_task_that_no_longer_exists_stops_the_merge(plan, supervisor):
    a, b = plan.tasks.order_by("id")[:2]
    Task.objects.filter(pk=b.pk).delete()
    with pytest.raises(ValidationError):
        tasks_merge(tasks=[a, b], actor=supervisor)
    assert Task.objects.filter(pk=a.pk).exists()


def test_the_split_page_splits_and_the_merge_page_merges(task, supervisor):
    client = Client()
    client.force_login(supervisor)
    response = client.post(reverse("plans:task_split", args=[task.pk]),
                           {"version": task.version, "titles": "第一项\n\n第二项\n第三项\n"})
    assert response.status_code == 302
    assert list(Task.objects.filter(measure=task.measure).order_by("position").values_list("title", flat=True)) == [
        "第一项", "第二项", "第三项"]

    tree = client.get(reverse("plans:detail", args=[task.plan_id])).content.decode()
    assert reverse("plans:tasks_merge", args=[task.measure_id]) in tree

    ids = list(Task.objects.filter(measure=task.measure).values_list("pk", flat=True))
    response = client.post(reverse("plans:tasks_merge", args=[task.measure_id]), {"tasks": ids, "title": ""})
    assert response.status_code == 302
    assert list(Task.objects.filter(measure=task.measure).values_list("title", flat=True)) == ["第一项"]


def test_the_split_page_with_one_title_comes_back_with_the_error(task, supervisor):
    client = Client()
    client.force_login(supervisor)
    response = client.post(reverse("plans:task_split", args=[task.pk]), {"version": task.version, "titles": "只有一项"})
    assert response.status_code == 200
    assert 'class="errorlist' in response.content.decode()
    assert "只有一项" in response.content.decode()
    assert Task.objects.filter(measure=task.measure).count() == 1
