"""督办单 (supervision notices): issuing one for a red task, the unit's reply, and the Word file.

A notice is issued by a supervisor from the red list, never automatically:
it is an official document with the office's number on it, and whether a
red light deserves one (or a phone call, or an approved extension) is the
office's judgement. The red list shows which red tasks have no open notice.

Numbers read "南湖督〔2026〕3号": the district's short name (LUOSHI_ORG_NAME
without its 区/县/市), 督, the year of issue in 〔〕, and a sequence that starts
at 1 each year. Two supervisors issuing at the same moment cannot get the
same number: the column is unique and the loser takes the next one.

The reply is due 5 working days after issue unless the supervisor sets
another date.

The .docx follows GB/T 9704-2012 (luoshi.documents): a red 版头
"督查督办通知单" with a red rule under the 发文字号, the title, the body and
a two-column table of what is asked and by when.
"""
from __future__ import annotations

import io
import re
from datetime import date, timedelta

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from docx.enum.text import WD_ALIGN_PARAGRAPH

from luoshi.accounts.models import Role, User
from luoshi.accounts.permissions import can_approve_notices, can_change_unit, is_supervisor
from luoshi.audit.services import audit_record
from luoshi.bounds import long_text_value
from luoshi.inbox.services import notify
from luoshi.documents import (
    FIRST_LINE_INDENT,
    HEADING_FONT,
    SIZE_2,
    SIZE_3,
    TITLE_FONT,
    TITLE_LINE_SPACING,
    cell_text,
    chinese_date,
    column_widths,
    grid_table,
    official_document,
    paragraph,
    red_masthead,
)
from luoshi.plans import workdays
from luoshi.plans.models import Task
from luoshi.tracking import periods
from luoshi.tracking.acks import notice_ack_record
from luoshi.tracking.models import Acknowledgement, LadderStep, SupervisionNotice, TaskTrack
from luoshi.tracking.supervision import unit_notify

REPLY_WORKING_DAYS = 5
_NUMBER = re.compile(r"〔(\d{4})〕(\d+)号$")


def add_working_days(day: date, count: int) -> date:
    while count > 0:
        day += timedelta(days=1)
        count -= workdays.is_workday(day)
    return day


def notice_prefix() -> str:
    """"南湖区" → "南湖督": an office abbreviates its district's name without 区/县/市."""
    name = settings.LUOSHI_ORG_NAME
    if len(name) > 2 and name[-1] in "区县市":
        name = name[:-1]
    return f"{name}督"


def _next_number(year: int) -> str:
    prefix = notice_prefix()
    used = SupervisionNotice.objects.filter(number__startswith=f"{prefix}〔{year}〕").values_list("number", flat=True)
    last = max((int(m.group(2)) for m in map(_NUMBER.search, used) if m), default=0)
    return f"{prefix}〔{year}〕{last + 1}号"


DEFAULT_REQUEST = "请认真分析滞后原因，落实整改措施，明确完成时间，并将办理情况书面反馈督查室。"


def needs_approval(plan) -> bool:
    """督办单需领导审批: the site setting, or the plan's own option (its 督查设置 page)."""
    if settings.LUOSHI_NOTICE_NEEDS_APPROVAL:
        return True
    return periods.plan_cycle(plan=plan).notice_needs_approval


def _require_supervisor(actor) -> None:
    if not is_supervisor(actor):
        raise PermissionDenied(_("Only the supervision office issues supervision notices."))


def notice_draft(*, task: Task, actor, reply_due: date | None = None, today: date | None = None) -> SupervisionNotice:
    """A draft 督办单 for a red task, its reasons and request prefilled; nothing is sent yet.

    Refused (ValidationError) when the task is not red, has no lead unit,
    has a notice awaiting reply or already has a draft.
    """
    _require_supervisor(actor)
    today = today or periods.today()
    track = TaskTrack.objects.filter(task=task).first()
    if track is None or track.light != "red":
        raise ValidationError(_("A supervision notice is only issued for a task whose light is red."))
    if task.lead_unit is None:
        raise ValidationError(_("The task has no lead unit to send the notice to."))
    _refuse_second_open_notice(task)
    _refuse_second_draft(task)
    reply_due = reply_due or add_working_days(today, REPLY_WORKING_DAYS)
    if reply_due <= today:
        raise ValidationError({"reply_due": [_("The reply deadline must be after today.")]})
    try:
        with transaction.atomic():
            notice = SupervisionNotice.objects.create(
                task=task,
                unit=task.lead_unit,
                status=SupervisionNotice.Status.DRAFT,
                reasons=track.reasons,
                text=DEFAULT_REQUEST,
                drafted_by=actor,
                drafted_at=timezone.now(),
                reply_due=reply_due,
            )
            audit_record(actor=actor, action="notice.draft", obj=notice,
                         after={"task": task.pk, "unit": task.lead_unit.name, "reply_due": reply_due.isoformat()})
    except IntegrityError:
        # A colleague drafted for this task a moment ago (one draft per task), or sent one.
        _refuse_second_open_notice(task)
        _refuse_second_draft(task)
        raise
    return notice


def notice_draft_update(*, notice: SupervisionNotice, actor, reasons_text: str, text: str, reply_due: date | None,
                        today: date | None = None) -> SupervisionNotice:
    """Edit a draft: the reasons (one a line), what the unit is asked to do, the reply deadline."""
    _require_supervisor(actor)
    today = today or periods.today()
    errors = {}
    reasons = []
    try:
        reasons = [line.strip() for line in long_text_value(reasons_text, label=_("Reasons")).splitlines()
                   if line.strip()]
    except ValidationError as error:
        errors["reasons"] = error.messages
    else:
        if not reasons:
            errors["reasons"] = [_("Give at least one reason for the notice.")]
    try:
        text = long_text_value(text, label=_("What the unit is asked to do"))
    except ValidationError as error:
        errors["text"] = error.messages
    else:
        if not text:
            errors["text"] = [_("Write what the unit is asked to do.")]
    if reply_due is None:
        errors["reply_due"] = [_("Give the reply deadline.")]
    elif reply_due <= today:
        errors["reply_due"] = [_("The reply deadline must be after today.")]
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        notice = SupervisionNotice.objects.select_for_update().get(pk=notice.pk)
        if notice.status != SupervisionNotice.Status.DRAFT:
            raise ValidationError(_("Only a draft can be edited."))
        old = {r.get("text") for r in notice.reasons}
        by_text = {r.get("text"): r for r in notice.reasons}
        new_reasons = [by_text[line] if line in old else {"code": "office", "light": "red", "text": line}
                       for line in reasons]
        before = {"reasons": [r.get("text") for r in notice.reasons], "text": notice.text,
                  "reply_due": notice.reply_due.isoformat()}
        notice.reasons, notice.text, notice.reply_due = new_reasons, text, reply_due
        notice.save(update_fields=["reasons", "text", "reply_due"])
        audit_record(actor=actor, action="notice.edit", obj=notice, before=before,
                     after={"reasons": reasons, "text": text, "reply_due": reply_due.isoformat()})
    return notice


def notice_submit(*, notice: SupervisionNotice, actor) -> SupervisionNotice:
    """Put a draft before a leader (督办单需领导审批)."""
    _require_supervisor(actor)
    with transaction.atomic():
        moved = SupervisionNotice.objects.filter(pk=notice.pk, status=SupervisionNotice.Status.DRAFT).update(
            status=SupervisionNotice.Status.PENDING, submitted_at=timezone.now(), return_note=""
        )
        notice.refresh_from_db()
        if not moved:
            raise ValidationError(_("Only a draft can be submitted for approval."))
        approvers = _approvers(notice)
        for leader in approvers:
            notify(
                leader, kind="notice", subject=f"【待审批】督办单：{notice.task.title[:60]}",
                body=f"督查室提交了一份发给{notice.unit.name}的督办单，请审批。",
                url=reverse("tracking:notice", args=[notice.pk]),
                dedup_key=f"notice-approve:{notice.pk}:{notice.submitted_at.isoformat()}",
            )
        audit_record(actor=actor, action="notice.submit", obj=notice, before={"status": "draft"},
                     after={"status": notice.status, "approvers": [str(u) for u in approvers]})
    return notice


def _approvers(notice: SupervisionNotice) -> list:
    """Who is asked to approve: the unit's 分管领导 when it has one, else every active leader."""
    leader = notice.unit.leader
    if leader is not None and leader.is_active:
        return [leader]
    return list(User.objects.filter(role=Role.LEADER, is_active=True).order_by("pk"))


def notice_return(*, notice: SupervisionNotice, actor, note: str) -> SupervisionNotice:
    """A leader sends a draft back to the office with a note; the office edits and submits it again."""
    if not can_approve_notices(actor):
        raise PermissionDenied(_("Only a leader approves supervision notices."))
    note = long_text_value(note, label=_("Note"), field="note")
    if not note:
        raise ValidationError({"note": [_("Say what should change before the notice is sent.")]})
    with transaction.atomic():
        moved = SupervisionNotice.objects.filter(pk=notice.pk, status=SupervisionNotice.Status.PENDING).update(
            status=SupervisionNotice.Status.DRAFT, return_note=note
        )
        notice.refresh_from_db()
        if not moved:
            raise ValidationError(_("This notice is not awaiting approval."))
        audit_record(actor=actor, action="notice.return", obj=notice, before={"status": "pending"},
                     after={"status": notice.status, "note": note})
    return notice


def notice_approve(*, notice: SupervisionNotice, actor, today: date | None = None) -> SupervisionNotice:
    """A leader approves a draft awaiting approval: it is numbered and sent at once."""
    if not can_approve_notices(actor):
        raise PermissionDenied(_("Only a leader approves supervision notices."))
    if notice.status != SupervisionNotice.Status.PENDING:
        raise ValidationError(_("This notice is not awaiting approval."))
    return _send(notice=notice, actor=actor, today=today or periods.today(), approved=True)


def notice_send(*, notice: SupervisionNotice, actor, today: date | None = None) -> SupervisionNotice:
    """The office sends a draft itself, when no leader's approval is required."""
    _require_supervisor(actor)
    if notice.status != SupervisionNotice.Status.DRAFT:
        raise ValidationError(_("Only a draft can be sent."))
    if needs_approval(notice.task.plan):
        raise ValidationError(_("A leader must approve this notice before it is sent: submit it for approval."))
    return _send(notice=notice, actor=actor, today=today or periods.today(), approved=False)


def notice_issue(*, task: Task, actor, reply_due: date | None = None, today: date | None = None) -> SupervisionNotice:
    """Draft and send a 督办单 in one step (when no approval is required).

    Refused (ValidationError) when the task is not red, has no lead unit, or
    already has a notice awaiting reply; PermissionDenied for anyone but the
    supervision office.
    """
    with transaction.atomic():
        # One step: a send that is refused leaves no draft behind.
        notice = notice_draft(task=task, actor=actor, reply_due=reply_due, today=today)
        return notice_send(notice=notice, actor=actor, today=today)


def _send(*, notice: SupervisionNotice, actor, today: date, approved: bool) -> SupervisionNotice:
    if notice.reply_due <= today:
        raise ValidationError({"reply_due": [_("The reply deadline must be after today.")]})
    task = notice.task
    _refuse_second_open_notice(task)
    for _attempt in range(5):
        try:
            with transaction.atomic():
                number = _next_number(today.year)
                now = timezone.now()
                changes = {
                    "number": number,
                    "status": SupervisionNotice.Status.OPEN,
                    "issued_at": now,
                    "issued_on": today,
                    "issued_by": notice.drafted_by if approved and notice.drafted_by else actor,
                }
                if approved:
                    changes.update(approved_by=actor, approved_at=now)
                moved = SupervisionNotice.objects.filter(
                    pk=notice.pk, status=notice.status
                ).update(**changes)
                if not moved:
                    raise ValidationError(_("The notice was changed meanwhile; please look again."))
                notice.refresh_from_db()
                deliveries = unit_notify(
                    unit=notice.unit, kind="notice", url=reverse("tracking:notice", args=[notice.pk]),
                    dedup_key=f"notice:{notice.pk}", **_message(notice),
                )
                copies, names = _copies(notice)
                notice.deliveries.set([*deliveries, *copies])
                notice.copied_to = names
                notice.save(update_fields=["copied_to"])
                notice_ack_record(notice, today)
                step = LadderStep.objects.create(
                    task=task, rung=LadderStep.Rung.NOTICE, happened_on=today, actor=actor, text=number,
                    ref=number, notice=notice,
                )
                step.deliveries.set(deliveries)
                audit_record(
                    actor=actor,
                    action="notice.issue",
                    obj=notice,
                    after={"task": task.pk, "unit": notice.unit.name, "number": number,
                           "reply_due": notice.reply_due.isoformat(), "copied_to": names},
                )
            return notice
        except IntegrityError:
            # Another supervisor sent one for this task in the meantime (the
            # database allows one notice awaiting reply per task), or took
            # this number: then take the next.
            _refuse_second_open_notice(task)
            continue
    raise ValidationError(_("Could not number the notice; please try again."))


def _message(notice: SupervisionNotice) -> dict:
    task = notice.task
    reasons = "；".join(r["text"] for r in notice.reasons)
    body = "\n".join(
        [
            f"{notice.unit.name}：",
            "",
            f"你单位牵头的“{task.title}”任务亮红灯（{reasons}）。现予督办，"
            f"请于{chinese_date(notice.reply_due)}前书面反馈整改措施和办理进展。",
            *([notice.text] if notice.text and notice.text != DEFAULT_REQUEST else []),
            "",
            f"{settings.LUOSHI_ORG_NAME}督查室",
        ]
    )
    return {"subject": f"【督办】{notice.number}", "body": body}


def _copies(notice: SupervisionNotice) -> tuple[list, list[str]]:
    """抄送: the unit's leader in charge (分管领导) gets a copy in their inbox, sent at once like the notice."""
    leader = notice.unit.leader
    if leader is None or not leader.is_active:
        return [], []
    message = _message(notice)
    copy = notify(
        leader, kind="notice", subject=f"【抄送】{message['subject']}",
        body=f"抄送{notice.unit.name}督办单一份，请阅知。\n\n{message['body']}",
        url=reverse("tracking:notice", args=[notice.pk]), dedup_key=f"notice-copy:{notice.pk}",
    )
    return list(copy.deliveries.all()), [str(leader)]


def _refuse_second_open_notice(task: Task) -> None:
    notice = SupervisionNotice.objects.filter(task=task, status=SupervisionNotice.Status.OPEN).first()
    if notice is not None:
        raise ValidationError(
            _("This task already has a supervision notice awaiting reply: %(number)s, issued by %(who)s.")
            % {"number": notice.number, "who": notice.issued_by or _("the system")}
        )


def _refuse_second_draft(task: Task) -> None:
    draft = SupervisionNotice.objects.filter(task=task, status__in=SupervisionNotice.DRAFT_STATUSES).first()
    if draft is not None:
        raise ValidationError(
            _("This task already has a draft supervision notice, by %(who)s.")
            % {"who": draft.drafted_by or _("the system")}
        )


def notice_reply(*, notice: SupervisionNotice, actor, reply: str) -> SupervisionNotice:
    """The unit's reply (反馈); it can be revised until the office closes the notice."""
    if not can_change_unit(actor, notice.unit) or is_supervisor(actor):
        raise PermissionDenied(_("Only the unit the notice was sent to replies to it."))
    reply = long_text_value(reply, label=_("Reply"), field="reply")
    if not reply:
        raise ValidationError({"reply": [_("Write what your unit has done and will do.")]})
    with transaction.atomic():
        notice = SupervisionNotice.objects.select_for_update().get(pk=notice.pk)
        if notice.is_draft:
            raise ValidationError(_("The notice has not been sent."))
        if notice.status == SupervisionNotice.Status.CLOSED:
            raise ValidationError(_("The notice is closed."))
        # Replying to a notice is signing for it too.
        Acknowledgement.objects.filter(notice=notice, acked_at__isnull=True).update(acked_at=timezone.now(),
                                                                                    acked_by=actor)
        before = {"status": notice.status, "reply": notice.reply}
        notice.reply = reply
        notice.replied_by = actor
        notice.replied_at = timezone.now()
        notice.status = SupervisionNotice.Status.REPLIED
        notice.save(update_fields=["reply", "replied_by", "replied_at", "status"])
        audit_record(actor=actor, action="notice.reply", obj=notice, before=before,
                     after={"status": notice.status, "reply": reply})
    return notice


def notice_close(*, notice: SupervisionNotice, actor) -> SupervisionNotice:
    """The office accepts the reply and closes the notice."""
    if not is_supervisor(actor):
        raise PermissionDenied(_("Only the supervision office closes supervision notices."))
    with transaction.atomic():
        closed = SupervisionNotice.objects.filter(pk=notice.pk, status=SupervisionNotice.Status.REPLIED).update(
            status=SupervisionNotice.Status.CLOSED
        )
        notice.refresh_from_db()
        if not closed:
            raise ValidationError(_("Only a replied notice can be closed."))
        audit_record(actor=actor, action="notice.close", obj=notice, before={"status": "replied"},
                     after={"status": notice.status})
    return notice


# ── The Word file ────────────────────────────────────────────────────────


def notice_rows(notice: SupervisionNotice, percent: int | None) -> list[tuple[str, str]]:
    task = notice.task
    track = TaskTrack.objects.filter(task=task).first()
    due = (track.effective_due if track else None) or task.due_date
    return [
        ("任务", task.title),
        ("牵头单位", notice.unit.name),
        ("完成时限", chinese_date(due)),
        ("当前进度", f"{percent}%" if percent is not None else "—"),
        ("督办事由", "\n".join(r["text"] for r in notice.reasons) or "—"),
        ("办理要求", notice.text or DEFAULT_REQUEST),
        ("反馈时限", chinese_date(notice.reply_due)),
    ]


def notice_docx(*, notice: SupervisionNotice) -> bytes:
    track = TaskTrack.objects.filter(task=notice.task).first()
    document = official_document(f"督查督办通知单 {notice.number or '草稿'}")

    red_masthead(document, "督查督办通知单", notice.number or "（草稿，发送时编号）")
    paragraph(
        document, "关于督促落实滞后任务的督办单", TITLE_FONT, SIZE_2, align=WD_ALIGN_PARAGRAPH.CENTER,
        spacing=TITLE_LINE_SPACING,
    )
    paragraph(document)
    paragraph(document, f"{notice.unit.name}：")
    paragraph(
        document,
        "根据任务进度督查情况，你单位牵头的下列任务亮红灯，现予督办。请按要求抓紧落实，并在反馈时限内书面反馈办理情况。",
        indent=FIRST_LINE_INDENT,
    )

    table = grid_table(document, rows=0, cols=2)
    for label, value in notice_rows(notice, track.percent if track else None):
        cells = table.add_row().cells
        cell_text(cells[0], label, HEADING_FONT, SIZE_3, align=WD_ALIGN_PARAGRAPH.CENTER)
        cell_text(cells[1], value, size=SIZE_3)
    column_widths(table, (35, 121))

    paragraph(document)
    paragraph(document, f"{settings.LUOSHI_ORG_NAME}督查室", align=WD_ALIGN_PARAGRAPH.RIGHT)
    issued = notice.issued_on or (periods.today() if notice.is_draft else timezone.localdate(notice.issued_at))
    paragraph(document, chinese_date(issued), align=WD_ALIGN_PARAGRAPH.RIGHT)

    out = io.BytesIO()
    document.save(out)
    return out.getvalue()
