import hashlib
import secrets
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from luoshi.api.models import ApiToken
from luoshi.audit.services import audit_record

TOKEN_PREFIX = "ls_"
# Writing last_used on every request would make each API read a database
# write; a minute's precision is enough to tell a live token from a dead one.
LAST_USED_PRECISION = timedelta(minutes=1)


def _digest(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


class TokenExpired(Exception):
    """A real token past its expiry: the client is told so, not just "unauthorized"."""

    def __init__(self, token: ApiToken):
        super().__init__(f"token {token.prefix}… expired at {token.expires.isoformat()}")
        self.token = token


def token_create(*, user, name: str = "", actor=None, days: int | None = None) -> tuple[ApiToken, str]:
    """Make a token for ``user`` valid for ``days`` (default LUOSHI_API_TOKEN_DAYS); returns the row
    and the token itself, which is never stored."""
    days = settings.LUOSHI_API_TOKEN_DAYS if days is None else days
    if days < 1:
        raise ValueError("a token is valid for at least one day")
    raw = TOKEN_PREFIX + secrets.token_urlsafe(30)
    with transaction.atomic():
        token = ApiToken.objects.create(
            user=user, name=name.strip(), prefix=raw[:8], digest=_digest(raw),
            expires=timezone.now() + timedelta(days=days),
        )
        audit_record(
            actor=actor,
            action="api_token.create",
            obj=token,
            after={"user": user.username, "name": token.name, "prefix": token.prefix,
                   "expires": token.expires.isoformat()},
        )
    return token, raw


def token_revoke(*, token: ApiToken, actor=None) -> ApiToken:
    """Revoke a token for good; revoking one already revoked changes nothing."""
    with transaction.atomic():
        updated = ApiToken.objects.filter(pk=token.pk, revoked__isnull=True).update(revoked=timezone.now())
        token.refresh_from_db()
        if updated:
            audit_record(
                actor=actor,
                action="api_token.revoke",
                obj=token,
                before={"revoked": None},
                after={"revoked": token.revoked.isoformat()},
            )
    return token


def token_authenticate(*, raw: str):
    """The active user a token belongs to, or None for a wrong, revoked or orphaned token.

    Raises TokenExpired for a token past its expiry date.
    """
    if not raw.startswith(TOKEN_PREFIX):
        return None
    token = (
        ApiToken.objects.select_related("user")
        .filter(digest=_digest(raw), revoked__isnull=True, user__is_active=True)
        .first()
    )
    if token is None:
        return None
    now = timezone.now()
    if token.expires <= now:
        raise TokenExpired(token)
    if token.last_used is None or now - token.last_used >= LAST_USED_PRECISION:
        ApiToken.objects.filter(pk=token.pk).update(last_used=now)
    return token.user
