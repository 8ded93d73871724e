"""Telling a person something: ``notify`` is the one entry point, ``digest_send`` the daily round.

Any code that has something to tell a person (a reminder, a 督办单, a
comment, an @mention, a leader's 批示) calls::

    from luoshi.inbox.services import notify
    notify(user, kind="comment", subject="…", body="…", url="/tracking/tasks/12/",
           dedup_key=f"comment:{comment.pk}")

The notification lands in the person's inbox (the bell in the page header).
Whether it also goes out by e-mail (or the person's robot channel) at once or
in the next daily digest follows ``IMMEDIATE_KINDS`` and the person's
preference (a daily digest unless they chose otherwise). A ``dedup_key``
makes telling twice harmless: the second call returns the first
notification and sends nothing. Messages to a unit's group robot are not a
person's and do not come here (luoshi.tracking.supervision.unit_notify).
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Count
from django.utils import timezone
from django.utils.translation import gettext as _

from luoshi import bounds
from luoshi.accounts.models import User
from luoshi.inbox.models import Digest, Notification, Preference
from luoshi.tracking.models import Channel, Delivery
from luoshi.tracking.periods import today as site_today
from luoshi.tracking.services import delivery_create

# Kinds that go out at once whatever the person's preference: an official
# document with a reply deadline must not wait for tomorrow's digest.
IMMEDIATE_KINDS = frozenset({"notice"})


def preference_of(user) -> Preference:
    """The person's preference, or an unsaved default one (daily digest, by e-mail)."""
    try:
        return user.notification_preference
    except Preference.DoesNotExist:
        return Preference(user=user)


def preference_set(*, user, mode: str, robot: Channel | None = None) -> Preference:
    if mode not in Preference.Mode.values:
        raise ValidationError({"mode": [_("Choose how messages are sent.")]})
    if robot is not None and robot.kind not in (Channel.Kind.DINGTALK, Channel.Kind.WECOM):
        raise ValidationError({"robot": [_("Choose a DingTalk or WeCom robot channel.")]})
    preference, _created = Preference.objects.update_or_create(user=user, defaults={"mode": mode, "robot": robot})
    return preference


def link(url: str) -> str:
    """``url`` as a reader of an e-mail can follow it: after LUOSHI_SITE_URL when it is set."""
    if not url or "://" in url:
        return url
    return f"{settings.LUOSHI_SITE_URL}{url}"


def _targets(user) -> list[tuple[Channel, str]]:
    """Where the person's messages go: their robot channel if they chose one, else e-mail to their address."""
    robot = preference_of(user).robot
    if robot is not None and robot.is_active:
        return [(robot, "")]
    if not user.email:
        return []
    email = Channel.objects.filter(kind=Channel.Kind.EMAIL, is_active=True).order_by("name").first()
    return [(email, user.email)] if email is not None else []


def _deliver(user, *, subject: str, body: str) -> list[Delivery]:
    deliveries = []
    for channel, recipient in _targets(user):
        text = body if channel.kind == Channel.Kind.EMAIL else f"{user}：\n\n{body}"
        deliveries.append(delivery_create(channel=channel, subject=subject, body=text, recipient=recipient))
    return deliveries


def notify(user, *, kind: str, subject: str, body: str = "", url: str = "", dedup_key: str | None = None) -> Notification:
    """Tell ``user`` something: it lands in their inbox, and goes out now or in the daily digest.

    ``kind`` names the event ("reminder", "chase", "notice", "comment",
    "mention", "instruction", …; see models.KIND_LABELS), ``url`` the page
    it is about (a path such as ``/tracking/tasks/12/``). With ``dedup_key``
    the same event told twice makes one notification. Call it inside the
    transaction of the change it reports: its messages are queued when that
    commits. Returns the notification; its ``deliveries`` are those sent at
    once (none when it waits for the digest).
    """
    subject = bounds.text_value(subject, field=Notification._meta.get_field("subject"))
    url = bounds.text_value(url, field=Notification._meta.get_field("url"))
    if dedup_key is not None:
        dedup_key = str(dedup_key)[:200]
        existing = Notification.objects.filter(user=user, dedup_key=dedup_key).first()
        if existing is not None:
            return existing
    try:
        with transaction.atomic():
            notification = Notification.objects.create(
                user=user, kind=kind, subject=subject, body=body, url=url, dedup_key=dedup_key
            )
            if kind in IMMEDIATE_KINDS or preference_of(user).mode == Preference.Mode.IMMEDIATE:
                deliveries = _deliver(user, subject=subject, body=_with_link(body, url))
                notification.deliveries.set(deliveries)
                notification.sent_at = timezone.now()
                notification.save(update_fields=["sent_at"])
    except IntegrityError:
        # The same event told at the same moment by another process: it has made the notification.
        return Notification.objects.get(user=user, dedup_key=dedup_key)
    return notification


def _with_link(body: str, url: str) -> str:
    return f"{body}\n\n{link(url)}" if url else body


def notification_read(*, user, pk: int) -> Notification:
    """Mark one of ``user``'s notifications read; another person's is a Notification.DoesNotExist."""
    notification = Notification.objects.get(user=user, pk=pk)
    if notification.read_at is None:
        Notification.objects.filter(pk=pk, read_at__isnull=True).update(read_at=timezone.now())
        notification.refresh_from_db(fields=["read_at"])
    return notification


def notifications_read_all(*, user) -> int:
    return Notification.objects.filter(user=user, read_at__isnull=True).update(read_at=timezone.now())


# ── The daily digest ──────────────────────────────────────────────────────


@dataclass
class DigestResult:
    day: date
    sent: list[Digest]
    already: int  # people whose digest of the day had gone out before this run


def _chinese_date(day: date) -> str:
    return f"{day.year}年{day.month}月{day.day}日"


def digest_text(user, day: date, notifications: list[Notification]) -> tuple[str, str]:
    """The digest's subject and body, in Chinese like every message to an office."""
    subject = f"【每日汇总】{_chinese_date(day)}共{len(notifications)}条消息"
    lines = [f"{user}：", "", f"{_chinese_date(day)}您有以下{len(notifications)}条消息："]
    for n, item in enumerate(notifications, start=1):
        lines += ["", f"{n}. {item.subject}"]
        if item.body:
            lines.append(item.body)
        if item.url:
            lines.append(link(item.url))
    lines += ["", f"{settings.LUOSHI_ORG_NAME}督查室 · 落实"]
    return subject, "\n".join(lines)


def _pending(user_id: int):
    return Notification.objects.filter(
        user_id=user_id, sent_at__isnull=True, read_at__isnull=True, digest__isnull=True
    ).order_by("created", "id")


def digest_send(*, day: date | None = None) -> DigestResult:
    """One message per person for ``day``, gathering what they have neither been sent nor read.

    A person's digest of a day is a row unique by person and day, made in the
    same transaction as its deliveries, so running this twice (or in two
    processes at once) sends it once; what arrives after it waits for the
    next day's. People with nowhere to send (no address, no e-mail channel)
    keep their notifications in the inbox.
    """
    day = day or site_today()
    result = DigestResult(day=day, sent=[], already=0)
    waiting = (
        Notification.objects.filter(sent_at__isnull=True, read_at__isnull=True, digest__isnull=True)
        .values("user_id").annotate(n=Count("id")).order_by("user_id")
    )
    done = set(Digest.objects.filter(day=day).values_list("user_id", flat=True))
    users = User.objects.in_bulk([row["user_id"] for row in waiting if row["user_id"] not in done])
    result.already = len(done)
    for user in users.values():
        if not user.is_active or not _targets(user):
            continue
        try:
            with transaction.atomic():
                digest = Digest.objects.create(user=user, day=day)
                items = list(_pending(user.pk).select_for_update())
                if not items:
                    transaction.set_rollback(True)
                    continue
                subject, body = digest_text(user, day, items)
                digest.deliveries.set(_deliver(user, subject=subject, body=body))
                Notification.objects.filter(pk__in=[item.pk for item in items]).update(
                    digest=digest, sent_at=timezone.now()
                )
        except IntegrityError:
            result.already += 1
            continue
        result.sent.append(digest)
    return result
