"""Word documents: paragraphs with the heading levels and numbers Word gives them.

Authors mark structure in three ways and often mix them: heading styles
(Heading 1, 标题 1 …, or an outline level), automatic numbering (the label is
drawn by Word and is not in the text), and labels typed by hand. The first two
are turned into hints on each paragraph; typed labels are left in the text for
the structure pass to read like any plain-text label.
"""
from __future__ import annotations

import io
import re
import zipfile

from lxml import etree

from .model import ParseError, ParseWarning
from .text import Paragraph, ascii_alnum

_NS = {"w": "http://schemas.openxmlformats.org/wordprocessingml/2006/main"}

_HEADING_STYLE = re.compile(r"^(?:heading|标题)\s*([1-9])$", re.IGNORECASE)
_TITLE_STYLES = {"title", "标题"}
_CN_DIGITS = "零一二三四五六七八九"
_CIRCLED = "①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮⑯⑰⑱⑲⑳"


def docx_paragraphs(data: bytes) -> tuple[list[Paragraph], list[ParseWarning]]:
    import docx

    try:
        document = docx.Document(io.BytesIO(data))
    except (zipfile.BadZipFile, KeyError, ValueError) as e:
        raise ParseError("damaged_docx", detail=str(e)) from None
    warnings = []
    numbering = _Numbering(document)
    out = []
    for p in document.paragraphs:
        text = p.text.strip()
        if not text:
            continue
        level = _heading_level(p)
        out.append(Paragraph(ascii_alnum(text), heading_level=level, auto_label=numbering.label(p)))
    if document.tables:
        warnings.append(ParseWarning.make("docx_tables_skipped", tables=len(document.tables)))
    if not out:
        raise ParseError("no_text")
    return out, warnings


def _style_chain(style):
    while style is not None:
        yield style
        style = style.base_style


def _heading_level(p) -> int | None:
    for style in _style_chain(p.style):
        name = (style.name or "").strip()
        if name.lower() in _TITLE_STYLES:
            return 0
        m = _HEADING_STYLE.match(name)
        if m:
            return int(m.group(1))
    for element in [p._p.pPr] + [s.element.pPr for s in _style_chain(p.style)]:
        if element is None:
            continue
        found = _xpath(element, "./w:outlineLvl/@w:val")
        if found and found[0].isdigit() and int(found[0]) < 9:
            return int(found[0]) + 1
    return None


class _Numbering:
    """Draws the labels of Word's automatic numbering (一、 （一） 1. …)."""

    def __init__(self, document):
        self.levels: dict[tuple[str, int], tuple[str, str, int]] = {}
        self.counters: dict[str, list[int]] = {}
        try:
            root = document.part.numbering_part.element
        except (KeyError, NotImplementedError):
            return
        abstract = {}
        for a in _xpath(root, "./w:abstractNum"):
            abstract[a.get(_w("abstractNumId"))] = {
                int(lvl.get(_w("ilvl"))): (
                    (_xpath(lvl, "./w:numFmt/@w:val") or ["decimal"])[0],
                    (_xpath(lvl, "./w:lvlText/@w:val") or [""])[0],
                    int((_xpath(lvl, "./w:start/@w:val") or ["1"])[0]),
                )
                for lvl in _xpath(a, "./w:lvl")
            }
        for num in _xpath(root, "./w:num"):
            ids = _xpath(num, "./w:abstractNumId/@w:val")
            for ilvl, spec in abstract.get(ids[0] if ids else None, {}).items():
                self.levels[(num.get(_w("numId")), ilvl)] = spec

    def label(self, p) -> str:
        num_id, ilvl = self._num_pr(p)
        spec = self.levels.get((num_id, ilvl)) if num_id else None
        if spec is None:
            return ""
        counters = self.counters.setdefault(num_id, [0] * 9)
        counters[ilvl] += 1
        for deeper in range(ilvl + 1, 9):
            counters[deeper] = 0
        text = spec[1]
        for n in range(ilvl + 1):
            level_spec = self.levels.get((num_id, n), spec)
            value = counters[n] + level_spec[2] - 1
            text = text.replace(f"%{n + 1}", _format(value, level_spec[0]))
        return text if spec[0] != "bullet" else ""

    @staticmethod
    def _num_pr(p) -> tuple[str | None, int]:
        for element in [p._p.pPr] + [s.element.pPr for s in _style_chain(p.style)]:
            if element is None:
                continue
            num_ids = _xpath(element, "./w:numPr/w:numId/@w:val")
            if num_ids:
                ilvl = _xpath(element, "./w:numPr/w:ilvl/@w:val")
                return (num_ids[0] if num_ids[0] != "0" else None), int(ilvl[0]) if ilvl else 0
        return None, 0


def _xpath(element, path: str) -> list:
    # Elements python-docx has no class for do not know the w: prefix.
    return etree.XPath(path, namespaces=_NS)(element)


def _w(name: str) -> str:
    return "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}" + name


def _format(value: int, fmt: str) -> str:
    if fmt.startswith(("chineseCounting", "ideographTraditional", "taiwaneseCounting", "japaneseCounting")):
        return _chinese(value)
    if fmt == "decimalEnclosedCircle" and 1 <= value <= 20:
        return _CIRCLED[value - 1]
    return str(value)


def _chinese(value: int) -> str:
    if value < 10:
        return _CN_DIGITS[value]
    tens, ones = divmod(value, 10)
    return ("" if tens == 1 else _CN_DIGITS[tens]) + "十" + (_CN_DIGITS[ones] if ones else "")
