"""Evidence files (佐证材料): what may be uploaded, judged from the bytes, and how big.

A file's name and the browser's Content-Type are whatever the sender says; a
program renamed ``.pdf`` would pass a check on either. So the type is read
from the content: the PDF, PNG and JPEG signatures, and for Word and Excel
files a zip whose ``[Content_Types].xml`` and main part (``word/document.xml``,
``xl/workbook.xml``) are really there. Before anything reads a zip, safezip
checks what it would inflate to, so a zip bomb is refused in a moment.

Size is enforced twice: ``upload_refused_early`` looks at the request's
Content-Length before a byte of the body is read, and ``CappedUploadHandler``
counts every file as it streams in and stops the upload at the first file over
the limit, so a 1 GB upload never reaches the disk whatever the client claims.
"""
from __future__ import annotations

import zipfile
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.files.uploadhandler import FileUploadHandler, StopUpload
from django.http import QueryDict
from django.utils.datastructures import MultiValueDict
from django.utils.translation import gettext as _

from luoshi.parsing import ParseError, safezip
from luoshi.plans.staging import staging_delete, staging_read, staging_save

# More than this many files on one report is a mistake, not evidence; it also
# bounds the request size the early check lets through.
MAX_FILES = 10
# Room for the form fields and multipart boundaries beside the files.
_FORM_OVERHEAD = 256 * 1024


@dataclass(frozen=True)
class FileKind:
    content_type: str
    extension: str
    label: str


PDF = FileKind("application/pdf", "pdf", "PDF")
PNG = FileKind("image/png", "png", "PNG")
JPEG = FileKind("image/jpeg", "jpg", "JPEG")
DOCX = FileKind("application/vnd.openxmlformats-officedocument.wordprocessingml.document", "docx", "Word (.docx)")
XLSX = FileKind("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "xlsx", "Excel (.xlsx)")
KINDS = (PDF, PNG, JPEG, DOCX, XLSX)
KINDS_BY_TYPE = {kind.content_type: kind for kind in KINDS}


def max_file_bytes() -> int:
    return settings.LUOSHI_MAX_UPLOAD_MB * 1024 * 1024


def max_request_bytes() -> int:
    return max_file_bytes() * MAX_FILES + _FORM_OVERHEAD


def allowed_description() -> str:
    return "、".join(kind.label for kind in KINDS)


def sniff(upload) -> FileKind | None:
    """The kind of an uploaded file judged from its content, or None when it is none we accept."""
    upload.seek(0)
    head = upload.read(8)
    upload.seek(0)
    if head.startswith(b"%PDF-"):
        return PDF
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return PNG
    if head.startswith(b"\xff\xd8\xff"):
        return JPEG
    if head.startswith(b"PK\x03\x04"):
        return _office_kind(upload)
    return None


def _office_kind(upload) -> FileKind | None:
    try:
        with zipfile.ZipFile(upload) as archive:
            names = set(archive.namelist())
            if "[Content_Types].xml" not in names:
                return None
            types = archive.read("[Content_Types].xml")
    except (zipfile.BadZipFile, KeyError, OSError, RuntimeError):
        return None
    finally:
        upload.seek(0)
    # The content types file must declare the main part that is present: a
    # zip that merely contains a folder called word/ is not a document.
    if "word/document.xml" in names and b"wordprocessingml.document.main" in types:
        return DOCX
    if "xl/workbook.xml" in names and b"spreadsheetml.sheet.main" in types:
        return XLSX
    return None


def evidence_check(upload) -> FileKind:
    """The file's kind, or a ValidationError that names the file and says what is wrong."""
    name = upload.name
    if upload.size == 0:
        raise ValidationError(_("“%(name)s” is empty."), params={"name": name}, code="empty")
    if upload.size > max_file_bytes():
        raise ValidationError(
            _("“%(name)s” is %(size).1f MB; the limit is %(limit)s MB per file."),
            params={"name": name, "size": upload.size / 1024 / 1024, "limit": settings.LUOSHI_MAX_UPLOAD_MB},
            code="too_big",
        )
    _refuse_zip_bomb(upload)
    kind = sniff(upload)
    if kind is None:
        raise ValidationError(
            _("“%(name)s” is not a PDF, image, Word or Excel file (judged from its content, not its name). "
              "Accepted: %(kinds)s."),
            params={"name": name, "kinds": allowed_description()},
            code="type",
        )
    return kind


def _refuse_zip_bomb(upload) -> None:
    upload.seek(0)
    is_zip = upload.read(4) == b"PK\x03\x04"
    upload.seek(0)
    if not is_zip:
        return
    try:
        safezip.check(upload.read(), filename=upload.name)
    except ParseError as exc:
        raise ValidationError(str(exc), code="zip") from None
    finally:
        upload.seek(0)


def too_big_message(name: str = "") -> str:
    if name:
        return _("“%(name)s” is larger than the limit of %(limit)s MB per file; nothing was saved.") % {
            "name": name,
            "limit": settings.LUOSHI_MAX_UPLOAD_MB,
        }
    return _("The upload is larger than %(count)s files of %(limit)s MB; nothing was saved.") % {
        "count": MAX_FILES,
        "limit": settings.LUOSHI_MAX_UPLOAD_MB,
    }


def upload_refused_early(request) -> bool:
    """True when the declared body is bigger than any acceptable upload: refuse before reading it."""
    try:
        length = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        return False
    return length > max_request_bytes()


class CappedUploadHandler(FileUploadHandler):
    """First in the handler chain: stops the upload as soon as one file passes the limit.

    The handlers after it (memory, then a temporary file) never see a byte
    beyond the limit, and ``connection_reset`` tells Django not to read the
    rest of the body. ``refused`` names the file for the error message.
    """

    def __init__(self, request=None):
        super().__init__(request)
        self.limit = max_file_bytes()
        self.received = 0
        self.refused: str | None = None

    def handle_raw_input(self, input_data, META, content_length, boundary, encoding=None):
        if content_length > max_request_bytes():
            self.refused = ""
            # Parsed as an empty form: not one byte of the body is read.
            return QueryDict(encoding=encoding), MultiValueDict()
        return None

    def new_file(self, *args, **kwargs):
        super().new_file(*args, **kwargs)
        self.received = 0

    def receive_data_chunk(self, raw_data, start):
        self.received += len(raw_data)
        if self.received > self.limit:
            self.refused = self.file_name
            raise StopUpload(connection_reset=True)
        return raw_data

    def file_complete(self, file_size):
        return None


# ── Files kept across a refused report form ──────────────────────────────
# A browser cannot fill a file input again: when the form comes back with an
# error (no narrative, a percent out of range), the files that passed the
# checks wait on the server (luoshi.plans.staging) under tokens this session
# alone knows, and the form lists them, ticked, instead of asking again.

HELD_SESSION_KEY = "luoshi_report_held_files"
INLINE_TYPES = frozenset({PDF.content_type, PNG.content_type, JPEG.content_type})


def _held_entries(request, task_id: int) -> list[dict]:
    return list(request.session.get(HELD_SESSION_KEY, {}).get(str(task_id), []))


def _held_save(request, task_id: int, entries: list[dict]) -> None:
    everything = dict(request.session.get(HELD_SESSION_KEY, {}))
    if entries:
        everything[str(task_id)] = entries
    else:
        everything.pop(str(task_id), None)
    request.session[HELD_SESSION_KEY] = everything


def files_held(request, task_id: int) -> list[dict]:
    """The files kept for the task's report form: [{"token", "name"}]."""
    return _held_entries(request, task_id)


def files_kept(request, task_id: int, tokens) -> list:
    """The kept files the user left ticked, as uploads again; those unticked are forgotten."""
    wanted = set(tokens)
    kept, uploads = [], []
    for entry in _held_entries(request, task_id):
        content = staging_read(token=entry["token"]) if entry["token"] in wanted else None
        if content is None:
            staging_delete(token=entry["token"])
            continue
        kept.append(entry)
        uploads.append(SimpleUploadedFile(entry["name"], content))
    _held_save(request, task_id, kept)
    return uploads


def files_hold(request, task_id: int, uploads) -> list[dict]:
    """Keep the acceptable ones of ``uploads`` for the next attempt; returns everything now kept."""
    entries = _held_entries(request, task_id)
    for upload in uploads:
        try:
            evidence_check(upload)
        except ValidationError:
            continue
        upload.seek(0)
        name = upload.name.replace("\\", "/").rsplit("/", 1)[-1][:255]
        entries.append({"token": staging_save(content=upload.read()), "name": name})
    _held_save(request, task_id, entries[-MAX_FILES:])
    return entries[-MAX_FILES:]


def files_release(request, task_id: int) -> None:
    """The report was saved with the kept files: remove the waiting copies."""
    for entry in _held_entries(request, task_id):
        staging_delete(token=entry["token"])
    _held_save(request, task_id, [])
