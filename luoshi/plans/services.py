"""Writes to plans and tasks: importing a plan, re-importing a revision, editing tasks.

Every function here runs in one transaction and records what it changed in
the audit log, so a failure leaves the database as it was and every change
can be traced to a person.
"""
from __future__ import annotations

import copy
import hashlib
import re
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any, Callable

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max, Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from luoshi.accounts.models import Unit
from luoshi.accounts.unitnames import UnitNameIndex, units_match
from luoshi.audit.models import AuditEntry
from luoshi.audit.selectors import audit_entries_for
from luoshi.audit.services import audit_record
from luoshi.bounds import decimal_value, text_value, values_check
from luoshi.bulk import rows_update
from luoshi.parsing import ParseError, facts, parse_bytes
from luoshi.plans import workdays
from luoshi.plans.models import (
    Indicator,
    Measure,
    Milestone,
    Plan,
    PlanSource,
    Programme,
    Section,
    Task,
    UnitCorrection,
)
from luoshi.plans.suggest import UnitSuggester, unit_correction_record

# Target kinds the parser reports that can be tracked as a number.
QUANTITY_TARGET_KINDS = {"quantity"}

SEED_PLAN_NAME = "南湖全力争当弘扬红船精神排头兵"
SEED_PLAN_FILE = Path(__file__).parent / "data" / "seed-nanhu-2018.txt"


class PlanImportError(Exception):
    """The document cannot become a plan; the message names the problem for the user."""


class StaleEdit(Exception):
    """Someone saved the task after the editor loaded it."""

    def __init__(self, task: Task, last_change: AuditEntry | None):
        self.task = task
        self.last_change = last_change
        who = last_change.actor if last_change and last_change.actor else _("someone")
        super().__init__(_("This task was changed by %(who)s after you opened it.") % {"who": who})


# ---------------------------------------------------------------- parsing

def text_key(text: str) -> str:
    """How a measure is recognised across versions: its text with all whitespace removed, hashed."""
    return hashlib.sha256(re.sub(r"\s+", "", text).encode("utf-8")).hexdigest()


def outline_parse(*, content: bytes, filename: str, year: int | None) -> dict[str, Any]:
    """The parser's outline as a dict, or PlanImportError naming what is wrong with the file."""
    if not content:
        raise PlanImportError(_("The file %(name)s is empty.") % {"name": filename})
    try:
        outline = parse_bytes(content, filename=filename, year=year).to_dict()
    except ParseError as exc:
        raise PlanImportError(_("%(name)s could not be read as a plan: %(error)s") % {"name": filename, "error": exc})
    if not any(True for _section, _measure in outline_measures(outline)):
        raise PlanImportError(_("No measures were found in %(name)s.") % {"name": filename})
    return outline


def outline_sections(outline: dict) -> list[tuple[dict, dict | None]]:
    """Every section of the outline in document order, with its parent section; appendices last."""
    found: list[tuple[dict, dict | None]] = []

    def walk(sections: list[dict], parent: dict | None) -> None:
        for section in sections:
            found.append((section, parent))
            walk(section.get("sections", []), section)

    walk(outline.get("sections", []), None)
    walk(outline.get("appendices", []), None)
    return found


def outline_appendix_ids(outline: dict) -> set[str]:
    """Ids of the sections that are an appendix (附件) or sit inside one."""
    ids: set[str] = set()

    def walk(sections: list[dict], inside: bool) -> None:
        for section in sections:
            flagged = inside or bool(section.get("appendix"))
            if flagged:
                ids.add(section["id"])
            walk(section.get("sections", []), flagged)

    walk(outline.get("sections", []), False)
    walk(outline.get("appendices", []), True)
    return ids


def outline_measures(outline: dict) -> list[tuple[dict, dict]]:
    """Every measure of the outline in document order, with its section."""
    return [(section, m) for section, _parent in outline_sections(outline) for m in section.get("measures", [])]


def _iso(value) -> date | None:
    if value is None or isinstance(value, date):
        return value
    return date.fromisoformat(value)


# ---------------------------------------------------------------- proposals

# Measures shorter or longer than this are probably a heading, a fragment or several measures run together.
MEASURE_MIN_CHARS = 8
MEASURE_MAX_CHARS = 300


@dataclass(frozen=True)
class StatedUnit:
    """A unit named by the plan's own clause (or chosen on the preview); shown where a suggestion would be."""

    unit_id: int
    unit_code: str
    unit_name: str
    written: str

    @property
    def matched(self) -> list[str]:
        return [self.written]


@dataclass
class TaskProposal:
    """What the import will create for one measure, shown on the preview before anything is saved."""

    section: dict
    measure: dict
    lead: Any  # UnitScore | StatedUnit | None
    co: list = field(default_factory=list)  # list[UnitScore | StatedUnit]
    due_date: date | None = None
    # Where the units came from: "text" (the plan's clause), "chosen" (on the preview) or "suggested".
    source: str = "suggested"
    reason: str = ""
    unit_text: str = ""
    unmatched: list[dict] = field(default_factory=list)  # {"name", "reason"}
    placeholders: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    @property
    def has_target(self) -> bool:
        return bool(self.measure.get("has_target"))

    @property
    def stated(self) -> bool:
        return self.source == "text"

    @property
    def sentences(self) -> list[str]:
        return measure_sentences(self.measure.get("text", ""))


@dataclass
class ImportPreview:
    outline: dict
    proposals: list[TaskProposal]
    warnings: list[str]
    # The parser's warnings about one section, shown next to it: section id → messages.
    section_warnings: dict[str, list[str]] = field(default_factory=dict)

    @property
    def measure_count(self) -> int:
        return len(self.proposals)

    @property
    def flagged_count(self) -> int:
        return sum(1 for p in self.proposals if p.warnings)

    def proposal_for(self, measure_id: str) -> TaskProposal:
        return self._by_id[measure_id]

    def __post_init__(self):
        self._by_id = {p.measure["id"]: p for p in self.proposals}


def _stated(match) -> StatedUnit:
    unit = match.unit
    return StatedUnit(unit_id=unit.pk, unit_code=unit.code, unit_name=unit.name, written=match.name)


def _units_from_clause(responsibility: dict, index: UnitNameIndex) -> dict | None:
    """The clause's lead and co-units matched to the directory, or None when it names no unit at all.

    A clause without 牵头 makes the first listed unit the lead, and says so; a
    name that matches nothing is kept with the reason, never swapped for a guess.
    """
    leads = units_match(responsibility.get("lead") or [], index)
    cos = units_match(responsibility.get("co") or [], index)
    named = [m for m in leads + cos if not m.placeholder]
    if not named:
        return None
    clause = (responsibility.get("clause") or "").strip()
    # A task table's unit cells come as lines with blank lines between them: one line reads better.
    reason = _("As written: %(clause)s") % {"clause": re.sub(r"\s*\n\s*", "／", clause)}
    lead = next((m for m in leads if m.matched), None)
    rest = [m for m in leads if m is not lead] + cos
    if not leads:
        # The first unit listed leads; when that name matches no unit the lead stays open (and the name
        # is flagged) rather than passing to whoever is listed second.
        first = next((m for m in cos if not m.placeholder), None)
        if first is not None and first.matched:
            lead, rest = first, [m for m in cos if m is not first]
            reason += _(" (no lead unit named: %(unit)s, listed first, is proposed as lead)") % {"unit": first.name}
    co: dict[int, StatedUnit] = {}
    for m in rest:
        if m.matched and (lead is None or m.unit.pk != lead.unit.pk):
            co.setdefault(m.unit.pk, _stated(m))
    return {
        "lead": _stated(lead) if lead else None,
        "co": list(co.values()),
        "reason": reason,
        "unit_text": clause[:500],
        "unmatched": [{"name": m.name, "reason": m.reason} for m in named if not m.matched],
        "placeholders": [m.name for m in leads + cos if m.placeholder],
    }


def _units_chosen(choice: dict, units_by_id: dict) -> dict:
    lead = units_by_id.get(choice.get("lead"))
    co = [units_by_id[pk] for pk in choice.get("co", []) if pk in units_by_id and (lead is None or pk != lead.pk)]

    def as_stated(unit):
        return StatedUnit(unit_id=unit.pk, unit_code=unit.code, unit_name=unit.name, written=unit.name)

    return {"lead": as_stated(lead) if lead else None, "co": [as_stated(u) for u in co],
            "reason": _("Chosen on the preview")}


def measure_warnings(*, measure: dict, unmatched: list[dict], due_chosen: bool) -> list[str]:
    """What a clerk should check about one measure before saving: shown next to it."""
    warnings = []
    length = len(re.sub(r"\s+", "", measure.get("text", "")))
    if length < MEASURE_MIN_CHARS:
        warnings.append(_("Only %(count)s characters: perhaps a heading or a fragment of a sentence.") % {"count": length})
    elif length > MEASURE_MAX_CHARS:
        warnings.append(_("%(count)s characters: perhaps several measures run together; split it.") % {"count": length})
    if not measure.get("deadline") and not due_chosen:
        warnings.append(_("No deadline in the text: due at the end of the plan year."))
    for name in unmatched:
        warnings.append(_("“%(name)s” matches no unit: %(reason)s It is kept as text; choose the unit here or after import.")
                        % {"name": name["name"], "reason": name["reason"]})
    return warnings


def task_proposals(*, measures: list[tuple[dict, dict]], year: int, suggester: UnitSuggester | None = None,
                   units: list | None = None):
    """Lead unit, co-units and due date for each (section, measure) pair, plus calendar warnings.

    Units come from, in this order: the clerk's choice on the preview, the
    plan's own responsibility clause, and only when the text names no unit,
    the suggester.
    """
    units = list(Unit.objects.filter(is_active=True)) if units is None else units
    index = UnitNameIndex(units)
    units_by_id = {u.pk: u for u in units}
    proposals, warnings = [], []
    for section, measure in measures:
        responsibility = measure.get("responsibility") or {}
        stated = _units_from_clause(responsibility, index) if responsibility else None
        if measure.get("units") is not None:
            chosen = _units_chosen(measure["units"], units_by_id)
            source = "chosen"
        elif stated is not None:
            chosen, source = stated, "text"
        else:
            suggester = suggester or UnitSuggester.from_db()
            suggestions = suggester.suggest(measure["text"], programmes=list(measure.get("programmes", [])))
            # The suggester already keeps only co-units scoring near the lead.
            chosen = {"lead": suggestions.lead[0] if suggestions.lead else None, "co": list(suggestions.co),
                      "reason": ""}
            source = "suggested"
        deadline = measure.get("deadline") or {}
        if measure.get("due_date"):
            due = _iso(measure["due_date"])
        else:
            due, warning = workdays.due_date_for(deadline_end=_iso(deadline.get("end")), plan_year=year)
            if warning and warning not in warnings:
                warnings.append(warning)
        unmatched = (stated or {}).get("unmatched", [])
        proposals.append(TaskProposal(
            section=section, measure=measure, lead=chosen["lead"], co=chosen["co"], due_date=due, source=source,
            reason=chosen["reason"],
            unit_text=(stated or {}).get("unit_text") or (responsibility.get("clause") or "").strip()[:500],
            unmatched=unmatched,
            placeholders=(stated or {}).get("placeholders", []),
            warnings=measure_warnings(measure=measure, unmatched=[] if source == "chosen" else unmatched,
                                      due_chosen=bool(measure.get("due_date"))),
        ))
    return proposals, warnings


def outline_preview(*, outline: dict, year: int) -> ImportPreview:
    """The proposals and warnings for an outline already parsed (and perhaps corrected on the preview)."""
    proposals, warnings = task_proposals(measures=outline_measures(outline), year=year)
    # The parser's warnings are {code, message, section_id, context}: those about one section show next to it.
    section_ids = {s["id"] for s, _parent in outline_sections(outline)}
    general, by_section = [], {}
    for w in outline.get("warnings", []):
        if w.get("section_id") in section_ids:
            by_section.setdefault(w["section_id"], []).append(w["message"])
        else:
            general.append(w["message"])
    return ImportPreview(outline=outline, proposals=proposals, warnings=general + warnings, section_warnings=by_section)


def plan_preview(*, content: bytes, filename: str, year: int) -> ImportPreview:
    """Parse and propose without saving anything: what the supervisor confirms."""
    return outline_preview(outline=outline_parse(content=content, filename=filename, year=year), year=year)


# ---------------------------------------------------------------- preview corrections
# The clerk corrects the parsed outline before anything is saved. Each edit
# takes the outline dict (as staged beside the uploaded file) and returns a
# corrected copy; measure ids are renumbered afterwards, so a page always
# posts ids of the outline it showed.

_SENTENCE_END = re.compile(r"(?<=[。；！？])")


class OutlineEditError(Exception):
    """The correction cannot be applied; the message says why, in the user's language."""


def _measure_locate(outline: dict, measure_id: str) -> tuple[dict, int]:
    for section, _parent in outline_sections(outline):
        for position, measure in enumerate(section.get("measures", [])):
            if measure["id"] == measure_id:
                return section, position
    raise OutlineEditError(_("Measure %(id)s is no longer in the preview; reload the page.") % {"id": measure_id})


def _measure_facts(measure: dict, year: int) -> dict:
    """Targets and deadline read again from the measure's (edited) text."""
    found = facts.targets(measure["text"])
    due = facts.deadline(measure["text"], year)
    measure["targets"] = [t.to_dict() for t in found]
    measure["has_target"] = bool(found)
    if not measure.get("due_date"):
        measure["deadline"] = due.to_dict() if due else None
    return measure


def _renumber(outline: dict) -> dict:
    for section, _parent in outline_sections(outline):
        for number, measure in enumerate(section.get("measures", []), start=1):
            measure["id"] = f"{section['id']}.{number}"
    return outline


def measure_sentences(text: str) -> list[str]:
    """The sentences a measure can be split between, ending in 。；！？."""
    return [part for part in _SENTENCE_END.split(text) if part.strip()]


def outline_measure_edit(*, outline: dict, measure_id: str, year: int, text: str | None = None,
                         lead_unit_id: int | None = None, co_unit_ids: list[int] | None = None,
                         units_chosen: bool = False, due_date: date | None = None) -> dict:
    """Change a measure's text, its units (chosen from the directory) or its due date."""
    outline = copy.deepcopy(outline)
    section, position = _measure_locate(outline, measure_id)
    measure = section["measures"][position]
    if text is not None:
        text = text.strip()
        if not text:
            raise OutlineEditError(_("A measure needs some text; drop it instead."))
        measure["text"] = text
    if units_chosen:
        measure["units"] = {"lead": lead_unit_id, "co": [pk for pk in co_unit_ids or [] if pk != lead_unit_id]}
    if due_date is not None:
        if not 2000 <= due_date.year <= 2100:
            raise OutlineEditError(_("%(date)s is not a plausible due date.") % {"date": due_date.isoformat()})
        measure["due_date"] = due_date.isoformat()
    _measure_facts(measure, year)
    return _renumber(outline)


def outline_measure_merge(*, outline: dict, measure_id: str, year: int) -> dict:
    """Join a measure onto the one above it (in document order); the upper one keeps its units and deadline
    unless it had none."""
    outline = copy.deepcopy(outline)
    ordered = outline_measures(outline)
    index = next((i for i, (_s, m) in enumerate(ordered) if m["id"] == measure_id), None)
    if index is None:
        _measure_locate(outline, measure_id)
    if index == 0:
        raise OutlineEditError(_("The first measure has no measure above it to merge with."))
    upper_section, upper = ordered[index - 1]
    section, lower = ordered[index]
    upper["text"] = upper["text"] + lower["text"]
    for key in ("responsibility", "units", "due_date"):
        if not upper.get(key) and lower.get(key):
            upper[key] = lower[key]
    upper["programmes"] = list(dict.fromkeys(upper.get("programmes", []) + lower.get("programmes", [])))
    section["measures"].remove(lower)
    _measure_facts(upper, year)
    return _renumber(outline)


def outline_measure_split(*, outline: dict, measure_id: str, at: int, year: int) -> dict:
    """Cut a measure after its ``at``-th sentence into two; the clause and chosen units stay with both."""
    outline = copy.deepcopy(outline)
    section, position = _measure_locate(outline, measure_id)
    measure = section["measures"][position]
    sentences = measure_sentences(measure["text"])
    if not 1 <= at < len(sentences):
        raise OutlineEditError(_("Choose a sentence to split after; the measure has %(count)s.")
                               % {"count": len(sentences)})
    second = copy.deepcopy(measure)
    measure["text"], second["text"] = "".join(sentences[:at]).strip(), "".join(sentences[at:]).strip()
    section["measures"].insert(position + 1, second)
    _measure_facts(measure, year)
    _measure_facts(second, year)
    return _renumber(outline)


def outline_measure_drop(*, outline: dict, measure_id: str) -> dict:
    """Leave a measure out of the import (signature lines, addressees, stray fragments)."""
    outline = copy.deepcopy(outline)
    section, position = _measure_locate(outline, measure_id)
    del section["measures"][position]
    return _renumber(outline)


def outline_measure_to_heading(*, outline: dict, measure_id: str) -> dict:
    """Make a measure a heading one level down: the measures after it in its section move under it."""
    outline = copy.deepcopy(outline)
    section, position = _measure_locate(outline, measure_id)
    measure = section["measures"][position]
    taken = {s["id"] for s, _parent in outline_sections(outline)}
    number = 1
    while f"{section['id']}.h{number}" in taken:
        number += 1
    title = measure["text"].strip().rstrip("。；")
    label = ""
    numbered = re.match(r"^\s*([（(]?[一二三四五六七八九十\d]+[）)、.．]?)\s*(.+)$", title)
    if numbered and numbered.group(1)[-1] in "）)、.．":
        label, title = numbered.group(1), numbered.group(2)
    heading = {
        "id": f"{section['id']}.h{number}",
        "level": (section.get("level") or 1) + 1,
        "label": label[:40],
        "title": title[:500],
        "intro": "",
        "measures": section["measures"][position + 1:],
        "sections": [],
    }
    if section.get("appendix"):
        heading["appendix"] = True
    section["measures"] = section["measures"][:position]
    section.setdefault("sections", []).insert(0, heading)
    return _renumber(outline)


# ---------------------------------------------------------------- import

def _section_fields(section: dict, position: int, appendix_ids: set[str] = frozenset()) -> dict:
    return {
        "is_appendix": section["id"] in appendix_ids,
        "number": section["id"],
        "level": section.get("level") or 1,
        "label": section.get("label", "")[:40],
        "title": section.get("title", "")[:500],
        "intro": section.get("intro", ""),
        "position": position,
    }


def _measure_fields(measure: dict, position: int) -> dict:
    deadline = measure.get("deadline") or {}
    return {
        "number": measure["id"],
        "text": measure["text"],
        "text_key": text_key(measure["text"]),
        "position": position,
        "targets": measure.get("targets", []),
        "has_target": bool(measure.get("has_target")),
        "deadline_text": (deadline.get("text") or "")[:100],
        "deadline_start": _iso(deadline.get("start")),
        "deadline_end": _iso(deadline.get("end")),
    }


def _programmes_save(*, plan: Plan, outline: dict) -> dict[str, Programme]:
    by_name = {p.name: p for p in plan.programmes.all()}
    for entry in outline.get("programmes", []):
        if entry["name"] not in by_name:
            by_name[entry["name"]] = Programme.objects.create(
                plan=plan, name=entry["name"][:100], text=(entry.get("text") or "")[:200]
            )
    return by_name


def _task_create(*, plan: Plan, measure: Measure, proposal: TaskProposal, programmes: list[Programme], actor) -> Task:
    task = Task.objects.create(
        plan=plan,
        measure=measure,
        position=0,
        title=measure.text[:500],
        lead_unit_id=proposal.lead.unit_id if proposal.lead else None,
        suggested_lead_unit_id=proposal.lead.unit_id if proposal.lead else None,
        suggested_co_units=[s.unit_id for s in proposal.co],
        start_date=measure.deadline_start,
        due_date=proposal.due_date,
        unit_text=proposal.unit_text,
        unmatched_units=[u["name"] for u in proposal.unmatched],
    )
    task.co_units.set([s.unit_id for s in proposal.co])
    task.programmes.set(programmes)
    for position, target in enumerate(t for t in measure.targets if t.get("kind") in QUANTITY_TARGET_KINDS):
        Indicator.objects.create(
            task=task,
            name=target.get("text", "")[:200],
            unit=(target.get("unit") or "")[:30],
            target=_decimal_or_none(target.get("value")),
            target_text=target.get("text", "")[:200],
            position=position,
        )
    audit_record(actor=actor, action="task.create", obj=task, after=task_snapshot(task))
    return task


def _decimal_or_none(value) -> Decimal | None:
    """A parsed target as the indicator's number; one the column cannot hold stays only in the text."""
    if value is None or value == "":
        return None
    try:
        return decimal_value(value, field=Indicator._meta.get_field("target"))
    except ValidationError:
        return None


def _source_save(*, plan: Plan, version: int, filename: str, content: bytes, outline: dict, actor) -> PlanSource:
    return PlanSource.objects.create(
        plan=plan,
        version=version,
        filename=filename[:255],
        content=content,
        sha256=hashlib.sha256(content).hexdigest(),
        outline=outline,
        uploaded_by=actor if getattr(actor, "is_authenticated", False) else None,
    )


def plan_import(*, name: str, year: int, filename: str, content: bytes, actor, issuing_body: str = "",
                outline: dict | None = None) -> Plan:
    """Parse a plan document and save it with one proposed task per measure, all or nothing.

    ``outline`` is the document's outline as corrected on the preview; the
    file itself is still stored verbatim as the plan's first source.
    """
    name = (name or "").strip()
    if not name:
        raise PlanImportError(_("The plan needs a name."))
    try:
        text_value(name, field=Plan._meta.get_field("name"), label=_("Plan name"))
        text_value(issuing_body.strip(), field=Plan._meta.get_field("issuing_body"), label=_("Issuing body"))
    except ValidationError as error:
        raise PlanImportError(error.messages[0]) from None
    if not 2000 <= int(year) <= 2100:
        raise PlanImportError(_("%(year)s is not a plausible plan year.") % {"year": year})
    if outline is None:
        preview = plan_preview(content=content, filename=filename, year=year)
    else:
        preview = outline_preview(outline=outline, year=year)
    outline = preview.outline
    if not preview.proposals:
        raise PlanImportError(_("No measures are left to import."))
    with transaction.atomic():
        plan = Plan.objects.create(
            name=name,
            year=year,
            issuing_body=issuing_body.strip(),
            author=(outline.get("author") or "")[:100],
            preamble=outline.get("preamble") or "",
            closing=outline.get("closing") or "",
            created_by=actor if getattr(actor, "is_authenticated", False) else None,
        )
        _source_save(plan=plan, version=1, filename=filename, content=content, outline=outline, actor=actor)
        programmes = _programmes_save(plan=plan, outline=outline)
        sections: dict[str, Section] = {}
        appendix_ids = outline_appendix_ids(outline)
        for position, (section, parent) in enumerate(outline_sections(outline)):
            sections[section["id"]] = Section.objects.create(
                plan=plan, parent=sections[parent["id"]] if parent else None,
                **_section_fields(section, position, appendix_ids),
            )
        for position, proposal in enumerate(preview.proposals):
            measure = Measure.objects.create(
                plan=plan, section=sections[proposal.section["id"]], **_measure_fields(proposal.measure, position)
            )
            tags = [programmes[n] for n in proposal.measure.get("programmes", []) if n in programmes]
            measure.programmes.set(tags)
            _task_create(plan=plan, measure=measure, proposal=proposal, programmes=tags, actor=actor)
        audit_record(
            actor=actor,
            action="plan.import",
            obj=plan,
            after={"name": plan.name, "year": plan.year, "file": filename, "measures": len(preview.proposals)},
        )
    return plan


def demo_plan_load(*, actor=None) -> Plan | None:
    """Import the built-in Nanhu 2018 plan unless a plan of that name exists; returns it when imported."""
    if Plan.objects.filter(name=SEED_PLAN_NAME).exists():
        return None
    return plan_import(
        name=SEED_PLAN_NAME,
        year=2018,
        filename=SEED_PLAN_FILE.name,
        content=SEED_PLAN_FILE.read_bytes(),
        actor=actor,
        issuing_body="中共嘉兴市南湖区委",
    )


# ---------------------------------------------------------------- re-import

@dataclass
class PlanDiff:
    """How a revised document differs from the plan's current measures, by measure text."""

    version: int
    added: list[tuple[dict, dict]] = field(default_factory=list)  # (section, measure) of the new outline
    removed: list[Measure] = field(default_factory=list)
    changed: list[tuple[Measure, dict, dict]] = field(default_factory=list)  # old, new section, new measure
    unchanged: list[tuple[Measure, dict, dict]] = field(default_factory=list)
    outline: dict = field(default_factory=dict)
    applied: bool = False

    @property
    def is_empty(self) -> bool:
        return not (self.added or self.removed or self.changed)


def plan_diff(*, plan: Plan, outline: dict) -> PlanDiff:
    """Unchanged = same text (ignoring whitespace); changed = different text at the same number."""
    current = list(plan.measures.filter(removed_in_version__isnull=True).order_by("position"))
    version = (plan.sources.aggregate(v=Max("version"))["v"] or 0) + 1
    diff = PlanDiff(version=version, outline=outline)
    by_key: dict[str, Measure] = {}
    for measure in current:
        by_key.setdefault(measure.text_key, measure)
    matched: set[int] = set()
    unmatched_new = []
    for section, new in outline_measures(outline):
        old = by_key.get(text_key(new["text"]))
        if old is not None and old.pk not in matched:
            matched.add(old.pk)
            diff.unchanged.append((old, section, new))
        else:
            unmatched_new.append((section, new))
    unmatched_old = {m.number: m for m in current if m.pk not in matched}
    for section, new in unmatched_new:
        old = unmatched_old.pop(new["id"], None)
        if old is not None:
            diff.changed.append((old, section, new))
        else:
            diff.added.append((section, new))
    diff.removed = list(unmatched_old.values())
    return diff


def plan_reimport(*, plan: Plan, filename: str, content: bytes, actor, dry_run: bool) -> PlanDiff:
    """Compare a revised document with the plan; unless ``dry_run``, apply it as a new source version.

    Tasks of unchanged and changed measures keep their ids and history;
    removed measures are marked removed with their tasks kept; added
    measures get new tasks with suggested units.
    """
    outline = outline_parse(content=content, filename=filename, year=plan.year)
    if dry_run:
        _identical_refuse(plan=plan, filename=filename, content=content)
        return plan_diff(plan=plan, outline=outline)
    with transaction.atomic():
        # Two supervisors confirming at once: the second waits here, then
        # compares against what the first saved.
        plan = Plan.objects.select_for_update().get(pk=plan.pk)
        _identical_refuse(plan=plan, filename=filename, content=content)
        diff = plan_diff(plan=plan, outline=outline)
        proposals, _warnings = task_proposals(measures=diff.added, year=plan.year)
        _source_save(plan=plan, version=diff.version, filename=filename, content=content, outline=outline, actor=actor)
        programmes = _programmes_save(plan=plan, outline=outline)
        sections = _sections_update(plan=plan, outline=outline)
        positions = {new["id"]: i for i, (_s, new) in enumerate(outline_measures(outline))}
        for old, section, new in diff.unchanged:
            old.section = sections[section["id"]]
            old.number = new["id"]
            old.position = positions[new["id"]]
            old.save(update_fields=["section", "number", "position"])
        for old, section, new in diff.changed:
            _measure_revise(measure=old, section=sections[section["id"]], new=new, position=positions[new["id"]],
                            programmes=programmes, version=diff.version, actor=actor)
        for old in diff.removed:
            old.removed_in_version = diff.version
            old.save(update_fields=["removed_in_version"])
            audit_record(actor=actor, action="measure.remove", obj=old, note=f"v{diff.version}")
        for proposal in proposals:
            new = proposal.measure
            measure = Measure.objects.create(
                plan=plan, section=sections[proposal.section["id"]], **_measure_fields(new, positions[new["id"]])
            )
            tags = [programmes[n] for n in new.get("programmes", []) if n in programmes]
            measure.programmes.set(tags)
            _task_create(plan=plan, measure=measure, proposal=proposal, programmes=tags, actor=actor)
        audit_record(
            actor=actor,
            action="plan.reimport",
            obj=plan,
            after={
                "version": diff.version,
                "file": filename,
                "added": len(diff.added),
                "removed": len(diff.removed),
                "changed": len(diff.changed),
            },
        )
    diff.applied = True
    return diff


def _identical_refuse(*, plan: Plan, filename: str, content: bytes) -> None:
    current = plan.current_source
    if current is not None and current.sha256 == hashlib.sha256(content).hexdigest():
        raise PlanImportError(
            _("%(name)s is identical to version %(version)s of this plan.")
            % {"name": filename, "version": current.version}
        )


def _sections_update(*, plan: Plan, outline: dict) -> dict[str, Section]:
    """Make the plan's sections match the outline; sections still holding (removed) measures stay."""
    existing = {s.number: s for s in plan.sections.all()}
    result: dict[str, Section] = {}
    appendix_ids = outline_appendix_ids(outline)
    for position, (section, parent) in enumerate(outline_sections(outline)):
        values = _section_fields(section, position, appendix_ids)
        values["parent"] = result[parent["id"]] if parent else None
        row = existing.pop(section["id"], None)
        if row is None:
            row = Section.objects.create(plan=plan, **values)
        else:
            for name, value in values.items():
                setattr(row, name, value)
            row.save()
        result[section["id"]] = row
    for leftover in sorted(existing.values(), key=lambda s: -s.level):
        if not leftover.measures.exists() and not leftover.children.exists():
            leftover.delete()
    return result


def _measure_revise(*, measure: Measure, section: Section, new: dict, position: int, programmes, version: int, actor):
    before = {"text": measure.text, "number": measure.number}
    old_text = measure.text
    for name, value in _measure_fields(new, position).items():
        setattr(measure, name, value)
    measure.section = section
    measure.save()
    measure.programmes.set([programmes[n] for n in new.get("programmes", []) if n in programmes])
    audit_record(actor=actor, action="measure.revise", obj=measure, before=before,
                 after={"text": measure.text, "number": measure.number}, note=f"v{version}")
    # A title nobody shortened yet is still the sentence: follow the revision.
    for task in measure.tasks.filter(title=old_text[:500]):
        task_update(task=task, actor=actor, changes={"title": measure.text[:500]}, expected_version=task.version)


# ---------------------------------------------------------------- task edits

TASK_FIELDS = ("title", "description", "lead_unit", "co_units", "supervising_leader", "start_date", "due_date",
               "weight", "programmes", "milestones", "indicators")


def task_snapshot(task: Task) -> dict[str, Any]:
    """The task's editable state as plain JSON, for audit before/after and change detection."""
    return {
        "title": task.title,
        "description": task.description,
        "lead_unit": task.lead_unit.name if task.lead_unit_id else None,
        "co_units": sorted(u.name for u in task.co_units.all()),
        "supervising_leader": task.supervising_leader,
        "start_date": task.start_date.isoformat() if task.start_date else None,
        "due_date": task.due_date.isoformat() if task.due_date else None,
        "weight": str(task.weight.normalize()) if task.weight is not None else None,
        "programmes": sorted(p.name for p in task.programmes.all()),
        "milestones": [{"title": m.title, "due_date": m.due_date.isoformat()} for m in task.milestones.all()],
        "indicators": [
            {
                "name": i.name,
                "unit": i.unit,
                "baseline": _dec_str(i.baseline),
                "target": _dec_str(i.target),
            }
            for i in task.indicators.all()
        ],
    }


def _dec_str(value: Decimal | None) -> str | None:
    return None if value is None else format(value.normalize(), "f")


def _task_validate(changes: dict) -> None:
    errors: dict[str, list[str]] = {}
    unknown = set(changes) - set(TASK_FIELDS)
    if unknown:
        raise ValueError(f"not editable task fields: {sorted(unknown)}")
    scalars = {name: value for name, value in changes.items() if name not in ("milestones", "indicators")}
    errors.update(values_check(Task, scalars, labels=_task_labels()))
    if "title" in changes and not (changes["title"] or "").strip():
        errors.setdefault("title", []).append(_("A task needs a title."))
    if "weight" in changes and "weight" not in errors and (
        changes["weight"] is None or Decimal(changes["weight"]) < 0
    ):
        errors.setdefault("weight", []).append(_("The weight must be zero or more."))
    start, due = changes.get("start_date"), changes.get("due_date")
    if start and due and start > due:
        errors.setdefault("due_date", []).append(_("The due date is before the start date."))
    for row in changes.get("milestones", []):
        if not (row.get("title") or "").strip() or not row.get("due_date"):
            errors.setdefault("milestones", []).append(_("Every milestone needs a title and a date."))
            break
    for row in changes.get("indicators", []):
        if not (row.get("name") or "").strip():
            errors.setdefault("indicators", []).append(_("Every indicator needs a name."))
            break
    for field, model, labels in (
        ("milestones", Milestone, {"title": _("Milestone")}),
        ("indicators", Indicator, _indicator_labels()),
    ):
        for row in changes.get(field, []):
            for messages in values_check(model, row, labels=labels).values():
                errors.setdefault(field, []).extend(m for m in messages if m not in errors.get(field, []))
    lead, co = changes.get("lead_unit"), changes.get("co_units") or []
    if lead is not None and any(u.pk == lead.pk for u in co):
        errors.setdefault("co_units", []).append(_("The lead unit cannot also be a co-unit."))
    if errors:
        raise ValidationError(errors)


def _task_labels() -> dict[str, str]:
    return {
        "title": _("Task"),
        "description": _("Description"),
        "supervising_leader": _("Supervising leader"),
        "weight": _("Weight"),
    }


def _indicator_labels() -> dict[str, str]:
    return {
        "name": _("Indicator"),
        "unit": _("Unit of measure"),
        "baseline": _("Baseline"),
        "target": _("Target"),
        "target_text": _("Target"),
    }


def _milestone_values(row: dict, position: int) -> dict:
    return {"title": row["title"].strip(), "due_date": row["due_date"], "position": position}


def _indicator_values(row: dict, position: int) -> dict:
    return {
        "name": row["name"].strip(),
        "unit": (row.get("unit") or "").strip(),
        "baseline": row.get("baseline"),
        "target": row.get("target"),
        "target_text": (row.get("target_text") or "").strip(),
        "position": position,
    }


@dataclass(frozen=True)
class _RowKind:
    """Milestones or indicators as an edit sends them: rows with the id of an existing row, or new ones."""

    field: str
    name_field: str  # what the refusal calls the row by
    values: Callable[[dict, int], dict]  # (row, position) -> the model's field values
    # The relation through which tracking records progress against a row:
    # reached milestones and indicator actuals.
    progress: str
    refusal: str  # names the row; a row with progress may not be removed


_ROW_KINDS = (
    _RowKind("milestones", "title", _milestone_values, "reached_in",
             gettext_lazy("Milestone “%(name)s” already has progress recorded and cannot be removed.")),
    _RowKind("indicators", "name", _indicator_values, "actuals",
             gettext_lazy("Indicator “%(name)s” already has progress recorded and cannot be removed.")),
)


def _rows_check(task: Task, changes: dict) -> None:
    """Refuse ids of rows that are not the task's, and removing a row that has progress recorded.

    Tracking's indicator actuals and reached milestones point at these rows
    and go with them, so removing one would silently drop progress history.
    """
    errors: dict[str, list[str]] = {}
    for kind in _ROW_KINDS:
        if kind.field not in changes:
            continue
        manager = getattr(task, kind.field)
        existing = {row.pk: row for row in manager.all()}
        ids = [row["id"] for row in changes[kind.field] if row.get("id") is not None]
        if any(pk not in existing for pk in ids) or len(ids) != len(set(ids)):
            errors.setdefault(kind.field, []).append(_("A row that is not one of this task's was given."))
            continue
        removed = [pk for pk in existing if pk not in ids]
        recorded = manager.filter(pk__in=removed, **{f"{kind.progress}__isnull": False}).values_list("pk", flat=True)
        for pk in sorted(set(recorded)):
            errors.setdefault(kind.field, []).append(kind.refusal % {"name": getattr(existing[pk], kind.name_field)})
    if errors:
        raise ValidationError(errors)


def _rows_save(task: Task, kind: _RowKind, rows: list[dict]) -> None:
    """Update rows with an id in place, create the others, delete the ones no longer listed."""
    manager = getattr(task, kind.field)
    existing = {row.pk: row for row in manager.all()}
    kept = {row["id"] for row in rows if row.get("id") is not None}
    manager.filter(pk__in=[pk for pk in existing if pk not in kept]).delete()
    for position, row in enumerate(rows):
        values = kind.values(row, position)
        current = existing.get(row.get("id"))
        if current is None:
            manager.create(**values)
            continue
        changed = [name for name, value in values.items() if getattr(current, name) != value]
        for name in changed:
            setattr(current, name, values[name])
        if changed:
            current.save(update_fields=changed)


def _task_apply(task: Task, changes: dict) -> None:
    for name in ("title", "description", "lead_unit", "supervising_leader", "start_date", "due_date", "weight"):
        if name in changes:
            value = changes[name]
            setattr(task, name, value.strip() if isinstance(value, str) else value)
    task.save()
    if "co_units" in changes:
        task.co_units.set(changes["co_units"])
    if "programmes" in changes:
        task.programmes.set(changes["programmes"])
    for kind in _ROW_KINDS:
        if kind.field in changes:
            _rows_save(task, kind, changes[kind.field])


def task_last_change(task: Task) -> AuditEntry | None:
    return audit_entries_for(obj=task).first()


def _locked(task: Task, expected_version: int) -> Task:
    current = Task.objects.select_for_update().get(pk=task.pk)
    if current.version != expected_version:
        raise StaleEdit(current, task_last_change(current))
    return current


def task_update(*, task: Task, actor, changes: dict, expected_version: int, recompute: bool = True) -> Task:
    """Apply ``changes`` (field name → new value) if nobody saved the task since ``expected_version``.

    Raises StaleEdit for a stale version and ValidationError for bad values;
    records before/after of the fields that changed; learns unit corrections.
    ``milestones`` and ``indicators`` are the full lists: a row with the
    ``id`` of one of the task's rows changes it in place, a row without one
    is new, and a row left out is deleted unless tracking recorded progress
    against it (then the whole edit is refused, naming the row).

    The task's light is judged again at once when a date or a milestone
    changed, so the red list and the cockpit need not wait for the night;
    ``recompute=False`` leaves that to a caller that changes many tasks and
    recomputes their plan once (the task sheet import).
    """
    _task_validate(changes)
    with transaction.atomic():
        task = _locked(task, expected_version)
        before_all = task_snapshot(task)
        old_lead_id = task.lead_unit_id
        old_co_ids = set(task.co_units.values_list("id", flat=True))
        _rows_check(task, changes)
        _task_apply(task, changes)
        task.version += 1
        task.save(update_fields=["version", "updated"])
        task = Task.objects.get(pk=task.pk)
        after_all = task_snapshot(task)
        changed = [name for name in TASK_FIELDS if before_all[name] != after_all[name]]
        if changed:
            audit_record(
                actor=actor,
                action="task.update",
                obj=task,
                before={n: before_all[n] for n in changed},
                after={n: after_all[n] for n in changed},
            )
        _corrections_learn(task=task, actor=actor, old_lead_id=old_lead_id, old_co_ids=old_co_ids)
        if recompute and set(changed) & LIGHT_INPUTS:
            _lights_recompute(task=task)
    return task


class TaskEditInvalid(ValidationError):
    """A ValidationError of one task among many edited at once: ``task_id`` names it."""

    def __init__(self, error: ValidationError, task_id: int):
        super().__init__(error.error_dict if hasattr(error, "error_dict") else error.error_list)
        self.task_id = task_id


_SCALARS = ("title", "description", "lead_unit", "supervising_leader", "start_date", "due_date", "weight")


_RELATED = ("co_units", "programmes", "milestones", "indicators")


def _snapshots(ids: list[int], *, before: dict[int, dict[str, Any]] | None = None,
               changed: set[str] = frozenset(_RELATED)) -> dict[int, dict[str, Any]]:
    """task_snapshot of many tasks, read as plain rows in five queries.

    Given the snapshots ``before`` an edit, the related rows the edit left alone (not in ``changed``)
    are taken from them instead of read again.
    """
    read = {name for name in _RELATED if before is None or name in changed}
    snapshots = {}
    rows = Task.objects.filter(pk__in=ids).values_list(
        "pk", "title", "description", "lead_unit__name", "supervising_leader", "start_date", "due_date", "weight"
    )
    for pk, title, description, lead, leader, start, due, weight in rows:
        snapshots[pk] = {
            "title": title,
            "description": description,
            "lead_unit": lead,
            "co_units": [],
            "supervising_leader": leader,
            "start_date": start.isoformat() if start else None,
            "due_date": due.isoformat() if due else None,
            "weight": str(weight.normalize()) if weight is not None else None,
            "programmes": [],
            "milestones": [],
            "indicators": [],
        }
        for name in _RELATED:
            if name not in read:
                snapshots[pk][name] = before[pk][name]
    for name, other in (("co_units", "unit__name"), ("programmes", "programme__name")):
        if name not in read:
            continue
        through = getattr(Task, name).through
        for task_id, value in through.objects.filter(task_id__in=ids).values_list("task_id", other):
            snapshots[task_id][name].append(value)
        for snapshot in snapshots.values():
            snapshot[name].sort()
    if "milestones" in read:
        milestones = Milestone.objects.filter(task_id__in=ids).order_by("task", "due_date", "position")
        for task_id, title, due in milestones.values_list("task_id", "title", "due_date"):
            snapshots[task_id]["milestones"].append({"title": title, "due_date": due.isoformat()})
    if "indicators" in read:
        indicators = Indicator.objects.filter(task_id__in=ids).order_by("task", "position", "id")
        rows = indicators.values_list("task_id", "name", "unit", "baseline", "target")
        for task_id, name, unit, baseline, target in rows:
            snapshots[task_id]["indicators"].append(
                {"name": name, "unit": unit, "baseline": _dec_str(baseline), "target": _dec_str(target)}
            )
    return snapshots


def _rows_existing(kind: _RowKind, changes_by_task: dict[int, dict]) -> dict[int, dict[int, Any]]:
    """The milestones (or indicators) of the tasks whose edit lists them: task → row id → row."""
    pks = [pk for pk, changes in changes_by_task.items() if kind.field in changes]
    existing: dict[int, dict[int, Any]] = {pk: {} for pk in pks}
    if pks:
        for row in getattr(Task, kind.field).rel.related_model.objects.filter(task_id__in=pks):
            existing[row.task_id][row.pk] = row
    return existing


def tasks_update_bulk(*, plan: Plan, changes_by_task: dict[int, dict], versions: dict[int, int], actor,
                      recompute: bool = True) -> list[Task]:
    """task_update for many tasks of ``plan`` at once, all or none, in a number of queries that does
    not grow with the tasks (but for the unit learning of tasks whose units changed).

    Same checks, in the same order, as task_update task by task: the values
    (TaskEditInvalid, a ValidationError naming the task), the version
    (StaleEdit), the rows of milestones and indicators; the same writes, one
    audit entry per changed task with before/after of the fields that
    changed, and the same unit learning. The lights of the tasks whose
    dates or milestones changed are judged again, together. Returns the
    tasks with their new field values and versions.
    """
    if not changes_by_task:
        return []
    invalid = {}
    for pk, changes in changes_by_task.items():
        try:
            _task_validate(changes)
        except ValidationError as exc:
            invalid[pk] = exc
    ids = list(changes_by_task)
    with transaction.atomic():
        tasks = {t.pk: t for t in Task.objects.select_for_update().filter(plan=plan, pk__in=ids)}
        if len(tasks) < len(ids):
            raise Task.DoesNotExist(f"tasks {sorted(set(ids) - set(tasks))} are not plan {plan.pk}'s")
        existing = {kind.field: _rows_existing(kind, changes_by_task) for kind in _ROW_KINDS}
        refused = _rows_refused(existing, changes_by_task)
        # The first task refused, as task_update one after the other would refuse it.
        for pk in ids:
            if pk in invalid:
                raise TaskEditInvalid(invalid[pk], pk)
            if tasks[pk].version != versions[pk]:
                raise StaleEdit(tasks[pk], task_last_change(tasks[pk]))
            if pk in refused:
                raise TaskEditInvalid(ValidationError(refused[pk]), pk)
        before = _snapshots(ids)
        old_leads = {pk: task.lead_unit_id for pk, task in tasks.items()}
        old_co_ids: dict[int, set[int]] = defaultdict(set)
        through = Task.co_units.through.objects.filter(task_id__in=[pk for pk in ids if "co_units" in changes_by_task[pk]])
        for task_id, unit_id in through.values_list("task_id", "unit_id"):
            old_co_ids[task_id].add(unit_id)
        now = timezone.now()
        fields = {"version", "updated"}
        for pk, changes in changes_by_task.items():
            task = tasks[pk]
            for name in _SCALARS:
                if name in changes:
                    value = changes[name]
                    setattr(task, name, value.strip() if isinstance(value, str) else value)
                    fields.add(name)
            task.version += 1
            task.updated = now
        rows_update(Task, list(tasks.values()), sorted(fields))
        for name in ("co_units", "programmes"):
            _relations_set_bulk(getattr(Task, name).through, name, {
                pk: changes[name] for pk, changes in changes_by_task.items() if name in changes
            })
        for kind in _ROW_KINDS:
            _rows_save_bulk(existing[kind.field], kind, {
                pk: changes[kind.field] for pk, changes in changes_by_task.items() if kind.field in changes
            })
        after = _snapshots(ids, before=before, changed={name for c in changes_by_task.values() for name in c})
        entries, relight, learners = [], [], []
        for pk in ids:
            changed = [name for name in TASK_FIELDS if before[pk][name] != after[pk][name]]
            if changed:
                entries.append(AuditEntry(
                    actor=actor if getattr(actor, "is_authenticated", False) else None,
                    action="task.update", object_type=Task._meta.label_lower, object_id=str(pk),
                    object_repr=str(tasks[pk])[:200],
                    before={n: before[pk][n] for n in changed}, after={n: after[pk][n] for n in changed},
                ))
            if set(changed) & LIGHT_INPUTS:
                relight.append(pk)
            if {"lead_unit", "co_units"} & set(changed):
                learners.append(pk)
        AuditEntry.objects.bulk_create(entries)
        # Only a task whose units changed can teach anything (see _corrections_learn).
        for task in Task.objects.filter(pk__in=learners).select_related("measure", "lead_unit").prefetch_related(
            "co_units"
        ):
            _corrections_learn(task=task, actor=actor, old_lead_id=old_leads[task.pk], old_co_ids=old_co_ids[task.pk])
        if recompute and relight:
            plan_lights_recompute(plan=plan, task_ids=relight)
    return [tasks[pk] for pk in ids]


def _rows_refused(existing: dict[str, dict[int, dict[int, Any]]],
                  changes_by_task: dict[int, dict]) -> dict[int, dict[str, list[str]]]:
    """What _rows_check would refuse, per task: one query per kind of row for the progress recorded."""
    foreign: dict[int, set[str]] = {}  # task → the kinds given a row that is not the task's
    removed_by_kind: dict[str, dict[int, int]] = {}  # kind → removed row → task
    for pk, changes in changes_by_task.items():
        for kind in _ROW_KINDS:
            if kind.field not in changes:
                continue
            rows = existing[kind.field][pk]
            ids = [row["id"] for row in changes[kind.field] if row.get("id") is not None]
            if any(i not in rows for i in ids) or len(ids) != len(set(ids)):
                foreign.setdefault(pk, set()).add(kind.field)
                continue
            removed_by_kind.setdefault(kind.field, {}).update({i: pk for i in rows if i not in ids})
    recorded: dict[int, dict[str, list[str]]] = {}
    for kind in _ROW_KINDS:
        removed = removed_by_kind.get(kind.field)
        if not removed:
            continue
        model = getattr(Task, kind.field).rel.related_model
        rows = model.objects.filter(pk__in=list(removed), **{f"{kind.progress}__isnull": False}).distinct()
        for row in rows.order_by("pk"):
            messages = recorded.setdefault(removed[row.pk], {}).setdefault(kind.field, [])
            messages.append(kind.refusal % {"name": getattr(row, kind.name_field)})
    refused = {}
    for pk in changes_by_task:
        errors: dict[str, list[str]] = {}
        for kind in _ROW_KINDS:
            if kind.field in foreign.get(pk, ()):
                errors[kind.field] = [_("A row that is not one of this task's was given.")]
            elif kind.field in recorded.get(pk, {}):
                errors[kind.field] = recorded[pk][kind.field]
        if errors:
            refused[pk] = errors
    return refused


def _relations_set_bulk(through, name: str, wanted: dict[int, list]) -> None:
    """``task.<name>.set(units)`` for many tasks: one delete and one insert."""
    if not wanted:
        return
    column = through._meta.get_field("unit" if name == "co_units" else "programme").attname
    current: dict[int, set[int]] = {pk: set() for pk in wanted}
    for task_id, other_id in through.objects.filter(task_id__in=list(wanted)).values_list("task_id", column):
        current[task_id].add(other_id)
    stale = Q()
    new = []
    for pk, items in wanted.items():
        ids = {item.pk for item in items}
        gone = current[pk] - ids
        if gone:
            stale |= Q(task_id=pk, **{f"{column}__in": gone})
        new.extend(through(task_id=pk, **{column: other}) for other in sorted(ids - current[pk]))
    if stale:
        through.objects.filter(stale).delete()
    through.objects.bulk_create(new)


def _rows_save_bulk(existing: dict[int, dict[int, Any]], kind: _RowKind, wanted: dict[int, list[dict]]) -> None:
    """_rows_save for many tasks: rows with an id updated in place, the others created, the unlisted deleted."""
    if not wanted:
        return
    model = getattr(Task, kind.field).rel.related_model
    gone, new, changed, names = [], [], [], set()
    for pk, rows in wanted.items():
        current_rows = existing[pk]
        kept = {row["id"] for row in rows if row.get("id") is not None}
        gone.extend(i for i in current_rows if i not in kept)
        for position, row in enumerate(rows):
            values = kind.values(row, position)
            current = current_rows.get(row.get("id"))
            if current is None:
                new.append(model(task_id=pk, **values))
                continue
            differ = [name for name, value in values.items() if getattr(current, name) != value]
            for name in differ:
                setattr(current, name, values[name])
            if differ:
                changed.append(current)
                names.update(differ)
    if gone:
        model.objects.filter(pk__in=gone).delete()
    rows_update(model, changed, sorted(names))
    model.objects.bulk_create(new)


# What the status engine reads of a task (luoshi.tracking.supervision); the weight only
# weighs the roll-ups, which the cockpit sums when it is read.
LIGHT_INPUTS = {"start_date", "due_date", "milestones"}


def _lights_recompute(*, task: Task) -> None:
    # Imported here: the tracking app builds on this one.
    from luoshi.tracking.supervision import task_recompute

    task_recompute(task=task)


def plan_lights_recompute(*, plan: Plan, task_ids: list[int] | None = None) -> None:
    """Judge every task of the plan (or those of ``task_ids``) again, after many dates changed at once."""
    from luoshi.tracking.supervision import plan_recompute

    plan_recompute(plan=plan, task_ids=task_ids)


def _corrections_learn(*, task: Task, actor, old_lead_id: int | None, old_co_ids: set[int]) -> None:
    """A unit the supervisor chose that the import did not suggest is remembered for similar measures.

    Compared with the suggestion stored on the task at import, so that an
    edit never builds the suggester (seconds, mostly loading jieba). Going
    back to the suggested lead after a correction of the same text is
    recorded too: the latest choice is the one reused.
    """
    text = task.measure.text
    if task.lead_unit_id not in (old_lead_id, None):
        corrected_before = UnitCorrection.objects.filter(text=text.strip(), role=UnitCorrection.Role.LEAD).exists()
        if task.lead_unit_id != task.suggested_lead_unit_id or corrected_before:
            unit_correction_record(text=text, unit=task.lead_unit, role=UnitCorrection.Role.LEAD, actor=actor)
    suggested_co = set(task.suggested_co_units)
    for unit in task.co_units.all():
        if unit.pk not in old_co_ids and unit.pk not in suggested_co:
            unit_correction_record(text=text, unit=unit, role=UnitCorrection.Role.CO, actor=actor)


def task_split(*, task: Task, actor, titles: list[str], expected_version: int) -> list[Task]:
    """Cut a task into several: the first title stays on the task, each other becomes a new task
    with the same units, dates, weight and programmes (milestones and indicators stay on the first)."""
    titles = [t.strip() for t in titles if t and t.strip()]
    if len(titles) < 2:
        raise ValidationError(_("Give at least two titles to split a task."))
    with transaction.atomic():
        task = _locked(task, expected_version)
        co_units = list(task.co_units.all())
        programmes = list(task.programmes.all())
        task_update(task=task, actor=actor, changes={"title": titles[0]}, expected_version=task.version)
        task.refresh_from_db()
        siblings = list(task.measure.tasks.exclude(pk=task.pk).filter(position__gt=task.position).order_by("position"))
        created = [task]
        for offset, title in enumerate(titles[1:], start=1):
            new = Task.objects.create(
                plan=task.plan,
                measure=task.measure,
                position=task.position + offset,
                title=title[:500],
                description=task.description,
                lead_unit=task.lead_unit,
                supervising_leader=task.supervising_leader,
                start_date=task.start_date,
                due_date=task.due_date,
                weight=task.weight,
                is_public=task.is_public,
                suggested_lead_unit_id=task.suggested_lead_unit_id,
                suggested_co_units=task.suggested_co_units,
            )
            new.co_units.set(co_units)
            new.programmes.set(programmes)
            audit_record(actor=actor, action="task.split", obj=new, after=task_snapshot(new),
                         note=_("split from task %(id)s") % {"id": task.pk})
            created.append(new)
        for shift, sibling in enumerate(siblings, start=len(titles)):
            sibling.position = task.position + shift
            sibling.save(update_fields=["position"])
    return created


# What tracking records about a task, deleted with it: a task with any of it is not merged away.
_TASK_HISTORY = ("reports", "contributions", "extension_requests", "notices")


def tasks_merge(*, tasks: list[Task], actor, title: str = "", keep: Task | None = None) -> Task:
    """Merge tasks of one plan into ``keep`` (by default the first of the first measure): it gains the
    others' units, milestones and indicators, and the others are deleted (audited). Tasks cut from
    different measures may be merged too: an import that made two tasks of one sentence is put right so."""
    ids = {t.pk for t in tasks} | ({keep.pk} if keep is not None else set())
    if len(ids) < 2:
        raise ValidationError(_("Choose at least two tasks to merge."))
    with transaction.atomic():
        # Read them afresh under lock: the caller's copies may predate other edits.
        tasks = list(Task.objects.select_for_update().filter(pk__in=ids)
                     .order_by("measure__position", "position", "pk"))
        if len(tasks) != len(ids):
            raise ValidationError(_("One of the tasks no longer exists; reload the page."))
        if len({t.plan_id for t in tasks}) != 1:
            raise ValidationError(_("Only tasks of the same plan can be merged."))
        if keep is not None:
            tasks.sort(key=lambda t: t.pk != keep.pk)
        keep, others = tasks[0], tasks[1:]
        units = {u.pk: u for u in keep.co_units.all()}
        for other in others:
            if other.lead_unit_id:
                units.setdefault(other.lead_unit_id, other.lead_unit)
            units.update({u.pk: u for u in other.co_units.all()})
        units.pop(keep.lead_unit_id, None)
        for other in others:
            if any(getattr(other, name).exists() for name in _TASK_HISTORY):
                raise ValidationError(
                    _("Task %(id)s already has progress recorded and cannot be merged away.") % {"id": other.pk}
                )
        # The kept task's rows keep their ids, and with them what tracking recorded against them.
        milestones = [
            {"id": m.pk if t is keep else None, "title": m.title, "due_date": m.due_date}
            for t in tasks for m in t.milestones.all()
        ]
        indicators = [
            {"id": i.pk if t is keep else None, "name": i.name, "unit": i.unit, "baseline": i.baseline,
             "target": i.target, "target_text": i.target_text}
            for t in tasks for i in t.indicators.all()
        ]
        due_dates = [t.due_date for t in tasks if t.due_date]
        changes = {
            "co_units": list(units.values()),
            "milestones": milestones,
            "indicators": indicators,
            "due_date": max(due_dates) if due_dates else None,
            "programmes": list({p.pk: p for t in tasks for p in t.programmes.all()}.values()),
        }
        if title.strip():
            changes["title"] = title.strip()[:500]
        for other in others:
            audit_record(actor=actor, action="task.merge", obj=other, before=task_snapshot(other),
                         note=_("merged into task %(id)s") % {"id": keep.pk})
            other.delete()
        return task_update(task=keep, actor=actor, changes=changes, expected_version=keep.version)


def task_history_refusal(task: Task) -> str:
    """Why the task may not be deleted, or "" when nothing was recorded against it yet."""
    reports = task.reports.count()
    if reports:
        return _("Task “%(title)s” already has %(count)s progress reports; a task with reports cannot be deleted.") % {
            "title": task.title[:40], "count": reports}
    if any(getattr(task, name).exists() for name in _TASK_HISTORY):
        return _("Task “%(title)s” already has tracking records (contributions, extension requests or notices); "
                 "it cannot be deleted.") % {"title": task.title[:40]}
    return ""


def task_delete(*, task: Task, actor) -> None:
    """Delete a task nothing was recorded against yet (an import's junk: a signature line, a clause
    cut off as its own task), keeping its last state in the audit log."""
    with transaction.atomic():
        task = Task.objects.select_for_update().get(pk=task.pk)
        refusal = task_history_refusal(task)
        if refusal:
            raise ValidationError(refusal)
        audit_record(actor=actor, action="task.delete", obj=task, before=task_snapshot(task),
                     note=_("deleted from plan %(plan)s") % {"plan": task.plan.name})
        task.delete()


def tasks_reassign(*, plan: Plan, versions: dict[int, int], lead_unit: Unit, actor) -> list[Task]:
    """Make ``lead_unit`` the lead unit of each task of ``plan`` in ``versions`` (task id → version the
    supervisor saw), all or none.

    Each task goes through task_update, so each change is audited and checked
    against the version seen: one task saved by someone else in the meantime
    refuses the whole change (StaleEdit). A task the new lead unit was a
    co-unit of loses it as co-unit. Returns the tasks changed.
    """
    changed = []
    with transaction.atomic():
        for task in Task.objects.filter(plan=plan, pk__in=list(versions)).order_by("pk"):
            if task.lead_unit_id == lead_unit.pk:
                continue
            changes: dict = {"lead_unit": lead_unit}
            co_units = list(task.co_units.all())
            if lead_unit in co_units:
                changes["co_units"] = [unit for unit in co_units if unit != lead_unit]
            changed.append(task_update(task=task, actor=actor, changes=changes, expected_version=versions[task.pk]))
    return changed
