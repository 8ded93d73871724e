"""签收 (acknowledgement): a unit signs for a task it was given and for a 督办单 sent to it.

- A unit given a task, as lead or co-unit, by import, edit, the sheet, a split
  or a reassignment, gets a pending acknowledgement: the signals below watch
  the task's lead unit and co-units, so every path that assigns is covered.
  A unit taken off a task loses its pending one (what it signed stays).
- A 督办单 sent to a unit gets one too (luoshi.tracking.notices).
- A reporter of the unit signs with one click on 我的任务, or for all its
  pending items at once; the API signs a task with POST /api/v1/tasks/{id}/ack.
- Pending ones older than LUOSHI_ACK_CHASE_WORKING_DAYS working days are listed
  for the office and chased by `luoshi remind`: one message per unit and
  day naming its items, each item chased at most once a day (``chased_on``).
"""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Q, QuerySet
from django.db.models.signals import m2m_changed, post_init, post_save
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from luoshi.accounts.models import Unit
from luoshi.accounts.permissions import can_acknowledge, is_reporter, own_unit_ids, reads_everything
from luoshi.audit.services import audit_record
from luoshi.plans import workdays
from luoshi.plans.models import Task
from luoshi.tracking import periods
from luoshi.tracking.models import Acknowledgement, SupervisionNotice

_LIVE_NOTICE = (SupervisionNotice.Status.OPEN, SupervisionNotice.Status.REPLIED)


# ── Made when a unit is given a task ─────────────────────────────────────


def assignments_record(*, task_id: int, unit_ids, day: date | None = None) -> None:
    """A pending acknowledgement for each unit newly given the task (kept as it is if one exists)."""
    unit_ids = [pk for pk in unit_ids if pk]
    if not unit_ids:
        return
    day = day or periods.today()
    Acknowledgement.objects.bulk_create(
        [Acknowledgement(task_id=task_id, unit_id=pk, assigned_on=day) for pk in unit_ids], ignore_conflicts=True
    )


def _assignments_drop(*, task_id: int, unit_ids) -> None:
    if unit_ids:
        Acknowledgement.objects.filter(
            task_id=task_id, unit_id__in=list(unit_ids), notice__isnull=True, acked_at__isnull=True
        ).delete()


_UNKNOWN = object()


def _task_loaded(sender, instance, **kwargs):
    # Read without touching a deferred field: a list loaded with .only() must not query per task.
    instance._ack_lead_id = instance.__dict__.get("lead_unit_id", _UNKNOWN)


def _task_saved(sender, instance, created, raw=False, update_fields=None, **kwargs):
    if raw:
        # Loaded from a fixture or a backup: its acknowledgements come with it, and so do its co-units.
        instance._ack_raw = True
        return
    if (update_fields is not None and not {"lead_unit", "lead_unit_id"} & set(update_fields)):
        return
    before = None if created else getattr(instance, "_ack_lead_id", _UNKNOWN)
    if instance.lead_unit_id != before:
        if before not in (None, _UNKNOWN) and not instance.co_units.filter(pk=before).exists():
            _assignments_drop(task_id=instance.pk, unit_ids=[before])
        assignments_record(task_id=instance.pk, unit_ids=[instance.lead_unit_id])
    instance._ack_lead_id = instance.lead_unit_id


def _co_units_changed(sender, instance, action, reverse, pk_set, **kwargs):
    if reverse:
        # unit.co_tasks.add(task): the instance is the unit.
        task_ids, unit_of = (pk_set or set()), instance.pk
        if action == "post_add":
            for task_id in task_ids:
                assignments_record(task_id=task_id, unit_ids=[unit_of])
        return
    if getattr(instance, "_ack_raw", False):
        return
    if action == "post_add":
        assignments_record(task_id=instance.pk, unit_ids=pk_set or ())
    elif action == "post_remove":
        _assignments_drop(task_id=instance.pk, unit_ids=set(pk_set or ()) - {instance.lead_unit_id})
    elif action == "pre_clear":
        current = set(instance.co_units.values_list("pk", flat=True)) - {instance.lead_unit_id}
        _assignments_drop(task_id=instance.pk, unit_ids=current)


def connect_signals() -> None:
    post_init.connect(_task_loaded, sender=Task, dispatch_uid="ack_task_loaded")
    post_save.connect(_task_saved, sender=Task, dispatch_uid="ack_task_saved")
    m2m_changed.connect(_co_units_changed, sender=Task.co_units.through, dispatch_uid="ack_co_units")


def notice_ack_record(notice: SupervisionNotice, day: date) -> Acknowledgement:
    return Acknowledgement.objects.create(task=notice.task, unit=notice.unit, notice=notice, assigned_on=day)


# ── Reading ──────────────────────────────────────────────────────────────


def pending() -> QuerySet[Acknowledgement]:
    """Pending acknowledgements that still matter: the unit still has the task, the notice is still live."""
    return (
        Acknowledgement.objects.filter(acked_at__isnull=True)
        .filter(Q(notice__isnull=True) | Q(notice__status__in=_LIVE_NOTICE))
        .select_related("task", "task__plan", "unit", "notice")
    )


def pending_for(*, user) -> QuerySet[Acknowledgement]:
    """What a reporter's units have to sign for; nothing for anyone else."""
    if not is_reporter(user):
        return Acknowledgement.objects.none()
    return pending().filter(unit_id__in=own_unit_ids(user)).order_by("assigned_on", "pk")


def chase_due_on(assigned_on: date, today: date) -> bool:
    return workdays.working_days_between(assigned_on, today) >= settings.LUOSHI_ACK_CHASE_WORKING_DAYS


def overdue(*, visible_to, today: date | None = None) -> list[Acknowledgement]:
    """Pending acknowledgements older than the setting's working days, the oldest first (the office's list)."""
    if not reads_everything(visible_to):
        raise PermissionDenied(_("This page is for the supervision office and leaders."))
    today = today or periods.today()
    rows = pending().filter(assigned_on__lt=today).order_by("assigned_on", "unit__sort_order", "pk")
    return [row for row in rows if chase_due_on(row.assigned_on, today)]


# ── Signing ──────────────────────────────────────────────────────────────


def acknowledge(*, actor, items) -> int:
    """Sign the given pending acknowledgements for the actor's units; returns how many were signed.

    An item of another unit is refused (PermissionDenied) before anything is
    signed; one already signed is left as it was.
    """
    items = list(items)
    for item in items:
        if not can_acknowledge(actor, item.unit):
            raise PermissionDenied(_("Only a reporter of the unit signs for it."))
    now = timezone.now()
    signed = 0
    with transaction.atomic():
        for item in items:
            if not Acknowledgement.objects.filter(pk=item.pk, acked_at__isnull=True).update(
                acked_at=now, acked_by=actor
            ):
                continue
            signed += 1
            audit_record(
                actor=actor,
                action="ack.sign",
                obj=item.task,
                after={"unit": item.unit.name, "notice": item.notice.number if item.notice_id else None},
            )
    return signed


def task_acknowledge(*, task: Task, actor) -> int:
    """Sign everything pending on one task (the assignment and any notice) for the actor's units."""
    if not is_reporter(actor):
        raise PermissionDenied(_("Only a reporter of the unit signs for it."))
    return acknowledge(actor=actor, items=pending().filter(task=task, unit_id__in=own_unit_ids(actor)))


# ── Chasing (luoshi remind) ──────────────────────────────────────────────


@dataclass
class AckChaseResult:
    units: int = 0
    items: int = 0
    already_chased: int = 0
    deliveries: list = field(default_factory=list)


def acks_chase(*, today: date | None = None) -> AckChaseResult:
    """Chase each unit's acknowledgements pending for too long: one message per unit, each item once a day."""
    from luoshi.tracking.supervision import unit_notify

    today = today or periods.today()
    result = AckChaseResult()
    by_unit: dict[int, list[Acknowledgement]] = defaultdict(list)
    for row in pending().filter(assigned_on__lt=today).order_by("assigned_on", "pk"):
        if not chase_due_on(row.assigned_on, today):
            continue
        if row.chased_on == today:
            result.already_chased += 1
            continue
        by_unit[row.unit_id].append(row)
    units = Unit.objects.in_bulk(list(by_unit))
    office = f"{settings.LUOSHI_ORG_NAME}督查室"
    for unit_id, rows in by_unit.items():
        unit = units[unit_id]
        lines = [
            f"{n}. 督办单{row.notice.number}（{row.task.title}）" if row.notice_id
            else f"{n}. {row.task.title}（{row.task.plan.name}）"
            for n, row in enumerate(rows, start=1)
        ]
        subject = f"【签收提醒】{len(rows)}项事项待签收"
        body = "\n".join([
            f"{unit.name}：",
            "",
            f"以下{len(rows)}项事项已交办你单位，至今未签收，请登录系统在“我的任务”中签收：",
            *lines,
            "",
            office,
        ])
        with transaction.atomic():
            claimed = [
                row for row in rows
                if Acknowledgement.objects.filter(pk=row.pk, acked_at__isnull=True)
                .exclude(chased_on=today).update(chased_on=today, chases=row.chases + 1)
            ]
            if not claimed:
                continue
            deliveries = unit_notify(
                unit=unit, subject=subject, body=body, kind="chase", url=reverse("tracking:my_tasks"),
                dedup_key=f"ack-chase:{today.isoformat()}",
            )
            for row in claimed:
                row.deliveries.add(*deliveries)
            audit_record(actor=None, action="ack.chase", obj=unit,
                         after={"items": [row.pk for row in claimed], "day": today.isoformat()})
        result.units += 1
        result.items += len(claimed)
        result.deliveries.extend(deliveries)
    return result
