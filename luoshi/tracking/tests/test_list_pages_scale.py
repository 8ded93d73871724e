"""我的任务 and the review queue: a page at a time, in the same number of queries however much there is."""
import re
from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from luoshi.tracking.models import ProgressReport
from luoshi.tracking.periods import periods_ensure
from luoshi.tracking.tests.supervision_data import plan_make, report_make, task_make

pytestmark = pytest.mark.django_db
REPORT_LINK = re.compile(r'href="[^"]*/reports/\d+/"')


def queries_of(client, url) -> tuple[int, str]:
    client.get(url)  # the first visit of a day may make the day's periods
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries), response.content.decode()


def add_plans(units, count, *, tasks_each=3, start=0):
    made = []
    for n in range(start, start + count):
        plan = plan_make(name=f"规划{n}")
        made += [task_make(plan, units["education"], title=f"规划{n}的任务{k}") for k in range(tasks_each)]
    return made


def test_my_tasks_costs_the_same_queries_for_one_plan_as_for_thirteen(client, units, reporter_education):
    client.force_login(reporter_education)
    add_plans(units, 1)
    small, _page = queries_of(client, reverse("tracking:my_tasks"))
    add_plans(units, 12, start=1)
    big, _page = queries_of(client, reverse("tracking:my_tasks"))
    assert small == big


def test_my_tasks_shows_fifty_tasks_a_page_soonest_due_first(client, units, reporter_education):
    plan = plan_make()
    for n in range(60):
        task_make(plan, units["education"], title=f"第{n:02d}项任务", due=date(2026, 12, 31) if n else date(2026, 3, 31))
    client.force_login(reporter_education)
    first = client.get(reverse("tracking:my_tasks")).content.decode()
    assert first.count('class="task-row"') == 50
    assert first.index("第00项任务") < first.index("第01项任务")
    assert "第 1 页，共 2 页 · 共 60 条" in first and "下一页" in first
    second = client.get(reverse("tracking:my_tasks") + "?page=2").content.decode()
    assert second.count('class="task-row"') == 10 and "上一页" in second


def test_the_review_queue_costs_the_same_queries_for_three_waiting_reports_as_for_sixty(client, units, supervisor):
    client.force_login(supervisor)

    def wait_for_review(tasks):
        for task in tasks:
            period = periods_ensure(plan=task.plan, until=date(2026, 2, 1))[0]
            report_make(task, period, percent=10, status=ProgressReport.Status.SUBMITTED)

    wait_for_review(add_plans(units, 1))
    small, page = queries_of(client, reverse("tracking:review"))
    assert len(REPORT_LINK.findall(page)) == 3
    wait_for_review(add_plans(units, 19, start=1))
    big, page = queries_of(client, reverse("tracking:review"))
    assert small == big
    assert len(REPORT_LINK.findall(page)) == 50 and "第 1 页，共 2 页 · 共 60 条" in page
