"""/api/v1/my/updates: what is due with its pre-filled values, and many reports in one call with partial success."""
from datetime import date
from decimal import Decimal

import pytest

from luoshi.api.services import token_create
from luoshi.tracking.models import IndicatorActual, ProgressReport
from luoshi.tracking.periods import periods_ensure
from luoshi.tracking.services import MAX_BATCH_REPORTS
from luoshi.tracking.tests.report_world import task_of
from luoshi.tracking.tests.supervision_data import report_make

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("april_3")]


@pytest.fixture
def call(client, request):
    def make(who: str, method: str, body=None):
        headers = {}
        if who != "anonymous":
            _, raw = token_create(user=request.getfixturevalue(who))
            headers["Authorization"] = f"Bearer {raw}"
        kwargs = {"content_type": "application/json", "data": body} if body is not None else {}
        return getattr(client, method)("/api/v1/my/updates", headers=headers, **kwargs)

    return make


@pytest.fixture
def february(plan):
    task = task_of(plan, "education")
    report = report_make(task, periods_ensure(plan=plan, until=date(2026, 3, 1))[1], percent=40, narrative="完成选址。")
    report.milestones_reached.set(task.milestones.all())
    IndicatorActual.objects.create(report=report, indicator=task.indicators.get(), value=Decimal("1"))
    return report


def test_get_lists_what_is_due_with_last_periods_values(call, plan, february, reporter_education):
    answer = call("reporter_education", "get").json()
    assert (answer["today"], answer["due"], answer["done"], answer["overdue"]) == ("2026-04-03", 1, 0, 0)
    [row] = answer["rows"]
    task = task_of(plan, "education")
    assert row["task_id"] == task.pk and row["state"] == "due" and row["period"]["label"] == "2026年3月"
    assert row["period"]["report_due"] == "2026-04-07"
    assert row["prefill"]["percent"] == 40
    assert row["prefill"]["narrative"] == "" and row["last_narrative"] == "完成选址。"
    assert row["prefill"]["milestone_ids"] == [task.milestones.get().pk]
    assert row["prefill"]["actuals"] == {str(task.indicators.get().pk): "1"}
    assert [m["title"] for m in row["milestones"]] == ["完成选址"]


def test_post_saves_the_good_items_and_answers_each_bad_one_with_its_errors(call, plan, units, reporter_education):
    from luoshi.plans.models import Task

    education = task_of(plan, "education")
    second = Task.objects.create(plan=plan, measure=education.measure, title="实施“学在南湖”品牌行动",
                                 lead_unit=units["education"], start_date=date(2026, 1, 1), due_date=date(2026, 12, 31))
    science = task_of(plan, "science")
    answer = call("reporter_education", "post", {"items": [
        {"task": education.pk, "percent": 150, "work_state": "in_progress", "narrative": "主体完工。"},
        {"task": second.pk, "percent": 20, "work_state": "in_progress", "narrative": "方案已印发。"},
        {"task": science.pk, "percent": 20, "work_state": "in_progress", "narrative": "不是我的任务。"},
    ]})
    assert answer.status_code == 200
    body = answer.json()
    assert (body["saved"], body["failed"]) == (1, 2)
    bad, good, foreign = body["results"]
    assert bad["ok"] is False and bad["errors"] == [
        {"loc": ["body", "percent"], "msg": "完成进度须为0到100之间的整数，不能是150。"}
    ]
    report = ProgressReport.objects.get(task=second)
    assert good == {"index": 1, "task": second.pk, "ok": True, "id": report.pk, "status": "submitted",
                    "version": 1, "errors": []}
    assert foreign["ok"] is False and foreign["errors"][0]["msg"] == "本单位的任务中没有这项任务。"
    assert ProgressReport.objects.count() == 1

    again = call("reporter_education", "get").json()
    assert (again["done"], again["due"]) == (1, 1)


def test_the_list_is_bounded(call, plan, reporter_education):
    item = {"task": task_of(plan, "education").pk, "percent": 1, "work_state": "in_progress", "narrative": "x"}
    answer = call("reporter_education", "post", {"items": [item] * (MAX_BATCH_REPORTS + 1)})
    assert answer.status_code == 422
    assert not ProgressReport.objects.exists()


def test_a_leader_may_not_submit_and_an_anonymous_client_is_refused(call, plan, leader):
    item = {"task": task_of(plan, "education").pk, "percent": 1, "work_state": "in_progress", "narrative": "x"}
    assert call("leader", "post", {"items": [item]}).status_code == 403
    assert call("leader", "get").json()["rows"] == []
    assert call("anonymous", "get").status_code == 401
