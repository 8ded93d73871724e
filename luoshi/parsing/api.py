"""parse_file, parse_bytes and parse_text: from a plan document to an Outline."""
from __future__ import annotations

import datetime
from pathlib import Path

from . import facts
from .decode import decode, sniff
from .labels import match_label
from .model import Measure, Outline, ParseError, Programme, Section
from .structure import Node, build
from .text import Paragraph, paragraphs, tidy

# Beyond this a "plan" is a data dump, and the caller should be told so
# rather than kept waiting.
MAX_BYTES = 50 * 1024 * 1024


def parse_file(path, *, year: int | None = None) -> Outline:
    path = Path(path)
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise ParseError(f"no such file: {path}") from None
    except IsADirectoryError:
        raise ParseError(f"{path} is a directory, not a file") from None
    except OSError as e:
        raise ParseError(f"cannot read {path}: {e.strerror}") from None
    try:
        return parse_bytes(data, filename=path.name, year=year)
    except ParseError as e:
        raise ParseError(f"{path.name}: {e}") from None


def parse_bytes(data: bytes, *, filename: str = "", year: int | None = None) -> Outline:
    if len(data) > MAX_BYTES:
        raise ParseError(f"the file is {len(data) / 2**20:.0f} MB; a plan over {MAX_BYTES // 2**20} MB is not accepted")
    kind = sniff(data, filename)
    if kind == "docx":
        from .docx import docx_paragraphs

        paras, warnings = docx_paragraphs(data)
        return _outline(paras, year=year, source_format="docx", encoding="", warnings=warnings)
    if kind == "pdf":
        from .pdf import pdf_text

        return _outline(_paragraphs(pdf_text(data)), year=year, source_format="pdf", encoding="", warnings=[])
    text, encoding = decode(data)
    return _outline(_paragraphs(text), year=year, source_format="txt", encoding=encoding, warnings=[])


def parse_text(text: str, *, year: int | None = None) -> Outline:
    if not text.strip():
        raise ParseError("the text is empty")
    return _outline(_paragraphs(text), year=year, source_format="txt", encoding="", warnings=[])


def _paragraphs(text: str) -> list[Paragraph]:
    paras = paragraphs(text, starts_paragraph=lambda line: match_label(line) is not None)
    if not paras:
        raise ParseError("the file has no text")
    return paras


def _outline(paras: list[Paragraph], *, year, source_format: str, encoding: str, warnings: list[str]) -> Outline:
    tree = build(paras)
    if year is None:
        year = facts.plan_year(tree.title, "\n".join(p.text for p in paras)) or datetime.date.today().year
    sections = [_section(node, str(i), year) for i, node in enumerate(tree.sections, 1)]
    outline = Outline(
        title=tree.title,
        author=tree.author,
        preamble="\n".join(tree.preamble),
        closing=tree.closing,
        year=year,
        sections=sections,
        warnings=warnings + tree.warnings,
        source_format=source_format,
        encoding=encoding,
    )
    outline.programmes = _programmes(outline)
    if not sections:
        outline.warnings.append("no sections found: the text has no headings this parser recognises")
    return outline


def _section(node: Node, id: str, year: int) -> Section:
    return Section(
        id=id,
        level=node.level,
        label=node.label,
        title=node.title,
        intro="\n".join(node.intro),
        measures=[
            Measure(id=f"{id}.{i}", text=text, targets=facts.targets(text), deadline=facts.deadline(text, year))
            for i, text in enumerate(node.measures, 1)
        ],
        sections=[_section(child, f"{id}.{i}", year) for i, child in enumerate(node.children, 1)],
    )


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
