"""Senders for the notification channels: e-mail, DingTalk and WeCom group robots.

Each sender makes one attempt and raises ``DeliveryError`` with a message a
supervisor can act on; retrying is the caller's business (services.py).
Network calls time out after ``TIMEOUT_SECONDS`` so that a slow webhook
holds a worker for seconds, never minutes. docs/notifications.md describes
the message formats and how to set up each robot.
"""
import base64
import hashlib
import hmac
import http.client
import json
import urllib.error
import urllib.request
from urllib.parse import quote_plus, urlsplit

from django.core.exceptions import ValidationError
from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.core.validators import URLValidator
from django.utils.translation import gettext as _

TIMEOUT_SECONDS = 5
# Sent with every webhook request: the delivery's stable key, the same on
# every attempt, so a receiver can drop a message it already has.
IDEMPOTENCY_HEADER = "Idempotency-Key"
# WeCom refuses markdown content over 4096 bytes (errcode 40058).
WECOM_MAX_BYTES = 4096

_url_validator = URLValidator(schemes=["http", "https"])


class DeliveryError(Exception):
    pass


def validate_webhook_url(value: str) -> None:
    scheme = urlsplit(value).scheme.lower()
    if scheme not in ("http", "https"):
        raise ValidationError(
            _("A webhook URL must start with http:// or https://, not “%(value)s”."),
            code="scheme",
            params={"value": value[:60]},
        )
    try:
        _url_validator(value)
    except ValidationError:
        raise ValidationError(
            _("“%(value)s” is not a valid web address."), code="invalid", params={"value": value[:60]}
        ) from None


def message_id(key: str) -> str:
    """The e-mail Message-ID of a delivery: the same on every attempt, so mail
    clients and archives show a message sent twice (after a lost answer) once."""
    domain = settings.DEFAULT_FROM_EMAIL.rpartition("@")[2].strip("<> ") or "luoshi.invalid"
    return f"<{key}@{domain}>"


def send_email(*, recipient: str, subject: str, body: str, key: str) -> None:
    message = EmailMessage(
        subject,
        body,
        to=[recipient],
        headers={"Message-ID": message_id(key), IDEMPOTENCY_HEADER: key},
        connection=get_connection(timeout=TIMEOUT_SECONDS),
    )
    try:
        message.send(fail_silently=False)
    except (OSError, ValueError) as error:  # smtplib's errors are OSErrors
        raise DeliveryError(f"e-mail to {recipient}: {error}") from error


def dingtalk_signed_url(*, url: str, secret: str, timestamp_ms: int) -> str:
    """DingTalk's signed mode: HMAC-SHA256 of "timestamp\\nsecret" keyed with the secret."""
    digest = hmac.new(secret.encode(), f"{timestamp_ms}\n{secret}".encode(), hashlib.sha256).digest()
    sign = quote_plus(base64.b64encode(digest))
    separator = "&" if urlsplit(url).query else "?"
    return f"{url}{separator}timestamp={timestamp_ms}&sign={sign}"


def send_dingtalk(*, url: str, secret: str, subject: str, body: str, timestamp_ms: int, key: str) -> None:
    if secret:
        url = dingtalk_signed_url(url=url, secret=secret, timestamp_ms=timestamp_ms)
    _post_robot(
        url=url,
        payload={"msgtype": "markdown", "markdown": {"title": subject, "text": f"### {subject}\n\n{body}"}},
        key=key,
    )


def send_wecom(*, url: str, subject: str, body: str, key: str) -> None:
    content = _truncate_utf8(f"**{subject}**\n\n{body}", WECOM_MAX_BYTES)
    _post_robot(url=url, payload={"msgtype": "markdown", "markdown": {"content": content}}, key=key)


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    # A robot webhook answers directly; following a redirect could carry the
    # message (and a DingTalk signature) somewhere nobody configured.
    def redirect_request(self, req, fp, code, msg, headers, newurl):
        return None


_opener = urllib.request.build_opener(_NoRedirect)


def _post_robot(*, url: str, payload: dict, key: str) -> None:
    """POST JSON to a group robot; both DingTalk and WeCom answer {"errcode": 0} on success."""
    # Checked again here because a row saved without full_clean() must still
    # never make urllib open a file:// or ftp:// address.
    try:
        validate_webhook_url(url)
    except ValidationError as error:
        raise DeliveryError(" ".join(error.messages)) from None
    request = urllib.request.Request(
        url,
        data=json.dumps(payload, ensure_ascii=False).encode(),
        headers={"Content-Type": "application/json; charset=utf-8", IDEMPOTENCY_HEADER: key},
        method="POST",
    )
    try:
        with _opener.open(request, timeout=TIMEOUT_SECONDS) as response:
            raw = response.read(65536)
    except urllib.error.HTTPError as error:
        raise DeliveryError(f"HTTP {error.code} {error.reason}") from error
    except (urllib.error.URLError, OSError) as error:
        raise DeliveryError(f"no answer from the webhook: {getattr(error, 'reason', error)}") from error
    except http.client.HTTPException as error:
        # A garbled status line, headers or body: the message may or may not
        # have arrived, so it is retried (the key lets the receiver tell).
        raise DeliveryError(f"garbled answer from the webhook: {error.__class__.__name__} {error}") from error
    try:
        answer = json.loads(raw)
        errcode = answer["errcode"]
    except (ValueError, KeyError, TypeError):
        raise DeliveryError(f"unexpected answer from the webhook: {raw[:200]!r}") from None
    if errcode != 0:
        raise DeliveryError(f"errcode {errcode}: {answer.get('errmsg', '')}")


def _truncate_utf8(text: str, limit: int) -> str:
    encoded = text.encode()
    if len(encoded) <= limit:
        return text
    marker = "…"
    return encoded[: limit - len(marker.encode())].decode(errors="ignore") + marker
