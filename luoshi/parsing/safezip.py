"""Refuse zip bombs before python-docx or openpyxl opens an Office file.

.docx, .xlsx and .pptx files are zip archives, and the libraries that read
them inflate whatever the archive holds: a 1 MB upload can expand to
gigabytes of XML and take a worker's memory and minutes with it. ``check``
looks at the central directory first (entry count, each entry's and the total
declared size, the compression ratio), which costs nothing, and then inflates
every entry once with a hard cap, so that an archive whose headers understate
what it holds is caught too: no entry can yield more than it declares, and
nothing more than the limits is ever inflated.

Pure Python, no Django: the parser uses it, and the web side turns the
ParseError into a form error.
"""
from __future__ import annotations

import copy
import io
import zipfile
import zlib
from dataclasses import dataclass

from .model import ParseError

MB = 1024 * 1024
_CHUNK = 1024 * 1024


@dataclass(frozen=True)
class Limits:
    # An Office document has tens of parts, a big workbook a few hundred.
    entries: int = 10_000
    # Every part is held in memory and its XML parsed to a tree several
    # times its size; 64 MB of XML is already far beyond any plan or sheet.
    entry_bytes: int = 64 * MB
    # Pictures count here too, and they barely compress.
    total_bytes: int = 200 * MB
    # Real XML deflates 5 to 30 times; a bomb, up to a thousand. Small parts
    # of blank cells may compress far better, and are harmless, so the ratio
    # is checked only on parts at least ``ratio_floor`` bytes large.
    ratio: int = 100
    ratio_floor: int = MB


DEFAULT = Limits()


def check(data: bytes, *, filename: str = "", limits: Limits = DEFAULT) -> None:
    """Raise a ParseError naming the file and the limit unless ``data`` is a zip that is safe to open."""
    try:
        _check(data, limits)
    except ParseError as e:
        if filename and "filename" not in e.context:
            raise e.with_context(filename=filename) from None
        raise


def check_office(data: bytes, *, damaged_code: str) -> None:
    """``check`` for a file read as one Office kind: an archive that cannot be inflated is ``damaged_code``.

    The reader of .docx and the reader of .xlsx each call this first, so a
    broken archive is reported as a damaged Word or Excel file, while a zip
    bomb keeps its own error.
    """
    try:
        check(data)
    except ParseError as e:
        if e.code != "damaged_zip":
            raise
        raise ParseError(damaged_code, detail=e.context.get("detail", "")) from None


def _check(data: bytes, limits: Limits) -> None:
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, OSError) as e:
        raise ParseError("damaged_zip", detail=str(e)) from None
    with archive:
        infos = archive.infolist()
        if len(infos) > limits.entries:
            raise ParseError("zip_entries", entries=len(infos), limit=limits.entries)
        declared = 0
        for info in infos:
            _check_declared(info, limits)
            declared += info.file_size
        if declared > limits.total_bytes:
            raise ParseError("zip_total", size_mb=_mb(declared), limit_mb=_mb(limits.total_bytes))
        # No entry inflates past its declared size, so the declared total
        # checked above bounds all the work done here.
        for info in infos:
            _inflate(archive, info)


def _check_declared(info: zipfile.ZipInfo, limits: Limits) -> None:
    if info.flag_bits & 0x1:
        raise ParseError("zip_encrypted", entry=info.filename)
    if info.file_size > limits.entry_bytes:
        raise ParseError(
            "zip_entry", entry=info.filename, size_mb=_mb(info.file_size), limit_mb=_mb(limits.entry_bytes)
        )
    if info.file_size >= limits.ratio_floor and info.file_size > limits.ratio * max(info.compress_size, 1):
        raise ParseError(
            "zip_ratio",
            entry=info.filename,
            ratio=info.file_size // max(info.compress_size, 1),
            limit=limits.ratio,
        )


def _inflate(archive: zipfile.ZipFile, info: zipfile.ZipInfo) -> None:
    """Inflate ``info`` once, never past its declared size plus one byte, and check its CRC."""
    if info.is_dir():
        return
    # zipfile stops an entry at its declared size; declaring one byte more
    # lets an entry that holds more than it says show itself instead of being
    # cut short silently. Without a CRC on the probe zipfile skips its own
    # check, which would fire first and hide the lie; ours follows below.
    probe = copy.copy(info)
    probe.file_size = info.file_size + 1
    del probe.CRC
    total = 0
    crc = 0
    try:
        with archive.open(probe) as stream:
            while chunk := stream.read(_CHUNK):
                total += len(chunk)
                if total > info.file_size:
                    raise ParseError("zip_lying", entry=info.filename, declared=info.file_size)
                crc = zlib.crc32(chunk, crc)
    except (zipfile.BadZipFile, NotImplementedError, EOFError, OSError, ValueError, zlib.error) as e:
        raise ParseError("damaged_zip", detail=f"{info.filename}: {e}") from None
    if total != info.file_size or crc != info.CRC:
        raise ParseError("damaged_zip", detail=f"{info.filename}: {total} bytes, {info.file_size} declared, bad CRC")


def _mb(size: int) -> str:
    value = size / MB
    return f"{value:.0f}" if value >= 10 else f"{value:.1f}"
