"""Zip bombs for the tests of every upload that opens a zip (.docx, .xlsx, .pptx).

Deflating a gigabyte takes zlib many seconds, so the bomb's stream is made of
one compressed megabyte of blanks repeated: after a full flush the compressor
starts afresh, so each repeat is the same few hundred bytes. The zip around
it is written by hand because zipfile cannot take data already compressed,
and because a lying bomb needs headers that understate what the stream holds.
"""
from __future__ import annotations

import functools
import io
import struct
import zipfile
import zlib
from dataclasses import dataclass

GIB = 1024**3
_BLOCK = b" " * (1024 * 1024)


@dataclass(frozen=True)
class Entry:
    raw: bytes  # the deflate stream, without zlib header
    crc: int
    size: int  # what the stream really inflates to


def deflated(data: bytes) -> Entry:
    c = zlib.compressobj(6, zlib.DEFLATED, -15)
    return Entry(c.compress(data) + c.flush(), zlib.crc32(data), len(data))


@functools.lru_cache(maxsize=4)
def inflating_to(size: int, *, prefix: bytes = b"", suffix: bytes = b"") -> Entry:
    """An entry of ``prefix``, ``size`` bytes of blanks (whole megabytes) and ``suffix``."""
    blocks = size // len(_BLOCK)
    c = zlib.compressobj(9, zlib.DEFLATED, -15)
    head = c.compress(prefix) + c.flush(zlib.Z_FULL_FLUSH)
    block = c.compress(_BLOCK) + c.flush(zlib.Z_FULL_FLUSH)
    tail = c.compress(suffix) + c.flush()
    crc = zlib.crc32(prefix)
    for _ in range(blocks):
        crc = zlib.crc32(_BLOCK, crc)
    crc = zlib.crc32(suffix, crc)
    raw = head + block * blocks + tail
    return Entry(raw, crc, len(prefix) + blocks * len(_BLOCK) + len(suffix))


def document_xml_bomb(size: int = GIB) -> Entry:
    """word/document.xml that is well-formed and holds one paragraph of ``size`` blanks."""
    return inflating_to(
        size,
        prefix=b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        b'<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
        b'<w:body><w:p><w:r><w:t xml:space="preserve">',
        suffix=b"</w:t></w:r></w:p></w:body></w:document>",
    )


def sheet_xml_bomb(size: int = GIB) -> Entry:
    """xl/worksheets/sheet1.xml holding one cell of ``size`` blanks."""
    return inflating_to(
        size,
        prefix=b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
        b'<sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>',
        suffix=b"</t></is></c></row></sheetData></worksheet>",
    )


def rebuild(office: bytes, *, replace: dict[str, Entry], declare: dict[str, int] | None = None) -> bytes:
    """``office`` with some entries replaced; ``declare`` makes the headers state other sizes than the real ones."""
    declare = declare or {}
    entries = []
    with zipfile.ZipFile(io.BytesIO(office)) as source:
        for name in source.namelist():
            entries.append((name, replace.get(name) or deflated(source.read(name))))
    return _zip([(name, entry, declare.get(name, entry.size)) for name, entry in entries])


def _zip(entries: list[tuple[str, Entry, int]]) -> bytes:
    out = io.BytesIO()
    central = []
    for name, entry, declared in entries:
        encoded = name.encode()
        offset = out.tell()
        fields = (20, 0, zipfile.ZIP_DEFLATED, 0, 0x21, entry.crc, len(entry.raw), declared, len(encoded))
        out.write(struct.pack("<IHHHHHIIIHH", 0x04034B50, *fields, 0) + encoded + entry.raw)
        central.append(struct.pack("<IHHHHHHIIIHHHHHII", 0x02014B50, 20, *fields, 0, 0, 0, 0, 0, offset) + encoded)
    start = out.tell()
    directory = b"".join(central)
    out.write(directory)
    out.write(struct.pack("<IHHHHIIH", 0x06054B50, 0, 0, len(entries), len(entries), len(directory), start, 0))
    return out.getvalue()
