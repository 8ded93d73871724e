"""From raw plan text to paragraphs.

Text extracted from PDFs breaks lines wherever the page did, puts page numbers
and running headers between the lines, and sometimes a blank line after every
line. Text typed in an editor has one paragraph per line. This module tells the
two apart and rebuilds the paragraphs; everything downstream works on
paragraphs.
"""
from __future__ import annotations

import re
import unicodedata
from collections import Counter
from dataclasses import dataclass, field

from .clauses import CLAUSE_AT_END

CJK = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
# Characters after which, or before which, a space is layout noise in Chinese.
_WIDE = CJK + "\u3000-\u303f\uff01-\uff0f\uff1a-\uff20\uff3b-\uff40\uff5b-\uff65\u2018-\u201f\u2026\u2014"
_SPACE_IN_CJK = re.compile(f"(?<=[{_WIDE}])[ \t]+(?=[{_WIDE}])")
_SPACES = re.compile(r"[ \t\u00a0\u2002-\u200a\u3000\u202f\u205f]+")
_INVISIBLE = re.compile("[\u200b-\u200d\u2060\ufeff\u00ad]")
_FULLWIDTH_ALNUM = {c: c - 0xFEE0 for r in ((0xFF10, 0xFF19), (0xFF21, 0xFF3A), (0xFF41, 0xFF5A)) for c in range(r[0], r[1] + 1)}

TERMINAL = "。！？；!?;"
_ENDS_CLAUSE = re.compile(r"[。！？；!?;：:…][”’\"'）)」』】]*$")
_PAGE_NUMBER = re.compile(
    r"^(?:[-—–－=·•\s]*[0-9]{1,4}[-—–－=·•\s]*"
    r"|第\s*[0-9]{1,4}\s*页(?:\s*[,，/]?\s*共\s*[0-9]{1,4}\s*页)?"
    r"|[0-9]{1,4}\s*/\s*[0-9]{1,4}"
    r"|[Pp]age\s*[0-9]{1,4}(?:\s*of\s*[0-9]{1,4})?)$"
)
_DIGITS = re.compile(r"[0-9]+")
_LABEL_HEAD = re.compile(r"[（(]?[0-9一二三四五六七八九十]{1,3}[、.．）)]|第[0-9一二三四五六七八九十百]+[部章节篇]")


def ascii_alnum(text: str) -> str:
    """Full-width digits and letters as ASCII, same length."""
    return text.translate(_FULLWIDTH_ALNUM)


def tidy(text: str) -> str:
    """The text as a reader wants it: no layout spaces between Chinese characters."""
    return _SPACE_IN_CJK.sub("", _SPACES.sub(" ", text)).strip()


def width(line: str) -> float:
    """Printed width in Chinese character cells (Latin letters take half a cell)."""
    return sum(1.0 if unicodedata.east_asian_width(c) in "WFA" else 0.5 for c in line)


def ends_clause(line: str) -> bool:
    return _ENDS_CLAUSE.search(line) is not None


# A line closed by a bracketed clause: “…（责任单位：区经委、各街镇）” or a bare
# unit list “（区经委）”, the way plans end a measure with who does it.
_BRACKET_END = re.compile(r"[（(](?:[^（）()]|[（(][^（）()]*[）)])+[）)][。；;]?$")
# Where a web page's tail starts (related articles, share links, a licence
# note): nothing after it belongs to the plan, so it never joins the line above.
PAGE_TAIL = re.compile(
    r"(?:相关(?:报道|文档|链接|附件|新闻|稿件|阅读)|责任编辑|打印本页|关闭窗口)(?:[:：>》].*)?|扫一扫.*"
    r"|》》.*|注[:：].*维基文库.*"
)
# A line that opens something of its own: a table or figure caption, or the
# attachment line that ends a notice or opens an appendix.
_OWN_LINE = re.compile(r"^(?:[表图]\s*[0-9]{1,2}(?:[-－.．][0-9]{1,2})?\s*[^\s0-9%％.．、，,]|附件\s*[0-9]{0,2}\s*(?:[:：]|$))")


def ends_with_bracket(line: str) -> bool:
    return CLAUSE_AT_END.search(line) is not None or _BRACKET_END.search(line) is not None


@dataclass
class Paragraph:
    text: str
    # A heading level Word gave the paragraph (Heading 1 → 1), None for text.
    heading_level: int | None = None
    # A label Word's automatic numbering drew in front of the paragraph.
    auto_label: str = ""
    # The source lines the paragraph was read from, with the blank lines that
    # follow it: an appendix keeps them so a table reader sees the cell breaks.
    lines: list[str] = field(default_factory=list)


def clean_lines(text: str) -> list[tuple[str, float]]:
    """Lines with page numbers and running headers/footers removed, each with its indent.

    Full-width digits and letters become ASCII ("２０２５年" → "2025年"), as a
    reader retyping the plan would write them. Blank lines are kept as "".
    The indent is the width of the leading spaces in cells: a typed paragraph
    starts with two full-width spaces, its wrapped lines with none.
    """
    text = _INVISIBLE.sub("", text.replace("\r\n", "\n").replace("\r", "\n")).translate(_FULLWIDTH_ALNUM)
    raw = text.split("\n")
    lines = [_unspace(_SPACES.sub(" ", line).strip()) for line in raw]
    indents = [width(line[:len(line) - len(line.lstrip())].replace("\t", "    ")) for line in raw]
    page_lines = {i for i, line in enumerate(lines) if line and _PAGE_NUMBER.match(line)}
    # Running headers and footers repeat on every page, often with the page
    # number in them, so they are compared with their digits masked.
    keys = [_DIGITS.sub("#", line) if line and len(line) <= 40 and not ends_clause(line) else "" for line in lines]
    counts = Counter(k for k in keys if k)
    # A repeated line is a running header or footer when it keeps company with
    # the page numbers; without page numbers, when it repeats often and is not
    # a numbered heading (“（一）加强组织领导” may well recur in a long plan).
    first = next((i for i, line in enumerate(lines) if line), 0)
    # The top of the first page is a page boundary too.
    near_page = {j for i in page_lines | {first} for j in range(i - 3, i + 4)}
    near = Counter(key for i, key in enumerate(keys) if key and i in near_page)
    removed = set(page_lines)
    for i, key in enumerate(keys):
        if not key or counts[key] < 2:
            continue
        if page_lines:
            furniture = near[key] >= max(2, 0.6 * counts[key])
        else:
            furniture = counts[key] >= 3 and not _LABEL_HEAD.match(lines[i])
        if furniture:
            removed.add(i)
    # The blank lines around page furniture go with it, or they would read
    # as paragraph breaks in the middle of a sentence.
    for i in sorted(removed):
        for step in (-1, 1):
            j = i + step
            while 0 <= j < len(lines) and not lines[j] and j not in removed:
                removed.add(j)
                j += step
    kept = [i for i, line in enumerate(lines) if line and i not in removed]
    # A title repeated as the running header is still the title, unless the
    # header stands above a title of its own.
    if first in removed and first not in page_lines and kept and not _title_like(lines[kept[0]]):
        removed.discard(first)
    return [(line, indents[i] if line else 0.0) for i, line in enumerate(lines) if i not in removed]


def _unspace(line: str) -> str:
    """Undo letter-spacing ("桐 华 县 2 0 2 5 年"), common in PDF titles."""
    if line.count(" ") >= 4 and line.count(" ") >= 0.6 * (len(line) - line.count(" ") - 1) and re.search(f"[{CJK}]", line):
        return line.replace(" ", "")
    return line


def _title_like(line: str) -> bool:
    return len(line) <= 60 and not ends_clause(line) and "，" not in line


def paragraphs(text: str, starts_paragraph=lambda line: False) -> list[Paragraph]:
    """Rebuild paragraphs from lines, whether hard-wrapped or one per line.

    ``starts_paragraph(line)`` says whether a line opens a heading (a label
    such as 一、) so that a wrapped paragraph ending in a full stop at the
    right margin does not swallow it.
    """
    cleaned = clean_lines(text)
    lines = [line for line, _ in cleaned]
    indents = [indent for _, indent in cleaned]
    filled = [i for i, line in enumerate(lines) if line]
    if not filled:
        return []
    # A blank line after nearly every line is an artefact of the extraction,
    # not a paragraph break.
    gaps = sum(1 for a, b in zip(filled, filled[1:]) if b > a + 1)
    blank_breaks = gaps < 0.6 * max(1, len(filled) - 1)
    # Lines are measured twice, in printed cells and in characters, because
    # some producers wrap by width and others by character count; a line is
    # short only when it is short by both measures.
    sizes = {i: (width(tidy(lines[i])), len(tidy(lines[i]))) for i in filled}
    full = (_full(sorted(v[0] for v in sizes.values())), _full(sorted(v[1] for v in sizes.values())))
    shortfall = {i: min(full[0] - sizes[i][0], full[1] - sizes[i][1]) for i in filled}
    long_lines = [i for i in filled if shortfall[i] <= 0.15 * full[0] and sizes[i][1] >= 12]
    open_ended = [sizes[i][0] for i in long_lines if not ends_clause(lines[i])]
    # A short plan has few full lines; two that stop mid-clause at the same
    # width are the wrap width, where parallel headings would differ.
    wrapped = (len(long_lines) >= 3 and len(open_ended) >= 0.3 * len(long_lines)) or (
        len(open_ended) >= 2 and max(open_ended) - min(open_ended) <= 1
    )

    result: list[Paragraph] = []
    current: list[str] = []
    starts: list[int] = []
    opens = lambda line: starts_paragraph(line) or _OWN_LINE.match(line) is not None or PAGE_TAIL.fullmatch(line) is not None
    for n, i in enumerate(filled):
        line = lines[i]
        previous = filled[n - 1] if n else i
        if current and not _continues(
            lines[previous], line, shortfall[previous], shortfall[i], wrapped,
            blank_before=blank_breaks and i > previous + 1, starts_paragraph=opens,
            indented=indents[i] >= indents[previous] + 1,
        ):
            result.append(Paragraph(_join(current)))
            current = []
        if not current:
            starts.append(i)
        current.append(line)
    if current:
        result.append(Paragraph(_join(current)))
    for n, paragraph in enumerate(result):
        end = starts[n + 1] if n + 1 < len(starts) else len(lines)
        paragraph.lines = lines[starts[n]:end]
    return result


def _full(widths: list[float]) -> float:
    """The width of a full line: what most long lines reach."""
    return widths[int(0.9 * (len(widths) - 1))]


def _continues(prev: str, line: str, shortfall: float, line_shortfall: float, wrapped: bool, *,
               blank_before: bool, starts_paragraph, indented: bool) -> bool:
    # A line indented deeper than the one before starts a paragraph, even
    # after a heading as wide as the text (“一、…” then “　　正文…”).
    if not wrapped or blank_before or indented:
        return False
    # A measure closed by its responsibility clause ends there, and a heading
    # or caption starts its own paragraph whatever the line before it did.
    if ends_with_bracket(prev) or starts_paragraph(line):
        return False
    if ends_clause(prev):
        # A first line is indented two cells, so a clause ending short of the
        # margin by more than a cell ends its paragraph; so does one ending at
        # the margin when the next line is indented and runs on.
        indented = 1.5 < line_shortfall <= 3.5 and not ends_clause(line)
        return shortfall <= 1.5 and not indented and not starts_paragraph(line)
    # Headings, titles and author lines are short and carry no full stop.
    return shortfall <= 3.5


def _join(lines: list[str]) -> str:
    out = lines[0]
    for line in lines[1:]:
        if out[-1:].isascii() and out[-1:].isalpha() and line[:1].isascii() and line[:1].isalpha():
            out += " " + line
        else:
            out += line
    return out
