"""The public pages and their JSON: what a citizen sees, 404s, caching and the query count."""
from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from luoshi.plans.models import Measure, Plan, Section, Task

pytestmark = pytest.mark.django_db


def test_the_list_shows_plans_with_published_tasks_only(client, world):
    Plan.objects.create(name="南湖区2026年内部督查计划", year=2026)
    page = client.get(reverse("portal:plans")).content.decode()
    assert "南湖区2026年民生实事" in page
    assert "南湖区2026年内部督查计划" not in page
    assert [p["name"] for p in client.get(reverse("portal:plans_json")).json()["plans"]] == ["南湖区2026年民生实事"]


def test_the_list_says_so_when_nothing_is_published(client, db):
    assert "尚未公开" in client.get(reverse("portal:plans")).content.decode()


def test_the_plan_page_shows_each_task_with_its_light_in_words_progress_units_and_due_date(client, world):
    page = client.get(reverse("portal:plan", args=[world.plan.pk])).content.decode()
    assert "绿灯 · 正常推进" in page
    assert "黄灯 · 需关注" in page
    assert "40%" in page and "20%" in page
    assert "区教育局" in page and "2026年12月31日" in page
    assert "原文" in page and "新建幼儿园3所。" in page


def test_the_latest_public_update_is_the_period_and_day_of_the_last_accepted_report(client, world):
    page = client.get(reverse("portal:plan", args=[world.plan.pk])).content.decode()
    assert "2026年3月报告，2026年4月7日确认" in page
    # The returned report does not count: the town task has no confirmed report yet.
    assert "暂无已确认的进度" in page
    tasks = {
        t["id"]: t
        for s in client.get(reverse("portal:plan_json", args=[world.plan.pk])).json()["sections"]
        for m in s["measures"]
        for t in m["tasks"]
    }
    kindergartens, town = world.published
    assert tasks[kindergartens.pk]["last_update"] == {"period": "2026年3月", "accepted_on": "2026-04-07"}
    assert tasks[town.pk]["last_update"] is None


def test_a_task_title_equal_to_its_sentence_is_not_repeated(client, world):
    page = client.get(reverse("portal:plan", args=[world.plan.pk])).content.decode()
    assert page.count("新建幼儿园3所") == 1


def test_progress_rolls_up_over_published_tasks_only(client, world):
    data = client.get(reverse("portal:plan_json", args=[world.plan.pk])).json()
    assert data["progress"] == 30.0  # (40 + 20) / 2; the unpublished 5 % and 100 % are not counted
    assert data["lights"] == {"green": 1, "yellow": 1, "red": 0, "done": 0}
    assert [s["progress"] for s in data["sections"]] == [40.0, 20.0]


def test_a_signed_off_task_is_shown_as_completed(client, world):
    kindergartens = world.published[0]
    kindergartens.track.signed_off_at = kindergartens.track.computed_at or world.plan.created
    kindergartens.track.save()
    page = client.get(reverse("portal:plan", args=[world.plan.pk])).content.decode()
    assert "已完成" in page and "100%" in page


@pytest.mark.parametrize("name", ["portal:plan", "portal:plan_json"])
def test_a_plan_with_nothing_published_is_not_found(client, world, name):
    Task.objects.filter(plan=world.plan).update(is_public=False)
    assert client.get(reverse(name, args=[world.plan.pk])).status_code == 404


@pytest.mark.parametrize("name", ["portal:plan", "portal:plan_json"])
def test_an_unknown_plan_is_not_found(client, world, name):
    assert client.get(reverse(name, args=[world.plan.pk + 100])).status_code == 404


@pytest.mark.parametrize("name", ["portal:plans", "portal:plan", "portal:plans_json", "portal:plan_json"])
def test_public_pages_may_be_cached_for_five_minutes(client, world, name):
    args = [world.plan.pk] if name in ("portal:plan", "portal:plan_json") else []
    response = client.get(reverse(name, args=args))
    assert response.status_code == 200
    assert sorted(response["Cache-Control"].split(", ")) == ["max-age=300", "public"]
    assert "Accept-Language" in response["Vary"]


def test_the_json_is_open_data(client, world):
    response = client.get(reverse("portal:plan_json", args=[world.plan.pk]))
    assert response["Content-Type"] == "application/json"
    assert response["Access-Control-Allow-Origin"] == "*"


def test_the_public_pages_refuse_posts(client, world):
    assert client.post(reverse("portal:plan", args=[world.plan.pk])).status_code == 405


@pytest.mark.parametrize("user", ["supervisor", "leader", "reporter_education", "reporter_fengqiao", None])
def test_everyone_reads_the_public_pages(client, world, request, user):
    if user:
        client.force_login(request.getfixturevalue(user))
    for name, args in (("portal:plans", []), ("portal:plan", [world.plan.pk]), ("portal:plan_json", [world.plan.pk])):
        assert client.get(reverse(name, args=args)).status_code == 200


def _more_published_tasks(plan: Plan, units, count: int) -> None:
    section = Section.objects.create(plan=plan, number="4", level=1, label="四、", title="更多任务", position=4)
    sub = Section.objects.create(plan=plan, parent=section, number="4.1", level=2, title="细项", position=5)
    for n in range(count):
        measure = Measure.objects.create(
            plan=plan, section=sub, number=f"4.1.{n}", text=f"补充举措{n}。", text_key=f"more-{n}", position=100 + n
        )
        task = Task.objects.create(
            plan=plan, measure=measure, title=f"补充任务{n}", lead_unit=units["education"], is_public=True,
            due_date=date(2026, 12, 31),
        )
        task.co_units.set([units["fengqiao"], units["science"]])


def test_the_plan_page_runs_the_same_number_of_queries_for_more_tasks(client, world, units):
    url = reverse("portal:plan", args=[world.plan.pk])
    with CaptureQueriesContext(connection) as small:
        client.get(url)
    _more_published_tasks(world.plan, units, 30)
    with CaptureQueriesContext(connection) as large:
        assert "补充任务29" in client.get(url).content.decode()
    assert len(large) == len(small)


def test_the_list_and_the_plan_page_give_the_same_figures(client, world, units):
    from luoshi.tracking.models import TaskTrack

    _more_published_tasks(world.plan, units, 3)  # tasks the engine has not seen: no track yet
    TaskTrack.objects.filter(task=world.published[0]).update(signed_off_at=world.published[0].created, percent=60)
    Task.objects.filter(pk=world.published[1].pk).update(weight=3)
    listed = client.get(reverse("portal:plans_json")).json()["plans"][0]
    detailed = client.get(reverse("portal:plan_json", args=[world.plan.pk])).json()
    assert listed == {key: detailed[key] for key in listed}
    assert listed["lights"] == {"green": 3, "yellow": 1, "red": 0, "done": 1}
    # Signed off counts 100 % whatever the last report said; weights 1, 3, 1, 1, 1.
    assert listed["progress"] == 22.9  # (100 + 3 × 20 + 0 + 0 + 0) / 7


def test_the_plan_list_runs_the_same_number_of_queries_for_more_plans(client, world, units):
    url = reverse("portal:plans")
    with CaptureQueriesContext(connection) as small:
        client.get(url)
    for n in range(5):
        plan = Plan.objects.create(name=f"补充规划{n}", year=2026)
        _more_published_tasks(plan, units, 4)
    with CaptureQueriesContext(connection) as large:
        assert "补充规划4" in client.get(url).content.decode()
    assert len(large) == len(small)


def _published_plans(count, start=0):
    for n in range(start, start + count):
        plan = Plan.objects.create(name=f"公开规划{n:02d}", year=2000 + n)
        section = Section.objects.create(plan=plan, number="1", level=1, label="一、", title="民生", position=1)
        measure = Measure.objects.create(plan=plan, section=section, number="1.1", text="新建幼儿园。", text_key="k",
                                         position=1)
        Task.objects.create(plan=plan, measure=measure, title="新建幼儿园", is_public=True)


def test_the_list_shows_twenty_plans_a_page_newest_first_in_the_same_queries_however_many(client, db):
    _published_plans(3)
    with CaptureQueriesContext(connection) as few:
        client.get(reverse("portal:plans"))
    _published_plans(22, start=3)
    with CaptureQueriesContext(connection) as many:
        first = client.get(reverse("portal:plans")).content.decode()
    assert len(few) == len(many)
    assert first.count('<h2><a href="/public/') == 20
    assert first.index("公开规划24") < first.index("公开规划05") and "公开规划04" not in first
    assert "第 1 页，共 2 页 · 共 25 条" in first
    second = client.get(reverse("portal:plans") + "?page=2").content.decode()
    assert second.count('<h2><a href="/public/') == 5 and "公开规划00" in second
    data = client.get(reverse("portal:plans_json")).json()
    assert (len(data["plans"]), data["page"], data["pages"], data["count"]) == (20, 1, 2, 25)
    assert client.get(data["next"]).json()["plans"][-1]["name"] == "公开规划00"
