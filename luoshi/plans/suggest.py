"""Suggest the lead unit (牵头单位) and co-units (配合单位) for a measure.

Every point of a unit's score comes from evidence a supervisor can read back
in ``UnitScore.matched``:

- **Names.** The unit's name, short name or an alias written in the text
  (strong). A town's bare two-character name (“大桥”) is an ordinary word
  too, so it only counts as a keyword.
- **Remit (BM25).** Each unit is a document: its name, its duties paragraph
  (三定职责) and its duty keywords, cut into words by jieba in search mode
  (long words and the dictionary words inside them, so “垃圾分类” also
  yields “垃圾” and “分类”). The measure is the query, and units are scored
  with Okapi BM25 (k1 = 1.2, b = 0.75): a word counts by how rare it is
  across the directory's documents (IDF), saturating with repetition and
  normalised by document length, so a unit with a long remit does not win
  by sheer size. BM25 rather than TF-IDF cosine because the query is a
  sentence and the documents are paragraphs of very different lengths;
  cosine would reward units whose short remit happens to share one word.
- **Remit phrases.** A duty keyword found verbatim in the text, weighted by
  how specific it is across the directory (IDF again, on whole phrases):
  it catches the phrases jieba cuts differently in the two texts.
- **Corrections.** A supervisor's earlier correction in any plan: a measure
  similar to one whose unit was corrected gets the corrected unit, strongly.
  Similar means sharing enough content words (Jaccard index of the words
  jieba cuts, less the stock verbs every plan uses); reworded sentences of
  the same measure score 0.6–0.9, unrelated ones at most 0.15.
- **Learned assignments.** Rows of past 任务分解表 taught through
  ``luoshi units learn`` (and corrections too) vote for their units as
  nearest neighbours: the cosine of TF-IDF vectors of the two measures'
  words, taken from the most similar past rows. A unit named as 牵头 in a
  similar past row is a lead candidate; one named only as 配合 or
  责任单位 counts at half weight, since it did work of that kind without
  being said to lead it.

A term found inside a longer matched term of the directory does not count on
its own (“科技” inside “嘉兴科技城”): the longer, more specific reading wins.

Towns, streets and zones named in a measure are where the work happens, so
they are always offered as co-units; their keywords and remit (and a town or
street's name) weigh less than a department's, since district departments
lead the work done in them.

Everything is deterministic: ties fall back to the directory's sort order and
then the unit code.
"""
from __future__ import annotations

import logging
import math
import re
from collections import Counter
from dataclasses import dataclass, field
from typing import Iterable, Sequence

import jieba
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from luoshi.accounts.models import Unit, UnitKind
from luoshi.accounts.unitnames import UnitNameIndex
from luoshi.parsing import ParseError
from luoshi.parsing.docx import docx_document
from luoshi.parsing.tables import task_rows
from luoshi.parsing.xlsx import xlsx_task_sheet
from luoshi.plans.models import UnitCorrection

# Evidence weights, in units of "one keyword that only one unit lists":
# a department's name weighs as much as three such keywords; a correction
# from a measure at the similarity threshold outweighs two names.
NAME_WEIGHT = 3.0
PLACE_NAME_WEIGHT = 2.0
# A town, street or zone's keywords and remit say what it hosts; the
# department whose remit it is leads, the place carries it out.
PLACE_SHARE = 0.5
CORRECTION_WEIGHT = 20.0
# Each further occurrence of the same name adds this share of its weight.
REPEAT_SHARE = 0.5
# Two measures count as the same measure reworded at or above this Jaccard
# index of their content words.
SIMILARITY_THRESHOLD = 0.3
# Okapi BM25 over the units' remit documents, and what one BM25 point is
# worth next to the evidence above.
BM25_K1 = 1.2
BM25_B = 0.75
BM25_WEIGHT = 0.5
# The remit words shown for a unit: its strongest few.
BM25_SHOWN = 4
# Learned rows: the nearest past rows vote, each with the cosine of the two
# measures' TF-IDF vectors, from this similarity on.
LEARNED_WEIGHT = 12.0
LEARNED_NEIGHBOURS = 5
LEARNED_MIN_SIMILARITY = 0.12
LEARNED_CO_SHARE = 0.5
# Co-units: the runners-up scoring at least this share of the lead's score.
CO_RATIO = 0.35
MAX_LEAD = 5
MAX_CO = 4
EXCERPT_CHARS = 24

PLACE_KINDS = frozenset({UnitKind.TOWN, UnitKind.STREET})
# Places where work happens: named in a measure they are co-units, and their
# remit, which a department's covers too (a zone's 招商引资, a street's
# 城市管理), weighs less.
HOST_KINDS = frozenset({UnitKind.TOWN, UnitKind.STREET, UnitKind.ZONE})

# Words every plan sentence uses; they make any two measures look alike.
GENERIC_WORDS = frozenset(
    """
    加快 推进 推动 建设 全面 进一步 加强 打造 深化 实施 开展 持续 提升 坚持 全力 大力
    积极 不断 着力 重点 围绕 工作 发展 强化 完善 一批 各类 全区 全市 力争 形成 努力
    切实 认真 深入 统筹 做好 抓好 落实 实现 提高 构建 突出 以及 我们 今年 年底 作为
    负责 承担 组织 指导 管理 相关 有关 以上 以下 进行 通过 按照 根据 提供
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


@dataclass(frozen=True)
class _PastRow:
    """A measure of an earlier plan and the units named for it, as a TF-IDF vector."""

    vector: dict[str, float]
    lead: tuple[int, ...]
    co: tuple[int, ...]
    excerpt: str


@dataclass
class _Evidence:
    score: float = 0.0
    matched: list[str] = field(default_factory=list)

    def add(self, points: float, word: str) -> None:
        self.score += points
        if word not in self.matched:
            self.matched.append(word)

    def copy(self) -> _Evidence:
        return _Evidence(self.score, list(self.matched))


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


def _is_content(word: str, generic: frozenset[str]) -> bool:
    return len(word) >= 2 and bool(_WORD.match(word)) and word not in generic


def _content_words(text: str, generic: frozenset[str]) -> frozenset[str]:
    return frozenset(w for w in jieba.lcut(text, HMM=False) if _is_content(w, generic))


def _search_words(text: str, generic: frozenset[str]) -> list[str]:
    """Words of the text in jieba's search mode: each long word and the dictionary words inside it."""
    return [w for w in jieba.lcut_for_search(text, HMM=False) if _is_content(w, generic)]


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


def _unit_document(unit: Unit) -> str:
    return "\n".join([unit.name, unit.short_name or "", unit.duties or "", *(unit.duty_keywords or [])])


class _BM25:
    """Okapi BM25 over a fixed list of documents, each a list of words."""

    def __init__(self, documents: list[list[str]]):
        self._tf = [Counter(doc) for doc in documents]
        self._length = [len(doc) for doc in documents]
        self._average = (sum(self._length) / len(documents)) if documents and sum(self._length) else 1.0
        df = Counter(word for tf in self._tf for word in tf)
        n = len(documents)
        self.idf = {word: math.log(1 + (n - count + 0.5) / (count + 0.5)) for word, count in df.items()}
        self._postings: dict[str, list[int]] = {}
        for index, tf in enumerate(self._tf):
            for word in tf:
                self._postings.setdefault(word, []).append(index)

    def contributions(self, query: Iterable[str]) -> dict[int, dict[str, float]]:
        """Per document, what each query word adds to its score."""
        result: dict[int, dict[str, float]] = {}
        for word in query:
            for index in self._postings.get(word, ()):
                tf = self._tf[index][word]
                norm = 1 - BM25_B + BM25_B * self._length[index] / self._average
                points = self.idf[word] * tf * (BM25_K1 + 1) / (tf + BM25_K1 * norm)
                result.setdefault(index, {})[word] = points
        return result


def _tfidf_vector(words: Sequence[str], idf: dict[str, float]) -> dict[str, float]:
    counts = Counter(words)
    vector = {w: (1 + math.log(c)) * idf.get(w, 0.0) for w, c in counts.items()}
    norm = math.sqrt(sum(v * v for v in vector.values()))
    return {w: v / norm for w, v in vector.items()} if norm else {}


class UnitSuggester:
    """Ranks units for measure texts. Build it once per import, reuse it for every measure."""

    def __init__(self, units: Sequence[Unit], corrections: Iterable[UnitCorrection] = ()):
        self._units = list(units)
        index_of = {u.pk: i for i, u in enumerate(self._units)}
        self._generic = _generic_words()
        _load_jieba()
        self._terms = self._build_terms()
        self._terms_by_first_char: dict[str, list[int]] = {}
        for rank, term in enumerate(self._terms):
            self._terms_by_first_char.setdefault(term.text[0], []).append(rank)
        documents = [_search_words(_unit_document(u), self._generic) for u in self._units]
        self._bm25 = _BM25(documents)
        self._past_idf: dict[str, float] = {}
        corrections = list(corrections)
        self._corrections = self._build_corrections(
            [c for c in corrections if c.source != UnitCorrection.Source.LEARNED], index_of
        )
        self._past = self._build_past(
            [c for c in corrections if c.source == UnitCorrection.Source.LEARNED], index_of, documents
        )

    @classmethod
    def from_db(cls) -> UnitSuggester:
        """Active units and every correction and learned row recorded so far, each loaded once."""
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
                share = PLACE_SHARE if unit.kind in HOST_KINDS else 1.0
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

    def _build_past(self, rows, index_of, documents) -> list[_PastRow]:
        """Learned rows grouped back into measures: one vector per text, with its lead and co units."""
        by_text: dict[str, tuple[set[int], set[int]]] = {}
        for row in rows:
            if row.unit_id not in index_of:
                continue
            text = "".join(row.text.split())
            lead, co = by_text.setdefault(text, (set(), set()))
            (lead if row.role == UnitCorrection.Role.LEAD else co).add(index_of[row.unit_id])
        if not by_text:
            return []
        texts = sorted(by_text)
        words = [_search_words(text, self._generic) for text in texts]
        # IDF over the remit documents and the past measures together, so
        # that a word common in plans weighs little even if no remit uses it.
        collection = documents + words
        df = Counter(w for doc in collection for w in set(doc))
        self._past_idf = {w: math.log(len(collection) / c) for w, c in df.items()}
        past = []
        for text, text_words in zip(texts, words):
            lead, co = by_text[text]
            vector = _tfidf_vector(text_words, self._past_idf)
            if vector:
                past.append(_PastRow(vector, tuple(sorted(lead)), tuple(sorted(co - lead)), _excerpt(text)))
        return past

    def _match_terms(self, text: str) -> tuple[list[tuple[_Term, int]], list[tuple[int, int]]]:
        """Each term with its number of occurrences not inside a longer matched term, and where names stand."""
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
        names: list[tuple[int, int]] = []
        counts: dict[int, int] = {}
        for rank, start in occurrences:
            end = start + len(self._terms[rank].text)
            if any(s <= start and end <= e and (e - s) > (end - start) for s, e in claimed):
                continue
            claimed.append((start, end))
            if self._terms[rank].is_name:
                names.append((start, end))
            counts[rank] = counts.get(rank, 0) + 1
        return [(self._terms[rank], count) for rank, count in sorted(counts.items())], names

    def _add_remit(self, evidence: list[_Evidence], words: list[str]) -> None:
        for index, contributions in sorted(self._bm25.contributions(dict.fromkeys(words)).items()):
            share = PLACE_SHARE if self._units[index].kind in HOST_KINDS else 1.0
            strongest = sorted(contributions.items(), key=lambda item: (-item[1], item[0]))
            evidence[index].score += BM25_WEIGHT * share * sum(contributions.values())
            for word, _points in strongest[:BM25_SHOWN]:
                if not any(word in m for m in evidence[index].matched):
                    evidence[index].matched.append(word)

    def _add_past(self, lead_evidence: list[_Evidence], co_evidence: list[_Evidence], words: list[str]) -> None:
        vector = _tfidf_vector(words, self._past_idf)
        if not vector:
            return
        similar = []
        for order, row in enumerate(self._past):
            similarity = sum(v * row.vector.get(w, 0.0) for w, v in vector.items())
            if similarity >= LEARNED_MIN_SIMILARITY:
                similar.append((-similarity, order))
        for negative, order in sorted(similar)[:LEARNED_NEIGHBOURS]:
            row, similarity = self._past[order], -negative
            label = _("learned: %(measure)s") % {"measure": row.excerpt}
            for index in row.lead:
                lead_evidence[index].add(LEARNED_WEIGHT * similarity, label)
                co_evidence[index].add(LEARNED_WEIGHT * similarity * LEARNED_CO_SHARE, label)
            for index in row.co:
                lead_evidence[index].add(LEARNED_WEIGHT * similarity * LEARNED_CO_SHARE, label)
                co_evidence[index].add(LEARNED_WEIGHT * similarity, label)

    def suggest(self, text: str, *, programmes: Sequence[str] = ()) -> UnitSuggestions:
        text = "".join((text or "").split())
        if not text or not self._units:
            return UnitSuggestions(lead=[], co=[])

        evidence = [_Evidence() for _ in self._units]
        in_text: set[tuple[str, int]] = set()
        named_places: set[int] = set()
        matches, name_spans = self._match_terms(text)
        for term, count in matches:
            # A name written twice makes the unit the subject of the sentence;
            # a keyword repeated is just style.
            points = term.weight * (1 + REPEAT_SHARE * (count - 1)) if term.is_name else term.weight
            evidence[term.unit_index].add(points, term.text)
            in_text.add((term.text, term.unit_index))
            if term.is_name and self._units[term.unit_index].kind in HOST_KINDS:
                named_places.add(self._units[term.unit_index].pk)

        for programme in programmes:
            for term, _count in self._match_terms(programme)[0]:
                if (term.text, term.unit_index) not in in_text:
                    evidence[term.unit_index].add(term.weight, _("programme: %(name)s") % {"name": programme})

        # The words of a unit's name written in the text (“科技” in “嘉兴科技城”)
        # are that unit's name, not a remit the text describes.
        unnamed = list(text)
        for start, end in name_spans:
            unnamed[start:end] = "|" * (end - start)
        self._add_remit(evidence, _search_words("".join(unnamed), self._generic))
        words = _search_words(text, self._generic)

        # A lead-unit correction says nothing about co-units, and the reverse.
        lead_evidence = [e.copy() for e in evidence]
        co_evidence = [e.copy() for e in evidence]
        if self._past:
            self._add_past(lead_evidence, co_evidence, words)
        if self._corrections:
            content = _content_words(text, self._generic)
            best: dict[tuple[int, str], tuple[float, str]] = {}
            for c in self._corrections:
                similarity = _jaccard(content, c.words)
                if similarity >= SIMILARITY_THRESHOLD:
                    key = (c.unit_index, c.role)
                    if key not in best or similarity > best[key][0]:
                        best[key] = (similarity, c.excerpt)
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


@dataclass
class LearnResult:
    """What learning a past task table did, for the supervisor to check."""

    origin: str = ""
    rows: int = 0
    learned: int = 0
    matched: list[str] = field(default_factory=list)
    unmatched: list[str] = field(default_factory=list)
    placeholders: list[str] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)
    replaced: int = 0


def unit_rows_learn(*, rows: Iterable[tuple[str, Sequence[str], Sequence[str]]], origin: str, actor) -> LearnResult:
    """Learn who leads which kind of work from the rows of a past 任务分解表.

    Each row is (task text, lead unit names, co-unit names) as the table
    writes them. Names are matched to the active directory by name, short
    name or alias (luoshi.accounts.unitnames); a name that matches no unit is
    reported, never guessed. Every matched unit of a row is stored as a
    learned assignment with the row's text, and the suggester uses it for
    similar measures. Learning the same file (``origin``) again replaces
    what it taught before, so a corrected table can be learned anew.
    """
    origin = (origin or "").strip()[:255]
    if not origin:
        raise ValidationError(_("Learning needs the name of the table it comes from."))
    index = UnitNameIndex(Unit.objects.filter(is_active=True).order_by("sort_order", "code"))
    result = LearnResult(origin=origin)
    records: list[UnitCorrection] = []
    created_by = actor if getattr(actor, "is_authenticated", False) else None
    matched: set[str] = set()
    unmatched: set[str] = set()
    placeholders: set[str] = set()
    for text, lead_names, co_names in rows:
        result.rows += 1
        text = " ".join((text or "").split())
        if not text:
            result.skipped.append(_("row %(number)s: no task text") % {"number": result.rows})
            continue
        seen: set[int] = set()
        for role, names in ((UnitCorrection.Role.LEAD, lead_names), (UnitCorrection.Role.CO, co_names)):
            for match in (index.match(name) for name in names or ()):
                if match.placeholder:
                    placeholders.add(match.name)
                elif match.unit is None:
                    if match.name:
                        unmatched.add(match.name)
                elif match.unit.pk not in seen:
                    seen.add(match.unit.pk)
                    matched.add(match.unit.name)
                    records.append(UnitCorrection(text=text, unit=match.unit, role=role, source=UnitCorrection.Source.LEARNED,
                                                  origin=origin, created_by=created_by))
        if seen:
            result.learned += 1
        else:
            result.skipped.append(_("row %(number)s: no unit of the directory named") % {"number": result.rows})
    with transaction.atomic():
        result.replaced, _deleted = UnitCorrection.objects.filter(source=UnitCorrection.Source.LEARNED, origin=origin).delete()
        UnitCorrection.objects.bulk_create(records)
    result.matched = sorted(matched)
    result.unmatched = sorted(unmatched)
    result.placeholders = sorted(placeholders)
    return result


def unit_table_learn(*, content: bytes, filename: str, actor) -> LearnResult:
    """Learn from a past 任务分解表 file (.xlsx, or .docx whose tasks are in Word tables).

    The rows are read by the parser's table reader (luoshi.parsing.tables), so
    headers in any common wording and merged cells are handled as at import.
    """
    name = (filename or "").strip()
    suffix = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    if suffix not in ("xlsx", "docx"):
        raise ValidationError(
            _("Only a task table in .xlsx or .docx can be learned from; “%(name)s” is neither.") % {"name": name}
        )
    if not content:
        raise ValidationError(_("The file %(name)s is empty.") % {"name": name})
    try:
        if suffix == "xlsx":
            tables = [xlsx_task_sheet(content)[1]]
        else:
            tables = [table.rows for table in docx_document(content)[1]]
    except ParseError as exc:
        raise ValidationError(_("%(name)s could not be read: %(error)s") % {"name": name, "error": exc}) from None
    tasks = [task for rows in tables for task in task_rows(rows)]
    if not tasks:
        raise ValidationError(
            _("No task table was found in %(name)s: it needs a header row with a task column and a "
              "牵头单位 or 责任单位 column.") % {"name": name}
        )
    return unit_rows_learn(rows=[(task.text, task.lead, task.co) for task in tasks], origin=name, actor=actor)
