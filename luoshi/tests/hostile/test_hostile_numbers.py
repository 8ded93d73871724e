"""Numbers and text beyond their columns are refused in Chinese on every path, and never answer 500.

SQLite would store them and PostgreSQL would fail, so each value is checked
before the database on the form, the JSON API and the sheet import; the
suite runs on both databases.
"""
import json
from decimal import Decimal

import pytest
from django.db import connection
from django.urls import reverse

from luoshi.api.services import token_create
from luoshi.plans.models import Indicator, Task
from luoshi.tracking.models import IndicatorActual, ProgressReport
from luoshi.tracking.tests.report_world import task_of

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("april_3")]

# Each is a number nobody means as an indicator value, and each has made a 500.
HOSTILE_NUMBERS = ["1e30", "NaN", "Infinity", "-Infinity", "sNaN", "123456789012345678901234567890", "1.00001"]


@pytest.fixture
def api(client):
    def call(user, method, path, body=None):
        _, raw = token_create(user=user)
        kwargs = {"headers": {"Authorization": f"Bearer {raw}"}}
        if body is not None:
            kwargs.update(content_type="application/json", data=json.dumps(body))
        return getattr(client, method)(f"/api/v1{path}", **kwargs)

    return call


def _report_body(task, **overrides):
    return {"task": task.pk, "percent": 30, "work_state": "in_progress", "narrative": "新建幼儿园2所已开工。", **overrides}


@pytest.mark.parametrize("value", HOSTILE_NUMBERS)
def test_an_api_report_with_an_impossible_actual_is_refused_in_chinese_and_not_stored(
    api, plan, reporter_education, value
):
    task = task_of(plan, "education")
    indicator = task.indicators.get()
    response = api(reporter_education, "post", "/reports", _report_body(task, actuals={str(indicator.pk): value}))
    assert response.status_code == 422, response.content
    [error] = response.json()["detail"]
    if error["loc"] == ["body", "actuals"]:
        assert error["msg"].startswith("新建幼儿园：“")
    else:  # the schema refuses what is not a finite number before our check runs
        assert error["loc"] == ["body", "payload", "actuals", str(indicator.pk)]
        assert error["type"] == "finite_number"
    assert not ProgressReport.objects.exists() and not IndicatorActual.objects.exists()


def test_minus_zero_is_zero(api, plan, reporter_education):
    task = task_of(plan, "education")
    indicator = task.indicators.get()
    response = api(reporter_education, "post", "/reports", _report_body(task, actuals={str(indicator.pk): "-0"}))
    assert response.status_code == 201, response.content
    assert str(IndicatorActual.objects.get().value) in {"0", "0.0000"}


@pytest.mark.parametrize("percent", ["NaN", "sNaN", "1e30", "Infinity", 10**30])
def test_an_impossible_percent_is_refused_on_the_api(api, plan, reporter_education, percent):
    response = api(reporter_education, "post", "/reports", _report_body(task_of(plan, "education"), percent=percent))
    assert response.status_code == 422
    assert not ProgressReport.objects.exists()


@pytest.mark.parametrize("value", HOSTILE_NUMBERS)
def test_an_impossible_actual_on_the_report_form_is_refused_and_the_text_kept(
    client, plan, reporter_education, value
):
    task = task_of(plan, "education")
    indicator = task.indicators.get()
    client.force_login(reporter_education)
    response = client.post(
        reverse("tracking:task", args=[task.pk]),
        {"percent": "30", "work_state": "in_progress", "narrative": "选址已完成。", f"actual_{indicator.pk}": value},
    )
    assert response.status_code in (200, 400)
    assert "选址已完成。" in response.content.decode()
    assert not ProgressReport.objects.exists()


@pytest.mark.parametrize(
    ("change", "field", "message"),
    [
        ({"weight": "1e20"}, "weight", "权重：“1E+20”太大，小数点前最多 4 位。"),
        ({"weight": "0.001"}, "weight", "权重：“0.001”的小数超过 2 位。"),
        ({"title": "长" * 600}, "title", "任务最多 500 个字，现有 600 个字。"),
        ({"supervising_leader": "李" * 61}, "supervising_leader", "分管领导最多 60 个字，现有 61 个字。"),
    ],
)
def test_a_task_patch_beyond_a_column_is_refused_field_by_field(api, plan, supervisor, change, field, message):
    task = task_of(plan, "education")
    before = Task.objects.values().get(pk=task.pk)
    response = api(supervisor, "patch", f"/tasks/{task.pk}", {"version": task.version, **change})
    assert response.status_code == 422, response.content
    assert {"loc": ["body", field], "msg": message} in response.json()["detail"]
    assert Task.objects.values().get(pk=task.pk) == before


@pytest.mark.parametrize(
    ("row", "message"),
    [
        ({"target": "1e30"}, "目标值：“1E+30”太大，小数点前最多 12 位。"),
        ({"baseline": "-123456789012345678901234567890"}, "基数：“-123456789012345678901234567890”太大，小数点前最多 12 位。"),
        ({"name": "指" * 201}, "指标最多 200 个字，现有 201 个字。"),
        ({"unit": "个" * 31}, "计量单位最多 30 个字，现有 31 个字。"),
    ],
)
def test_an_indicator_beyond_its_columns_is_refused_on_the_api(api, plan, supervisor, row, message):
    task = task_of(plan, "education")
    indicator = task.indicators.get()
    current = {"id": indicator.pk, "name": indicator.name, "unit": indicator.unit, "target": "3"}
    response = api(supervisor, "patch", f"/tasks/{task.pk}", {"version": task.version, "indicators": [{**current, **row}]})
    assert response.status_code == 422, response.content
    assert message in [error["msg"] for error in response.json()["detail"]]
    assert Indicator.objects.get(pk=indicator.pk).target == Decimal(3)


def test_a_twenty_digit_task_id_in_a_form_is_ignored_not_a_500(client, plan, supervisor):
    client.force_login(supervisor)
    response = client.post(
        reverse("portal:manage_plan", args=[plan.pk]), {"action": "publish", "task": ["12345678901234567890", "²"]}
    )
    assert response.status_code == 302
    assert not Task.objects.filter(is_public=True).exists()


@pytest.mark.parametrize("path", ["/api/v1/tasks/12345678901234567890", "/api/v1/reports/12345678901234567890"])
def test_a_twenty_digit_id_in_an_api_path_is_404(api, supervisor, path):
    assert api(supervisor, "get", path.removeprefix("/api/v1")).status_code == 404


def test_an_api_body_over_the_limit_is_413_with_a_json_error(api, plan, reporter_education):
    task = task_of(plan, "education")
    response = api(reporter_education, "post", "/reports", _report_body(task, narrative="x" * (6 * 1024 * 1024)))
    assert response.status_code == 413
    assert "5 MB" in response.json()["detail"]
    assert not ProgressReport.objects.exists()


@pytest.mark.skipif(connection.vendor != "sqlite", reason="only SQLite keeps a value beyond its column")
def test_a_poisoned_actual_already_stored_does_not_break_the_review_queue_the_task_page_or_the_api(
    client, api, plan, reporter_education, supervisor
):
    task = task_of(plan, "education")
    indicator = task.indicators.get()
    response = api(reporter_education, "post", "/reports", _report_body(task, actuals={str(indicator.pk): "5"}))
    report_id = response.json()["id"]
    with connection.cursor() as cursor:
        cursor.execute("UPDATE tracking_indicatoractual SET value = 1e30")
    client.force_login(supervisor)
    assert client.get(reverse("tracking:review")).status_code == 200
    assert client.get(reverse("plans:task", args=[task.pk])).status_code == 200
    assert client.get(reverse("tracking:report", args=[report_id])).status_code == 200
    detail = api(supervisor, "get", f"/reports/{report_id}")
    assert detail.status_code == 200
    assert Decimal(detail.json()["actuals"][0]["value"]) == Decimal("1e30")
