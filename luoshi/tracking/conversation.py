"""A task's conversation: comments, leaders' 批示 and the unit's answers.

Whoever may read a task may write on it: its units' reporters, the
supervision office, leaders. A leader may mark a comment as a 批示 (an
instruction): it gets a reply deadline, N working days ahead by default
(LUOSHI_INSTRUCTION_REPLY_WORKING_DAYS), goes to the lead unit's reporters and
stays on their 我的任务 until one of them answers it. The role decides who may
write a 批示, not a checkbox a supervisor could tick on a leader's behalf.

``@login`` or ``@单位简称`` in a text notifies that person or that unit's
reporters, through their inbox (``luoshi.inbox.services.notify``), but only
people who may read the task: a mention never shows a task to someone kept
from it.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils.translation import gettext as _

from luoshi.accounts.models import Role, Unit, User
from luoshi.accounts.permissions import is_leader, own_unit_ids, readable_unit_ids
from luoshi.audit.services import audit_record
from luoshi.bounds import text_value
from luoshi.inbox.services import notify
from luoshi.plans.models import Task
from luoshi.tracking import periods
from luoshi.tracking.models import TaskComment
from luoshi.tracking.notices import add_working_days

_LOGIN = re.compile(r"@([A-Za-z0-9_.+-]+)")


def instruction_default_due(today: date | None = None) -> date:
    return add_working_days(today or periods.today(), settings.LUOSHI_INSTRUCTION_REPLY_WORKING_DAYS)


def _task_unit_ids(task: Task) -> set[int]:
    ids = {unit.pk for unit in task.co_units.all()}
    if task.lead_unit_id:
        ids.add(task.lead_unit_id)
    return ids


def may_read(user, task: Task) -> bool:
    ids = readable_unit_ids(user)
    return ids is None or bool(ids & _task_unit_ids(task))


def answers_for_unit(user, task: Task) -> bool:
    """May ``user`` answer a 批示 on ``task``: a reporter of its lead unit."""
    return user.role == Role.REPORTER and task.lead_unit_id in own_unit_ids(user)


@dataclass
class Mentions:
    users: list[User] = field(default_factory=list)
    units: list[Unit] = field(default_factory=list)
    ignored: list[str] = field(default_factory=list)  # named, but may not read the task

    @property
    def names(self) -> list[str]:
        return [u.username for u in self.users] + [u.code for u in self.units]


def mentions_find(*, text: str, task: Task) -> Mentions:
    """The people and units ``text`` names with @, split into those who may read the task and the rest."""
    found = Mentions()
    logins = list(dict.fromkeys(_LOGIN.findall(text)))
    for user in User.objects.filter(username__in=logins, is_active=True).order_by("username"):
        if may_read(user, task):
            found.users.append(user)
        else:
            found.ignored.append(user.username)
    task_units = _task_unit_ids(task)
    for unit in Unit.objects.order_by("sort_order", "pk"):
        names = {unit.name, unit.short_name} - {""}
        if not any(f"@{name}" in text for name in names):
            continue
        if unit.pk in task_units:
            found.units.append(unit)
        else:
            found.ignored.append(unit.display_name)
    return found


def _unit_reporters(unit_ids) -> list[User]:
    return list(
        User.objects.filter(memberships__unit_id__in=unit_ids, role=Role.REPORTER, is_active=True)
        .distinct()
        .order_by("username")
    )


def comment_add(
    *,
    task: Task,
    actor,
    text: str,
    instruction: bool = False,
    reply_due: date | None = None,
    reply_to: TaskComment | None = None,
) -> tuple[TaskComment, Mentions]:
    """Add a comment (or, for a leader, a 批示) to the task's conversation; notify whom it names.

    Raises PermissionDenied for someone who may not read the task or a
    non-leader writing a 批示, and ValidationError (by field: text,
    reply_due, reply_to) for bad input; nothing is saved then.
    """
    if not getattr(actor, "is_authenticated", False) or not may_read(actor, task):
        raise PermissionDenied(_("You may not write on this task."))
    if instruction and not is_leader(actor):
        raise PermissionDenied(_("Only leaders write instructions (批示)."))
    errors: dict[str, list[str]] = {}
    text = (text or "").strip()
    if not text:
        errors["text"] = [_("Write something before sending.")]
    else:
        try:
            text = text_value(text, field=TaskComment._meta.get_field("text"), label=_("The comment"))
        except ValidationError as error:
            errors["text"] = error.messages
    today = periods.today()
    if instruction:
        reply_due = reply_due or instruction_default_due(today)
        if reply_due <= today:
            errors["reply_due"] = [
                _("The reply deadline must be after today, %(today)s.") % {"today": today.isoformat()}
            ]
        elif reply_due.year > today.year + 5:
            errors["reply_due"] = [_("%(date)s is not a plausible reply deadline.") % {"date": reply_due.isoformat()}]
    else:
        reply_due = None
    if reply_to is not None and reply_to.task_id != task.pk:
        errors["reply_to"] = [_("The comment answered is on another task.")]
    if errors:
        raise ValidationError(errors)
    mentions = mentions_find(text=text, task=task)
    answers = (
        reply_to is not None and reply_to.is_instruction and reply_to.answered_at is None
        and answers_for_unit(actor, task)
    )
    with transaction.atomic():
        comment = TaskComment.objects.create(
            task=task, author=actor, text=text, reply_to=reply_to, reply_due=reply_due, mentions=mentions.names,
            kind=TaskComment.Kind.INSTRUCTION if instruction else TaskComment.Kind.COMMENT,
        )
        if answers:
            TaskComment.objects.filter(pk=reply_to.pk, answered_at__isnull=True).update(
                answered_at=comment.created, answered_by=actor
            )
        audit_record(
            actor=actor,
            action="instruction.add" if instruction else ("instruction.answer" if answers else "comment.add"),
            obj=task,
            after={
                "comment": comment.pk,
                "text": text,
                **({"reply_due": reply_due.isoformat()} if reply_due else {}),
                **({"reply_to": reply_to.pk} if reply_to else {}),
                **({"mentions": mentions.names} if mentions.names else {}),
            },
        )
        _notify(comment=comment, mentions=mentions, answered=reply_to if answers else None)
    return comment, mentions


def _notify(*, comment: TaskComment, mentions: Mentions, answered: TaskComment | None) -> None:
    task, author = comment.task, comment.author
    url = reverse("plans:task", args=[task.pk]) + f"#comment-{comment.pk}"
    who = author.display_name or author.username
    people = {user.pk: user for user in mentions.users}
    for user in _unit_reporters([unit.pk for unit in mentions.units]):
        people[user.pk] = user
    if comment.is_instruction and task.lead_unit_id:
        for user in _unit_reporters([task.lead_unit_id]):
            people[user.pk] = user
    people.pop(author.pk, None)
    if answered is not None and answered.author_id != author.pk:
        # The leader hears back on the 批示 itself, whether or not the answer names them.
        people.pop(answered.author_id, None)
        unit = task.lead_unit.name if task.lead_unit else who
        notify(answered.author, kind="comment", subject=f"【批示回复】{task.title[:60]}",
               body=f"{unit}回复了您的批示：{comment.text}", url=url, dedup_key=f"comment:{comment.pk}")
    if comment.is_instruction:
        kind, subject = "instruction", f"【领导批示】{task.title[:60]}"
        body = f"{who}批示：{comment.text}\n请于{comment.reply_due.isoformat()}前在任务页面回复。"
    else:
        kind, subject = "mention", f"【任务留言】{task.title[:60]}"
        body = f"{who}在任务留言中提到了您：{comment.text}"
    for user in people.values():
        notify(user, kind=kind, subject=subject, body=body, url=url, dedup_key=f"comment:{comment.pk}")


def instruction_overdue(comment: TaskComment, today: date | None = None) -> bool:
    return (
        comment.is_instruction and comment.answered_at is None and comment.reply_due is not None
        and comment.reply_due < (today or periods.today())
    )
