"""/api/v1/reports for each kind of user: the pages' permissions, through tokens."""
from datetime import date

import pytest

from luoshi.api.services import token_create
from luoshi.tracking.models import ProgressReport
from luoshi.tracking.periods import period_for
from luoshi.tracking.services import report_submit
from luoshi.tracking.tests.report_world import EXE_BYTES, PDF_BYTES, files_under, task_of, upload

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("april_3")]


@pytest.fixture
def call(client, request):
    """``call(who, method, path, body=None, **kwargs)`` with a token of the named user fixture, or anonymously."""

    def make(who: str, method: str, path: str, body: dict | None = None, **kwargs):
        headers = {}
        if who != "anonymous":
            _, raw = token_create(user=request.getfixturevalue(who))
            headers["Authorization"] = f"Bearer {raw}"
        if body is not None:
            kwargs.update(content_type="application/json", data=body)
        return getattr(client, method)(f"/api/v1/reports{path}", headers=headers, **kwargs)

    return make


def body_for(task, **overrides):
    return {"task": task.pk, "percent": 30, "work_state": "in_progress", "narrative": "新建幼儿园2所已开工。", **overrides}


@pytest.fixture
def reports(plan, reporter_education, reporter_fengqiao, units):
    """One submitted report on each task the named reporters lead, and one of 区科技局."""
    from luoshi.accounts.models import Membership, Role, User

    science = User.objects.create(username="reporter-science", role=Role.REPORTER)
    Membership.objects.create(user=science, unit=units["science"])
    period = period_for(plan=plan, day=date(2026, 4, 3))
    made = {}
    for code, user in (("education", reporter_education), ("fengqiao", reporter_fengqiao), ("science", science)):
        made[code] = report_submit(task=task_of(plan, code), actor=user, period=period, percent=20,
                                   work_state="in_progress", narrative=f"{code} 完成选址2处。")
    return made


@pytest.mark.parametrize("who", ["supervisor", "leader", "admin_user"])
def test_readers_of_everything_list_every_report(call, reports, who):
    assert call(who, "get", "").json()["count"] == 3


@pytest.mark.parametrize(
    ("who", "codes"),
    # 凤桥镇 co-operates on 区教育局's task, so it reads that report too.
    [("reporter_education", {"education"}), ("reporter_fengqiao", {"education", "fengqiao"})],
)
def test_reporters_list_only_their_units_tasks_reports(call, reports, who, codes):
    listed = call(who, "get", "").json()["items"]
    assert {r["unit"] for r in listed} == codes
    assert call(who, "get", f"/{reports['science'].pk}").status_code == 404


def test_the_list_filters_by_task_period_and_status(call, plan, reports, supervisor):
    education = reports["education"]
    by_task = call("supervisor", "get", f"?task={education.task_id}").json()["items"]
    assert [r["id"] for r in by_task] == [education.pk]
    assert call("supervisor", "get", f"?period={education.period_id}").json()["count"] == 3
    assert call("supervisor", "get", "?status=accepted").json()["count"] == 0


def test_anonymous_clients_get_401(call, reports):
    assert call("anonymous", "get", "").status_code == 401
    assert call("anonymous", "get", f"/{reports['education'].pk}").status_code == 401
    assert call("anonymous", "post", "", body_for(task_of(reports["education"].task.plan, "education"))).status_code == 401


def test_the_lead_units_reporter_submits_for_the_open_period(call, plan):
    response = call("reporter_education", "post", "", body_for(task_of(plan, "education")))
    assert response.status_code == 201, response.content
    data = response.json()
    assert (data["status"], data["percent"], data["period"]["label"], data["unit"]) == (
        "submitted", 30, "2026年3月", "education"
    )


@pytest.mark.parametrize("percent", [150, -5])
def test_a_percent_outside_0_to_100_is_refused_with_a_message(call, plan, percent):
    response = call("reporter_education", "post", "", body_for(task_of(plan, "education"), percent=percent))
    assert response.status_code == 422
    assert response.json()["detail"] == [
        {"loc": ["body", "percent"], "msg": f"完成进度须为0到100之间的整数，不能是{percent}。"}
    ]
    assert not ProgressReport.objects.exists()


@pytest.mark.parametrize(
    ("who", "lead", "status"),
    [("reporter_fengqiao", "education", 403), ("reporter_fengqiao", "science", 404), ("leader", "education", 403)],
)
def test_others_cannot_submit(call, plan, who, lead, status):
    assert call(who, "post", "", body_for(task_of(plan, lead))).status_code == status
    assert not ProgressReport.objects.exists()


def test_evidence_is_attached_checked_and_downloaded_with_the_same_permissions(call, reports, media):
    report = reports["education"]
    path = f"/{report.pk}/evidence"
    refused = call("reporter_education", "post", path, data={"files": [upload("报告.pdf", EXE_BYTES)]})
    assert refused.status_code == 422 and "“报告.pdf”" in refused.json()["detail"][0]["msg"]
    assert files_under(media) == []

    response = call("reporter_education", "post", path, data={"files": [upload("批复.pdf", PDF_BYTES)]})
    assert response.status_code == 201
    [item] = response.json()
    assert item["content_type"] == "application/pdf" and item["name"] == "批复.pdf"
    download = item["download"].removeprefix("/api/v1/reports")
    assert b"".join(call("reporter_fengqiao", "get", download).streaming_content) == PDF_BYTES
    assert call("leader", "get", download).status_code == 200
    assert call("reporter_education", "get", f"/evidence/{item['id']}").status_code == 200

    for who, status in (("reporter_fengqiao", 403), ("leader", 403)):
        assert call(who, "post", path, data={"files": [upload("x.pdf", PDF_BYTES)]}).status_code == status
    assert call("reporter_fengqiao", "post", f"/{reports['science'].pk}/evidence",
                data={"files": [upload("x.pdf", PDF_BYTES)]}).status_code == 404


def test_an_oversize_file_is_refused_with_413(call, reports, media, settings):
    settings.LUOSHI_MAX_UPLOAD_MB = 1
    big = upload("航拍.pdf", PDF_BYTES + b"\x00" * (2 * 1024 * 1024))
    response = call("reporter_education", "post", f"/{reports['education'].pk}/evidence", data={"files": [big]})
    assert response.status_code == 413
    assert "“航拍.pdf”" in response.json()["detail"]
    assert files_under(media) == []


def test_a_supervisor_returns_then_accepts_and_a_stale_review_gets_409(call, reports):
    report = reports["education"]
    returned = call("supervisor", "post", f"/{report.pk}/review", {"action": "return", "version": report.version,
                                                                   "reason": "请补充照片。"})
    assert returned.status_code == 200 and returned.json()["status"] == "returned"
    again = call("reporter_education", "post", "", body_for(report.task, percent=35))
    version = again.json()["version"]
    assert call("supervisor", "post", f"/{report.pk}/review", {"action": "accept", "version": version}).json()["status"] == "accepted"
    conflict = call("admin_user", "post", f"/{report.pk}/review", {"action": "accept", "version": version})
    assert conflict.status_code == 409
    assert "该报告已由 督查室 王敏 于 2026-04-03 10:00 审核" in conflict.json()["detail"]


def test_a_return_without_a_reason_is_422(call, reports):
    report = reports["education"]
    response = call("supervisor", "post", f"/{report.pk}/review", {"action": "return", "version": report.version})
    assert response.status_code == 422 and response.json()["detail"][0]["loc"] == ["body", "reason"]


@pytest.mark.parametrize("who", ["leader", "reporter_education"])
def test_leaders_and_reporters_cannot_review(call, reports, who):
    report = reports["education"]
    assert call(who, "post", f"/{report.pk}/review", {"action": "accept", "version": report.version}).status_code == 403
    report.refresh_from_db()
    assert report.status == "submitted"


def test_a_reporter_of_another_unit_cannot_review_or_see_the_report(call, reports):
    report = reports["science"]
    assert call("reporter_education", "post", f"/{report.pk}/review",
                {"action": "accept", "version": report.version}).status_code == 404


def test_a_review_may_carry_a_comment_on_acceptance_and_a_report_says_which_submission_it_is(call, reports):
    report = reports["education"]
    call("supervisor", "post", f"/{report.pk}/review", {"action": "return", "version": report.version,
                                                       "reason": "请补充照片。"})
    again = call("reporter_education", "post", "", body_for(report.task, percent=35)).json()
    assert again["submissions"] == 2
    accepted = call("supervisor", "post", f"/{report.pk}/review",
                    {"action": "accept", "version": again["version"], "note": "照片已补充，通过。"}).json()
    assert (accepted["status"], accepted["accept_note"]) == ("accepted", "照片已补充，通过。")
