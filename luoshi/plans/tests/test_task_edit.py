"""Editing a task: every change audited, stale second tabs refused without losing what was typed."""
from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse

from luoshi.audit.models import AuditEntry
from luoshi.plans.models import Task, UnitCorrection
from luoshi.plans.services import SEED_PLAN_FILE, StaleEdit, plan_import, task_update
from luoshi.plans.suggest import UnitSuggester
from luoshi.plans.tests.people import other_supervisor, units  # noqa: F401
from luoshi.audit.labels import ACTION_LABELS

pytestmark = pytest.mark.django_db


@pytest.fixture
def plan(units, supervisor):
    return plan_import(name="南湖2018", year=2018, filename="seed.txt", content=SEED_PLAN_FILE.read_bytes(),
                       actor=supervisor)


@pytest.fixture
def task(plan):
    return plan.tasks.order_by("id").first()


def form_data(task: Task, **overrides) -> dict:
    """What the edit form posts for ``task`` unchanged, with ``overrides`` typed in."""
    data = {
        "version": task.version,
        "title": task.title,
        "description": task.description,
        "lead_unit": task.lead_unit_id or "",
        "co_units": [u.pk for u in task.co_units.all()],
        "supervising_leader": task.supervising_leader,
        "start_date": task.start_date.isoformat() if task.start_date else "",
        "due_date": task.due_date.isoformat() if task.due_date else "",
        "weight": str(task.weight),
        "programmes": [p.pk for p in task.programmes.all()],
        "milestones-TOTAL_FORMS": 1, "milestones-INITIAL_FORMS": 0,
        "milestones-0-title": "", "milestones-0-due_date": "",
        "indicators-TOTAL_FORMS": 1, "indicators-INITIAL_FORMS": 0,
        "indicators-0-name": "", "indicators-0-unit": "", "indicators-0-baseline": "", "indicators-0-target": "",
    }
    data.update(overrides)
    return data


def logged_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_the_edit_form_shows_the_task_and_its_source_sentence(supervisor, task):
    page = logged_in(supervisor).get(reverse("plans:task_edit", args=[task.pk])).content.decode()
    assert task.measure.text in page
    assert f'name="version" value="{task.version}"' in page


def test_the_edit_form_gives_date_inputs_iso_dates_the_browser_accepts(supervisor, task):
    task_update(task=task, actor=supervisor, expected_version=1,
                changes={"milestones": [{"title": "方案", "due_date": date(2018, 3, 1)}]})
    page = logged_in(supervisor).get(reverse("plans:task_edit", args=[task.pk])).content.decode()
    assert f'name="due_date" value="{task.due_date.isoformat()}"' in page
    assert 'name="milestones-0-due_date" value="2018-03-01"' in page


def test_saving_changes_the_task_bumps_its_version_and_records_before_and_after(supervisor, task, units):
    response = logged_in(supervisor).post(reverse("plans:task_edit", args=[task.pk]), form_data(
        task, title="开展“不忘初心、牢记使命”主题教育", lead_unit=units["fengqiao"].pk, co_units=[],
        supervising_leader="张三", due_date="2018-10-31", weight="2",
        **{"milestones-0-title": "制定方案", "milestones-0-due_date": "2018-03-30",
           "indicators-0-name": "覆盖党员比例", "indicators-0-unit": "%", "indicators-0-target": "100"},
    ))
    assert response.status_code == 302
    task.refresh_from_db()
    assert task.title == "开展“不忘初心、牢记使命”主题教育"
    assert task.lead_unit == units["fengqiao"]
    assert task.due_date == date(2018, 10, 31)
    assert task.weight == Decimal("2")
    assert task.version == 2
    assert [(m.title, m.due_date) for m in task.milestones.all()] == [("制定方案", date(2018, 3, 30))]
    assert [(i.name, i.unit, i.target) for i in task.indicators.all()] == [("覆盖党员比例", "%", Decimal("100"))]
    entry = AuditEntry.objects.filter(action="task.update", object_id=str(task.pk)).get()
    assert entry.actor == supervisor
    assert entry.after["lead_unit"] == "凤桥镇"
    assert entry.after["supervising_leader"] == "张三"
    assert entry.before["supervising_leader"] == ""
    assert "description" not in entry.after  # only what changed


def test_the_task_page_shows_the_edit_in_its_history(supervisor, task):
    client = logged_in(supervisor)
    client.post(reverse("plans:task_edit", args=[task.pk]), form_data(task, supervising_leader="张三"))
    page = client.get(reverse("plans:task", args=[task.pk])).content.decode()
    assert str(ACTION_LABELS["task.update"]) in page
    assert "张三" in page
    assert "督查室 王敏" in page


def test_milestones_can_be_removed(supervisor, task):
    task_update(task=task, actor=supervisor, expected_version=1,
                changes={"milestones": [{"title": "方案", "due_date": date(2018, 3, 1)}]})
    task.refresh_from_db()
    data = form_data(task, **{
        "milestones-TOTAL_FORMS": 2, "milestones-INITIAL_FORMS": 1,
        "milestones-0-title": "方案", "milestones-0-due_date": "2018-03-01", "milestones-0-DELETE": "on",
        "milestones-1-title": "", "milestones-1-due_date": "",
    })
    assert logged_in(supervisor).post(reverse("plans:task_edit", args=[task.pk]), data).status_code == 302
    assert not task.milestones.exists()


def test_a_stale_save_is_refused_naming_who_changed_it_and_keeps_what_was_typed(supervisor, other_supervisor,
                                                                                 task):
    first, second = logged_in(supervisor), logged_in(other_supervisor)
    url = reverse("plans:task_edit", args=[task.pk])
    assert first.get(url).status_code == 200
    assert second.get(url).status_code == 200  # both tabs loaded version 1

    assert first.post(url, form_data(task, supervising_leader="张三")).status_code == 302
    response = second.post(url, form_data(task, supervising_leader="李四", description="第二个标签页写的说明"))

    page = response.content.decode()
    assert response.status_code == 409
    assert "督查室 王敏" in page  # who changed it
    assert "李四" in page and "第二个标签页写的说明" in page  # nothing typed is lost
    assert "张三" in page  # the current value, for comparison
    assert 'name="version" value="2"' in page  # a deliberate second save goes through
    task.refresh_from_db()
    assert task.supervising_leader == "张三"
    assert task.version == 2


def test_saving_again_after_a_stale_refusal_overwrites_deliberately(supervisor, other_supervisor, task):
    url = reverse("plans:task_edit", args=[task.pk])
    logged_in(supervisor).post(url, form_data(task, supervising_leader="张三"))
    second = logged_in(other_supervisor)
    second.post(url, form_data(task, supervising_leader="李四"))
    task.refresh_from_db()
    assert second.post(url, form_data(task, supervising_leader="李四")).status_code == 302
    task.refresh_from_db()
    assert task.supervising_leader == "李四" and task.version == 3


def test_the_service_refuses_a_stale_version(supervisor, task):
    task_update(task=task, actor=supervisor, changes={"description": "a"}, expected_version=1)
    with pytest.raises(StaleEdit) as excinfo:
        task_update(task=task, actor=supervisor, changes={"description": "b"}, expected_version=1)
    assert excinfo.value.last_change.actor == supervisor
    task.refresh_from_db()
    assert task.description == "a"


def test_bad_values_are_refused_with_the_field_named_and_nothing_changes(supervisor, task):
    response = logged_in(supervisor).post(reverse("plans:task_edit", args=[task.pk]), form_data(
        task, title="  ", start_date="2018-12-01", due_date="2018-06-01", weight="-1",
    ))
    assert response.status_code == 400
    assert response.content.decode().count('class="errorlist') >= 2
    task.refresh_from_db()
    assert task.version == 1 and task.due_date != date(2018, 6, 1)
    assert not AuditEntry.objects.filter(action="task.update").exists()


def test_the_service_refuses_a_due_date_before_the_start(supervisor, task):
    with pytest.raises(ValidationError) as excinfo:
        task_update(task=task, actor=supervisor, expected_version=1,
                    changes={"start_date": date(2018, 9, 1), "due_date": date(2018, 8, 1)})
    assert "due_date" in excinfo.value.message_dict


def test_the_lead_unit_cannot_also_be_a_co_unit(supervisor, task, units):
    with pytest.raises(ValidationError):
        task_update(task=task, actor=supervisor, expected_version=1,
                    changes={"lead_unit": units["education"], "co_units": [units["education"]]})


def test_choosing_a_lead_unit_other_than_the_top_suggestion_is_learned(supervisor, task, units):
    other = units["fengqiao"] if task.lead_unit != units["fengqiao"] else units["education"]
    task_update(task=task, actor=supervisor, expected_version=1, changes={"lead_unit": other})
    correction = UnitCorrection.objects.get(role="lead")
    assert correction.unit == other
    assert correction.text == task.measure.text
    assert correction.created_by == supervisor


def test_keeping_the_suggested_lead_unit_teaches_nothing(supervisor, task):
    task_update(task=task, actor=supervisor, expected_version=1, changes={"description": "说明"})
    assert not UnitCorrection.objects.exists()


def test_the_import_keeps_what_the_suggester_proposed(task):
    assert task.suggested_lead_unit_id == task.lead_unit_id is not None
    assert set(task.suggested_co_units) == {u.pk for u in task.co_units.all()}


def test_editing_a_task_learns_corrections_without_building_the_suggester(supervisor, task, units, monkeypatch):
    def refuse(cls):
        raise AssertionError("an edit built the unit suggester")

    monkeypatch.setattr(UnitSuggester, "from_db", classmethod(refuse))
    lead = units["fengqiao"] if task.lead_unit != units["fengqiao"] else units["education"]
    co = next(u for u in units.values() if u.pk not in {lead.pk, *task.suggested_co_units})
    task_update(task=task, actor=supervisor, expected_version=1, changes={"lead_unit": lead, "co_units": [co]})
    assert {(c.role, c.unit) for c in UnitCorrection.objects.all()} == {("lead", lead), ("co", co)}


def test_going_back_to_the_suggested_lead_unit_supersedes_the_correction(supervisor, task, units):
    suggested = task.lead_unit
    other = units["fengqiao"] if suggested != units["fengqiao"] else units["education"]
    task_update(task=task, actor=supervisor, expected_version=1, changes={"lead_unit": other})
    task_update(task=task, actor=supervisor, expected_version=2, changes={"lead_unit": suggested})
    assert UnitCorrection.objects.order_by("-created", "-id").first().unit == suggested
