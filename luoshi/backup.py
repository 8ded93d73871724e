"""Backup and restore: the database and the stored files in one archive, with a manifest.

The database goes through Django's ``dumpdata`` (rows keep their ids; references to content
types and permissions are natural keys), so an archive made on SQLite restores on PostgreSQL
and back, and the same two commands serve both engines. The stored files
(evidence, generated circulars) are read through the default storage, so a
shared folder or an S3 bucket is backed up the same way as the local disk.
Import previews waiting for confirmation are not kept.

The archive is a gzip'd tar with ``manifest.json`` (what is inside, row
counts per model, each file's size and SHA-256, the migrations applied),
``data.json`` (Django's JSON with exact times, luoshi/serializers.py) and the files under ``media/``. A restore checks every file
against the manifest before it touches the database.
"""
from __future__ import annotations

import hashlib
import io
import json
import tarfile
import tempfile
from collections import Counter
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from django.apps import apps
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.management import call_command
from django.db import connection, transaction
from django.db.migrations.recorder import MigrationRecorder
from django.utils import timezone

from luoshi.plans.staging import PREFIX as STAGING_PREFIX

FORMAT = 1
# Rebuilt by `migrate` (content types, permissions) or worthless after a
# restore (sessions, login failures).
EXCLUDED = [
    "contenttypes",
    "auth.permission",
    "sessions",
    "admin.logentry",
    "axes.accessattempt",
    "axes.accessfailurelog",
    "axes.accesslog",
    "axes.accessattemptexpiration",
]
# A database holding any of these is somebody's data: restore refuses to
# replace it unless told to.
USER_DATA = ["accounts.User", "accounts.Unit", "plans.Plan", "audit.AuditEntry"]


class BackupError(Exception):
    """What is wrong with an archive or the target, said so an operator can act on it."""


@dataclass(frozen=True)
class BackupResult:
    rows: int
    files: int
    bytes: int


def _stored_files(directory: str = "") -> list[str]:
    """Every file name in the default storage, depth first, leaving out staged import previews."""
    try:
        directories, files = default_storage.listdir(directory)
    except FileNotFoundError:
        return []
    names = [f"{directory}/{name}" if directory else name for name in sorted(files)]
    for sub in sorted(directories):
        path = f"{directory}/{sub}" if directory else sub
        if path != STAGING_PREFIX:
            names.extend(_stored_files(path))
    return names


def _add(archive: tarfile.TarFile, name: str, data: bytes) -> None:
    info = tarfile.TarInfo(name)
    info.size = len(data)
    info.mtime = int(timezone.now().timestamp())
    archive.addfile(info, io.BytesIO(data))


def _applied_migrations() -> dict[str, str]:
    latest: dict[str, str] = {}
    for app, name in MigrationRecorder(connection).applied_migrations():
        latest[app] = max(latest.get(app, ""), name)
    return dict(sorted(latest.items()))


def backup_create(*, output: Path) -> BackupResult:
    """Write the archive to ``output``."""
    with tempfile.TemporaryDirectory() as scratch:
        dump = Path(scratch) / "data.exactjson"
        # One transaction, so that the rows are a consistent picture even
        # while the site is in use (a snapshot on PostgreSQL; SQLite reads see one state).
        with transaction.atomic():
            call_command(
                "dumpdata", format="exactjson", natural_foreign=True, exclude=EXCLUDED,
                output=str(dump), verbosity=0,
            )
        data = dump.read_bytes()
    rows = Counter(item["model"] for item in json.loads(data))
    files, total = [], 0
    output.parent.mkdir(parents=True, exist_ok=True)
    with tarfile.open(output, "w:gz") as archive:
        _add(archive, "data.json", data)
        for name in _stored_files():
            with default_storage.open(name, "rb") as stored:
                content = stored.read()
            _add(archive, f"media/{name}", content)
            files.append({"name": name, "size": len(content), "sha256": hashlib.sha256(content).hexdigest()})
            total += len(content)
        manifest = {
            "format": FORMAT,
            "created": timezone.now().isoformat(),
            "engine": connection.vendor,
            "migrations": _applied_migrations(),
            "rows": dict(sorted(rows.items())),
            "data_sha256": hashlib.sha256(data).hexdigest(),
            "files": files,
        }
        _add(archive, "manifest.json", json.dumps(manifest, ensure_ascii=False, indent=1).encode())
    return BackupResult(rows=sum(rows.values()), files=len(files), bytes=total)


def database_is_empty() -> bool:
    return not any(apps.get_model(label).objects.exists() for label in USER_DATA)


def _read_archive(path: Path) -> tuple[dict, bytes, dict[str, bytes]]:
    try:
        archive = tarfile.open(path, "r:gz")
    except (OSError, tarfile.TarError) as error:
        raise BackupError(f"{path} is not a Luoshi backup archive ({error})") from None
    with archive:
        members = {member.name: member for member in archive.getmembers() if member.isfile()}
        if "manifest.json" not in members or "data.json" not in members:
            raise BackupError(f"{path} has no manifest.json or data.json: not a Luoshi backup archive")
        manifest = json.loads(archive.extractfile(members["manifest.json"]).read())
        if manifest.get("format") != FORMAT:
            raise BackupError(f"{path} is in backup format {manifest.get('format')!r}; this version reads {FORMAT}")
        data = archive.extractfile(members["data.json"]).read()
        if hashlib.sha256(data).hexdigest() != manifest["data_sha256"]:
            raise BackupError("data.json does not match its checksum in the manifest: the archive is damaged")
        files = {}
        for entry in manifest["files"]:
            name = entry["name"]
            # Names go back into the storage, never onto a path of their own choosing.
            if PurePosixPath(name).is_absolute() or ".." in PurePosixPath(name).parts:
                raise BackupError(f"the archive names a file outside the storage: {name}")
            member = members.get(f"media/{name}")
            if member is None:
                raise BackupError(f"the manifest lists {name} but the archive does not contain it")
            content = archive.extractfile(member).read()
            if hashlib.sha256(content).hexdigest() != entry["sha256"]:
                raise BackupError(f"{name} does not match its checksum in the manifest: the archive is damaged")
            files[name] = content
    return manifest, data, files


@dataclass(frozen=True)
class RestoreResult:
    rows: int
    files: int
    migrations_differ: list[str]


def backup_restore(*, archive: Path, force: bool = False) -> RestoreResult:
    """Replace the database and the stored files with the archive's.

    Refuses (BackupError) a database that holds users, units, plans or audit
    entries unless ``force``; every file is checked before anything is changed.
    """
    manifest, data, files = _read_archive(archive)
    if not force and not database_is_empty():
        raise BackupError(
            "the database already holds data (users, units, plans or audit entries); "
            "restore into an empty, migrated database, or pass --force to replace everything in it"
        )
    current = _applied_migrations()
    differ = [
        f"{app}: archive {name}, database {current.get(app, '—')}"
        for app, name in manifest["migrations"].items()
        if current.get(app) != name
    ]
    with tempfile.TemporaryDirectory() as scratch:
        fixture = Path(scratch) / "data.exactjson"
        fixture.write_bytes(data)
        with transaction.atomic():
            call_command("flush", interactive=False, verbosity=0)
            call_command("loaddata", str(fixture), verbosity=0)
    for name in _stored_files():
        default_storage.delete(name)
    for name, content in files.items():
        saved = default_storage.save(name, ContentFile(content))
        if saved != name:
            raise BackupError(f"the storage saved {name} as {saved}; the database still points at {name}")
    return RestoreResult(rows=sum(manifest["rows"].values()), files=len(files), migrations_differ=differ)
