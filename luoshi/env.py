"""Strict readers for settings that come from environment variables.

Each helper refuses values it does not understand instead of guessing, so a
typo in a deployment ("DEBUG=ture") stops the process with a message that
names the variable.
"""
import os
from datetime import date

from django.core.exceptions import ImproperlyConfigured

_TRUE = {"true", "on"}
_FALSE = {"false", "off", ""}


def envbool(name: str, default: bool) -> bool:
    raw = os.environ.get(name)
    if raw is None:
        return default
    value = raw.strip().lower()
    if value in _TRUE:
        return True
    if value in _FALSE:
        return False
    raise ImproperlyConfigured(f"{name}={raw!r}: expected 'true' or 'false'")


def envint(name: str, default: int) -> int:
    raw = os.environ.get(name)
    if raw is None or raw.strip() == "":
        return default
    try:
        return int(raw)
    except ValueError:
        raise ImproperlyConfigured(f"{name}={raw!r}: expected a whole number") from None


def envlist(name: str, default: list[str]) -> list[str]:
    raw = os.environ.get(name)
    if raw is None:
        return list(default)
    return [part.strip() for part in raw.split(",") if part.strip()]


def envstr(name: str, default: str = "") -> str:
    return os.environ.get(name, default)


def envdate(name: str) -> date | None:
    raw = os.environ.get(name)
    if raw is None or raw.strip() == "":
        return None
    try:
        return date.fromisoformat(raw.strip())
    except ValueError:
        raise ImproperlyConfigured(f"{name}={raw!r}: expected a date like 2018-07-10") from None
