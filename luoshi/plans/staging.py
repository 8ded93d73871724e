"""Uploaded files waiting between an import preview and its confirmation.

They live in Django's default storage under ``staging/`` (a local folder, a
shared path or an S3 bucket, whichever the deployment configures), so any
web worker can confirm a preview another one made. A preview nobody confirms
is removed by ``luoshi sweep`` after a day.
"""
import secrets
from datetime import datetime

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage

PREFIX = "staging"


def staging_save(*, content: bytes) -> str:
    """Store the bytes under a random name only the caller learns; returns that name."""
    token = secrets.token_hex(16)
    default_storage.save(f"{PREFIX}/{token}", ContentFile(content))
    return token


def staging_read(*, token: str, suffix: str = "") -> bytes | None:
    """The staged file, or a companion of it (``suffix``, e.g. the corrected outline); None when gone."""
    name = _name(token, suffix)
    if name is None or not default_storage.exists(name):
        return None
    with default_storage.open(name, "rb") as stored:
        return stored.read()


def staging_write(*, token: str, suffix: str, content: bytes) -> None:
    """Store or replace a companion of a staged file under the same token."""
    name = _name(token, suffix)
    if name is None:
        raise ValueError(f"not a staging token: {token!r}")
    # Storages never overwrite: a second save would get another name.
    default_storage.delete(name)
    default_storage.save(name, ContentFile(content))


def staging_delete(*, token: str, suffix: str = "") -> None:
    name = _name(token, suffix)
    if name is not None and default_storage.exists(name):
        default_storage.delete(name)


def staging_cleanup(*, older_than: datetime) -> int:
    """Remove staged files last written before ``older_than``; returns how many."""
    try:
        _dirs, files = default_storage.listdir(PREFIX)
    except FileNotFoundError:
        return 0
    removed = 0
    for file_name in files:
        name = f"{PREFIX}/{file_name}"
        if default_storage.get_modified_time(name) < older_than:
            default_storage.delete(name)
            removed += 1
    return removed


def _name(token: str, suffix: str = "") -> str | None:
    # The token comes from the session; anything but our own hex names is refused
    # rather than joined into a path.
    if not (isinstance(token, str) and len(token) == 32 and all(c in "0123456789abcdef" for c in token)):
        return None
    if suffix and not (suffix.startswith(".") and suffix[1:].replace(".", "").isalnum()):
        return None
    return f"{PREFIX}/{token}{suffix}"
