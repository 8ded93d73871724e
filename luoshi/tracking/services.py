"""Writes of the tracking app: notification channels and deliveries."""
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from luoshi.audit.services import audit_record
from luoshi.tracking import channels, tasks
from luoshi.tracking.models import Channel, Delivery


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
    delivery.status = Delivery.Status.SENT
    delivery.sent_at = timezone.now()
    delivery.last_error = ""
    delivery.next_attempt_at = None
    delivery.save(update_fields=["status", "sent_at", "last_error", "next_attempt_at"])
    return Attempt(delivery, None)


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
        channels.send_email(recipient=delivery.recipient, subject=delivery.subject, body=delivery.body)
    elif channel.kind == Channel.Kind.DINGTALK:
        channels.send_dingtalk(
            url=channel.webhook_url,
            secret=channel.secret,
            subject=delivery.subject,
            body=delivery.body,
            timestamp_ms=int(timezone.now().timestamp() * 1000),
        )
    elif channel.kind == Channel.Kind.WECOM:
        channels.send_wecom(url=channel.webhook_url, subject=delivery.subject, body=delivery.body)
    else:
        raise channels.DeliveryError(f"unknown channel kind {channel.kind!r}")
