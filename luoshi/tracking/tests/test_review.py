"""Review by the supervision office: the queue, the review page, accept and return, and
two supervisors deciding the same report at once."""
from datetime import date

import pytest
import time_machine
from django.urls import reverse

from luoshi.accounts.models import Role, User
from luoshi.audit.models import AuditEntry
from luoshi.tracking.models import ProgressReport, TaskTrack
from luoshi.tracking.periods import period_for
from luoshi.tracking.services import ConcurrentReview, report_accept, report_return, report_submit
from luoshi.tracking.supervision import task_recompute
from luoshi.tracking.tests.report_world import PDF_BYTES, task_of, upload

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("april_3")]


@pytest.fixture
def other_supervisor(_test_password_hash):
    return User.objects.create(username="supervisor-2", role=Role.SUPERVISOR, display_name="督查室 赵丽",
                               password=_test_password_hash)


def submit(plan, reporter, *, percent=30, narrative="完成3所幼儿园选址，其中2所已开工。", files=()):
    task = task_of(plan, "education")
    return report_submit(
        task=task, actor=reporter, period=period_for(plan=plan, day=date(2026, 4, 3)), percent=percent,
        work_state="in_progress", narrative=narrative, files=files,
    )


def test_the_queue_lists_submitted_reports_with_their_warnings(client, plan, reporter_education, supervisor):
    submit(plan, reporter_education, narrative="稳步推进，取得积极成效。")
    client.force_login(supervisor)
    page = client.get(reverse("tracking:review")).content.decode()
    assert "全面推进教育现代化，新建幼儿园3所" in page
    assert "区教育局" in page and "2026年3月" in page
    assert "稳步推进" in page  # the stock-phrase warning


def test_the_review_page_shows_the_source_sentence_previous_report_evidence_and_warnings(
    client, plan, reporter_education, supervisor, media
):
    task = task_of(plan, "education")
    with time_machine.travel("2026-03-03 10:00 +08:00", tick=False):
        february = report_submit(
            task=task, actor=reporter_education, period=period_for(plan=plan, day=date(2026, 3, 3)),
            percent=40, work_state="in_progress", narrative="完成2所幼儿园选址。",
        )
        report_accept(report=february, actor=supervisor, expected_version=february.version)
    report = submit(plan, reporter_education, percent=30, files=[upload("选址批复.pdf", PDF_BYTES)])
    client.force_login(supervisor)
    page = client.get(reverse("tracking:report", args=[report.pk])).content.decode()
    assert "全面推进教育现代化，新建幼儿园3所。" in page  # the source sentence
    assert "完成2所幼儿园选址。" in page and "2026年2月" in page  # the previous accepted report
    assert "选址批复.pdf" in page and reverse("tracking:evidence", args=[report.evidence.get().pk]) in page
    assert "完成进度由 40% 降为 30%" in page
    assert [w["code"] for w in report.warnings] == ["percent_down"]
    assert "审核通过" in page and "退回责任单位" in page


def test_the_full_cycle_submit_return_resubmit_accept_then_lights_as_dates_pass(
    client, plan, reporter_education, supervisor
):
    task = task_of(plan, "education")
    client.force_login(reporter_education)
    url = reverse("tracking:task", args=[task.pk])
    client.post(url, {"percent": "30", "work_state": "in_progress", "narrative": "稳步推进。"})
    report = ProgressReport.objects.get()
    assert report.status == "submitted"

    client.force_login(supervisor)
    response = client.post(reverse("tracking:report_return", args=[report.pk]),
                           {"version": report.version, "reason": "请写明开工几所、何时完工。"})
    assert response.status_code == 302
    report.refresh_from_db()
    assert (report.status, report.return_reason) == ("returned", "请写明开工几所、何时完工。")

    client.force_login(reporter_education)
    my_page = client.get(reverse("tracking:my_tasks")).content.decode()
    assert "已退回" in my_page and "请写明开工几所、何时完工。" in my_page
    client.post(url, {"percent": "30", "work_state": "in_progress", "narrative": "选址完成，2所幼儿园已开工，预计10月竣工。",
                      "milestones": [task.milestones.get().pk]})
    report.refresh_from_db()
    assert report.status == "submitted" and ProgressReport.objects.count() == 1

    client.force_login(supervisor)
    response = client.post(reverse("tracking:report_accept", args=[report.pk]), {"version": report.version})
    assert response.status_code == 302
    report.refresh_from_db()
    assert report.status == "accepted" and report.reviewed_by == supervisor
    track = TaskTrack.objects.get(task=task)
    assert (track.percent, track.light) == (30, "green"), track.reasons
    assert [e.action for e in AuditEntry.objects.filter(object_type="tracking.progressreport").order_by("id")] == [
        "report.submit", "report.return", "report.resubmit", "report.accept",
    ]
    # No April report: late in May; no May report either: two cycles unreported in June.
    may = task_recompute(task=task, today=date(2026, 5, 10))
    assert (may.light, [r["code"] for r in may.reasons]) == ("yellow", ["report_late"])
    june = task_recompute(task=task, today=date(2026, 6, 10))
    assert (june.light, june.reasons[0]["code"]) == ("red", "unreported")


def test_only_accepted_reports_move_progress(plan, reporter_education, supervisor):
    report = submit(plan, reporter_education, percent=60)
    task_recompute(task=report.task)
    assert TaskTrack.objects.get(task=report.task).percent == 0
    report_return(report=report, actor=supervisor, reason="缺佐证。", expected_version=report.version)
    task_recompute(task=report.task)
    assert TaskTrack.objects.get(task=report.task).percent == 0


def test_a_return_needs_a_reason(client, plan, reporter_education, supervisor):
    report = submit(plan, reporter_education)
    client.force_login(supervisor)
    response = client.post(reverse("tracking:report_return", args=[report.pk]), {"version": report.version, "reason": " "})
    assert response.status_code == 400
    report.refresh_from_db()
    assert report.status == "submitted"


def test_two_supervisors_accepting_at_once_one_wins_and_the_other_is_told_who(
    client, plan, reporter_education, supervisor, other_supervisor
):
    report = submit(plan, reporter_education)
    opened_version = report.version  # both opened the page before either clicked
    report_accept(report=report, actor=supervisor, expected_version=opened_version)

    with pytest.raises(ConcurrentReview, match="该报告已由 督查室 王敏 于 2026-04-03 10:00 审核（accepted|已通过）"):
        report_accept(report=report, actor=other_supervisor, expected_version=opened_version)

    client.force_login(other_supervisor)
    response = client.post(reverse("tracking:report_accept", args=[report.pk]), {"version": opened_version}, follow=True)
    assert "该报告已由 督查室 王敏 于 2026-04-03 10:00 审核" in response.content.decode()
    report.refresh_from_db()
    assert report.reviewed_by == supervisor
    assert AuditEntry.objects.filter(action="report.accept").count() == 1


def test_a_supervisor_cannot_accept_a_report_the_unit_changed_after_it_was_opened(
    plan, reporter_education, supervisor
):
    report = submit(plan, reporter_education, percent=30)
    opened_version = report.version
    submit(plan, reporter_education, percent=90)
    with pytest.raises(ConcurrentReview, match="责任单位又修改了这份报告"):
        report_accept(report=report, actor=supervisor, expected_version=opened_version)
    report.refresh_from_db()
    assert (report.status, report.percent) == ("submitted", 90)


# ── Who may see and do what ──────────────────────────────────────────────

def test_a_leader_reads_the_queue_and_the_report_but_cannot_decide(client, plan, reporter_education, leader):
    report = submit(plan, reporter_education)
    client.force_login(leader)
    assert client.get(reverse("tracking:review")).status_code == 200
    page = client.get(reverse("tracking:report", args=[report.pk]))
    assert page.status_code == 200 and "退回责任单位" not in page.content.decode()
    assert client.post(reverse("tracking:report_accept", args=[report.pk]), {"version": report.version}).status_code == 403
    assert client.post(reverse("tracking:report_return", args=[report.pk]),
                       {"version": report.version, "reason": "x"}).status_code == 403
    report.refresh_from_db()
    assert report.status == "submitted"


def test_reporters_cannot_open_the_queue_or_decide_on_their_own_report(client, plan, reporter_education):
    report = submit(plan, reporter_education)
    client.force_login(reporter_education)
    assert client.get(reverse("tracking:review")).status_code == 403
    # Their own report they may read, with no review buttons.
    page = client.get(reverse("tracking:report", args=[report.pk]))
    assert page.status_code == 200 and "审核通过" not in page.content.decode()
    assert client.post(reverse("tracking:report_accept", args=[report.pk]), {"version": report.version}).status_code == 403


def test_a_reporter_of_another_unit_gets_404_for_the_report(client, plan, reporter_education, units):
    report = submit(plan, reporter_education)
    science = User.objects.create(username="reporter-science", role=Role.REPORTER)
    science.memberships.create(unit=units["science"])
    client.force_login(science)
    assert client.get(reverse("tracking:report", args=[report.pk])).status_code == 404
    assert client.post(reverse("tracking:report_accept", args=[report.pk]), {"version": report.version}).status_code == 404


def test_anonymous_visitors_are_sent_to_log_in(client, plan, reporter_education):
    report = submit(plan, reporter_education)
    for url in (reverse("tracking:review"), reverse("tracking:report", args=[report.pk])):
        response = client.get(url)
        assert response.status_code == 302 and "login" in response["Location"]
    response = client.post(reverse("tracking:report_accept", args=[report.pk]), {"version": report.version})
    assert response.status_code == 302
    report.refresh_from_db()
    assert report.status == "submitted"


def test_the_review_page_shows_the_co_units_contributions_for_the_period(
    client, plan, reporter_education, reporter_fengqiao, supervisor
):
    from luoshi.tracking.services import contribution_add

    report = submit(plan, reporter_education)
    contribution_add(task=report.task, actor=reporter_fengqiao, period=report.period, text="协调用地20亩。")
    client.force_login(supervisor)
    page = client.get(reverse("tracking:report", args=[report.pk])).content.decode()
    assert "凤桥镇" in page and "协调用地20亩。" in page


def test_a_returned_report_resubmitted_shows_as_its_second_version_in_the_queue(
    client, plan, reporter_education, supervisor
):
    report = submit(plan, reporter_education)
    client.force_login(supervisor)
    assert "第2版" not in client.get(reverse("tracking:review")).content.decode()
    report = report_return(report=report, actor=supervisor, reason="请补充数据。", expected_version=report.version)
    report = submit(plan, reporter_education, narrative="已开工2所，完成投资1200万元。")
    assert report.submissions == 2
    page = client.get(reverse("tracking:review")).content.decode()
    assert "第2版" in page
    assert "第2版" in client.get(reverse("tracking:report", args=[report.pk])).content.decode()


def test_an_optional_comment_on_accept_is_stored_shown_and_audited(client, plan, reporter_education, supervisor):
    report = submit(plan, reporter_education)
    client.force_login(supervisor)
    response = client.post(reverse("tracking:report_accept", args=[report.pk]),
                           {"version": report.version, "note": "数据翔实，请保持。"})
    assert response.status_code == 302
    report.refresh_from_db()
    assert (report.status, report.accept_note) == ("accepted", "数据翔实，请保持。")
    assert AuditEntry.objects.get(action="report.accept").note == "数据翔实，请保持。"
    client.force_login(reporter_education)
    assert "数据翔实，请保持。" in client.get(reverse("tracking:report", args=[report.pk])).content.decode()
    assert "数据翔实，请保持。" in client.get(reverse("plans:task", args=[report.task_id])).content.decode()


def test_accepting_without_a_comment_still_works_and_a_too_long_one_is_refused(
    client, plan, reporter_education, supervisor
):
    report = submit(plan, reporter_education)
    client.force_login(supervisor)
    response = client.post(reverse("tracking:report_accept", args=[report.pk]),
                           {"version": report.version, "note": "好" * 1001})
    assert response.status_code == 400
    assert "审核意见最多 1000 个字，现有 1001 个字" in response.content.decode()
    report.refresh_from_db()
    assert report.status == "submitted"
    client.post(reverse("tracking:report_accept", args=[report.pk]), {"version": report.version})
    report.refresh_from_db()
    assert (report.status, report.accept_note) == ("accepted", "")
