"""parse_file, parse_bytes and parse_text: from a plan document to an Outline."""
from __future__ import annotations

import dataclasses
import datetime
from pathlib import Path

from . import facts
from .clauses import balanced, split_clause
from .decode import decode, sniff
from .docx import WordTable, docx_document
from .labels import match_label
from .model import Measure, Outline, ParseError, ParseWarning, Programme, Responsibility, Section
from .page import Appendix
from .structure import Node, Note, build
from .tables import TableTask, read_appendix_table, table_title, task_rows, task_sections
from .text import Paragraph, ascii_alnum, paragraphs, tidy

# Beyond this a "plan" is a data dump, and the caller should be told so
# rather than kept waiting.
MAX_BYTES = 50 * 1024 * 1024
# The longest published plans, task tables included, run to a few thousand
# lines; far beyond that the text is a data dump or one line repeated, and
# reading it line by line would keep the caller waiting for minutes.
MAX_PARAGRAPHS = 10_000


def parse_file(path, *, year: int | None = None) -> Outline:
    path = Path(path)
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise ParseError("not_found", path=str(path)) from None
    except IsADirectoryError:
        raise ParseError("is_directory", path=str(path)) from None
    except OSError as e:
        reason = "没有读取权限" if isinstance(e, PermissionError) else e.strerror or type(e).__name__
        raise ParseError("unreadable", path=str(path), reason=reason) from None
    return parse_bytes(data, filename=path.name, year=year)


def parse_bytes(data: bytes, *, filename: str = "", year: int | None = None) -> Outline:
    """The outline of a document; a ParseError names the file when ``filename`` is given."""
    try:
        return _parse_bytes(data, filename=filename, year=year)
    except ParseError as e:
        if filename and "filename" not in e.context:
            raise e.with_context(filename=filename) from None
        raise


def _parse_bytes(data: bytes, *, filename: str, year: int | None) -> Outline:
    if len(data) > MAX_BYTES:
        raise ParseError("too_large", size_mb=round(len(data) / 2**20), limit_mb=MAX_BYTES // 2**20)
    kind = sniff(data, filename)
    if kind == "docx":
        paras, tables = docx_document(data)
        return _word_outline(paras, tables, year=year)
    if kind == "xlsx":
        from .xlsx import xlsx_task_sheet

        sheet, rows = xlsx_task_sheet(data)
        title = table_title(rows) or Path(filename).stem or sheet
        return _table_outline(title, "", [(title, task_rows(rows))], year=year, source_format="xlsx", warnings=[])
    if kind == "pdf":
        from .pdf import pdf_text

        text = pdf_text(data)
        return _outline(_paragraphs(text), year=year, source_format="pdf", encoding="", warnings=[], source=text)
    text, encoding = decode(data)
    return _outline(_paragraphs(text), year=year, source_format="txt", encoding=encoding, warnings=[], source=text)


def parse_text(text: str, *, year: int | None = None) -> Outline:
    if not text.strip():
        raise ParseError("empty", what="文本")
    return _outline(_paragraphs(text), year=year, source_format="txt", encoding="", warnings=[], source=text)


def _paragraphs(text: str) -> list[Paragraph]:
    # Counted before any line is read, so that refusing costs no more than the count.
    lines = sum(1 for line in text.splitlines() if line.strip())
    if lines > MAX_PARAGRAPHS:
        raise ParseError("too_many_paragraphs", paragraphs=lines, limit=MAX_PARAGRAPHS)
    paras = paragraphs(text, starts_paragraph=lambda line: match_label(line) is not None)
    if not paras:
        raise ParseError("no_text")
    return paras


def _outline(paras: list[Paragraph], *, year, source_format: str, encoding: str, warnings: list[ParseWarning],
             source: str = "") -> Outline:
    if len(paras) > MAX_PARAGRAPHS:
        raise ParseError("too_many_paragraphs", paragraphs=len(paras), limit=MAX_PARAGRAPHS)
    tree = build(paras)
    if year is None:
        year = facts.plan_year(tree.title, "\n".join(p.text for p in paras)) or datetime.date.today().year
    ids: dict[int, str] = {}
    above: list[Measure] = []
    sections = [_section(node, str(i), year, ids, above) for i, node in enumerate(tree.sections, 1)]
    outline = Outline(
        title=tree.title,
        author=tree.author,
        preamble="\n".join(tree.preamble),
        closing=tree.closing,
        year=year,
        sections=sections,
        warnings=warnings + [_warning(note, ids) for note in tree.warnings],
        source_format=source_format,
        encoding=encoding,
        appendices=[_appendix(appendix, f"A{i}") for i, appendix in enumerate(tree.appendices, 1)],
    )
    for appendix, lines in zip(outline.appendices, _source_lines(outline.appendices, source)):
        read_appendix_table(appendix, year, lines) or _clause_items(appendix, year)
    outline.programmes = _programmes(outline)
    if not sections:
        outline.warnings.append(ParseWarning.make("no_sections"))
    return outline


def _appendix(appendix: Appendix, id: str) -> Section:
    # The first paragraph is the 附件 line itself, already in label and title.
    body = appendix.paras[1:]
    if body and tidy(body[0].text) == appendix.title:
        body = body[1:]
    return Section(
        id=id,
        level=1,
        label=appendix.label,
        title=appendix.title,
        intro="\n".join(tidy(p.text) for p in body),
        appendix=True,
        lines=[line for p in appendix.paras for line in (p.lines or [p.text])],
    )


def _source_lines(appendices: list[Section], source: str) -> list[list[str]]:
    """Each appendix's lines as they stand in the source text, blank lines and bare numbers included.

    A flattened table needs them: a blank line ends a cell, a line ``12``
    starts a row. An appendix is found by its first line, searching back
    from the end so that the same words in the body are not taken for it.
    """
    raw = source.split("\n")
    keys = [_squeeze(ascii_alnum(line)) for line in raw]
    found: list[list[str]] = []
    end = len(raw)
    for appendix in reversed(appendices):
        first = _squeeze(ascii_alnum(appendix.lines[0])) if appendix.lines else ""
        start = next((i for i in range(end - 1, -1, -1) if first and keys[i] == first), None)
        if start is None:
            found.append(list(appendix.lines))
        else:
            found.append(raw[start:end])
            end = start
    return found[::-1]


def _squeeze(text: str) -> str:
    return "".join(text.split())


def _clause_items(appendix: Section, year: int) -> None:
    """The numbered items of an appendix as its measures, when most of them end in a responsibility clause.

    A 民生实事 list (``1.…（牵头单位：…）``) is a list of tasks; a 名词解释 list is not.
    """
    items = []
    for paragraph in appendix.intro.split("\n"):
        label = match_label(paragraph)
        if label is not None:
            items.append((paragraph, split_clause(paragraph[label.end:].strip())))
    if not items or sum(1 for _, (_, r) in items if r is not None) * 2 < len(items):
        return
    appendix.measures = [
        _numbered(_measure(text, responsibility, year), f"{appendix.id}.{i}")
        for i, (_, (text, responsibility)) in enumerate(items, 1)
    ]
    listed = {paragraph for paragraph, _ in items}
    appendix.intro = "\n".join(p for p in appendix.intro.split("\n") if p not in listed)


def _word_outline(paras: list[Paragraph], tables: list[WordTable], *, year: int | None) -> Outline:
    """A Word document's outline: its text, with its task tables as the plan or as appendices.

    When the text has no measures, the task tables are the plan: their
    groups are its sections and their rows its measures. Otherwise each task
    table is an appendix part. Other tables are not split into tasks; their
    text goes into the preamble, with a warning naming each.
    """
    task_tables: list[tuple[str, list[TableTask]]] = []
    other_text: list[str] = []
    warnings: list[ParseWarning] = []
    for table in tables:
        tasks = task_rows(table.rows)
        if tasks:
            task_tables.append((table_title(table.rows) or table.caption, tasks))
        else:
            other_text.append(_table_text(table))
            warnings.append(ParseWarning.make("table_not_tasks", caption=table.caption or "无标题", rows=len(table.rows)))
    outline = _outline(paras, year=year, source_format="docx", encoding="", warnings=warnings) if paras else None
    if outline is not None and (any(outline.measures()) or not task_tables):
        for name, tasks in task_tables:
            first = len(outline.appendices) + 1
            outline.appendices += task_sections(tasks, name=name or "任务分解表", year=outline.year, first_id=first, appendix=True)
        outline.preamble = "\n".join(p for p in [outline.preamble, *other_text] if p)
        return outline
    title = outline.title if outline is not None and outline.title else next((n for n, _ in task_tables if n), "")
    preamble = "\n".join(p for p in [outline.preamble if outline else "", *other_text] if p)
    return _table_outline(title, preamble, task_tables, year=year, source_format="docx", warnings=warnings)


def _table_outline(title: str, preamble: str, task_tables: list[tuple[str, list[TableTask]]], *, year: int | None,
                   source_format: str, warnings: list[ParseWarning]) -> Outline:
    """An outline whose measures are the rows of task tables."""
    if year is None:
        cells = "\n".join(t.text + "\n" + t.deadline for _, tasks in task_tables for t in tasks)
        year = facts.plan_year(title, cells) or datetime.date.today().year
    sections: list[Section] = []
    for name, tasks in task_tables:
        sections += task_sections(tasks, name=name or title or "任务分解表", year=year, first_id=len(sections) + 1)
    outline = Outline(title=title, author="", preamble=preamble, closing="", year=year, sections=sections,
                      warnings=list(warnings), source_format=source_format, encoding="")
    outline.programmes = _programmes(outline)
    if not sections:
        outline.warnings.append(ParseWarning.make("no_sections"))
    return outline


def _table_text(table: WordTable) -> str:
    rows = [" | ".join(dict.fromkeys(c for c in row if c)) for row in table.rows]
    return "\n".join(r for r in [table.caption, *rows] if r)


def _warning(note: Note, ids: dict[int, str]) -> ParseWarning:
    # A node that did not make it into the outline (folded into its parent's
    # measures) has no id: the warning then concerns the whole document.
    section_id = ids.get(_key(note.node), "") if note.node is not None else ""
    return ParseWarning.make(note.code, section_id=section_id, **note.context)


def _key(node: Node) -> int:
    """Nodes are mutable dataclasses, so not hashable: one is known by its identity."""
    return id(node)


def _section(node: Node, id: str, year: int, ids: dict[int, str], above: list[Measure]) -> Section:
    """The section of a node; ``above`` holds the measures of the last section that had any."""
    ids[_key(node)] = id
    measures = _measures(node.measures, year, above)
    if measures:
        above[:] = measures
    return Section(
        id=id,
        level=node.level,
        label=node.label,
        title=node.title,
        intro="\n".join(node.intro),
        measures=[_numbered(m, f"{id}.{i}") for i, m in enumerate(measures, 1)],
        sections=[_section(child, f"{id}.{i}", year, ids, above) for i, child in enumerate(node.children, 1)],
    )


def _measures(texts: list[str], year: int, above: list[Measure]) -> list[Measure]:
    """Measures with their responsibility clauses cut off.

    A clause that stands alone (on its own line after a paragraph, or as the
    last sentence of one) is not a measure: it names the units of the
    measures before it that no earlier clause claimed, in its own section or,
    when it opens one, in the section above.
    """
    measures: list[Measure] = []
    for text in _whole_brackets(texts):
        text, responsibility = split_clause(text)
        if responsibility is not None and not text:
            owners = [m for m in (measures or above) if m.responsibility is None]
            if owners:
                for owner in owners:
                    owner.responsibility = dataclasses.replace(responsibility, lead=list(responsibility.lead), co=list(responsibility.co))
                continue
            text, responsibility = responsibility.clause, None
        measures.append(_measure(text, responsibility, year))
    return measures


def _whole_brackets(texts: list[str]) -> list[str]:
    """Sentences rejoined where a split at ；fell inside brackets: （牵头单位：X；配合单位：Y）.

    Only a few sentences on are searched for the closing bracket, so a
    bracket the author never closed cannot swallow the rest of the section.
    """
    out: list[str] = []
    i = 0
    while i < len(texts):
        end = next((j for j in range(i + 1, min(i + 5, len(texts) + 1)) if balanced("".join(texts[i:j]))), i + 1)
        out.append("".join(texts[i:end]))
        i = end
    return out


def _measure(text: str, responsibility: Responsibility | None, year: int) -> Measure:
    # A clause may carry the time limit (完成时限：6月底前) when the text has none.
    deadline = facts.deadline(text, year)
    if deadline is None and responsibility is not None:
        deadline = facts.deadline(responsibility.clause, year)
    return Measure(id="", text=text, targets=facts.targets(text), deadline=deadline, responsibility=responsibility)


def _numbered(measure: Measure, id: str) -> Measure:
    measure.id = id
    return measure


def _programmes(outline: Outline) -> list[Programme]:
    """Each named programme and the measures that serve it.

    A measure serves a programme it names, and every programme named in the
    title or introduction of a section it sits in (“抓牢‘四个年’活动” covers all
    the measures under that heading).
    """
    found: dict[str, Programme] = {}

    def note(text: str) -> list[str]:
        names = []
        for name, written in facts.programme_mentions(text):
            found.setdefault(name, Programme(name=name, text=written))
            if name not in names:
                names.append(name)
        return names

    note(outline.title)
    note(outline.preamble)

    def visit(section: Section, inherited: list[str]) -> None:
        here = list(inherited)
        for name in note(section.title) + note(section.intro):
            if name not in here:
                here.append(name)
        for measure in section.measures:
            own = note(measure.text)
            measure.programmes = here + [n for n in own if n not in here]
            for name in measure.programmes:
                found[name].measure_ids.append(measure.id)
        for child in section.sections:
            visit(child, here)

    for section in outline.sections:
        visit(section, [])
    note(outline.closing)
    return _fold_parts(found, outline)


def _fold_parts(found: dict[str, Programme], outline: Outline) -> list[Programme]:
    """Fold fragments and variants of a programme into it.

    “一件事” within “高效办成一件事” is the same programme, whichever comes
    first; “高效跑一次” after “最多跑一次” is one of its aims. Their measures
    serve the programme they belong to.
    """
    order = list(found)
    whole: dict[str, str] = {}
    for i, name in enumerate(order):
        for j, other in enumerate(order):
            if other != name and other not in whole and (name in other or (j < i and facts.variant_of(name, other))):
                whole[name] = other
                break
    if not whole:
        return list(found.values())
    for programme in found.values():
        programme.measure_ids = []
    for measure in outline.measures():
        measure.programmes = list(dict.fromkeys(whole.get(n, n) for n in measure.programmes))
        for name in measure.programmes:
            found[name].measure_ids.append(measure.id)
    return [p for name, p in found.items() if name not in whole]
