"""After import: deleting a junk task and merging a task into another task of the same plan."""
from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from luoshi.api.services import token_create
from luoshi.audit.models import AuditEntry
from luoshi.plans.models import Measure, Task
from luoshi.plans.services import task_delete, tasks_merge
from luoshi.plans.tests.sample_tasks import sample_plan
from luoshi.tracking.models import ProgressReport, ReportingPeriod

pytestmark = pytest.mark.django_db


@pytest.fixture
def plan(units):
    return sample_plan(units)


@pytest.fixture
def education_task(plan):
    return plan.tasks.get(lead_unit__code="education")


@pytest.fixture
def fengqiao_task(plan):
    return plan.tasks.get(lead_unit__code="fengqiao")


@pytest.fixture
def science_task(plan):
    """Led by 区科技局 alone: neither reporter's unit takes part in it."""
    return plan.tasks.get(lead_unit__code="science")


def _report(task):
    period = ReportingPeriod.objects.create(plan=task.plan, label="2018年3月", start=date(2018, 3, 1),
                                            end=date(2018, 3, 31), report_due=date(2018, 4, 5))
    return ProgressReport.objects.create(task=task, period=period, unit=task.lead_unit, percent=20,
                                         work_state=ProgressReport.WorkState.IN_PROGRESS, narrative="已完成选址。")


def test_deleting_a_task_removes_it_keeps_its_measure_and_records_its_last_state(education_task, supervisor):
    measure_id = education_task.measure_id
    task_delete(task=education_task, actor=supervisor)
    assert not Task.objects.filter(pk=education_task.pk).exists()
    assert Measure.objects.filter(pk=measure_id).exists()
    entry = AuditEntry.objects.get(action="task.delete")
    assert entry.actor == supervisor
    assert entry.before["lead_unit"] == "区教育局"


def test_a_task_with_a_progress_report_is_not_deleted_and_the_refusal_says_why(education_task, supervisor):
    _report(education_task)
    with pytest.raises(ValidationError) as refused:
        task_delete(task=education_task, actor=supervisor)
    assert "进展报告" in " ".join(refused.value.messages)
    assert Task.objects.filter(pk=education_task.pk).exists()
    assert not AuditEntry.objects.filter(action="task.delete").exists()


def test_tasks_of_different_measures_of_one_plan_merge_into_the_chosen_one(education_task, fengqiao_task, supervisor):
    kept = tasks_merge(tasks=[education_task, fengqiao_task], keep=fengqiao_task, actor=supervisor)
    assert kept.pk == fengqiao_task.pk
    assert not Task.objects.filter(pk=education_task.pk).exists()
    assert kept.lead_unit.code == "fengqiao"
    assert {u.code for u in kept.co_units.all()} == {"education"}
    assert kept.measure_id == fengqiao_task.measure_id


def test_tasks_of_different_plans_are_not_merged(education_task, units, supervisor):
    other = sample_plan(units).tasks.first()
    with pytest.raises(ValidationError):
        tasks_merge(tasks=[education_task, other], actor=supervisor)
    assert Task.objects.filter(pk__in=[education_task.pk, other.pk]).count() == 2


# ---------------------------------------------------------------- pages

def test_the_delete_page_deletes_and_returns_to_the_plan(client, supervisor, education_task):
    client.force_login(supervisor)
    url = reverse("plans:task_delete", args=[education_task.pk])
    assert "删除" in client.get(url).content.decode()
    response = client.post(url)
    assert response.status_code == 302 and response.url.startswith(reverse("plans:detail", args=[education_task.plan_id]))
    assert not Task.objects.filter(pk=education_task.pk).exists()


def test_the_delete_page_refuses_a_task_with_a_report_and_offers_no_button(client, supervisor, education_task):
    _report(education_task)
    client.force_login(supervisor)
    url = reverse("plans:task_delete", args=[education_task.pk])
    page = client.get(url).content.decode()
    assert "进展报告" in page and 'type="submit" class="primary danger"' not in page
    assert client.post(url).status_code == 409
    assert Task.objects.filter(pk=education_task.pk).exists()


def test_the_merge_page_lists_the_plans_other_tasks_and_merges(client, supervisor, education_task, fengqiao_task):
    client.force_login(supervisor)
    url = reverse("plans:task_merge", args=[education_task.pk])
    page = client.get(url).content.decode()
    assert fengqiao_task.title in page
    response = client.post(url, {"into": fengqiao_task.pk})
    assert response.status_code == 302 and response.url == reverse("plans:task", args=[fengqiao_task.pk])
    assert not Task.objects.filter(pk=education_task.pk).exists()


def test_the_merge_page_refuses_a_task_of_another_plan(client, supervisor, education_task, units):
    other = sample_plan(units).tasks.first()
    client.force_login(supervisor)
    response = client.post(reverse("plans:task_merge", args=[education_task.pk]), {"into": other.pk})
    assert response.status_code == 400
    assert Task.objects.filter(pk__in=[education_task.pk, other.pk]).count() == 2


@pytest.mark.parametrize("name", ["plans:task_delete", "plans:task_merge"])
def test_a_reporter_of_the_tasks_own_unit_is_forbidden(client, reporter_education, education_task, name):
    client.force_login(reporter_education)
    assert client.post(reverse(name, args=[education_task.pk])).status_code == 403
    assert Task.objects.filter(pk=education_task.pk).exists()


@pytest.mark.parametrize("name", ["plans:task_delete", "plans:task_merge"])
def test_a_reporter_of_another_unit_does_not_learn_the_task_exists(client, reporter_fengqiao, science_task, name):
    client.force_login(reporter_fengqiao)
    assert client.post(reverse(name, args=[science_task.pk])).status_code == 404
    assert Task.objects.filter(pk=science_task.pk).exists()


@pytest.mark.parametrize("name", ["plans:task_delete", "plans:task_merge"])
def test_a_leader_is_forbidden(client, leader, education_task, name):
    client.force_login(leader)
    assert client.get(reverse(name, args=[education_task.pk])).status_code == 403
    assert client.post(reverse(name, args=[education_task.pk])).status_code == 403


@pytest.mark.parametrize("name", ["plans:task_delete", "plans:task_merge"])
def test_anonymous_visitors_are_sent_to_log_in(client, education_task, name):
    response = client.post(reverse(name, args=[education_task.pk]))
    assert response.status_code == 302 and "/login/" in response.url
    assert Task.objects.filter(pk=education_task.pk).exists()


def test_the_task_page_offers_a_supervisor_delete_and_merge(client, supervisor, education_task):
    client.force_login(supervisor)
    page = client.get(reverse("plans:task", args=[education_task.pk])).content.decode()
    assert reverse("plans:task_delete", args=[education_task.pk]) in page
    assert reverse("plans:task_merge", args=[education_task.pk]) in page


# ---------------------------------------------------------------- JSON API

def _delete(client, user, task):
    _, raw = token_create(user=user)
    return client.delete(f"/api/v1/tasks/{task.pk}", headers={"Authorization": f"Bearer {raw}"})


def test_the_api_deletes_a_task_for_the_supervision_office(client, supervisor, education_task):
    assert _delete(client, supervisor, education_task).status_code == 204
    assert not Task.objects.filter(pk=education_task.pk).exists()


def test_the_api_refuses_to_delete_a_task_with_a_report(client, supervisor, education_task):
    _report(education_task)
    response = _delete(client, supervisor, education_task)
    assert response.status_code == 409 and "进展报告" in response.json()["detail"]


def test_the_api_forbids_leaders_and_hides_other_units_tasks_from_reporters(client, leader, reporter_education,
                                                                            reporter_fengqiao, education_task,
                                                                            science_task):
    assert _delete(client, leader, education_task).status_code == 403
    assert _delete(client, reporter_education, education_task).status_code == 403
    assert _delete(client, reporter_fengqiao, science_task).status_code == 404
    assert Task.objects.filter(pk__in=[education_task.pk, science_task.pk]).count() == 2
