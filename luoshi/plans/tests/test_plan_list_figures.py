"""The plan list shows per plan its tasks, average and weighted progress and light counts, in a fixed number of queries."""
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from luoshi.plans import selectors
from luoshi.tracking.models import TaskTrack
from luoshi.tracking.tests.report_world import report_plan, task_of

pytestmark = pytest.mark.django_db


def _plan_with_tracks(units, year):
    """education 40% green weight 3, fengqiao 10% red weight 1, science not judged yet."""
    plan = report_plan(units, year=year)
    education, fengqiao = task_of(plan, "education"), task_of(plan, "fengqiao")
    education.weight = Decimal("3")
    education.save(update_fields=["weight"])
    TaskTrack.objects.create(task=education, percent=40, light="green")
    TaskTrack.objects.create(task=fengqiao, percent=10, light="red")
    return plan


def test_the_figures_are_the_tasks_progress_and_lights_of_each_plan(units, supervisor):
    plan = _plan_with_tracks(units, 2026)
    figures = selectors.plan_figures(visible_to=supervisor, plan_ids=[plan.pk])[plan.pk]
    assert figures.tasks == 3
    assert figures.average == Decimal("16.7")  # (40 + 10 + 0) / 3
    assert figures.weighted == Decimal("26.0")  # (3×40 + 10 + 0) / 5
    assert figures.lights == [("green", 1), ("yellow", 0), ("red", 1), ("grey", 1)]


def test_a_signed_off_task_counts_as_done_and_green(units, supervisor):
    plan = _plan_with_tracks(units, 2026)
    TaskTrack.objects.filter(task__plan=plan, light="red").update(signed_off_at=timezone.now())
    figures = selectors.plan_figures(visible_to=supervisor, plan_ids=[plan.pk])[plan.pk]
    assert figures.average == Decimal("46.7")  # (40 + 100 + 0) / 3
    assert (figures.green, figures.red) == (2, 0)


def test_a_reporter_sees_the_figures_of_its_own_tasks_only(units, reporter_fengqiao):
    plan = _plan_with_tracks(units, 2026)
    figures = selectors.plan_figures(visible_to=reporter_fengqiao, plan_ids=[plan.pk])[plan.pk]
    # 凤桥镇 leads "fengqiao" and is a co-unit of "education".
    assert (figures.tasks, figures.green, figures.red, figures.grey) == (2, 1, 1, 0)


def test_the_plan_list_page_shows_the_figures(client, units, supervisor):
    plan = _plan_with_tracks(units, 2026)
    client.force_login(supervisor)
    page = client.get(reverse("plans:list"), HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
    row = page[page.index(plan.name):]
    row = row[: row.index("</tr>")]
    assert 'data-label="任务数">3<' in row
    assert "16.7%" in row and "26.0%" in row
    assert "绿灯 1" in row and "红灯 1" in row and "未研判 1" in row


def test_the_plan_list_costs_the_same_queries_for_two_plans_as_for_six(client, units, supervisor):
    client.force_login(supervisor)

    def queries():
        with CaptureQueriesContext(connection) as captured:
            assert client.get(reverse("plans:list")).status_code == 200
        return len(captured)

    for year in (2021, 2022):
        _plan_with_tracks(units, year)
    two = queries()
    for year in (2023, 2024, 2025, 2026):
        _plan_with_tracks(units, year)
    assert queries() == two
