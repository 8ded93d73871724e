"""督办单 drafts: edited and previewed before sending, approved by a leader when asked for, numbered when sent, copied
to the unit's 分管领导; and the escalation ladder 提醒 → 催办 → 督办单 → 通报 recorded per task."""
import io
from datetime import date

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from docx import Document

from luoshi.audit.models import AuditEntry
from luoshi.tracking import ladder
from luoshi.tracking.models import LadderStep, ReportingCycle, SupervisionNotice, TaskTrack
from luoshi.tracking.notices import (
    notice_approve,
    notice_draft,
    notice_draft_update,
    notice_return,
    notice_send,
    notice_submit,
)
from luoshi.tracking.services import channel_create
from luoshi.tracking.tests.supervision_data import plan_make, task_make

pytestmark = pytest.mark.django_db

RED = [{"code": "overdue", "light": "red", "text": "已超期 12 天（完成时限 2026-06-30）"}]
JULY_13 = date(2026, 7, 13)


@pytest.fixture
def plan():
    return plan_make(year=2026)


@pytest.fixture
def task(plan, units):
    task = task_make(plan, units["education"], due=date(2026, 6, 30))
    TaskTrack.objects.create(task=task, light="red", percent=45, reasons=RED)
    return task


@pytest.fixture
def draft(task, supervisor):
    return notice_draft(task=task, actor=supervisor, today=JULY_13)


def test_a_draft_is_prefilled_unnumbered_unsent_and_hidden_from_the_unit(client, draft, reporter_education):
    assert draft.status == "draft" and draft.number is None
    assert draft.reasons == RED and "整改措施" in draft.text
    assert draft.deliveries.count() == 0
    client.force_login(reporter_education)
    assert client.get(reverse("tracking:notice", args=[draft.pk])).status_code == 404
    assert client.get(reverse("tracking:notice_docx", args=[draft.pk])).status_code == 404


def test_the_office_edits_the_draft_and_the_docx_preview_shows_the_edit(client, draft, supervisor):
    notice_draft_update(notice=draft, actor=supervisor, reasons_text="已超期 12 天\n孵化器选址未落实",
                        text="请于一周内明确选址方案。", reply_due=date(2026, 7, 24), today=JULY_13)
    draft.refresh_from_db()
    assert [r["text"] for r in draft.reasons] == ["已超期 12 天", "孵化器选址未落实"]
    client.force_login(supervisor)
    response = client.get(reverse("tracking:notice_docx", args=[draft.pk]))
    text = "\n".join(
        cell.text for table in Document(io.BytesIO(response.content)).tables for row in table.rows for cell in row.cells
    )
    assert "请于一周内明确选址方案。" in text and "孵化器选址未落实" in text and "2026年7月24日" in text
    assert AuditEntry.objects.filter(action="notice.edit").count() == 1


def test_a_bad_edit_names_the_problem_and_keeps_what_was_typed(client, draft, supervisor):
    client.force_login(supervisor)
    response = client.post(
        reverse("tracking:notice_edit", args=[draft.pk]),
        {"reasons": "孵化器选址未落实", "text": "", "reply_due": "2026-07-01"},
        follow=True,
    )
    page = response.content.decode()
    assert "请填写办理要求。" in page and "反馈时限应晚于今天。" in page
    assert "孵化器选址未落实" in page  # what was typed is not lost
    draft.refresh_from_db()
    assert [r["text"] for r in draft.reasons] == [RED[0]["text"]]


def test_sending_numbers_it_by_the_day_of_sending_and_copies_the_units_leader(draft, supervisor, leader, units,
                                                                              django_capture_on_commit_callbacks):
    leader.email = "ljg@nanhu.gov.cn"
    leader.save()
    units["education"].leader = leader
    units["education"].save()
    channel_create(actor=None, kind="email", name="邮件")
    SupervisionNotice.objects.filter(pk=draft.pk).update(reply_due=date(2027, 1, 13))
    draft.refresh_from_db()
    with django_capture_on_commit_callbacks(execute=True):
        sent = notice_send(notice=draft, actor=supervisor, today=date(2027, 1, 6))
    assert (sent.status, sent.number, sent.issued_on) == ("open", "南湖督〔2027〕1号", date(2027, 1, 6))
    assert sent.copied_to == ["区领导 李建国"]
    assert [m.to for m in mail.outbox] == [["ljg@nanhu.gov.cn"]]
    assert mail.outbox[0].subject == "【抄送】【督办】南湖督〔2027〕1号"


def test_with_approval_on_the_office_submits_and_a_leader_approves_or_returns(draft, supervisor, leader, plan):
    ReportingCycle.objects.create(plan=plan, notice_needs_approval=True)
    with pytest.raises(ValidationError, match="审批"):
        notice_send(notice=draft, actor=supervisor, today=JULY_13)
    notice_submit(notice=draft, actor=supervisor)
    with pytest.raises(PermissionDenied):
        notice_approve(notice=draft, actor=supervisor, today=JULY_13)
    with pytest.raises(ValidationError):
        notice_return(notice=draft, actor=leader, note="  ")
    returned = notice_return(notice=draft, actor=leader, note="反馈时限放宽到月底。")
    assert (returned.status, returned.return_note) == ("draft", "反馈时限放宽到月底。")
    notice_submit(notice=returned, actor=supervisor)
    sent = notice_approve(notice=returned, actor=leader, today=JULY_13)
    assert (sent.status, sent.number, sent.approved_by, sent.issued_by) == ("open", "南湖督〔2026〕1号", leader, supervisor)
    assert [e.action for e in AuditEntry.objects.order_by("pk") if e.action.startswith("notice.")] == [
        "notice.draft", "notice.submit", "notice.return", "notice.submit", "notice.issue",
    ]


def test_the_approval_pages_a_leader_approves_and_a_reporter_cannot(client, draft, supervisor, leader,
                                                                     reporter_education, settings):
    settings.LUOSHI_NOTICE_NEEDS_APPROVAL = True
    settings.LUOSHI_DEMO_TODAY = JULY_13
    client.force_login(supervisor)
    assert "提交审批" in client.get(reverse("tracking:notice", args=[draft.pk])).content.decode()
    client.post(reverse("tracking:notice_submit", args=[draft.pk]))
    client.force_login(reporter_education)
    assert client.post(reverse("tracking:notice_approve", args=[draft.pk])).status_code == 404
    client.force_login(leader)
    assert client.post(reverse("tracking:notice_send", args=[draft.pk])).status_code == 403
    assert client.post(reverse("tracking:notice_edit", args=[draft.pk])).status_code == 403
    assert "同意并发送" in client.get(reverse("tracking:notice", args=[draft.pk])).content.decode()
    client.post(reverse("tracking:notice_approve", args=[draft.pk]))
    draft.refresh_from_db()
    assert draft.status == "open" and draft.number


def test_a_task_has_one_draft_and_one_notice_awaiting_reply_at_most(task, draft, supervisor):
    with pytest.raises(ValidationError, match="草稿"):
        notice_draft(task=task, actor=supervisor, today=JULY_13)
    with pytest.raises(IntegrityError), transaction.atomic():
        SupervisionNotice.objects.create(task=task, unit=task.lead_unit, status="pending", reply_due=date(2026, 8, 1))
    notice_send(notice=draft, actor=supervisor, today=JULY_13)
    with pytest.raises(ValidationError, match="待反馈"):
        notice_draft(task=task, actor=supervisor, today=JULY_13)


def test_the_ladder_records_each_rung_with_its_date(client, task, plan, supervisor, reporter_education):
    from luoshi.tracking.supervision import plan_remind

    plan_remind(plan=plan, today=date(2026, 4, 8))  # the March reports are late: a chase by `luoshi remind`
    with pytest.raises(PermissionDenied):
        ladder.chase_send(task=task, actor=reporter_education)
    ladder.chase_send(task=task, actor=supervisor, note="请本周内报送整改方案。", today=date(2026, 7, 10))
    notice = notice_send(notice=notice_draft(task=task, actor=supervisor, today=JULY_13), actor=supervisor,
                         today=JULY_13)
    ladder.circular_steps_record(task_ids=[task.pk], number="南湖督通〔2026〕7号", day=date(2026, 7, 15))
    ladder.circular_steps_record(task_ids=[task.pk], number="南湖督通〔2026〕7号", day=date(2026, 7, 16))
    rungs = {r.code: r for r in ladder.task_ladder(task=task)}
    assert [r.code for r in ladder.task_ladder(task=task)] == ["reminder", "chase", "notice", "circular"]
    assert rungs["reminder"].first == date(2026, 4, 8)
    assert (rungs["chase"].first, rungs["chase"].steps[0].text) == (date(2026, 7, 10), "请本周内报送整改方案。")
    assert rungs["notice"].steps[0].notice == notice
    assert [s.happened_on for s in rungs["circular"].steps] == [date(2026, 7, 15)]  # regenerated: named once
    client.force_login(reporter_education)
    page = client.get(reverse("plans:task", args=[task.pk])).content.decode()
    assert "督办进程" in page and "2026-07-10" in page and notice.number in page
    assert 'name="note"' not in page  # the chase button is the office's


def test_a_generated_circular_names_its_red_tasks_on_the_ladder(task, plan, supervisor):
    from luoshi.reports.circular import circular_docx
    from luoshi.tracking.periods import periods_ensure

    period = periods_ensure(plan=plan, until=date(2026, 7, 13))[5]
    circular_docx(plan=plan, period=period, today=JULY_13)
    step = LadderStep.objects.get(task=task, rung="circular")
    assert step.text.startswith("南湖督通〔2026〕")


def test_a_leader_cannot_chase_and_a_supervisor_chases_from_the_task_page(client, task, leader, supervisor):
    client.force_login(leader)
    assert client.post(reverse("tracking:task_chase", args=[task.pk]), {"note": "x"}).status_code == 403
    client.force_login(supervisor)
    client.post(reverse("tracking:task_chase", args=[task.pk]), {"note": "请抓紧。"})
    assert LadderStep.objects.get(task=task, rung="chase").actor == supervisor
    response = client.post(reverse("tracking:task_chase", args=[task.pk]), {"note": "长" * 201}, follow=True)
    assert "最多200个字" in response.content.decode()


def test_a_bulk_chase_from_a_task_list_reaches_the_ladder_too(task, supervisor):
    from luoshi.tracking.supervision import tasks_chase

    tasks_chase(tasks=[task], actor=supervisor, today=date(2026, 7, 10))
    rungs = {r.code: r for r in ladder.task_ladder(task=task)}
    assert rungs["chase"].first == date(2026, 7, 10) and rungs["chase"].steps[0].actor == supervisor


def test_a_draft_submitted_for_approval_reaches_the_leaders_inbox(draft, supervisor, leader, units):
    from luoshi.inbox.models import Notification

    notice_submit(notice=draft, actor=supervisor)
    asked = Notification.objects.get(user=leader)
    assert asked.subject == "【待审批】督办单：建成区级科技孵化器2家"
    assert asked.url == reverse("tracking:notice", args=[draft.pk])
