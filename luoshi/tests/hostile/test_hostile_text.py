"""Free text and malformed API bodies: bounded on every write path, refused in Chinese, nothing stored.

A narrative, a reason or a reply is a text column without a length, so a
pasted document of megabytes would be stored and then drawn on every page
that lists it. Each is capped at ``bounds.LONG_TEXT`` characters where it is
written (form, API and service alike), as are a unit's names and word lists;
and what the API's schema refuses is answered in Chinese, not in pydantic's
English.
"""
import json
from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from luoshi.accounts.models import Unit
from luoshi.api.services import token_create
from luoshi.bounds import LONG_TEXT
from luoshi.plans.models import Plan
from luoshi.plans.services import PlanImportError, plan_import
from luoshi.tracking.models import Contribution, ExtensionRequest, ProgressReport, SupervisionNotice, TaskTrack
from luoshi.tracking.notices import notice_issue, notice_reply
from luoshi.tracking.periods import period_for
from luoshi.tracking.services import contribution_add, extension_request, report_return, report_submit
from luoshi.tracking.tests.report_world import task_of

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("april_3")]

TOO_LONG = "进" * (LONG_TEXT + 1)
LIMIT_WORDS = f"最多 {LONG_TEXT} 个字"


@pytest.fixture
def api(client):
    def call(user, method, path, body):
        _, raw = token_create(user=user)
        headers = {"Authorization": f"Bearer {raw}"}
        if body is None:
            return getattr(client, method)(f"/api/v1{path}", headers=headers)
        data = body if isinstance(body, str) else json.dumps(body)
        return getattr(client, method)(f"/api/v1{path}", data=data, content_type="application/json", headers=headers)

    return call


def _report_body(task, **overrides):
    return {"task": task.pk, "percent": 30, "work_state": "in_progress", "narrative": "新建幼儿园2所已开工。", **overrides}


def _submitted(plan, reporter):
    return report_submit(
        task=task_of(plan, "education"), actor=reporter, period=period_for(plan=plan, day=date(2026, 4, 3)),
        percent=30, work_state="in_progress", narrative="完成3所幼儿园选址。",
    )


# ── The API's schema answers in Chinese ──────────────────────────────────


@pytest.mark.parametrize("percent", ["NaN", "Infinity", "-Infinity"])
def test_a_percent_that_is_not_a_finite_number_is_refused_in_chinese(api, plan, reporter_education, percent):
    body = json.dumps(_report_body(task_of(plan, "education"))).replace('"percent": 30', f'"percent": {percent}')
    response = api(reporter_education, "post", "/reports", body)
    assert response.status_code == 422
    [error] = response.json()["detail"]
    assert error["loc"][-1] == "percent" and error["type"] == "finite_number"
    assert error["msg"] == "必须是有限的数（不能是 NaN 或无穷大）。"
    assert "input" not in error  # a hostile body is not echoed back
    assert not ProgressReport.objects.exists()


def test_each_schema_error_names_its_field_in_chinese(api, plan, reporter_education):
    response = api(reporter_education, "post", "/reports", {"task": "第一项", "percent": 30})
    assert response.status_code == 422
    errors = {error["loc"][-1]: error["msg"] for error in response.json()["detail"]}
    assert errors == {"task": "必须是整数。", "work_state": "此项为必填项。", "narrative": "此项为必填项。"}


def test_a_body_that_is_not_json_is_refused_in_chinese(api, plan, reporter_education):
    response = api(reporter_education, "post", "/reports", '{"task": 1, "percent":')
    assert response.status_code == 400
    assert response.json()["detail"] == "请求内容不是有效的 JSON，未保存任何内容。"
    assert not ProgressReport.objects.exists()


def test_a_task_patch_with_a_weight_of_nan_is_refused_in_chinese(api, plan, supervisor):
    task = task_of(plan, "education")
    body = '{"version": %d, "weight": NaN}' % task.version
    response = api(supervisor, "patch", f"/tasks/{task.pk}", body)
    assert response.status_code == 422
    assert "有限的数" in json.dumps(response.json(), ensure_ascii=False)


# ── Free text is bounded on every path ───────────────────────────────────


def test_an_endless_narrative_is_refused_on_the_form_and_the_other_fields_kept(client, plan, reporter_education):
    task = task_of(plan, "education")
    client.force_login(reporter_education)
    response = client.post(
        reverse("tracking:task", args=[task.pk]),
        {"percent": "30", "work_state": "in_progress", "narrative": TOO_LONG},
    )
    assert response.status_code in (200, 400)
    page = response.content.decode()
    assert LIMIT_WORDS in page and f"现有 {LONG_TEXT + 1} 个字" in page
    assert 'value="30"' in page
    assert not ProgressReport.objects.exists()


def test_an_endless_narrative_is_refused_on_the_api(api, plan, reporter_education):
    response = api(reporter_education, "post", "/reports", _report_body(task_of(plan, "education"), narrative=TOO_LONG))
    assert response.status_code == 422
    assert LIMIT_WORDS in json.dumps(response.json(), ensure_ascii=False)
    assert not ProgressReport.objects.exists()


def test_a_narrative_at_the_limit_is_taken(plan, reporter_education):
    report = report_submit(
        task=task_of(plan, "education"), actor=reporter_education, period=period_for(plan=plan, day=date(2026, 4, 3)),
        percent=30, work_state="in_progress", narrative="进" * LONG_TEXT,
    )
    assert len(report.narrative) == LONG_TEXT


def test_an_endless_reason_for_return_is_refused(plan, reporter_education, supervisor):
    report = _submitted(plan, reporter_education)
    with pytest.raises(ValidationError) as refused:
        report_return(report=report, actor=supervisor, reason=TOO_LONG, expected_version=report.version)
    assert LIMIT_WORDS in refused.value.message_dict["reason"][0]
    report.refresh_from_db()
    assert report.status == ProgressReport.Status.SUBMITTED


def test_an_endless_contribution_is_refused_on_the_form(client, plan, reporter_fengqiao):
    task = task_of(plan, "education")
    client.force_login(reporter_fengqiao)
    response = client.post(reverse("tracking:contribution_add", args=[task.pk]), {"text": TOO_LONG})
    assert response.status_code != 500
    assert not Contribution.objects.exists()
    with pytest.raises(ValidationError) as refused:
        contribution_add(task=task, actor=reporter_fengqiao, period=period_for(plan=plan, day=date(2026, 4, 3)),
                         text=TOO_LONG)
    assert LIMIT_WORDS in refused.value.message_dict["text"][0]


def test_an_endless_extension_reason_is_refused_on_the_form(client, plan, reporter_education):
    task = task_of(plan, "education")
    client.force_login(reporter_education)
    response = client.post(
        reverse("tracking:extension_request", args=[task.pk]), {"requested_due": "2027-03-31", "reason": TOO_LONG}
    )
    assert response.status_code != 500
    assert not ExtensionRequest.objects.exists()
    with pytest.raises(ValidationError) as refused:
        extension_request(task=task, actor=reporter_education, requested_due=date(2027, 3, 31), reason=TOO_LONG)
    assert LIMIT_WORDS in refused.value.message_dict["reason"][0]


def test_an_endless_notice_reply_is_refused_and_the_notice_stays_open(plan, supervisor, reporter_education):
    task = task_of(plan, "education")
    TaskTrack.objects.update_or_create(task=task, defaults={"light": "red", "percent": 10, "reasons": []})
    notice = notice_issue(task=task, actor=supervisor, today=date(2026, 4, 3))
    with pytest.raises(ValidationError) as refused:
        notice_reply(notice=notice, actor=reporter_education, reply=TOO_LONG)
    assert LIMIT_WORDS in refused.value.message_dict["reply"][0]
    notice.refresh_from_db()
    assert (notice.status, notice.reply) == (SupervisionNotice.Status.OPEN, "")


# ── Units and plans ──────────────────────────────────────────────────────


def _unit_edit(client, unit, **data):
    form = {"short_name": unit.short_name, "aliases": "", "duties": "", "duty_keywords": "", "version": unit.version}
    return client.post(reverse("unit_edit", args=[unit.code]), {**form, **data})


@pytest.mark.parametrize(
    "field, value, message",
    [
        ("aliases", "、".join(f"别名{n}" for n in range(201)), "最多 200 项"),
        ("duty_keywords", "教" * 41, "超过 40 个字"),
        ("duties", TOO_LONG, LIMIT_WORDS),
    ],
)
def test_a_unit_edit_beyond_its_bounds_is_refused_and_nothing_changes(client, units, supervisor, field, value, message):
    unit = units["education"]
    client.force_login(supervisor)
    response = _unit_edit(client, unit, **{field: value})
    assert response.status_code == 400
    assert message in response.content.decode()
    fresh = Unit.objects.get(pk=unit.pk)
    assert (fresh.aliases, fresh.duties, fresh.duty_keywords, fresh.version) == (
        unit.aliases, unit.duties, unit.duty_keywords, unit.version
    )


def test_a_plan_name_beyond_its_column_is_refused_not_cut(supervisor):
    content = "一、教育\n（一）新建幼儿园3所，年底前完成。\n".encode()
    with pytest.raises(PlanImportError) as refused:
        plan_import(name="南" * 201, year=2026, filename="plan.txt", content=content, actor=supervisor)
    assert "最多 200 个字" in str(refused.value)
    assert not Plan.objects.filter(name__startswith="南南").exists()


@pytest.mark.parametrize("path", [f"/tasks/{2**70}", f"/reports/{2**70}", f"/plans/{2**70}", "/tasks/999999"])
def test_an_id_that_is_no_row_is_a_chinese_404(api, plan, supervisor, path):
    response = api(supervisor, "get", path, None)
    assert response.status_code == 404
    assert response.json() == {"detail": "未找到，或您无权查看。"}


# ── 督办单 drafts ─────────────────────────────────────────────────────────


@pytest.fixture
def notice_draft_of(plan, supervisor):
    from luoshi.tracking.notices import notice_draft

    task = task_of(plan, "education")
    TaskTrack.objects.update_or_create(task=task, defaults={"light": "red", "percent": 10, "reasons": []})
    return notice_draft(task=task, actor=supervisor, today=date(2026, 4, 3))


@pytest.mark.parametrize("field", ["reasons_text", "text"])
def test_an_endless_notice_draft_is_refused_and_the_draft_kept(notice_draft_of, supervisor, field):
    from luoshi.tracking.notices import notice_draft_update

    values = {"reasons_text": "连续两个周期未报送", "text": "请于5个工作日内反馈。", field: TOO_LONG}
    with pytest.raises(ValidationError) as refused:
        notice_draft_update(notice=notice_draft_of, actor=supervisor, reply_due=date(2026, 4, 20),
                            today=date(2026, 4, 3), **values)
    key = "reasons" if field == "reasons_text" else "text"
    assert LIMIT_WORDS in refused.value.message_dict[key][0]
    fresh = SupervisionNotice.objects.get(pk=notice_draft_of.pk)
    assert (fresh.text, fresh.reasons) == (notice_draft_of.text, notice_draft_of.reasons)


def test_an_endless_note_returning_a_draft_is_refused(notice_draft_of, supervisor, leader):
    from luoshi.tracking.notices import notice_return, notice_submit

    notice_submit(notice=notice_draft_of, actor=supervisor)
    with pytest.raises(ValidationError) as refused:
        notice_return(notice=notice_draft_of, actor=leader, note=TOO_LONG)
    assert LIMIT_WORDS in refused.value.message_dict["note"][0]
    assert SupervisionNotice.objects.get(pk=notice_draft_of.pk).status == SupervisionNotice.Status.PENDING
