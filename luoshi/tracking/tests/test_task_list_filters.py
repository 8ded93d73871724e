"""A plan's task list: search, filter and sort kept in the page links; bulk 催办 and reassignment for supervisors only.

The clock stands at 2026-04-03 (the report world): due 2026-03-31 is overdue, April is this month.
"""
from datetime import date

import pytest
from django.urls import reverse

from luoshi.audit.models import AuditEntry
from luoshi.inbox.models import Notification
from luoshi.plans.models import Programme, Task
from luoshi.tracking.models import TaskTrack
from luoshi.tracking.tests.report_world import task_of

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("april_3")]


@pytest.fixture
def world(plan, units):
    """education: red 20%, due 2026-03-31 (overdue), programme 教育强区;
    fengqiao: green 60%, due 2026-04-30 (this month); science: not judged, due 2026-12-31."""
    education, fengqiao, science = (task_of(plan, code) for code in ("education", "fengqiao", "science"))
    Task.objects.filter(pk=education.pk).update(due_date=date(2026, 3, 31))
    Task.objects.filter(pk=fengqiao.pk).update(due_date=date(2026, 4, 30))
    TaskTrack.objects.create(task=education, percent=20, light="red")
    TaskTrack.objects.create(task=fengqiao, percent=60, light="green")
    programme = Programme.objects.create(plan=plan, name="教育强区")
    education.programmes.add(programme)
    return {"plan": plan, "education": education, "fengqiao": fengqiao, "science": science}


def _titles(client, plan, **params):
    response = client.get(reverse("tracking:plan_tasks", args=[plan.pk]), params, HTTP_ACCEPT_LANGUAGE="zh-hans")
    assert response.status_code == 200
    return [task.title for task in response.context["page"].object_list], response


@pytest.fixture
def as_supervisor(client, supervisor):
    client.force_login(supervisor)
    return client


def test_each_filter_gives_the_right_tasks(as_supervisor, world, units):
    plan = world["plan"]
    e, f, s = (world[k].title for k in ("education", "fengqiao", "science"))
    assert _titles(as_supervisor, plan)[0] == [e, f, s]
    assert _titles(as_supervisor, plan, q="凤桥镇")[0] == [f]
    assert _titles(as_supervisor, plan, q="幼儿园")[0] == [e]  # words of the measure's text
    assert _titles(as_supervisor, plan, unit=units["fengqiao"].pk)[0] == [e, f]  # lead or co-unit
    assert _titles(as_supervisor, plan, light="red")[0] == [e]
    assert _titles(as_supervisor, plan, light="grey")[0] == [s]
    assert _titles(as_supervisor, plan, due="overdue")[0] == [e]
    assert _titles(as_supervisor, plan, due="month")[0] == [f]
    assert _titles(as_supervisor, plan, due_from="2026-04-01", due_to="2026-12-31")[0] == [f, s]
    assert _titles(as_supervisor, plan, programme="教育强区")[0] == [e]


def test_sorting_by_light_progress_and_due(as_supervisor, world):
    plan = world["plan"]
    e, f, s = (world[k].title for k in ("education", "fengqiao", "science"))
    assert _titles(as_supervisor, plan, sort="light")[0] == [e, f, s]
    assert _titles(as_supervisor, plan, sort="progress")[0] == [s, e, f]
    assert _titles(as_supervisor, plan, sort="-progress")[0] == [f, e, s]
    assert _titles(as_supervisor, plan, sort="-due")[0] == [s, f, e]


def test_a_value_that_cannot_be_read_is_named_in_chinese_and_kept_in_the_form(as_supervisor, world):
    titles, response = _titles(as_supervisor, world["plan"], due_from="明年", light="purple", q="幼儿园")
    page = response.content.decode()
    assert "“明年”不是日期" in page and "没有“purple”这种灯色" in page
    assert 'value="明年"' in page
    assert titles == [world["education"].title]  # the filters that could be read still apply


def test_the_page_links_keep_the_filters(as_supervisor, world, settings, monkeypatch):
    monkeypatch.setattr("luoshi.tracking.views.PLAN_TASKS_PAGE_SIZE", 1)
    _titles_, response = _titles(as_supervisor, world["plan"], sort="light", q="，")
    page = response.content.decode()
    assert "?q=%EF%BC%8C&amp;sort=light&amp;page=2" in page


def test_a_supervisor_chases_the_ticked_tasks_units_once_each(as_supervisor, world, units, reporter_education):
    plan, education = world["plan"], world["education"]
    url = reverse("tracking:plan_tasks_bulk", args=[plan.pk])
    response = as_supervisor.post(url, {"task": [education.pk], "action": "chase", "query": "light=red"})
    assert response.status_code == 302 and response["Location"].endswith("/tasks/?light=red")
    told = Notification.objects.get(user=reporter_education)
    assert told.subject == "【催办】请加快推进1项任务" and education.title in told.body
    assert AuditEntry.objects.filter(action="task.chase", object_id=str(education.pk)).count() == 1
    as_supervisor.post(url, {"task": [education.pk], "action": "chase"})
    assert Notification.objects.filter(user=reporter_education).count() == 1  # the same chase on the same day


def test_a_supervisor_reassigns_the_ticked_tasks_audited(as_supervisor, world, units):
    plan, education, fengqiao = world["plan"], world["education"], world["fengqiao"]
    response = as_supervisor.post(reverse("tracking:plan_tasks_bulk", args=[plan.pk]), {
        "task": [education.pk, fengqiao.pk], "action": "reassign", "lead_unit": units["science"].pk,
        f"version-{education.pk}": education.version, f"version-{fengqiao.pk}": fengqiao.version,
    }, follow=True, HTTP_ACCEPT_LANGUAGE="zh-hans")
    assert "2项任务已改由区科技局牵头" in response.content.decode()
    for task in (education, fengqiao):
        task.refresh_from_db()
        assert task.lead_unit == units["science"] and task.version == 2
        entry = AuditEntry.objects.get(action="task.update", object_id=str(task.pk))
        assert entry.after["lead_unit"] == "区科技局"


def test_a_reassignment_over_a_task_changed_since_the_list_was_opened_changes_nothing(as_supervisor, world, units):
    plan, education, fengqiao = world["plan"], world["education"], world["fengqiao"]
    Task.objects.filter(pk=fengqiao.pk).update(version=5)  # saved by someone else meanwhile
    response = as_supervisor.post(reverse("tracking:plan_tasks_bulk", args=[plan.pk]), {
        "task": [education.pk, fengqiao.pk], "action": "reassign", "lead_unit": units["science"].pk,
        f"version-{education.pk}": education.version, f"version-{fengqiao.pk}": fengqiao.version,
    }, follow=True, HTTP_ACCEPT_LANGUAGE="zh-hans")
    assert "未改派任何任务" in response.content.decode()
    education.refresh_from_db()
    assert education.lead_unit == units["education"]
    assert not AuditEntry.objects.filter(action="task.update").exists()


def test_a_reporter_and_a_leader_cannot_bulk_anything_and_a_visitor_is_sent_to_log_in(
    client, world, units, reporter_education, leader
):
    plan, education = world["plan"], world["education"]
    url = reverse("tracking:plan_tasks_bulk", args=[plan.pk])
    data = {"task": [education.pk], "action": "reassign", "lead_unit": units["science"].pk,
            f"version-{education.pk}": education.version}
    anonymous = client.post(url, data)
    assert anonymous.status_code == 302 and reverse("login") in anonymous["Location"]
    for user in (reporter_education, leader):
        client.force_login(user)
        assert client.post(url, data).status_code == 403
        assert client.post(url, {**data, "action": "chase"}).status_code == 403
    education.refresh_from_db()
    assert education.lead_unit == units["education"] and not Notification.objects.exists()


def test_a_reporter_lists_only_its_units_tasks_without_bulk_actions(client, world, reporter_education, units):
    client.force_login(reporter_education)
    titles, response = _titles(client, world["plan"])
    assert titles == [world["education"].title]
    assert 'name="action"' not in response.content.decode()


def test_a_reporter_of_another_unit_gets_404_for_a_plan_it_has_no_task_in(client, units, reporter_fengqiao):
    from luoshi.tracking.tests.report_world import report_plan
    plan = report_plan(units, year=2025)
    Task.objects.filter(plan=plan).exclude(lead_unit=units["science"]).delete()
    client.force_login(reporter_fengqiao)
    assert client.get(reverse("tracking:plan_tasks", args=[plan.pk])).status_code == 404


def test_my_tasks_the_review_queue_and_the_red_list_filter_too(client, world, reporter_fengqiao, supervisor, units):
    client.force_login(reporter_fengqiao)
    response = client.get(reverse("tracking:my_tasks"), {"light": "red"})
    assert [row.task.title for row in response.context["rows"]] == [world["education"].title]
    response = client.get(reverse("tracking:my_tasks"), {"sort": "-progress"})
    assert [row.task.title for row in response.context["rows"]] == [world["fengqiao"].title, world["education"].title]
    client.force_login(supervisor)
    response = client.get(reverse("tracking:plan_status", args=[world["plan"].pk]), {"q": "凤桥"})
    assert response.context["red"] == []
    response = client.get(reverse("tracking:plan_status", args=[world["plan"].pk]), {"q": "幼儿园"})
    assert [t.task_id for t in response.context["red"]] == [world["education"].pk]
    assert client.get(reverse("tracking:review"), {"light": "red", "sort": "due"}).status_code == 200

    from django.utils import timezone

    from luoshi.tracking.models import ProgressReport
    from luoshi.tracking.periods import periods_ensure

    period = periods_ensure(plan=world["plan"], until=date(2026, 3, 31))[-1]
    for key in ("education", "science"):
        task = world[key]
        ProgressReport.objects.create(
            task=task, period=period, unit=task.lead_unit, status="submitted", percent=30, work_state="in_progress",
            narrative="进展", submitted_at=timezone.now(),
        )

    def queued(**params):
        return [r.task_id for r in client.get(reverse("tracking:review"), params).context["reports"]]

    assert queued(unit=units["fengqiao"].pk) == [world["education"].pk]  # 凤桥镇 is a co-unit of education
    assert queued(programme="教育强区") == [world["education"].pk]
    assert queued(light="grey") == [world["science"].pk]


def test_the_api_lists_tasks_by_words_light_due_and_order(client, world, supervisor):
    from luoshi.api.services import token_create

    token = token_create(user=supervisor, name="filters", actor=supervisor)[1]
    auth = {"HTTP_AUTHORIZATION": f"Bearer {token}"}

    def titles(**params):
        response = client.get("/api/v1/tasks", {"plan": world["plan"].pk, **params}, **auth)
        assert response.status_code == 200, response.content
        return [item["title"] for item in response.json()["items"]]

    e, f, s = (world[k].title for k in ("education", "fengqiao", "science"))
    assert titles(q="凤桥镇") == [f]
    assert titles(light="red") == [e]
    assert titles(due="overdue") == [e]
    assert titles(sort="-progress") == [f, e, s]
    refused = client.get("/api/v1/tasks", {"light": "purple"}, **auth)
    assert refused.status_code == 422
    assert refused.json()["detail"] == [{"loc": ["query", "light"], "msg": "没有“purple”这种灯色。"}]
