"""Suggest the lead unit (牵头单位) and co-units (配合单位) for a measure.

Every point of a unit's score comes from evidence a supervisor can read back
in ``UnitScore.matched``:

- the unit's name, short name or an alias written in the text (strong);
- its duty keywords (三定职责) in the text or in the measure's programme tags,
  each weighted by how specific it is across the whole directory: a keyword
  that many units list says little about which one should lead (IDF);
- the supervisor's earlier corrections, in any plan: a measure similar to
  one whose unit was corrected gets the corrected unit, strongly. Similar
  means sharing enough content words (Jaccard index of the words jieba cuts,
  less the stock verbs every plan uses); reworded sentences of the same
  measure score 0.6–0.9, unrelated ones of the seed plan at most 0.15.

A term found inside a longer matched term of the directory does not count on
its own (“科技” inside “嘉兴科技城”, “教育” inside “主题教育”): the longer,
more specific reading wins.

Towns, streets and zones named in a measure are where the work happens, so
they are always offered as co-units; a town or street's name and keywords
weigh less than a department's, since district departments lead the work
done in the towns, and a town's bare two-character name (“大桥”) is only a
keyword, being an ordinary word too.

Everything is deterministic: ties fall back to the directory's sort order and
then the unit code.
"""
from __future__ import annotations

import logging
import math
import re
from dataclasses import dataclass, field
from typing import Iterable, Sequence

import jieba
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from luoshi.accounts.models import Unit, UnitKind
from luoshi.plans.models import UnitCorrection

# Evidence weights, in units of "one keyword that only one unit lists":
# a department's name weighs as much as three such keywords; a correction
# from a measure at the similarity threshold outweighs two names.
NAME_WEIGHT = 3.0
PLACE_NAME_WEIGHT = 2.0
PLACE_KEYWORD_SHARE = 0.5
CORRECTION_WEIGHT = 20.0
# Each further occurrence of the same name adds this share of its weight.
REPEAT_SHARE = 0.5
# Two measures count as similar at or above this Jaccard index of their
# content words.
SIMILARITY_THRESHOLD = 0.3
# Co-units: the runners-up scoring at least this share of the lead's score.
CO_RATIO = 0.35
MAX_LEAD = 5
MAX_CO = 4
EXCERPT_CHARS = 24

PLACE_KINDS = frozenset({UnitKind.TOWN, UnitKind.STREET})
NAMED_CO_KINDS = frozenset({UnitKind.TOWN, UnitKind.STREET, UnitKind.ZONE})

# Words every plan sentence uses; they make any two measures look alike.
GENERIC_WORDS = frozenset(
    """
    加快 推进 推动 建设 全面 进一步 加强 打造 深化 实施 开展 持续 提升 坚持 全力 大力
    积极 不断 着力 重点 围绕 工作 发展 强化 完善 一批 各类 全区 全市 力争 形成 努力
    切实 认真 深入 统筹 做好 抓好 落实 实现 提高 构建 突出 以及 我们 今年 年底 作为
    """.split()
)

_WORD = re.compile(r"[\u4e00-\u9fffA-Za-z0-9]")


@dataclass(frozen=True)
class UnitScore:
    unit_id: int
    unit_code: str
    unit_name: str
    score: float
    matched: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class UnitSuggestions:
    lead: list[UnitScore]
    co: list[UnitScore]


@dataclass(frozen=True)
class _Term:
    """One string that points to a unit, and what finding it is worth."""

    text: str
    unit_index: int
    weight: float
    is_name: bool


@dataclass(frozen=True)
class _Correction:
    unit_index: int
    role: str
    words: frozenset[str]
    excerpt: str


@dataclass
class _Evidence:
    score: float = 0.0
    matched: list[str] = field(default_factory=list)

    def add(self, points: float, word: str) -> None:
        self.score += points
        if word not in self.matched:
            self.matched.append(word)


def _unit_names(unit: Unit) -> list[str]:
    """Names that identify the unit when written in a measure."""
    names = []
    for name in [unit.name, unit.short_name, *(unit.aliases or [])]:
        name = (name or "").strip()
        # A town's bare two-character name is an ordinary word too (“大桥”
        # in “跨湖大桥”): it counts as a keyword, not as the unit's name.
        too_short = unit.kind in PLACE_KINDS and len(name) <= 2
        if len(name) >= 2 and not too_short and name not in names:
            names.append(name)
    return names


def _unit_keywords(unit: Unit) -> list[str]:
    keywords = [(kw or "").strip() for kw in unit.duty_keywords or []]
    if unit.kind in PLACE_KINDS:
        keywords += [(a or "").strip() for a in [unit.short_name, *(unit.aliases or [])]]
    unique = []
    for kw in keywords:
        if len(kw) >= 2 and kw not in unique:
            unique.append(kw)
    return unique


def _generic_words() -> frozenset[str]:
    # The district's own name (“南湖” for 南湖区) is in half its sentences.
    org = settings.LUOSHI_ORG_NAME
    return GENERIC_WORDS | {org, org.rstrip("区县市")}


def _content_words(text: str, generic: frozenset[str]) -> frozenset[str]:
    return frozenset(w for w in jieba.lcut(text, HMM=False) if len(w) >= 2 and _WORD.match(w) and w not in generic)


def _jaccard(a: frozenset[str], b: frozenset[str]) -> float:
    if not a or not b:
        return 0.0
    return len(a & b) / len(a | b)


def _excerpt(text: str) -> str:
    text = "".join(text.split())
    return text if len(text) <= EXCERPT_CHARS else text[:EXCERPT_CHARS] + "…"


def _load_jieba() -> None:
    """Load jieba's dictionary now (once per process), without its chatter on stderr."""
    jieba.setLogLevel(logging.WARNING)
    jieba.initialize()


class UnitSuggester:
    """Ranks units for measure texts. Build it once per import, reuse it for every measure."""

    def __init__(self, units: Sequence[Unit], corrections: Iterable[UnitCorrection] = ()):
        self._units = list(units)
        index_of = {u.pk: i for i, u in enumerate(self._units)}
        self._terms = self._build_terms()
        self._terms_by_first_char: dict[str, list[int]] = {}
        for rank, term in enumerate(self._terms):
            self._terms_by_first_char.setdefault(term.text[0], []).append(rank)
        self._generic = _generic_words()
        _load_jieba()
        self._corrections = self._build_corrections(corrections, index_of)

    @classmethod
    def from_db(cls) -> UnitSuggester:
        """Active units and every correction recorded so far, each loaded once."""
        units = Unit.objects.filter(is_active=True).order_by("sort_order", "code")
        corrections = UnitCorrection.objects.filter(unit__is_active=True).order_by("-created", "-id")
        return cls(list(units), list(corrections))

    def _build_terms(self) -> list[_Term]:
        names = [_unit_names(u) for u in self._units]
        keywords = [_unit_keywords(u) for u in self._units]
        keyword_units: dict[str, int] = {}
        for unit_keywords in keywords:
            for kw in unit_keywords:
                keyword_units[kw] = keyword_units.get(kw, 0) + 1
        # IDF over the directory, scaled so that a keyword only one unit
        # lists weighs 1 whatever the size of the directory.
        total = len(self._units)
        unique_idf = math.log(1 + total)

        terms: dict[tuple[str, int], _Term] = {}
        for i, unit in enumerate(self._units):
            is_place = unit.kind in PLACE_KINDS
            for name in names[i]:
                terms[(name, i)] = _Term(name, i, PLACE_NAME_WEIGHT if is_place else NAME_WEIGHT, True)
            for kw in keywords[i]:
                if (kw, i) in terms:
                    continue
                idf = math.log(1 + total / keyword_units[kw]) / unique_idf
                # Longer keywords are more specific phrases (“科技成果转化” vs “科技”).
                specificity = min(1.0 + 0.25 * (len(kw) - 2), 1.5)
                # A town's keywords say what it hosts; the department whose
                # remit it is leads, the town carries it out.
                share = PLACE_KEYWORD_SHARE if is_place else 1.0
                terms[(kw, i)] = _Term(kw, i, idf * specificity * share, False)
        return sorted(terms.values(), key=lambda t: (-len(t.text), t.unit_index, t.text))

    def _build_corrections(self, corrections, index_of) -> list[_Correction]:
        latest: dict[tuple[str, str], _Correction] = {}
        for c in corrections:
            if c.unit_id not in index_of:
                continue
            key = ("".join(c.text.split()), c.role)
            if key in latest:
                continue  # an older correction of the same measure, superseded
            words = _content_words(c.text, self._generic)
            latest[key] = _Correction(index_of[c.unit_id], c.role, words, _excerpt(c.text))
        return list(latest.values())

    def _match_terms(self, text: str) -> list[tuple[_Term, int]]:
        """Each term with its number of occurrences not inside a longer matched term."""
        occurrences = [
            (rank, start)
            for start, char in enumerate(text)
            for rank in self._terms_by_first_char.get(char, ())
            if text.startswith(self._terms[rank].text, start)
        ]
        # Longest first (the order of self._terms), so that a longer reading
        # claims its span before the shorter terms inside it are looked at.
        occurrences.sort()
        claimed: list[tuple[int, int]] = []
        counts: dict[int, int] = {}
        for rank, start in occurrences:
            end = start + len(self._terms[rank].text)
            if any(s <= start and end <= e and (e - s) > (end - start) for s, e in claimed):
                continue
            claimed.append((start, end))
            counts[rank] = counts.get(rank, 0) + 1
        return [(self._terms[rank], count) for rank, count in sorted(counts.items())]

    def suggest(self, text: str, *, programmes: Sequence[str] = ()) -> UnitSuggestions:
        text = "".join((text or "").split())
        if not text or not self._units:
            return UnitSuggestions(lead=[], co=[])

        evidence = [_Evidence() for _ in self._units]
        in_text: set[tuple[str, int]] = set()
        named_places: set[int] = set()
        for term, count in self._match_terms(text):
            # A name written twice makes the unit the subject of the sentence;
            # a keyword repeated is just style.
            points = term.weight * (1 + REPEAT_SHARE * (count - 1)) if term.is_name else term.weight
            evidence[term.unit_index].add(points, term.text)
            in_text.add((term.text, term.unit_index))
            if term.is_name and self._units[term.unit_index].kind in NAMED_CO_KINDS:
                named_places.add(self._units[term.unit_index].pk)

        for programme in programmes:
            for term, _count in self._match_terms(programme):
                if (term.text, term.unit_index) not in in_text:
                    evidence[term.unit_index].add(term.weight, _("programme: %(name)s") % {"name": programme})

        words = _content_words(text, self._generic) if self._corrections else frozenset()
        best: dict[tuple[int, str], tuple[float, str]] = {}
        for c in self._corrections:
            similarity = _jaccard(words, c.words)
            if similarity >= SIMILARITY_THRESHOLD:
                key = (c.unit_index, c.role)
                if key not in best or similarity > best[key][0]:
                    best[key] = (similarity, c.excerpt)
        # A lead-unit correction says nothing about co-units, and the reverse.
        lead_evidence, co_evidence = evidence, evidence
        if best:
            lead_evidence = [_Evidence(e.score, list(e.matched)) for e in evidence]
            co_evidence = [_Evidence(e.score, list(e.matched)) for e in evidence]
        for (index, role), (similarity, excerpt) in sorted(best.items()):
            target = lead_evidence if role == UnitCorrection.Role.LEAD else co_evidence
            label = _("earlier correction: %(measure)s") % {"measure": excerpt}
            target[index].add(CORRECTION_WEIGHT * similarity, label)

        lead = self._ranked(lead_evidence)[:MAX_LEAD]
        if not lead:
            return UnitSuggestions(lead=[], co=[])
        top = lead[0]
        candidates = [s for s in self._ranked(co_evidence) if s.unit_id != top.unit_id]
        named = [s for s in candidates if s.unit_id in named_places]
        strong = [s for s in candidates if s.unit_id not in named_places and s.score >= CO_RATIO * top.score]
        # Every place the measure names stays, however many; the strongest
        # runners-up fill what room is left.
        kept = {s.unit_id for s in named + strong[: max(MAX_CO - len(named), 0)]}
        co = [s for s in candidates if s.unit_id in kept]
        return UnitSuggestions(lead=lead, co=co)

    def _ranked(self, evidence: list[_Evidence]) -> list[UnitScore]:
        order = sorted(
            (i for i, e in enumerate(evidence) if e.score > 0),
            key=lambda i: (-round(evidence[i].score, 6), self._units[i].sort_order, self._units[i].code),
        )
        return [
            UnitScore(
                unit_id=self._units[i].pk,
                unit_code=self._units[i].code,
                unit_name=self._units[i].name,
                score=round(evidence[i].score, 3),
                matched=list(evidence[i].matched),
            )
            for i in order
        ]


def unit_correction_record(*, text: str, unit: Unit, role: str, actor) -> None:
    """Remember that the supervisor chose ``unit`` as lead or co-unit for this measure text."""
    if role not in UnitCorrection.Role.values:
        raise ValidationError(
            _("Unknown role “%(role)s”: expected one of %(roles)s.")
            % {"role": role, "roles": ", ".join(UnitCorrection.Role.values)}
        )
    if not (text or "").strip():
        raise ValidationError(_("A unit correction needs the text of the measure it applies to."))
    UnitCorrection.objects.create(
        text=text.strip(),
        unit=unit,
        role=role,
        created_by=actor if getattr(actor, "is_authenticated", False) else None,
    )
