"""Writes of the tracking app: notification channels and deliveries; progress
reports, their review, extension requests and completion."""
import hashlib
import logging
import uuid
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal, InvalidOperation
from pathlib import Path

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.db.models import F
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from luoshi.accounts.models import Unit
from luoshi.accounts.permissions import can_change_unit, is_supervisor, own_unit_ids
from luoshi.audit.services import audit_record
from luoshi.bounds import decimal_value, long_text_value, text_value
from luoshi.jobs import live_job_args
from luoshi.plans.models import Task
from luoshi.tracking import channels, evidence, tasks
from luoshi.tracking.models import (
    Channel,
    Contribution,
    Delivery,
    Evidence,
    ExtensionRequest,
    IndicatorActual,
    ProgressReport,
    Reminder,
    ReportingCycle,
    ReportingPeriod,
    TaskTrack,
)
from luoshi.tracking.quality import PreviousReport, report_warnings

logger = logging.getLogger(__name__)


def channel_create(
    *, actor, kind: str, name: str, webhook_url: str = "", secret: str = "", is_active: bool = True
) -> Channel:
    """Create a channel after full validation; raises ValidationError naming the bad field."""
    channel = Channel(kind=kind, name=name, webhook_url=webhook_url, secret=secret, is_active=is_active)
    channel.full_clean()
    with transaction.atomic():
        channel.save()
        # The secret is never copied into the audit log.
        audit_record(
            actor=actor,
            action="channel.create",
            obj=channel,
            after={"kind": kind, "name": name, "webhook_url": webhook_url, "signed": bool(secret)},
        )
    return channel


def delivery_create(*, channel: Channel, subject: str, body: str, recipient: str = "") -> Delivery:
    """Record a message and queue it for sending once the surrounding transaction commits."""
    if not channel.is_active:
        raise ValidationError(_("The channel “%(name)s” is switched off."), params={"name": channel.name})
    if channel.kind == Channel.Kind.EMAIL:
        validate_email(recipient)
    delivery = Delivery.objects.create(channel=channel, recipient=recipient, subject=subject, body=body)
    # The worker must find the row, so the job is queued only after commit.
    transaction.on_commit(lambda: tasks.delivery_send.enqueue(delivery.id))
    return delivery


@dataclass(frozen=True)
class Attempt:
    delivery: Delivery
    retry_at: datetime | None  # set when this attempt failed and another is due


def delivery_attempt(*, delivery_id: int) -> Attempt:
    """Make one attempt to send a queued delivery and record the outcome.

    The attempt is claimed with a conditional update, so two workers that
    got the same job never both send it. No transaction is held while the
    network call runs: on SQLite that would lock every other writer.
    """
    delivery = Delivery.objects.select_related("channel").get(id=delivery_id)
    if delivery.status != Delivery.Status.QUEUED:
        return Attempt(delivery, None)
    claimed = Delivery.objects.filter(
        id=delivery.id, status=Delivery.Status.QUEUED, attempts=delivery.attempts
    ).update(attempts=F("attempts") + 1, next_attempt_at=None)
    if not claimed:
        delivery.refresh_from_db()
        return Attempt(delivery, None)
    delivery.attempts += 1
    try:
        _send(delivery)
    except channels.DeliveryError as error:
        return _record_failure(delivery, str(error))
    except Exception as error:  # noqa: BLE001 — an attempt that blew up is a failed attempt, never a lost message
        logger.exception("Delivery %s: unexpected error", delivery.id)
        return _record_failure(delivery, f"{error.__class__.__name__}: {error}")
    delivery.status = Delivery.Status.SENT
    delivery.sent_at = timezone.now()
    delivery.last_error = ""
    delivery.next_attempt_at = None
    delivery.save(update_fields=["status", "sent_at", "last_error", "next_attempt_at"])
    return Attempt(delivery, None)


def deliveries_requeue(*, created_before: datetime) -> int:
    """Queue a job for every queued delivery that has none (its worker was killed, or its job failed).

    A delivery waiting for a retry keeps its time: the new job runs at
    ``next_attempt_at``.
    """
    live = live_job_args(tasks.delivery_send)
    orphans = Delivery.objects.filter(status=Delivery.Status.QUEUED, created__lt=created_before).exclude(id__in=live)
    count = 0
    for delivery in orphans.only("id", "next_attempt_at"):
        job = tasks.delivery_send
        if delivery.next_attempt_at and delivery.next_attempt_at > timezone.now() and job.get_backend().supports_defer:
            job = job.using(run_after=delivery.next_attempt_at)
        job.enqueue(delivery.id)
        count += 1
    return count


def delivery_retry_delay(*, attempts: int) -> timedelta:
    """1, 4, 16, 64 … minutes by default: quick for a blip, patient for an outage."""
    return timedelta(seconds=settings.LUOSHI_DELIVERY_RETRY_SECONDS * 4 ** (attempts - 1))


def _record_failure(delivery: Delivery, error: str) -> Attempt:
    delivery.last_error = error[:2000]
    if delivery.attempts >= settings.LUOSHI_DELIVERY_MAX_ATTEMPTS:
        delivery.status = Delivery.Status.FAILED
        delivery.next_attempt_at = None
    else:
        delivery.next_attempt_at = timezone.now() + delivery_retry_delay(attempts=delivery.attempts)
    delivery.save(update_fields=["status", "last_error", "next_attempt_at"])
    return Attempt(delivery, delivery.next_attempt_at)


def _send(delivery: Delivery) -> None:
    channel = delivery.channel
    if channel.kind == Channel.Kind.EMAIL:
        channels.send_email(
            recipient=delivery.recipient, subject=delivery.subject, body=delivery.body, key=str(delivery.key)
        )
    elif channel.kind == Channel.Kind.DINGTALK:
        channels.send_dingtalk(
            url=channel.webhook_url,
            secret=channel.secret,
            subject=delivery.subject,
            body=delivery.body,
            timestamp_ms=int(timezone.now().timestamp() * 1000),
            key=str(delivery.key),
        )
    elif channel.kind == Channel.Kind.WECOM:
        channels.send_wecom(
            url=channel.webhook_url, subject=delivery.subject, body=delivery.body, key=str(delivery.key)
        )
    else:
        raise channels.DeliveryError(f"unknown channel kind {channel.kind!r}")


# ── Progress reports, review, extensions and completion ──────────────────
# A unit's reporter submits one report per task and period; a supervisor
# accepts or returns it; only accepted reports move progress. Each step is
# checked here, not in the views, so that the pages and /api/v1/reports
# enforce the same rules.


class ConcurrentReview(Exception):
    """Someone else decided first (another supervisor, or the unit changed the report meanwhile)."""


def _now_text(moment) -> str:
    return timezone.localtime(moment).strftime("%Y-%m-%d %H:%M")


def _require_supervisor(actor, message: str) -> None:
    if not is_supervisor(actor):
        raise PermissionDenied(message)


def _require_lead_unit(task: Task, actor) -> Unit:
    """The task's lead unit, when ``actor`` may act for it; its reports are the lead unit's to write."""
    if task.lead_unit is None:
        raise ValidationError(_("The task has no lead unit yet, so nobody can report on it."))
    if not can_change_unit(actor, task.lead_unit):
        raise PermissionDenied(_("Only the lead unit %(unit)s reports on this task.") % {"unit": task.lead_unit})
    return task.lead_unit


def _task_recompute(task: Task) -> None:
    # Imported here because luoshi.tracking.supervision imports this module.
    from luoshi.tracking.supervision import task_recompute

    task_recompute(task=task)


def report_snapshot(report: ProgressReport) -> dict:
    """What the audit log keeps of a report: enough to see what changed between submissions."""
    return {
        "status": report.status,
        "percent": report.percent,
        "work_state": report.work_state,
        "narrative": report.narrative,
        "version": report.version,
    }


def _clean_report_input(*, task: Task, percent, work_state: str, narrative: str, milestone_ids, actuals) -> dict:
    errors: dict[str, list[str]] = {}
    try:
        value = Decimal(str(percent))
    except (InvalidOperation, ValueError):
        value = None
    if value is None or not value.is_finite() or value != value.to_integral_value() or not 0 <= value <= 100:
        errors["percent"] = [
            _("Percent complete must be a whole number from 0 to 100, not %(value)s.") % {"value": percent}
        ]
    if work_state not in ProgressReport.WorkState.values:
        errors["work_state"] = [_("Choose the state of the work.")]
    try:
        narrative = long_text_value(narrative, label=_("Progress"))
    except ValidationError as error:
        errors["narrative"] = error.messages
    else:
        if not narrative:
            errors["narrative"] = [_("Describe what was done in this period.")]
    milestone_ids = {int(pk) for pk in milestone_ids}
    own_milestones = set(task.milestones.values_list("pk", flat=True))
    if milestone_ids - own_milestones:
        errors["milestones"] = [_("A milestone that is not one of this task's was given.")]
    indicators = {i.pk: i for i in task.indicators.all()}
    clean_actuals: dict[int, Decimal] = {}
    for key, raw in actuals.items():
        if int(key) not in indicators:
            errors.setdefault("actuals", []).append(_("An indicator that is not one of this task's was given."))
            continue
        try:
            clean_actuals[int(key)] = decimal_value(
                raw, field=IndicatorActual._meta.get_field("value"), label=str(indicators[int(key)])
            )
        except ValidationError as error:
            errors.setdefault("actuals", []).extend(error.messages)
    if errors:
        raise ValidationError(errors)
    return {
        "percent": int(value),
        "work_state": work_state,
        "narrative": narrative,
        "milestone_ids": milestone_ids,
        "actuals": clean_actuals,
    }


def _check_files(files) -> list[tuple]:
    """Every file's kind, checked before anything is written, so one bad file saves nothing."""
    files = list(files)
    if len(files) > evidence.MAX_FILES:
        raise ValidationError(
            {"files": [_("At most %(count)s files per report.") % {"count": evidence.MAX_FILES}]}
        )
    checked, errors = [], []
    for upload in files:
        try:
            checked.append((upload, evidence.evidence_check(upload)))
        except ValidationError as error:
            errors.extend(error.messages)
    if errors:
        raise ValidationError({"files": errors})
    return checked


def _store_files(*, report: ProgressReport, checked, actor) -> list[Evidence]:
    stored = []
    try:
        for upload, kind in checked:
            digest = hashlib.sha256()
            upload.seek(0)
            for chunk in upload.chunks():
                digest.update(chunk)
            upload.seek(0)
            item = Evidence(
                report=report,
                original_name=Path(upload.name).name[:255],
                content_type=kind.content_type,
                size=upload.size,
                sha256=digest.hexdigest(),
                uploaded_by=actor,
            )
            # A random stored name: the sender's file name never becomes a path.
            item.file.save(f"{uuid.uuid4().hex}.{kind.extension}", upload, save=True)
            stored.append(item)
    except Exception:
        for item in stored:
            item.file.delete(save=False)
        raise
    return stored


def _previous_accepted(task: Task, period: ReportingPeriod) -> ProgressReport | None:
    return (
        ProgressReport.objects.filter(
            task=task, period__start__lt=period.start, status=ProgressReport.Status.ACCEPTED
        )
        .order_by("-period__start")
        .first()
    )


def _warnings(report: ProgressReport) -> list[dict]:
    previous = _previous_accepted(report.task, report.period)
    return [
        {"code": w.code, "text": w.text}
        for w in report_warnings(
            narrative=report.narrative,
            percent=report.percent,
            previous=PreviousReport(previous.narrative, previous.percent) if previous else None,
            evidence_count=report.evidence.count(),
        )
    ]


def report_submit(
    *,
    task: Task,
    actor,
    period: ReportingPeriod,
    percent,
    work_state: str,
    narrative: str,
    milestone_ids=(),
    actuals: dict | None = None,
    files=(),
) -> ProgressReport:
    """Submit the lead unit's report on ``task`` for ``period``.

    A report that was returned, or is still waiting for review, is edited in
    place and submitted again (its version goes up, so a supervisor looking
    at the old text cannot accept it unseen); an accepted report is final.
    Raises ValidationError (by field: percent, work_state, narrative,
    milestones, actuals, files) or PermissionDenied.
    """
    unit = _require_lead_unit(task, actor)
    if period.plan_id != task.plan_id:
        raise ValidationError(_("The period belongs to another plan."))
    values = _clean_report_input(
        task=task, percent=percent, work_state=work_state, narrative=narrative,
        milestone_ids=milestone_ids, actuals=actuals or {},
    )
    checked = _check_files(files)
    with transaction.atomic():
        report = ProgressReport.objects.select_for_update().filter(task=task, period=period).first()
        before = report_snapshot(report) if report else None
        if report is None:
            report = ProgressReport(task=task, period=period, unit=unit, version=0)
        elif report.status == ProgressReport.Status.ACCEPTED:
            raise ValidationError(
                _("The report for %(period)s was accepted on %(when)s and can no longer be changed.")
                % {"period": period.label, "when": _now_text(report.reviewed_at)}
            )
        report.status = ProgressReport.Status.SUBMITTED
        report.percent = values["percent"]
        report.work_state = values["work_state"]
        report.narrative = values["narrative"]
        report.submitted_by = actor
        report.submitted_at = timezone.now()
        report.submissions = report.submissions + 1 if before else 1
        report.version += 1
        report.save()
        report.milestones_reached.set(values["milestone_ids"])
        report.actuals.exclude(indicator_id__in=values["actuals"]).delete()
        for indicator_id, value in values["actuals"].items():
            IndicatorActual.objects.update_or_create(report=report, indicator_id=indicator_id, defaults={"value": value})
        _store_files(report=report, checked=checked, actor=actor)
        report.warnings = _warnings(report)
        report.save(update_fields=["warnings"])
        audit_record(
            actor=actor,
            action="report.resubmit" if before else "report.submit",
            obj=report,
            before=before,
            after={**report_snapshot(report), "files_added": [upload.name for upload, _kind in checked]},
        )
    return report


def evidence_add(*, report: ProgressReport, actor, files) -> list[Evidence]:
    """Attach more files to a report that is not yet accepted (the API sends them separately)."""
    _require_lead_unit(report.task, actor)
    checked = _check_files(files)
    if not checked:
        raise ValidationError({"files": [_("Choose at least one file.")]})
    with transaction.atomic():
        report = ProgressReport.objects.select_for_update().get(pk=report.pk)
        if report.status == ProgressReport.Status.ACCEPTED:
            raise ValidationError(_("An accepted report can no longer be changed."))
        stored = _store_files(report=report, checked=checked, actor=actor)
        report.warnings = _warnings(report)
        report.version += 1
        report.save(update_fields=["warnings", "version"])
        audit_record(
            actor=actor,
            action="report.evidence",
            obj=report,
            after={"files_added": [item.original_name for item in stored], "sha256": [item.sha256 for item in stored]},
        )
    return stored


def _review(
    *, report: ProgressReport, actor, expected_version: int, status: str, reason: str, note: str = ""
) -> ProgressReport:
    now = timezone.now()
    updated = ProgressReport.objects.filter(
        pk=report.pk, version=expected_version, status=ProgressReport.Status.SUBMITTED
    ).update(
        status=status, reviewed_by=actor, reviewed_at=now, return_reason=reason, accept_note=note,
        version=F("version") + 1,
    )
    if not updated:
        current = ProgressReport.objects.select_related("reviewed_by").get(pk=report.pk)
        if current.status in (ProgressReport.Status.ACCEPTED, ProgressReport.Status.RETURNED):
            raise ConcurrentReview(
                _("This report was already reviewed by %(who)s at %(when)s (%(outcome)s).")
                % {"who": current.reviewed_by, "when": _now_text(current.reviewed_at),
                   "outcome": current.get_status_display()}
            )
        raise ConcurrentReview(
            _("The unit changed this report after you opened it (submitted at %(when)s). Read it again.")
            % {"when": _now_text(current.submitted_at)}
        )
    before = report_snapshot(report)
    report.refresh_from_db()
    audit_record(
        actor=actor,
        action="report.accept" if status == ProgressReport.Status.ACCEPTED else "report.return",
        obj=report,
        before=before,
        after=report_snapshot(report),
        note=reason or note,
    )
    return report


def report_accept(*, report: ProgressReport, actor, expected_version: int, note: str = "") -> ProgressReport:
    """Accept a submitted report, with an optional comment the unit reads; its percent and milestones
    now count. Raises ConcurrentReview, or ValidationError for a comment too long."""
    _require_supervisor(actor, _("Only the supervision office reviews reports."))
    note = text_value(
        (note or "").strip(), field=ProgressReport._meta.get_field("accept_note"), label=_("The comment on acceptance")
    )
    with transaction.atomic():
        report = _review(
            report=report, actor=actor, expected_version=expected_version,
            status=ProgressReport.Status.ACCEPTED, reason="", note=note,
        )
        _task_recompute(report.task)
    return report


def report_return(*, report: ProgressReport, actor, reason: str, expected_version: int) -> ProgressReport:
    """Send a submitted report back to the unit with the reason; the unit edits and resubmits it."""
    _require_supervisor(actor, _("Only the supervision office reviews reports."))
    reason = long_text_value(reason, field="reason", label=_("Reason for return"))
    if not reason:
        raise ValidationError({"reason": [_("Say why the report is returned; the unit will read it.")]})
    with transaction.atomic():
        report = _review(
            report=report, actor=actor, expected_version=expected_version,
            status=ProgressReport.Status.RETURNED, reason=reason,
        )
        _tell_returned(report)
    return report


def _tell_returned(report: ProgressReport) -> None:
    """The reporter who sent the report finds it in their inbox (and their digest), with the reason."""
    # Imported here because luoshi.inbox.services imports this module.
    from luoshi.inbox.services import notify

    if report.submitted_by is None or not report.submitted_by.is_active:
        return
    notify(
        report.submitted_by,
        kind="returned",
        subject=f"【退回】{report.task.title}（{report.period.label}）"[:200],
        body=f"退回理由：{report.return_reason}",
        url=reverse("plans:task", args=[report.task_id]),
        dedup_key=f"report.return:{report.pk}:{report.version}",
    )


def contribution_add(*, task: Task, actor, period: ReportingPeriod, text: str) -> Contribution:
    """A co-unit's note on what it did for the task in the period (配合单位反馈)."""
    co_unit_ids = set(task.co_units.values_list("pk", flat=True))
    unit_ids = sorted(co_unit_ids & own_unit_ids(actor))
    if not unit_ids:
        raise PermissionDenied(_("Only the task's co-units add contribution notes."))
    text = long_text_value(text, field="text", label=_("Contribution"))
    if not text:
        raise ValidationError({"text": [_("Describe what your unit did for this task.")]})
    if period.plan_id != task.plan_id:
        raise ValidationError(_("The period belongs to another plan."))
    with transaction.atomic():
        contribution = Contribution.objects.create(task=task, period=period, unit_id=unit_ids[0], text=text, author=actor)
        audit_record(actor=actor, action="contribution.add", obj=task, after={"period": period.label, "text": text})
    return contribution


def _track(task: Task) -> TaskTrack:
    track, _created = TaskTrack.objects.get_or_create(task=task)
    return track


def extension_request(*, task: Task, actor, requested_due: date, reason: str) -> ExtensionRequest:
    """The lead unit asks for a later due date (延期申请); approval moves the task's due date."""
    unit = _require_lead_unit(task, actor)
    track = TaskTrack.objects.filter(task=task).first()
    current_due = Task.objects.filter(pk=task.pk).values_list("due_date", flat=True).first()
    errors: dict[str, list[str]] = {}
    try:
        reason = long_text_value(reason, label=_("Reason"))
    except ValidationError as error:
        errors["reason"] = error.messages
    else:
        if not reason:
            errors["reason"] = [_("Give the reason for the extension.")]
    if current_due is None:
        errors["requested_due"] = [_("The task has no due date to extend.")]
    elif requested_due <= current_due:
        errors["requested_due"] = [
            _("The new due date must be after the current one, %(due)s.") % {"due": current_due.isoformat()}
        ]
    if track and track.signed_off_at:
        errors["__all__"] = [_("The task is already completed.")]
    if _pending_extension_exists(task):
        errors["__all__"] = [_("An extension request for this task is already waiting for a decision.")]
    if errors:
        raise ValidationError(errors)
    try:
        with transaction.atomic():
            extension = ExtensionRequest.objects.create(
                task=task, unit=unit, original_due=current_due, requested_due=requested_due, reason=reason,
                requested_by=actor,
            )
            audit_record(
                actor=actor, action="extension.request", obj=task,
                before={"due": current_due.isoformat()}, after={"requested_due": requested_due.isoformat()},
                note=reason,
            )
    except IntegrityError:
        # A colleague's request went in between the check above and this one:
        # the database keeps one pending request per task.
        raise ValidationError(
            {"__all__": [_("An extension request for this task is already waiting for a decision.")]}
        ) from None
    return extension


def _pending_extension_exists(task: Task) -> bool:
    return ExtensionRequest.objects.filter(task=task, status=ExtensionRequest.Status.PENDING).exists()


def extension_decide(*, extension: ExtensionRequest, actor, approve: bool, note: str = "") -> ExtensionRequest:
    """Approve or refuse an extension request; approval moves the task's effective due date.

    A refusal needs a note, so the unit knows why. Raises ConcurrentReview
    when another supervisor decided first.
    """
    _require_supervisor(actor, _("Only the supervision office decides extension requests."))
    note = long_text_value(note, field="note", label=_("Note"))
    if not approve and not note:
        raise ValidationError({"note": [_("Say why the extension is refused.")]})
    status = ExtensionRequest.Status.APPROVED if approve else ExtensionRequest.Status.REFUSED
    with transaction.atomic():
        updated = ExtensionRequest.objects.filter(pk=extension.pk, status=ExtensionRequest.Status.PENDING).update(
            status=status, decided_by=actor, decided_at=timezone.now(), decision_note=note
        )
        extension.refresh_from_db()
        if not updated:
            raise ConcurrentReview(
                _("This request was already decided by %(who)s at %(when)s (%(outcome)s).")
                % {"who": extension.decided_by, "when": _now_text(extension.decided_at),
                   "outcome": extension.get_status_display()}
            )
        task = extension.task
        before = {"status": ExtensionRequest.Status.PENDING}
        after = {"status": status}
        if approve:
            # The task has one due date: the approval moves it, as an edit would, so every page,
            # export and the engine read the same date, and whichever decision comes later wins.
            task = Task.objects.select_for_update().get(pk=task.pk)
            before["due_date"] = task.due_date.isoformat() if task.due_date else None
            task.due_date = extension.requested_due
            task.version += 1
            task.save(update_fields=["due_date", "version", "updated"])
            after["due_date"] = extension.requested_due.isoformat()
        audit_record(actor=actor, action=f"extension.{status}", obj=task, before=before, after=after, note=note)
        if approve:
            _task_recompute(task)
    return extension


def completion_evidence_report(task: Task) -> ProgressReport | None:
    """The report that supports a completion request: 100 %, submitted or accepted, with a file."""
    return (
        ProgressReport.objects.filter(
            task=task,
            percent=100,
            status__in=[ProgressReport.Status.SUBMITTED, ProgressReport.Status.ACCEPTED],
            evidence__isnull=False,
        )
        .order_by("-period__start")
        .first()
    )


def completion_request(*, task: Task, actor) -> TaskTrack:
    """The lead unit declares the task done (办结); a supervisor then signs it off."""
    _require_lead_unit(task, actor)
    if completion_evidence_report(task) is None:
        raise ValidationError(
            _("Completion needs a report at 100 percent with at least one evidence file, submitted or accepted.")
        )
    with transaction.atomic():
        track = _track(task)
        updated = TaskTrack.objects.filter(
            pk=track.pk, completion_requested_at__isnull=True, signed_off_at__isnull=True
        ).update(completion_requested_at=timezone.now())
        if not updated:
            raise ValidationError(_("Completion of this task was already requested."))
        track.refresh_from_db()
        audit_record(actor=actor, action="completion.request", obj=task, after={"requested_at": track.completion_requested_at.isoformat()})
    return track


def completion_sign_off(*, task: Task, actor) -> TaskTrack:
    """A supervisor signs the task off (销号): from now on the engine treats it as completed."""
    _require_supervisor(actor, _("Only the supervision office signs tasks off."))
    with transaction.atomic():
        track = _track(task)
        if track.completion_requested_at is None:
            raise ValidationError(_("The lead unit has not requested completion of this task."))
        updated = TaskTrack.objects.filter(pk=track.pk, signed_off_at__isnull=True).update(
            signed_off_by=actor, signed_off_at=timezone.now()
        )
        track.refresh_from_db()
        if not updated:
            raise ConcurrentReview(
                _("This task was already signed off by %(who)s at %(when)s.")
                % {"who": track.signed_off_by, "when": _now_text(track.signed_off_at)}
            )
        audit_record(actor=actor, action="completion.sign_off", obj=task, after={"signed_off_at": track.signed_off_at.isoformat()})
        _task_recompute(task)
    return track


# ── 我的填报: many reports at once ─────────────────────────────────────────

# One call of the batch (a page of 我的填报, or POST /api/v1/my/updates) carries at most this many reports.
MAX_BATCH_REPORTS = 100


@dataclass
class BatchItem:
    """One report of a batch, with what happened to it: ``report`` when saved, else ``errors`` by field."""

    key: object  # the caller's name for the item (a task id, a list index)
    report: ProgressReport | None = None
    errors: dict[str, list[str]] | None = None
    denied: str = ""

    @property
    def ok(self) -> bool:
        return self.report is not None


def reports_submit_batch(*, actor, items: list[dict]) -> list[BatchItem]:
    """Submit several reports, each on its own through ``report_submit``: one that fails saves nothing of itself
    and stops no other.

    Each item holds report_submit's arguments (task, period, percent,
    work_state, narrative, milestone_ids, actuals) and a ``key``. Returns one
    BatchItem per item, in order. More than MAX_BATCH_REPORTS items is a
    ValidationError before anything is saved.
    """
    if len(items) > MAX_BATCH_REPORTS:
        raise ValidationError(
            _("At most %(limit)s reports at once; this batch has %(count)s.")
            % {"limit": MAX_BATCH_REPORTS, "count": len(items)}
        )
    results = []
    for item in items:
        arguments = {name: value for name, value in item.items() if name != "key"}
        result = BatchItem(key=item.get("key"))
        try:
            result.report = report_submit(actor=actor, **arguments)
        except PermissionDenied as denied:
            result.denied = str(denied)
            result.errors = {"__all__": [str(denied)]}
        except ValidationError as error:
            result.errors = error.message_dict if hasattr(error, "error_dict") else {"__all__": error.messages}
        results.append(result)
    return results


# ── A plan's supervision settings (督查设置) ─────────────────────────────

REMIND_DAYS_MAX = 20


def cycle_update(*, plan, actor, frequency: str, due_day: int, remind_days_before: int,
                 notice_needs_approval: bool, stateful_lights: bool) -> ReportingCycle:
    """Set the plan's reporting cycle and options; the periods are redrawn to follow.

    A new frequency redraws every period, which is refused once units have
    reported or contributed for the plan (their reports belong to the
    periods drawn so far). A new due day moves the due dates of the
    periods drawn so far. Lights are recomputed.
    """
    from luoshi.tracking import periods as tracking_periods
    from luoshi.tracking.supervision import plan_recompute

    _require_supervisor(actor, _("Only the supervision office changes a plan's supervision settings."))
    errors = {}
    if frequency not in ReportingCycle.Frequency.values:
        errors["frequency"] = [_("Choose weekly, monthly or quarterly.")]
    top = 7 if frequency == ReportingCycle.Frequency.WEEKLY else 31
    if not isinstance(due_day, int) or not 1 <= due_day <= top:
        errors["due_day"] = [_("The report due day must be between 1 and %(max)d.") % {"max": top}]
    if not isinstance(remind_days_before, int) or not 0 <= remind_days_before <= REMIND_DAYS_MAX:
        errors["remind_days_before"] = [
            _("Remind days before must be between 0 and %(max)d.") % {"max": REMIND_DAYS_MAX}
        ]
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        cycle = ReportingCycle.objects.select_for_update().filter(plan=plan).first() or ReportingCycle(plan=plan)
        before = {
            "frequency": cycle.frequency, "due_day": cycle.due_day, "remind_days_before": cycle.remind_days_before,
            "notice_needs_approval": cycle.notice_needs_approval, "stateful_lights": cycle.stateful_lights,
        }
        redraw = cycle.frequency != frequency
        if redraw and (
            ProgressReport.objects.filter(task__plan=plan).exists()
            or Contribution.objects.filter(task__plan=plan).exists()
            or Reminder.objects.filter(period__plan=plan).exists()
            or plan.circulars.exists()
        ):
            raise ValidationError({"frequency": [_(
                "Units have already been reminded or have reported for this plan by its present cycle; its "
                "reporting cycle can no longer change."
            )]})
        cycle.frequency, cycle.due_day, cycle.remind_days_before = frequency, due_day, remind_days_before
        cycle.notice_needs_approval, cycle.stateful_lights = notice_needs_approval, stateful_lights
        cycle.save()
        if redraw:
            ReportingPeriod.objects.filter(plan=plan).delete()
        else:
            for period in ReportingPeriod.objects.filter(plan=plan):
                due = tracking_periods.report_due_for(frequency=frequency, due_day=due_day, end=period.end)
                if due != period.report_due:
                    period.report_due = due
                    period.save(update_fields=["report_due"])
        after = {
            "frequency": frequency, "due_day": due_day, "remind_days_before": remind_days_before,
            "notice_needs_approval": notice_needs_approval, "stateful_lights": stateful_lights,
        }
        audit_record(actor=actor, action="plan.cycle", obj=plan, before=before, after=after)
        plan_recompute(plan=plan)
    return cycle


_COARSENESS = {
    ReportingCycle.Frequency.WEEKLY: 0, ReportingCycle.Frequency.MONTHLY: 1, ReportingCycle.Frequency.QUARTERLY: 2,
}


def task_cycle_set(*, task, actor, frequency: str):
    """Let a task report less often than its plan ("" = with its plan); its light is recomputed.

    Only a longer cycle than the plan's can be chosen: the plan's periods are the finest a report can have.
    """
    from luoshi.tracking.models import TaskCycle

    _require_supervisor(actor, _("Only the supervision office changes a plan's supervision settings."))
    task_cycle_check(task=task, frequency=frequency)
    with transaction.atomic():
        before = TaskCycle.objects.filter(task=task).values_list("frequency", flat=True).first() or ""
        if frequency:
            TaskCycle.objects.update_or_create(task=task, defaults={"frequency": frequency})
        else:
            TaskCycle.objects.filter(task=task).delete()
        task.__dict__.pop("_cycle_frequency", None)
        task._state.fields_cache.pop("cycle", None)
        audit_record(actor=actor, action="task.cycle", obj=task, before={"frequency": before},
                     after={"frequency": frequency})
        _task_recompute(task)


def task_cycle_check(*, task, frequency: str) -> None:
    """Refuse a task cycle that is not longer than its plan's (ValidationError on ``frequency``)."""
    from luoshi.tracking import periods as tracking_periods

    plan_frequency = tracking_periods.plan_cycle(plan=task.plan).frequency
    if frequency and (frequency not in _COARSENESS or _COARSENESS[frequency] <= _COARSENESS[plan_frequency]):
        longer = [str(label) for value, label in ReportingCycle.Frequency.choices
                  if _COARSENESS[value] > _COARSENESS[plan_frequency]]
        raise ValidationError({"frequency": [
            _("A task can only report less often than its plan (%(plan)s): %(choices)s.")
            % {"plan": ReportingCycle.Frequency(plan_frequency).label, "choices": "、".join(longer) or "—"}
        ]})
