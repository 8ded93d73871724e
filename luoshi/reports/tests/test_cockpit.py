"""The cockpit of the seed plan: what a leader reads, and who may read it."""
import json
import re

import pytest
from django.urls import reverse

from luoshi.accounts.models import User
from luoshi.reports import views
from luoshi.reports.selectors import cockpit_data
from luoshi.reports.tests.cockpit_world import demo_world
from luoshi.tracking.models import LightSnapshot, TaskTrack
from luoshi.tracking.supervision import plan_rollup


@pytest.fixture(scope="module")
def seed_plan(django_db_setup, django_db_blocker):
    yield from demo_world(django_db_blocker)


@pytest.fixture
def leader_client(db, client, seed_plan):
    client.force_login(User.objects.get(username="leader"))
    return client


@pytest.fixture
def page(leader_client, seed_plan):
    response = leader_client.get(reverse("reports:cockpit", args=[seed_plan.pk]))
    assert response.status_code == 200
    return response


def test_the_overall_progress_and_lights_are_those_of_the_status_page(db, seed_plan):
    leader = User.objects.get(username="leader")
    data = cockpit_data(plan=seed_plan, visible_to=leader)
    rollup = plan_rollup(plan=seed_plan)
    assert data.percent == rollup.plan
    assert data.lights == {name: rollup.lights.get(name, 0) for name in ("red", "yellow", "green")}
    assert data.tasks == seed_plan.tasks.count()


def test_the_seed_shows_four_parts_and_fifteen_objectives_with_their_roll_up(db, seed_plan):
    data = cockpit_data(plan=seed_plan, visible_to=User.objects.get(username="leader"))
    rollup = plan_rollup(plan=seed_plan)
    assert len(data.parts) == 4 and len(data.objectives) == 15
    for group in data.parts + data.objectives:
        assert group.percent == rollup.sections[group.key]
        assert sum(group.lights.values()) == sum(rollup.section_lights.get(group.key, {}).values())
    assert sum(p.tasks for p in data.parts) == data.tasks


def test_programmes_cut_across_the_tree(db, seed_plan):
    data = cockpit_data(plan=seed_plan, visible_to=User.objects.get(username="leader"))
    programmes = {g.label: g for g in data.programmes}
    assert {"四个年", "五个南湖", "五水共治"} <= set(programmes)
    # “四个年” names the four objectives of part two: its tasks are theirs.
    part_two = data.parts[1]
    assert programmes["四个年"].tasks == part_two.tasks


def test_units_are_listed_most_red_first(db, seed_plan):
    data = cockpit_data(plan=seed_plan, visible_to=User.objects.get(username="leader"))
    reds = [g.lights["red"] for g in data.units]
    assert reds == sorted(reds, reverse=True) and reds[0] > 0
    assert sum(g.tasks for g in data.units) == seed_plan.tasks.filter(lead_unit__isnull=False).count()


def test_the_trend_has_one_point_per_ended_period_from_the_snapshots(db, seed_plan):
    data = cockpit_data(plan=seed_plan, visible_to=User.objects.get(username="leader"))
    assert [p.period.label for p in data.trend] == [f"2018年{m}月" for m in range(1, 7)]
    june = data.trend[-1]
    assert june.lights["red"] == LightSnapshot.objects.filter(period=june.period, light="red").count()
    assert [p.percent for p in data.trend] == sorted(p.percent for p in data.trend)


def test_the_ranking_is_for_june_and_puts_the_silent_unit_last(db, seed_plan):
    data = cockpit_data(plan=seed_plan, visible_to=User.objects.get(username="leader"))
    assert data.ranking_period.label == "2018年6月"
    assert data.ranking[0].rank == 1
    assert data.ranking[-1].unit.name == "南湖基金小镇管理委员会"


def test_a_leader_sees_progress_lights_parts_and_what_needs_attention(page, seed_plan):
    html = page.content.decode()
    data = page.context["data"]
    assert "驾驶舱" in html and "总体进度" in html and f"{data.percent}" in html
    for part in data.parts:
        assert part.label in html
    assert "需要关注" in html
    behind = [g.label for g in data.behind]
    assert "全力打造红色客厅标杆地" in behind
    assert "欠进度" in html and "达进度" in html


def test_every_light_count_links_to_its_tasks(page, seed_plan):
    html = page.content.decode()
    drill = reverse("reports:drill", args=[seed_plan.pk])
    for light in ("red", "yellow", "green"):
        assert f'href="{drill}?light={light}"' in html


def test_the_red_list_says_why_each_task_is_red_and_links_to_it(page, seed_plan):
    html = page.content.decode()
    red = TaskTrack.objects.filter(task__plan=seed_plan, light="red", signed_off_at__isnull=True)
    assert red.count() == 3
    for track in red:
        assert reverse("plans:task", args=[track.task_id]) in html
        assert track.reasons[0]["text"] in html
    assert "连续 2 个周期未报送" in html


def test_each_chart_has_a_captioned_data_table_and_its_figures_in_json(page):
    html = page.content.decode()
    charts = re.findall(r'data-chart="(\w+)"', html)
    assert sorted(charts) == ["objectives", "programmes", "trend", "units"]
    assert html.count("<caption>") >= len(charts)
    embedded = json.loads(re.search(r'<script id="cockpit-data" type="application/json">(.*?)</script>', html, re.S)[1])
    assert len(embedded["objectives"]) == 15 and len(embedded["trend"]) == 6
    assert all(row["url"].startswith("/cockpit/") for row in embedded["objectives"])


def test_the_page_fetches_nothing_from_another_site(page):
    html = page.content.decode()
    external = re.findall(r'(?:src|href)="((?:https?:)?//[^"]*)"', html)
    assert external == []
    if views._charts_available():
        assert '<script src="/static/vendor/echarts/echarts.min.js">' in html


def test_without_the_chart_library_the_tables_are_open_and_no_script_loads(leader_client, seed_plan, monkeypatch):
    monkeypatch.setattr(views, "_charts_available", lambda: False)
    html = leader_client.get(reverse("reports:cockpit", args=[seed_plan.pk])).content.decode()
    assert "echarts" not in html and "cockpit.js" not in html
    assert html.count('<details class="chart-table" open>') == 4


def test_the_cockpit_link_opens_the_newest_plan_or_the_chosen_one(leader_client, seed_plan):
    assert leader_client.get(reverse("reports:cockpit_latest")).url == reverse("reports:cockpit", args=[seed_plan.pk])
    chosen = leader_client.get(reverse("reports:cockpit_latest"), {"plan": seed_plan.pk})
    assert chosen.url == reverse("reports:cockpit", args=[seed_plan.pk])


def test_the_page_is_in_chinese(page):
    html = page.content.decode()
    for words in ("各板块进度", "各目标进度", "红灯清单", "单位考核排名", "数据表"):
        assert words in html


def test_the_cockpit_leads_to_the_circulars_and_only_a_supervisor_may_issue_one(db, client, seed_plan):
    documents = reverse("reports:documents", args=[seed_plan.pk])
    issue = reverse("reports:circular_request", args=[seed_plan.pk])
    for username, may_issue in (("supervisor", True), ("leader", False)):
        client.force_login(User.objects.get(username=username))
        html = client.get(reverse("reports:cockpit", args=[seed_plan.pk])).content.decode()
        assert f'href="{documents}"' in html
        assert (f'action="{issue}"' in html) is may_issue
