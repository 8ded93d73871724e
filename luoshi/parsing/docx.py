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
from dataclasses import dataclass

from lxml import etree

from . import safezip
from .model import ParseError
from .text import Paragraph, ascii_alnum

_NS = {"w": "http://schemas.openxmlformats.org/wordprocessingml/2006/main"}

_HEADING_STYLE = re.compile(r"^(?:heading|标题)\s*([1-9])$", re.IGNORECASE)
_TITLE_STYLES = {"title", "标题"}
_CN_DIGITS = "零一二三四五六七八九"
# The line above a table that names it (表1 …, 附件：…任务分解表): the table's
# caption, not a paragraph of the plan.
_CAPTION = re.compile(r"^(?:(?:附表|附件)\s*[0-9一二三四五六七八九十]*(?:[：:.、\s].{0,50})?|表\s*[0-9]+.{0,50}|.{0,50}(?:表|清单|台账|一览))$")
_CIRCLED = "①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮⑯⑰⑱⑲⑳"


@dataclass
class WordTable:
    """A table of the document: its cell texts row by row, and the paragraph above it (its caption)."""

    rows: list[list[str]]
    caption: str


def docx_document(data: bytes) -> tuple[list[Paragraph], list[WordTable]]:
    """The paragraphs and the tables of a Word document, each in document order."""
    import docx
    from docx.table import Table
    from docx.text.paragraph import Paragraph as WordParagraph

    safezip.check_office(data, damaged_code="damaged_docx")
    try:
        document = docx.Document(io.BytesIO(data))
    except (zipfile.BadZipFile, KeyError, ValueError, etree.XMLSyntaxError) as e:
        raise ParseError("damaged_docx", detail=str(e)) from None
    numbering = _Numbering(document)
    out: list[Paragraph] = []
    tables: list[WordTable] = []
    last_text = ""
    for element in document.element.body.iterchildren():
        if element.tag == _w("p"):
            p = WordParagraph(element, document._body)
            text = p.text.strip()
            if not text:
                continue
            level = _heading_level(p)
            out.append(Paragraph(ascii_alnum(text), heading_level=level, auto_label=numbering.label(p)))
            last_text = text
        elif element.tag == _w("tbl"):
            table = Table(element, document._body)
            # Merged cells come back once per grid column and row they cover,
            # so a group row spanning the table repeats its text in each cell.
            rows = [[ascii_alnum(cell.text.strip()) for cell in row.cells] for row in table.rows]
            if any(any(cell for cell in row) for row in rows):
                caption = ""
                if out and out[-1].text == ascii_alnum(last_text) and _CAPTION.match(out[-1].text):
                    caption = out.pop().text
                tables.append(WordTable(rows=rows, caption=caption))
            last_text = ""
    if not out and not tables:
        raise ParseError("no_text")
    return out, tables


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
