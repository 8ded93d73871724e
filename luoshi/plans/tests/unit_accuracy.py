"""Scoring unit suggestions on the corpus's gold unit records, shared by bench/assign.py and the tests.

A record is scored on its measure text alone (the clause hidden). A ranked
list of unit codes hits when its first entry is a gold lead unit or, where
the gold names no lead that is a unit of the directory, any unit the clause
names. Records that name only placeholders (各街镇, 各相关部门) are skipped.

The baseline is plain TF-IDF, written out here without a library: jieba
words of each unit's name and duties, log-scaled term frequency times
log(N / df), cosine similarity to the measure's vector.
"""
from __future__ import annotations

import json
import math
from collections import Counter
from pathlib import Path

import jieba

from luoshi.accounts.models import Unit

CORPUS_UNITS = Path(__file__).parent / "data" / "corpus-units.yaml"
CORPUS_GOLD = Path(__file__).parents[2] / "parsing" / "tests" / "corpus" / "real" / "units"


def corpus_records() -> list[dict]:
    """The gold unit records of every corpus file, in file order."""
    records = []
    for path in sorted(CORPUS_GOLD.glob("*.json")):
        for record in json.loads(path.read_text(encoding="utf-8")):
            records.append({**record, "file": path.stem})
    return records


def _names(units) -> dict[str, Unit]:
    by_name: dict[str, Unit] = {}
    for unit in units:
        for name in [unit.name, unit.short_name, *unit.aliases]:
            by_name.setdefault(name, unit)
    return by_name


def gold_units(names: list[str], by_name: dict[str, Unit]) -> set[str]:
    """Codes of the units a gold list names; 市交通委（科信处、宣传处） names the divisions in brackets."""
    codes = set()
    for name in names:
        if name in by_name:
            codes.add(by_name[name].code)
            continue
        base, _, inner = name.partition("（")
        for part in [base, *inner.rstrip("）").split("、")]:
            if part in by_name:
                codes.add(by_name[part].code)
    return codes


def corpus_targets(records: list[dict], units) -> tuple[list[tuple[dict, set[str]]], list[dict], set[str]]:
    """Each scorable record with the codes that count as a hit; the skipped records; names that are no unit."""
    by_name = _names(units)
    scored, skipped, unplaced = [], [], set()
    for record in records:
        targets = gold_units(record["lead"], by_name) or gold_units(record["co"], by_name)
        unplaced |= {n for n in record["lead"] + record["co"] if not gold_units([n], by_name)}
        if targets:
            scored.append((record, targets))
        else:
            skipped.append(record)
    return scored, skipped, unplaced


def _words(text: str) -> list[str]:
    return [w for w in jieba.lcut(text, HMM=False) if len(w) >= 2 and any(c.isalnum() for c in w)]


class TfidfBaseline:
    """Plain TF-IDF over each unit's name and duties; units ranked by cosine to the measure."""

    def __init__(self, units):
        self.units = list(units)
        documents = [_words(f"{u.name}\n{u.duties}") for u in self.units]
        df = Counter(w for doc in documents for w in set(doc))
        self.idf = {w: math.log(len(documents) / c) for w, c in df.items()}
        self.vectors = [self._vector(doc) for doc in documents]

    def _vector(self, words: list[str]) -> dict[str, float]:
        v = {w: (1 + math.log(c)) * self.idf.get(w, 0.0) for w, c in Counter(words).items()}
        norm = math.sqrt(sum(x * x for x in v.values()))
        return {w: x / norm for w, x in v.items()} if norm else {}

    def ranked(self, text: str) -> list[str]:
        query = self._vector(_words(text))
        scores = [(sum(x * uv.get(w, 0.0) for w, x in query.items()), i) for i, uv in enumerate(self.vectors)]
        return [self.units[i].code for score, i in sorted(scores, key=lambda s: (-s[0], s[1])) if score > 0]


def accuracy(rank, scored) -> tuple[int, int]:
    """Top-1 and top-3 hits of a ranking function over scored records."""
    top1 = top3 = 0
    for record, targets in scored:
        ranked = rank(record["measure"])
        top1 += bool(set(ranked[:1]) & targets)
        top3 += bool(set(ranked[:3]) & targets)
    return top1, top3
