"""Unit names as plans write them, matched to the unit directory.

A clause such as （牵头单位：区发改委；配合单位：区财政局） names units the way
officials abbreviate them, not as the directory spells them (区发展和改革局).
The abbreviations follow a few rules that hold across districts, so they are
derived from each unit's full name instead of listed by hand:

- an administrative prefix (区/县/市/镇/省) may be dropped: 区教育局 = 教育局;
- 和/与/及 are dropped and each part may shrink to its first character(s):
  发展和改革 → 发改, 人力资源和社会保障 → 人社, 规划和自然资源 → 规资,
  住房和城乡建设 → 住建, 建设和管理 → 建管, 市场监督管理 → 市场监管;
- the kind of body keeps its meaning but shortens: 委员会 → 委,
  办公室 → 办, 管理委员会 → 管委会;
- when nothing else matches, the kind of body is ignored, so that
  区发改委 still finds 区发展和改革局 (districts name the same body either way).

Matching goes from the strictest rule to the loosest and stops at the first
rule that finds anything: one unit is a match, two or more are ambiguous and
give no match, with the reason, because guessing between two bureaus would
assign a task to the wrong one silently.
"""
from __future__ import annotations

import itertools
import logging
import re
from dataclasses import dataclass
from typing import Iterable, Sequence

import jieba
from django.utils.translation import gettext as _

jieba.setLogLevel(logging.WARNING)

ADMIN_PREFIXES = "区县市镇省"
# Longest first: 管理委员会 must be cut before 委员会.
_SUFFIXES: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("领导小组办公室", ("领导小组办公室", "办")),
    ("管理委员会", ("管理委员会", "管委会", "管委", "委员会", "委")),
    ("委员会", ("委员会", "委")),
    ("办公室", ("办公室", "办")),
    ("办事处", ("办事处", "")),
    ("分局", ("分局", "局")),
    ("街道", ("街道",)),
    ("中心", ("中心",)),
    ("局", ("局",)),
    ("委", ("委",)),
    ("办", ("办",)),
    ("部", ("部",)),
    ("厅", ("厅",)),
    ("处", ("处",)),
    ("院", ("院",)),
    ("所", ("所",)),
    ("队", ("队",)),
    ("站", ("站",)),
    ("镇", ("镇",)),
)
_JOINERS = re.compile(r"[和与及]")
_PLACEHOLDER = re.compile(r"^各|相关|有关|成员单位|各级")
_TRAILING_ETC = re.compile(r"(等相关部门|等相关单位|等部门|等单位|等)$")
_BRACKETED = re.compile(r"[（(][^（）()]*[）)]")


@dataclass(frozen=True)
class UnitMatch:
    """One name as written and what it became: a unit, a placeholder kept as text, or a reason."""

    name: str
    unit: object | None = None  # accounts.Unit
    placeholder: bool = False
    reason: str = ""

    @property
    def matched(self) -> bool:
        return self.unit is not None


def unit_name_clean(name: str) -> str:
    """The name without whitespace and without a trailing 等 / 等相关部门."""
    return _TRAILING_ETC.sub("", re.sub(r"\s+", "", name or ""))


def is_placeholder(name: str) -> bool:
    """各街镇, 各相关部门, 各联席会议成员单位: no one unit, kept as written."""
    return bool(_PLACEHOLDER.search(unit_name_clean(name)))


def _strip_prefix(name: str) -> str:
    if len(name) > 2 and name[0] in ADMIN_PREFIXES:
        return name[1:]
    return name


def _split_suffix(name: str) -> list[tuple[str, tuple[str, ...]]]:
    """Every way to read the name as core + kind of body: 建设和管理委员会 is 建设和管理 + 委员会,
    not 建设和 + 管理委员会, while 科技城管理委员会 is 科技城 + 管理委员会."""
    splits = []
    for suffix, forms in _SUFFIXES:
        core = name[: -len(suffix)]
        if name.endswith(suffix) and core and not _JOINERS.fullmatch(core[-1]):
            splits.append((core, forms))
    return splits or [(name, ("",))]


def _words(segment: str) -> list[str]:
    words: list[str] = []
    for word in jieba.lcut(segment, HMM=False):
        # 人力资源, 自然资源, 社会保障: abbreviations take characters of both halves.
        if len(word) == 4:
            words.extend((word[:2], word[2:]))
        else:
            words.append(word)
    return words


def _segment_forms(segment: str) -> set[str]:
    """Ways one part of a name (between 和) is written short: 自然资源 → 自然资源, 自, 资, 资源 …"""
    words = _words(segment)
    initials = "".join(w[0] for w in words)
    forms = {segment, segment[0], words[0], words[-1], words[-1][0], initials, words[0] + words[-1]}
    if len(words) > 1:
        forms.add(words[0] + "".join(w[0] for w in words[1:]))
        forms.add(words[0][0] + words[-1][0])
        forms.update(initials[:n] for n in range(2, len(initials)))
    return {f for f in forms if f}


def _core_forms(core: str) -> set[str]:
    segments = [s for s in _JOINERS.split(core) if s]
    if not segments:
        return set()
    forms = {core, "".join(segments)}
    for combination in itertools.product(*(sorted(_segment_forms(s)) for s in segments)):
        forms.add("".join(combination))
    return forms


def _literal_names(unit) -> list[str]:
    names = [unit.name, unit.short_name, *(unit.aliases or [])]
    result = []
    for name in names:
        name = unit_name_clean(name)
        if not name:
            continue
        result.append(name)
        without_brackets = _BRACKETED.sub("", name)
        if without_brackets and without_brackets != name:
            result.append(without_brackets)
            # 区水利局（区治水办）: the directory names the office the bureau also acts as.
            for inner in _BRACKETED.findall(name):
                result.extend(n for n in re.split(r"[、，,；;]", inner[1:-1]) if n)
    return result


class UnitNameIndex:
    """The directory's names, literal and derived, built once for matching many names."""

    def __init__(self, units: Iterable):
        self.units = list(units)
        # Three tiers: literal names, derived abbreviations, abbreviations whatever the kind of body. Each
        # twice: as written, and without the 区/镇 prefix, so that 镇平安办 finds the town's 镇平安办公室
        # before the district's 区平安办 and only falls back to it when the town has no such office.
        self._exact: list[dict[str, set[int]]] = [{}, {}, {}]
        self._loose: list[dict[str, set[int]]] = [{}, {}, {}]
        for index, unit in enumerate(self.units):
            for name in _literal_names(unit):
                self._add(0, name, index)
            full = _BRACKETED.sub("", unit_name_clean(unit.name))
            for name, stripped in ((full, False), (_strip_prefix(full), True)):
                for core, suffixes in _split_suffix(name):
                    for form in _core_forms(core):
                        for suffix in suffixes:
                            self._add(1, form + suffix, index, stripped)
                        self._add(2, form, index, stripped)

    def _add(self, tier: int, key: str, index: int, stripped: bool | None = None) -> None:
        if stripped is None:
            self._exact[tier].setdefault(key, set()).add(index)
            self._loose[tier].setdefault(_strip_prefix(key), set()).add(index)
        else:
            (self._loose if stripped else self._exact)[tier].setdefault(key, set()).add(index)

    def _lookups(self, written: str):
        """(keys of the name, map) pairs from the strictest rule to the loosest."""
        candidates = [written]
        without_brackets = _BRACKETED.sub("", written)
        if without_brackets and without_brackets != written:
            candidates.append(without_brackets)
        for tier, loose in ((0, False), (1, False), (0, True), (1, True), (2, False), (2, True)):
            keys = set(candidates) | ({_strip_prefix(c) for c in candidates} if loose else set())
            if tier == 2:
                keys = {core for k in keys for core, _forms in _split_suffix(k)}
            yield keys, (self._loose if loose else self._exact)[tier]

    def match(self, name: str) -> UnitMatch:
        written = unit_name_clean(name)
        if not written:
            return UnitMatch(name=name, reason=_("The name is empty."))
        if is_placeholder(written):
            return UnitMatch(name=written, placeholder=True)
        for keys, keys_of in self._lookups(written):
            found = set().union(*(keys_of.get(k, set()) for k in keys))
            if len(found) == 1:
                return UnitMatch(name=written, unit=self.units[found.pop()])
            if len(found) > 1:
                names = "、".join(sorted(self.units[i].name for i in found))
                return UnitMatch(
                    name=written, reason=_("“%(name)s” could be any of %(units)s.") % {"name": written, "units": names}
                )
        return UnitMatch(name=written, reason=_("No unit in the directory is called “%(name)s”.") % {"name": written})


def unit_match(name: str, units: Sequence) -> object | None:
    """The one unit ``name`` stands for, or None when it names none or more than one."""
    return UnitNameIndex(units).match(name).unit


def units_match(names: Iterable[str], units: Sequence | UnitNameIndex) -> list[UnitMatch]:
    """Each name with its unit, placeholder flag or the reason it matched none, in the given order."""
    index = units if isinstance(units, UnitNameIndex) else UnitNameIndex(units)
    return [index.match(name) for name in names]
