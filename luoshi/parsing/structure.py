"""From paragraphs to the section tree: front matter, labelled headings, lead phrases.

Two passes. The first finds labelled headings (一、, （一）, 1. …, or Word's
heading styles) and nests them by the order their styles first appear, the way
a reader does: the first style met is level 1, a new style under it is level
2, and meeting a known style again closes everything below it. A label is a
heading only if its number follows its predecessor's, so "1." inside running
text does not open a section.

The second pass looks inside sections that have no labelled children for lead
phrases: a short first sentence at the head of a paragraph ("全力打造红色文化示
范地。…"). Sibling lead phrases are written in parallel (排比): they share an
opening or closing word. That parallelism recovers a lead phrase whose full
stop was lost to OCR ("…引领地 3坚定…") and rejects one that breaks the pattern
("新时代开启新征程。" after five "实施…行动。"), which is then the closing or
part of the previous section.
"""
from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field

from .labels import ORDINAL_ITEM, Label, chinese_number, match_label
from .page import Appendix, cut_tail, drop_colophon, drop_tables, front_matter, skip_furniture, split_appendices
from .clauses import is_clause_line
from .text import CJK, Paragraph, ends_clause, tidy

LEAD_MAX = 30
_LEAD_END = re.compile(r"[。：:]")
_TITLE_END = re.compile(r"[。！？!?：:]")
_SENTENCE_END = re.compile(r"[。！？；!?;]+[”’\"'）)」』】]*")
# Where OCR turned a full stop into a space and a stray character.
_DAMAGE = re.compile(rf"[ \t]+[0-9A-Za-z]?(?=[{CJK}“])|(?<=[{CJK}])[0-9](?=[{CJK}])")
# A report turning to its audience (“各位代表！”) says nothing to be done.
_ADDRESS = re.compile(r"各位(?:代表|委员)[！!，,：:]")
_DOC_KIND = re.compile(r"(要点|方案|计划|报告|意见|安排|规划|通知|纲要|清单|任务|重点|工作)$")


@dataclass
class Node:
    level: int
    label: str = ""
    title: str = ""
    paras: list[str] = field(default_factory=list)
    children: list[Node] = field(default_factory=list)
    # The heading's paragraph went on after its title, so paras[0] is body
    # text, never a lead phrase of a child.
    inline_body: bool = False
    # The heading's paragraph was one whole sentence (“1.新建幼儿园3所。”).
    sentence: str = ""
    # A numbered item directly under a part, and its text without the label.
    item: bool = False
    whole: str = ""
    # Set by finish(): what the outline shows.
    intro: list[str] = field(default_factory=list)
    measures: list[str] | None = None


@dataclass
class Note:
    """A warning found while building the tree: its code, the section it concerns and its details.

    The section's id is known only once the tree is numbered, so the note
    holds the node; the outline turns it into a ParseWarning.
    """

    code: str
    node: Node | None
    context: dict


@dataclass
class Tree:
    title: str
    author: str
    preamble: list[str]
    closing: str
    sections: list[Node]
    warnings: list[Note]
    appendices: list[Appendix] = field(default_factory=list)


def build(paras: list[Paragraph]) -> Tree:
    warnings: list[Note] = []
    paras = cut_tail(skip_furniture(paras))
    title, author, rest = front_matter(paras) or _front_matter(paras)
    rest, appendices = split_appendices(rest)
    rest = _join_split_labels(drop_tables(drop_colophon(rest)))
    closing = ""
    # A last paragraph that exclaims ("各位代表！…", "…更加美好！") closes the
    # plan; it is not a measure.
    last = tidy(rest[-1].text) if rest else ""
    if len(rest) > 1 and (last.endswith(("！", "!")) or last.startswith("各位代表！")) and _label(rest[-1]) is None and not rest[-1].heading_level:
        closing = tidy(rest.pop().text)
    root = _nest_labelled(rest, warnings, _unnumbered_parts(rest))
    _fold_items(root)
    _fold_sentence_items(root)
    if root.children:
        preamble = root.paras
        found = _expand_leaves(root, warnings, leads=_leads_divide(root, rest))
    else:
        found = _expand(root, warnings, document_end=True)
        preamble = root.intro if root.children else root.paras
        root.measures = []
    for node in root.children:
        _finish(node)
    return Tree(title, author, [tidy(p) for p in preamble], closing or found, root.children, warnings, appendices)


def _unnumbered_parts(paras: list[Paragraph]) -> frozenset[int]:
    """Part headings without numbers: short lines standing alone that divide the body.

    A report may head its parts “‘十四五’时期工作回顾” … without 一、. Such a
    line carries no sentence punctuation, opens the body before any numbered
    heading does, and every part runs over several paragraphs; lines that
    follow each other closely are a list or a table, not parts.
    """
    def candidate(p: Paragraph) -> bool:
        text = tidy(p.text)
        return (4 <= len(text) <= 30 and not p.heading_level and _label(p) is None
                and not re.search(r"[，,。！？!?；;：:]", text) and not text.startswith(("—", "－", "-")))

    found = [i for i, p in enumerate(paras) if candidate(p)]
    first_label = next((i for i, p in enumerate(paras) if _label(p) is not None or p.heading_level), len(paras))
    if len(found) < 2 or found[0] > first_label:
        return frozenset()
    if any(b - a < 3 for a, b in zip(found, found[1:])) or len(paras) - found[-1] < 3:
        return frozenset()
    return frozenset(found)


def _join_split_labels(paras: list[Paragraph]) -> list[Paragraph]:
    """A label the page broke after its opening bracket (“（” / “三）…”) read as one line."""
    out: list[Paragraph] = []
    for p in paras:
        if out and tidy(out[-1].text) in ("（", "(") and not out[-1].heading_level:
            opening = out.pop()
            p = Paragraph(tidy(opening.text) + p.text.lstrip(), p.heading_level, p.auto_label, opening.lines + p.lines)
        out.append(p)
    return out


def _finish(node: Node) -> None:
    """Decide what of a section's paragraphs is introduction and what is measures."""
    if node.measures is None:
        if node.children:
            node.intro = node.paras
            node.measures = []
        else:
            node.measures = [s for p in node.paras for s in sentences(p) if not _ADDRESS.fullmatch(s)]
    node.intro = [tidy(p) for p in node.intro]
    for child in node.children:
        _finish(child)


def _front_matter(paras: list[Paragraph]) -> tuple[str, str, list[Paragraph]]:
    def short_line(p: Paragraph, limit: int) -> bool:
        text = tidy(p.text)
        return 0 < len(text) <= limit and not ends_clause(text) and "，" not in text and _label(p) is None

    rest = list(paras)
    title = author = ""
    if rest and (short_line(rest[0], 60) or rest[0].heading_level == 0):
        title = tidy(rest.pop(0).text)
        # A title the page broke in two: the second half names the document kind.
        if rest and short_line(rest[0], 30) and _DOC_KIND.search(tidy(rest[0].text)) and not _DOC_KIND.search(title):
            title += tidy(rest.pop(0).text)
        if rest and short_line(rest[0], 20) and len(rest) > 1:
            author = tidy(rest.pop(0).text)
    return title, author, rest


def _label(p: Paragraph) -> Label | None:
    if p.auto_label:
        label = match_label(p.auto_label + " x")
        if label:
            return Label(label.style, label.number, p.auto_label, 0)
    return match_label(p.text)


# Items numbered 1. 1、 （1）: measures when they stand directly under a part.
_ITEM_STYLES = ("arabic", "paren_arabic", "half_paren_arabic")
_PART_STYLES = ("cn", "unnumbered")


def _nest_labelled(paras: list[Paragraph], warnings: list[Note], parts: frozenset[int] = frozenset()) -> Node:
    root = Node(level=0)
    # One entry per open level: [style, last number, node].
    stack: list[list] = []
    # Where each style was last used and its number there: numbering may run
    # on across parents (（一）…（六） under 一、, （七） under 二、).
    last: dict[str, tuple[int, int]] = {}
    for i, p in enumerate(paras):
        label = _label(p)
        if i in parts:
            style, number, label = "unnumbered", None, None
        elif p.heading_level:
            style, number = f"heading{p.heading_level}", None
        elif label:
            style, number = label.style, label.number
        else:
            (stack[-1][2] if stack else root).paras.append(p.text)
            continue
        depth = next((d for d, entry in enumerate(stack) if entry[0] == style), None)
        if number is not None:
            expected = stack[depth][1] + 1 if depth is not None else 1
            runs_on = depth is None and last.get(style) == (len(stack), number - 1)
            if number != expected and not runs_on:
                host = stack[-1][2] if stack else root
                host.paras.append(p.text)
                if depth is not None and number > expected:
                    warnings.append(Note("numbering_jump", host if stack else None, {
                        "previous": stack[depth][1], "number": number, "text": tidy(p.text)[:20],
                    }))
                continue
        if depth is None:
            depth = len(stack)
        del stack[depth:]
        parent = stack[-1][2] if stack else root
        body = p.text[label.end:] if label else p.text
        title, rest = _split_title(body)
        node = Node(level=depth + 1, label=label.text if label else "", title=title, inline_body=bool(rest))
        node.item = depth == 1 and style in _ITEM_STYLES and stack[0][0] in _PART_STYLES
        if node.item:
            node.whole = tidy(body)
        elif not rest and not p.heading_level and _SENTENCE_END.search(body.rstrip()[-2:]):
            node.sentence = tidy(body)
        if rest:
            node.paras.append(rest)
        parent.children.append(node)
        stack.append([style, number or 0, node])
        if number is not None:
            last[style] = (depth, number)
    return root


def _fold_items(node: Node) -> None:
    """Items numbered 1. directly under a part are its measures, one per item.

    “1.强化组织领导。区投资促进工作领导小组负责…。” under “六、保障措施” is one
    task with its own text; it is not a level-2 heading. Paragraphs that
    follow an item (a clause on its own line) belong to it.
    """
    for child in node.children:
        _fold_items(child)
    items = [c for c in node.children if c.item]
    if not items:
        return
    node.intro = node.paras
    node.measures = [c.whole + "".join(tidy(t) for t in c.paras[1 if c.inline_body else 0:]) for c in items]
    node.children = [c for c in node.children if not c.item]


def _fold_sentence_items(node: Node) -> None:
    """Numbered items that are one sentence each are measures, not sections.

    “1.新建幼儿园3所。2.新增学位400个。” lists what to do; like single-sentence
    一是 items they become measures of the section they sit in. An item among
    real sub-sections keeps its place, with its sentence as its one measure.
    """
    for child in node.children:
        _fold_sentence_items(child)
    items = [c for c in node.children if c.sentence and not c.paras and not c.children]
    if not items:
        return
    if len(items) == len(node.children):
        node.intro, node.measures, node.children = node.paras, [c.sentence for c in items], []
        return
    for item in items:
        item.measures = [item.sentence]


def _split_title(text: str) -> tuple[str, str]:
    """A heading's own words and the body text that follows them in the paragraph."""
    m = _TITLE_END.search(text)
    if m and text[m.end():].strip():
        return tidy(text[:m.start()]), text[m.end():].strip()
    return tidy(text.rstrip("。！？!?：:；; ")), ""


def _leads_divide(root: Node, paras: list[Paragraph]) -> bool:
    """Whether unnumbered lead phrases can divide parts into sub-sections.

    A document that numbers its divisions under the parts (（一）, or 一是
    opening its own paragraphs) writes its lead phrases as bold openings of
    paragraphs, not as divisions; one that never does (the seed's “全力打造
    …。”) divides its parts by them.
    """
    if any(child.children for child in root.children):
        return False
    return not any((m := ORDINAL_ITEM.match(p.text.lstrip())) and m.group(1) == "一" for p in paras)


def _expand_leaves(node: Node, warnings: list[Note], *, leads: bool = True) -> str:
    """Find unlabelled sub-sections in every section without labelled children."""
    closing = ""
    last = _last_leaf(node)
    for child in node.children:
        if child.children:
            closing = _expand_leaves(child, warnings, leads=leads) or closing
        elif child.measures is None:
            closing = _expand(child, warnings, document_end=child is last, leads=leads) or closing
    return closing


def _expand(node: Node, warnings: list[Note], *, document_end: bool, leads: bool = True) -> str:
    """一是…二是… items, else lead phrases; returns a closing paragraph if one was found."""
    if _ordinal_items(node):
        return ""
    if len(node.paras) < 2 or not leads:
        return ""
    node.children, closing = _lead_sections(node, node.level + 1, warnings, document_end=document_end)
    if node.children:
        node.intro = node.paras
        node.measures = []
    return closing


def _ordinal_items(node: Node) -> bool:
    """Split 一是…二是… items out of a section's paragraphs.

    Items that each open a paragraph of their own (“一是着力扩内需稳增长，…。”
    after “主要做了以下工作：”) are the section's sub-sections, titled by their
    first sentence, when they go on after it; the paragraphs that follow an
    item belong to it. Items running inside a paragraph are measures, one per
    sentence (without “一是”). Text before 一是 is the introduction.
    """
    if _own_paragraph_items(node):
        return True
    intro: list[str] = []
    items: list[list[str]] = []
    expected = 1
    for text in node.paras:
        pos = 0
        for m in ORDINAL_ITEM.finditer(text):
            if chinese_number(m.group(1)) != expected:
                continue
            before = text[pos:m.start()]
            if items:
                items[-1][1] += before
            elif before.strip():
                intro.append(before)
            items.append([m.group(1) + "是", ""])
            pos = m.end()
            expected += 1
        rest = text[pos:]
        if items:
            items[-1][1] += rest
        elif rest.strip():
            intro.append(rest)
    if len(items) < 2:
        return False
    node.intro, node.children = intro, []
    node.measures = [sentence for _, text in items for sentence in sentences(text)]
    return True


def _own_paragraph_items(node: Node) -> bool:
    starts: list[int] = []
    for i, text in enumerate(node.paras):
        m = ORDINAL_ITEM.match(text.lstrip())
        if m and chinese_number(m.group(1)) == len(starts) + 1:
            starts.append(i)
    if len(starts) < 2:
        return False
    node.intro, node.measures, node.children = node.paras[:starts[0]], [], []
    for n, start in enumerate(starts):
        end = starts[n + 1] if n + 1 < len(starts) else len(node.paras)
        m = ORDINAL_ITEM.match(node.paras[start].lstrip())
        title, rest = _split_title(node.paras[start].lstrip()[m.end():])
        body = ([rest] if rest else []) + node.paras[start + 1:end]
        if body:
            node.children.append(Node(level=node.level + 1, label=m.group(1) + "是", title=title, paras=body))
        else:
            node.measures.append(tidy(node.paras[start].lstrip()[m.end():]))
    return True


def _last_leaf(node: Node) -> Node:
    while node.children:
        node = node.children[-1]
    return node


@dataclass
class _Lead:
    index: int
    title: str
    body: str
    # What OCR left where the full stop was (“3”), for a recovered heading.
    damage: str = ""


def _lead(text: str) -> _Lead | None:
    # （责任单位：…） on its own line names the units of the paragraph above; its colon opens no lead phrase.
    if is_clause_line(text):
        return None
    m = _LEAD_END.search(text, 0, 120)
    if not m:
        return None
    title = tidy(text[:m.start()])
    body = text[m.end():].strip()
    if not 2 <= len(title) <= LEAD_MAX or not body or "；" in title or ";" in title:
        return None
    return _Lead(0, title, body)


def _pattern(titles: list[str]) -> tuple[str, str, int]:
    """The opening and closing words most siblings share, and how many share one."""
    heads = Counter(t[:2] for t in titles).most_common(1)
    tails = Counter(t[-2:] for t in titles).most_common(1)
    head, head_n = heads[0] if heads else ("", 0)
    tail, tail_n = tails[0] if tails else ("", 0)
    return head, tail, max(head_n, tail_n)


def _lead_sections(node: Node, level: int, warnings: list[Note], *, document_end: bool) -> tuple[list[Node], str]:
    leads: list[_Lead] = []
    for i, text in enumerate(node.paras):
        lead = None if i == 0 and node.inline_body else _lead(text)
        if lead:
            lead.index = i
            leads.append(lead)
    if len(leads) < 2:
        return [], ""
    head, tail, shared = _pattern([l.title for l in leads])
    fits = lambda title: (shared >= 2) and ((head and title.startswith(head)) or (tail and title.endswith(tail)))
    strong = shared >= 3 and shared >= len(leads) - 1
    closing = ""
    accepted = []
    for lead in leads:
        if strong and not fits(lead.title):
            last = lead.index == len(node.paras) - 1
            if document_end and last:
                closing = tidy(node.paras[lead.index])
            # The node is the section it stays in: a root node (level 0) is the whole document.
            warnings.append(Note("lead_phrase_rejected", node if node.level else None, {
                "title": lead.title, "closing": bool(document_end and last),
            }))
            continue
        accepted.append(lead)
    by_index = {l.index: l for l in accepted}
    # A short first sentence in the first paragraph is an introduction unless
    # it reads like its siblings or every paragraph is a lead paragraph.
    if 0 in by_index and not fits(by_index[0].title) and len(by_index) < len(node.paras):
        del by_index[0]
    if head and shared >= 2 and all(fits(l.title) for l in by_index.values()):
        _recover_damaged(node.paras, by_index, head)
    if len(by_index) < 2:
        return [], ""

    sections: list[Node] = []
    intro: list[str] = []
    for i, text in enumerate(node.paras):
        if closing and i == len(node.paras) - 1:
            break
        lead = by_index.get(i)
        if lead:
            sections.append(Node(level=level, title=lead.title, paras=[lead.body]))
            if lead.damage:
                warnings.append(Note("heading_recovered", sections[-1], {"title": lead.title, "damage": lead.damage}))
        elif sections:
            sections[-1].paras.append(text)
        else:
            intro.append(text)
    node.paras = intro
    return sections, closing


def _recover_damaged(paras: list[str], by_index: dict[int, _Lead], head: str) -> None:
    lengths = [len(l.title) for l in by_index.values()]
    low, high = min(lengths) - 3, max(lengths) + 3
    for i, text in enumerate(paras):
        if i in by_index or not tidy(text).startswith(head):
            continue
        for m in _DAMAGE.finditer(text, 0, 4 * high):
            title = tidy(text[:m.start()])
            if low <= len(title) <= high and "，" not in title[len(title) - 2:]:
                by_index[i] = _Lead(i, title, text[m.end():].strip(), damage=text[m.start():m.end()].strip() or " ")
                break


def sentences(text: str) -> list[str]:
    out, start = [], 0
    for m in _SENTENCE_END.finditer(text):
        piece = tidy(text[start:m.end()])
        if piece and not _SENTENCE_END.fullmatch(piece):
            out.append(piece)
        start = m.end()
    tail = tidy(text[start:])
    if tail:
        out.append(tail)
    return out
