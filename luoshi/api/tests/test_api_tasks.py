from datetime import date

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from luoshi.api.services import token_create, token_revoke
from luoshi.audit.models import AuditEntry
from luoshi.plans.models import Task
from luoshi.plans.tests.sample_tasks import add_tasks, sample_plan


@pytest.fixture
def plan(units):
    return sample_plan(units)


@pytest.fixture
def api(client, supervisor):
    """A client that sends the supervisor's token: ``api.get(path)``, ``api.patch(path, body)``."""
    _, raw = token_create(user=supervisor)

    class Api:
        def get(self, path):
            return client.get(f"/api/v1{path}", headers={"Authorization": f"Bearer {raw}"})

        def patch(self, path, body):
            return client.patch(
                f"/api/v1{path}", data=body, content_type="application/json", headers={"Authorization": f"Bearer {raw}"}
            )

    return Api()


def titles(response) -> list[str]:
    assert response.status_code == 200, response.content
    return [t["title"] for t in response.json()["items"]]


def test_a_task_shows_its_source_sentence_units_and_iso_dates(api, plan):
    task = plan.tasks.get(lead_unit__code="education")
    task.milestones.create(title="完成选址", due_date=date(2018, 3, 30))
    task.indicators.create(name="新建幼儿园", unit="所", target=3, target_text="3所")

    body = api.get(f"/tasks/{task.pk}").json()

    assert body["measure"] == {"id": task.measure_id, "number": "1.1.1", "text": "全面推进教育现代化，新建幼儿园3所。"}
    assert body["lead_unit"] == {"code": "education", "name": "区教育局"}
    assert body["co_units"] == [{"code": "fengqiao", "name": "凤桥镇"}]
    assert body["due_date"] == "2018-12-28"
    assert body["programmes"] == ["学在南湖"]
    assert body["milestones"] == [{"id": task.milestones.get().pk, "title": "完成选址", "due_date": "2018-03-30"}]
    assert body["indicators"][0] | {"id": 0} == {
        "id": 0, "name": "新建幼儿园", "unit": "所", "baseline": None, "target": 3.0, "target_text": "3所",
    }
    assert body["weight"] == 1.0 and body["version"] == 1 and body["plan_id"] == plan.pk


def test_the_task_list_filters_by_plan_unit_programme_and_due_dates(api, plan):
    assert len(titles(api.get(f"/tasks?plan={plan.pk}"))) == 3
    # A unit matches as lead unit and as co-unit.
    assert titles(api.get("/tasks?unit=fengqiao")) == ["全面推进教育现代化，新建幼儿园3所", "加快凤桥镇特色小镇建设"]
    assert titles(api.get("/tasks?unit=science")) == ["深化“最多跑一次”改革，实现80%事项网上办理"]
    assert titles(api.get("/tasks?programme=最多跑一次")) == ["深化“最多跑一次”改革，实现80%事项网上办理"]
    assert titles(api.get("/tasks?due_before=2018-06-29")) == ["加快凤桥镇特色小镇建设"]
    assert titles(api.get("/tasks?due_after=2018-09-28&due_before=2018-12-01")) == [
        "深化“最多跑一次”改革，实现80%事项网上办理"
    ]
    assert titles(api.get("/tasks?unit=fengqiao&due_after=2018-07-01")) == ["全面推进教育现代化，新建幼儿园3所"]
    assert titles(api.get("/tasks?programme=五水共治")) == []


def test_the_task_list_names_a_bad_filter(api, plan):
    response = api.get("/tasks?unit=nosuchunit")
    assert response.status_code == 422
    assert response.json() == {"detail": [{"loc": ["query", "unit"], "msg": "未知的单位代码：nosuchunit"}]}

    assert api.get("/tasks?due_before=2018-13-01").status_code == 422
    assert api.get("/tasks?plan=99999").status_code == 404


def test_the_task_list_is_paginated(api, plan, units):
    add_tasks(plan, count=7, units=units)

    first = api.get("/tasks?page_size=4").json()
    last = api.get("/tasks?page_size=4&page=3").json()

    assert first["count"] == last["count"] == 10
    assert len(first["items"]) == 4 and len(last["items"]) == 2
    seen = {t["id"] for page in (1, 2, 3) for t in api.get(f"/tasks?page_size=4&page={page}").json()["items"]}
    assert seen == set(Task.objects.values_list("id", flat=True))


def test_pages_of_the_task_list_follow_the_plan_s_order_end_to_end(api, plan, units):
    add_tasks(plan, count=9, units=units)
    paged = [t["id"] for page in (1, 2, 3, 4) for t in api.get(f"/tasks?page_size=4&page={page}").json()["items"]]
    assert paged == list(Task.objects.order_by("-plan__year", "-plan_id", "measure__position", "position", "id")
                         .values_list("id", flat=True))


def test_the_task_list_takes_as_many_queries_for_30_tasks_as_for_3(api, plan, units):
    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert api.get("/tasks?page_size=100").status_code == 200
        return len(captured)

    # The first request also records the token's last use, a write the later ones skip.
    api.get("/tasks")
    few = queries()
    add_tasks(plan, count=27, units=units)
    assert Task.objects.count() == 30

    assert queries() == few


def test_a_supervisor_changes_a_task_and_the_change_is_audited(api, plan, supervisor):
    task = plan.tasks.get(lead_unit__code="education")

    response = api.patch(
        f"/tasks/{task.pk}",
        {
            "version": 1,
            "title": "新建幼儿园3所",
            "lead_unit": "fengqiao",
            "co_units": ["education", "science"],
            "due_date": "2018-11-30",
            "programmes": [],
            "milestones": [{"title": "完成选址", "due_date": "2018-04-27"}],
        },
    )

    assert response.status_code == 200, response.content
    body = response.json()
    assert body["version"] == 2
    assert body["lead_unit"]["code"] == "fengqiao"
    assert sorted(u["code"] for u in body["co_units"]) == ["education", "science"]
    assert body["due_date"] == "2018-11-30" and body["programmes"] == []
    assert [m["title"] for m in body["milestones"]] == ["完成选址"]
    entry = AuditEntry.objects.get(action="task.update", object_id=str(task.pk))
    assert entry.actor == supervisor
    assert entry.before["lead_unit"] == "区教育局" and entry.after["lead_unit"] == "凤桥镇"


def test_a_patch_leaves_the_fields_it_does_not_name(api, plan):
    task = plan.tasks.get(lead_unit__code="education")

    api.patch(f"/tasks/{task.pk}", {"version": 1, "supervising_leader": "王副区长"})

    task.refresh_from_db()
    assert task.supervising_leader == "王副区长"
    assert task.lead_unit.code == "education" and [u.code for u in task.co_units.all()] == ["fengqiao"]
    assert task.due_date == date(2018, 12, 28)


def test_a_stale_version_is_refused_with_409_and_nothing_changes(api, plan):
    task = plan.tasks.get(lead_unit__code="education")
    assert api.patch(f"/tasks/{task.pk}", {"version": 1, "due_date": "2018-11-30"}).status_code == 200
    audited = AuditEntry.objects.count()

    # A second client still holding version 1.
    response = api.patch(f"/tasks/{task.pk}", {"version": 1, "title": "旧标签页的修改", "due_date": "2018-10-31"})

    assert response.status_code == 409
    assert "重新" in response.json()["detail"]
    task.refresh_from_db()
    assert task.version == 2 and task.due_date == date(2018, 11, 30) and task.title != "旧标签页的修改"
    assert AuditEntry.objects.count() == audited


@pytest.mark.parametrize(
    "body, field",
    [
        ({"title": "  "}, "title"),
        ({"lead_unit": "nosuchunit"}, "lead_unit"),
        ({"co_units": ["science", "nosuchunit"]}, "co_units"),
        ({"lead_unit": "education", "co_units": ["education"]}, "co_units"),
        ({"programmes": ["五水共治"]}, "programmes"),
        ({"start_date": "2018-12-01", "due_date": "2018-06-30"}, "due_date"),
        ({"weight": -1}, "weight"),
        ({"due_date": "2018-02-30"}, "due_date"),
        ({"milestones": [{"title": "开工"}]}, "milestones"),
    ],
)
def test_a_bad_value_is_refused_with_422_naming_the_field_and_nothing_changes(api, plan, body, field):
    task = plan.tasks.get(lead_unit__code="education")

    response = api.patch(f"/tasks/{task.pk}", {"version": 1} | body)

    assert response.status_code == 422, response.content
    assert field in [part for error in response.json()["detail"] for part in error["loc"]]
    task.refresh_from_db()
    assert task.version == 1 and task.title == "全面推进教育现代化，新建幼儿园3所"
    assert not AuditEntry.objects.filter(action="task.update").exists()


def test_a_patch_without_a_version_is_refused(api, plan):
    task = plan.tasks.first()

    response = api.patch(f"/tasks/{task.pk}", {"title": "没有版本号"})

    assert response.status_code == 422
    assert ["body", "payload", "version"] in [e["loc"] for e in response.json()["detail"]]


class TestAuthentication:
    def test_a_wrong_or_revoked_token_gets_401(self, client, plan, supervisor):
        token, raw = token_create(user=supervisor)
        for header in ("Bearer ls_wrong", f"Bearer {raw[:-1]}", f"Token {raw}", raw):
            assert client.get("/api/v1/tasks", headers={"Authorization": header}).status_code == 401
        assert client.get("/api/v1/tasks", headers={"Authorization": f"Bearer {raw}"}).status_code == 200

        token_revoke(token=token)

        assert client.get("/api/v1/tasks", headers={"Authorization": f"Bearer {raw}"}).status_code == 401
        response = client.patch(
            f"/api/v1/tasks/{plan.tasks.first().pk}", data={"version": 1, "title": "改"},
            content_type="application/json", headers={"Authorization": f"Bearer {raw}"},
        )
        assert response.status_code == 401

    def test_a_browser_session_reads_the_api(self, client, plan, reporter_education):
        client.force_login(reporter_education)

        assert titles(client.get("/api/v1/tasks")) == ["全面推进教育现代化，新建幼儿园3所"]

    def test_a_browser_session_needs_the_csrf_token_to_write(self, plan, supervisor):
        browser = Client(enforce_csrf_checks=True)
        browser.force_login(supervisor)
        task = plan.tasks.first()
        url = f"/api/v1/tasks/{task.pk}"

        refused = browser.patch(url, data={"version": 1, "title": "跨站请求"}, content_type="application/json")
        assert refused.status_code == 403
        task.refresh_from_db()
        assert task.version == 1

        browser.get("/api/tokens/")
        csrf = browser.cookies["csrftoken"].value
        accepted = browser.patch(
            url, data={"version": 1, "title": "本站页面的修改"}, content_type="application/json",
            headers={"X-CSRFToken": csrf},
        )
        assert accepted.status_code == 200
        task.refresh_from_db()
        assert task.title == "本站页面的修改"
