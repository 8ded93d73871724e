"""The outline a parse returns: plain dataclasses that turn into the JSON schema.

The schema is documented in docs/outline-schema.md; ``to_dict()`` is the only
way the outline leaves this package, so the CLI, the API and the importer all
see the same shape.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date


class ParseError(Exception):
    """The input cannot be read as a plan.

    ``code`` is a stable English identifier for programs (``"empty"``,
    ``"not_docx"``, ``"scanned_pdf"`` …, listed in docs/outline-schema.md);
    ``message`` is what the user reads, in Chinese: what is wrong and what to
    do about it. ``str(error)`` is the message. ``context`` holds the details
    the message names (``filename``, ``pages``, ``percent`` …).
    """

    def __init__(self, code: str, **context):
        from .messages import error_message

        self.code = code
        self.context = context
        self.message = error_message(code, context)
        super().__init__(self.message)

    def __str__(self) -> str:
        return self.message

    def __reduce__(self):
        return _parse_error, (self.code, self.context)

    def with_context(self, **context) -> ParseError:
        """The same error with more details, e.g. the file name once it is known."""
        return ParseError(self.code, **{**self.context, **context})

    def to_dict(self) -> dict:
        return {"code": self.code, "message": self.message, "context": dict(self.context)}


def _parse_error(code: str, context: dict) -> ParseError:
    return ParseError(code, **context)


@dataclass(frozen=True)
class ParseWarning:
    """Something the parser guessed or skipped, for the supervisor to check.

    ``code`` is a stable English identifier, ``message`` the Chinese text the
    user reads, ``section_id`` the section it concerns (``""`` for the whole
    document) and ``context`` the details the message names.
    """

    code: str
    message: str
    section_id: str = ""
    context: dict = field(default_factory=dict, hash=False)

    @classmethod
    def make(cls, code: str, *, section_id: str = "", **context) -> ParseWarning:
        from .messages import warning_message

        return cls(code=code, message=warning_message(code, context), section_id=section_id, context=context)

    def __str__(self) -> str:
        return self.message

    def to_dict(self) -> dict:
        return {"code": self.code, "message": self.message, "section_id": self.section_id, "context": dict(self.context)}


@dataclass(frozen=True)
class Target:
    kind: str  # "quantity" | "rank"
    text: str
    value: float | None
    unit: str
    comparison: str
    bound: str = ""

    def to_dict(self) -> dict:
        return {
            "kind": self.kind,
            "text": self.text,
            "value": self.value,
            "unit": self.unit,
            "comparison": self.comparison,
            "bound": self.bound,
        }


@dataclass(frozen=True)
class Deadline:
    text: str
    start: date
    end: date
    kind: str  # "by" | "during" | "ongoing" | "year"

    def to_dict(self) -> dict:
        return {
            "text": self.text,
            "start": self.start.isoformat(),
            "end": self.end.isoformat(),
            "kind": self.kind,
        }


@dataclass
class Responsibility:
    """The units a responsibility clause names, as written (not yet matched to the directory).

    ``clause`` is verbatim from the document; ``lead`` the units named as 牵头,
    ``co`` every other unit it names; ``form`` where it stood: "inline" (at the
    end of the measure), "line" (on a line of its own after the measure) or
    "table" (the unit cells of a 任务分解表 row).
    """

    clause: str
    lead: list[str] = field(default_factory=list)
    co: list[str] = field(default_factory=list)
    form: str = "inline"

    def to_dict(self) -> dict:
        return {"clause": self.clause, "lead": list(self.lead), "co": list(self.co), "form": self.form}


@dataclass
class Measure:
    id: str
    text: str
    targets: list[Target] = field(default_factory=list)
    deadline: Deadline | None = None
    programmes: list[str] = field(default_factory=list)
    responsibility: Responsibility | None = None

    @property
    def has_target(self) -> bool:
        return bool(self.targets)

    def to_dict(self) -> dict:
        return {
            "id": self.id,
            "text": self.text,
            "targets": [t.to_dict() for t in self.targets],
            "deadline": self.deadline.to_dict() if self.deadline else None,
            "programmes": list(self.programmes),
            "has_target": self.has_target,
            "responsibility": self.responsibility.to_dict() if self.responsibility else None,
        }


@dataclass
class Section:
    id: str
    level: int
    label: str
    title: str
    intro: str = ""
    measures: list[Measure] = field(default_factory=list)
    sections: list[Section] = field(default_factory=list)
    # An appendix (附件, 名词解释, a task table) kept apart from the plan's
    # tree, with its source lines so that a table reader sees the cell breaks.
    appendix: bool = False
    lines: list[str] = field(default_factory=list)

    def walk(self):
        """This section and every section below it, depth first."""
        yield self
        for child in self.sections:
            yield from child.walk()

    def to_dict(self) -> dict:
        return {
            "id": self.id,
            "level": self.level,
            "label": self.label,
            "title": self.title,
            "intro": self.intro,
            "measures": [m.to_dict() for m in self.measures],
            "sections": [s.to_dict() for s in self.sections],
            **({"appendix": True, "lines": list(self.lines)} if self.appendix else {}),
        }


@dataclass
class Programme:
    name: str
    text: str
    measure_ids: list[str] = field(default_factory=list)

    def to_dict(self) -> dict:
        return {"name": self.name, "text": self.text, "measure_ids": list(self.measure_ids)}


@dataclass
class Outline:
    title: str
    author: str
    preamble: str
    closing: str
    year: int
    sections: list[Section] = field(default_factory=list)
    programmes: list[Programme] = field(default_factory=list)
    warnings: list[ParseWarning] = field(default_factory=list)
    source_format: str = "txt"
    encoding: str = ""
    # Not part of the plan's tree: walk() and measures() do not visit them.
    appendices: list[Section] = field(default_factory=list)

    def walk(self):
        for section in self.sections:
            yield from section.walk()

    def measures(self):
        for section in self.walk():
            yield from section.measures

    def to_dict(self) -> dict:
        return {
            "title": self.title,
            "author": self.author,
            "preamble": self.preamble,
            "closing": self.closing,
            "year": self.year,
            "source_format": self.source_format,
            "encoding": self.encoding,
            "sections": [s.to_dict() for s in self.sections],
            "appendices": [s.to_dict() for s in self.appendices],
            "programmes": [p.to_dict() for p in self.programmes],
            "warnings": [w.to_dict() for w in self.warnings],
        }
