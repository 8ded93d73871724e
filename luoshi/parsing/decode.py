"""Bytes to text: which format the file is, and which encoding a .txt uses.

A wrong guess must never pass silently, so every decoding is checked for
being plausible Chinese prose: mostly Chinese characters, ASCII and
punctuation, and among the Chinese characters mostly common ones (GB2312
level 1, the 3,755 characters that make up nearly all running text). Random
bytes that happen to decode as GB18030 or UTF-16 come out as rare characters
and fail that check.
"""
from __future__ import annotations

import codecs
import re

from .model import ParseError

_CJK = re.compile("[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
_READABLE = re.compile(
    "[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\u3000-\u303f\uff00-\uffef\u2010-\u2027\u2030-\u203a\u00b7\u00a0-\u00ff\u2160-\u216b\u2460-\u2473\u25a0-\u25ff\x20-\x7e\t\n\r]"
)
_SAMPLE = 20_000
# Formats that are not a plan, by their first bytes: (error code, format name).
_BINARY_MAGIC = {
    b"\xd0\xcf\x11\xe0": ("legacy_doc", ".doc"),
    b"\x89PNG": ("image", "PNG"),
    b"\xff\xd8\xff": ("image", "JPEG"),
    b"GIF8": ("image", "GIF"),
    b"{\\rtf": ("rtf", "RTF"),
    b"\x1f\x8b": ("archive", "gzip"),
    b"Rar!": ("archive", "RAR"),
    b"7z\xbc\xaf": ("archive", "7-Zip"),
}


def sniff(data: bytes, filename: str = "") -> str:
    """"pdf", "docx", "xlsx" or "txt" from the content, the file name only as a tie-break."""
    if data.startswith(b"%PDF") or data[:1024].lstrip().startswith(b"%PDF"):
        return "pdf"
    if data.startswith(b"PK\x03\x04"):
        head = data[:65536]
        if b"word/" in head or filename.lower().endswith(".docx"):
            return "docx"
        if b"xl/" in head or filename.lower().endswith(".xlsx"):
            return "xlsx"
        if b"ppt/" in head:
            raise ParseError("presentation")
        raise ParseError("archive", format="ZIP")
    for magic, (code, what) in _BINARY_MAGIC.items():
        if data.startswith(magic):
            raise ParseError(code, format=what)
    if filename.lower().endswith(".pdf"):
        raise ParseError("not_pdf")
    if filename.lower().endswith(".docx"):
        raise ParseError("not_docx")
    return "txt"


def plausibility(text: str) -> tuple[float, float, int]:
    """(share of readable characters, share of common Chinese characters among Chinese ones, Chinese count) in a sample."""
    sample = text[:_SAMPLE]
    visible = [c for c in sample if not c.isspace()]
    if not visible:
        return 1.0, 1.0, 0
    readable = len(_READABLE.findall(sample)) / len(sample)
    cjk = _CJK.findall(sample)
    common = sum(1 for c in cjk if _is_common(c))
    return readable, (common / len(cjk) if cjk else 0.0), len(cjk)


def _is_common(char: str) -> bool:
    try:
        encoded = char.encode("gb2312")
    except UnicodeEncodeError:
        return False
    # GB2312 rows 16-55 (lead bytes 0xB0-0xD7) hold the level-1 characters.
    return 0xB0 <= encoded[0] <= 0xD7


def _acceptable(text: str) -> tuple[str, dict] | None:
    """None when the text reads as Chinese, else what is wrong with it: an error code and its details."""
    readable, common, cjk = plausibility(text)
    if readable < 0.9:
        return "garbled_text", {"percent": _percent(readable)}
    if cjk == 0:
        return "no_chinese", {}
    visible = sum(1 for c in text[:_SAMPLE] if not c.isspace())
    if cjk / max(1, visible) < 0.2:
        return "little_chinese", {"percent": _percent(cjk / visible)}
    if cjk >= 20 and common < 0.75:
        return "nonsense_text", {"percent": _percent(common)}
    return None


def _percent(share: float) -> int:
    return round(share * 100)


def _not_chinese(encoding: str, problem: tuple[str, dict]) -> ParseError:
    code, details = problem
    return ParseError(code, encoding=encoding.upper().removesuffix("-SIG"), **details)


def decode(data: bytes) -> tuple[str, str]:
    """The text and the name of the encoding it was in."""
    if not data.strip(b" \t\r\n\x00"):
        raise ParseError("empty")
    for bom, encoding in ((codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16")):
        if data.startswith(bom):
            try:
                text = data.decode(encoding)
            except UnicodeDecodeError as e:
                raise ParseError("bad_encoding", encoding=encoding.upper().removesuffix("-SIG"), byte=e.start + 1, reason=e.reason) from None
            return _checked(text, encoding)
    candidates = ["utf-8", "gb18030"]
    if b"\x00" in data[:4096]:
        candidates = ["utf-16-le", "utf-16-be"]
    problems = []
    for encoding in candidates:
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        problem = _acceptable(text)
        if problem is None:
            return text, encoding
        problems.append((encoding, problem))
    guess = _charset_normalizer_guess(data)
    if guess and guess[0] not in [c for c, _ in problems]:
        problem = _acceptable(guess[1])
        if problem is None:
            return guess[1], guess[0]
        problems.append((guess[0], problem))
    if not problems:
        # Not text in any encoding tried (UTF-8, GB18030, UTF-16).
        raise ParseError("binary")
    encoding, problem = problems[0]
    raise _not_chinese(encoding, problem)


def _checked(text: str, encoding: str) -> tuple[str, str]:
    if not text.strip():
        raise ParseError("empty")
    problem = _acceptable(text)
    if problem:
        raise _not_chinese(encoding, problem)
    return text, encoding


def _charset_normalizer_guess(data: bytes) -> tuple[str, str] | None:
    from charset_normalizer import from_bytes

    best = from_bytes(data[:200_000]).best()
    if best is None:
        return None
    try:
        return best.encoding, data.decode(best.encoding)
    except (UnicodeDecodeError, LookupError):
        return None
