"""Unit suggestion, measured: the seed plan, then the real-plan corpus next to a TF-IDF baseline.

    .venv/bin/python bench/assign.py

Seed: loads the demo directory (luoshi/accounts/data/nanhu-units.yaml) into an
in-memory SQLite database, suggests lead units for the seed's 35 measures and
prints top-1 and top-3 accuracy against
luoshi/plans/tests/data/seed_lead_units.yaml, then suggestions per second
without and with corrections on record, next to jieba segmentation alone.

Corpus: loads the corpus directory (luoshi/plans/tests/data/corpus-units.yaml,
written from the units' remits, not from the measures) instead, and for each
of the 153 gold unit records of the real plans
(luoshi/parsing/tests/corpus/real/units/*.json) suggests from the measure
text alone, its responsibility clause hidden. A suggestion is a hit when it is
a gold lead unit or, where the gold names no lead that is a unit of the
directory, any unit the clause names; records naming only placeholders
(各街镇, 各相关部门) are skipped and counted. Printed in the same run:

(a) a plain TF-IDF baseline: jieba words of each unit's name and duties,
    log-scaled TF × IDF vectors, cosine similarity to the measure's vector
    (written out without a library in luoshi/plans/tests/unit_accuracy.py,
    which the tests use too);
(b) our suggester (luoshi.plans.suggest);
(c) our suggester on the odd-numbered records before and after learning the
    even-numbered ones through the learning service (unit_rows_learn), as an
    office would teach it last year's 任务分解表.

Exits non-zero if (b) does not beat (a) on top-1 or learning does not raise
top-1 on the odd half.
"""
import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "luoshi.settings_test")
os.environ["DATABASE_URL"] = "sqlite://:memory:"

import django  # noqa: E402

django.setup()

import jieba  # noqa: E402
import yaml  # noqa: E402
from django.core.management import call_command  # noqa: E402

from luoshi.accounts.models import Unit  # noqa: E402
from luoshi.accounts.services import unit_directory_load  # noqa: E402
from luoshi.plans.models import UnitCorrection  # noqa: E402
from luoshi.plans.suggest import UnitSuggester, unit_correction_record, unit_rows_learn  # noqa: E402
from luoshi.plans.tests.unit_accuracy import (  # noqa: E402
    CORPUS_UNITS,
    TfidfBaseline,
    accuracy,
    corpus_records,
    corpus_targets,
)

UNITS = ROOT / "luoshi" / "accounts" / "data" / "nanhu-units.yaml"
GOLD = ROOT / "luoshi" / "plans" / "tests" / "data" / "seed_lead_units.yaml"
SECONDS = 2.0


def rate(work, texts) -> float:
    """Texts per second, over at least SECONDS of repeated passes."""
    done, start = 0, time.perf_counter()
    while (elapsed := time.perf_counter() - start) < SECONDS:
        for text in texts:
            work(text)
        done += len(texts)
    return done / elapsed


def seed() -> None:
    unit_directory_load(path=UNITS)
    gold = yaml.safe_load(GOLD.read_text(encoding="utf-8"))["measures"]

    start = time.perf_counter()
    suggester = UnitSuggester.from_db()
    built = time.perf_counter() - start

    top1 = top3 = 0
    for measure in gold:
        ranked = [s.unit_code for s in suggester.suggest(measure["text"]).lead]
        top1 += ranked[:1] == [measure["lead"]]
        top3 += measure["lead"] in ranked[:3]
        if measure["lead"] not in ranked[:1]:
            print(f"  {measure['id']}: gold {measure['lead']:<16} suggested {', '.join(ranked[:3]) or '-'}")

    texts = [m["text"] for m in gold]
    suggest_rate = rate(suggester.suggest, texts)
    jieba_rate = rate(lambda text: jieba.lcut(text, HMM=False), texts)
    # A district some years in: a correction on record for every measure,
    # so each suggestion also compares the text with all of them.
    units = {u.code: u for u in Unit.objects.all()}
    for measure in gold:
        unit_correction_record(text=measure["text"], unit=units[measure["lead"]], role="lead", actor=None)
    corrected_rate = rate(UnitSuggester.from_db().suggest, texts)

    n = len(gold)
    print(f"seed: units: {Unit.objects.count()}, measures: {n}")
    print(f"seed top-1 accuracy: {top1}/{n} = {top1 / n:.0%}")
    print(f"seed top-3 accuracy: {top3}/{n} = {top3 / n:.0%}")
    print(f"UnitSuggester.from_db(): {built * 1000:.0f} ms")
    print(f"suggestions per second: {suggest_rate:,.0f}")
    print(f"suggestions per second with {len(gold)} corrections on record: {corrected_rate:,.0f}")
    print(f"jieba segmentation alone: {jieba_rate:,.0f} texts per second")
    print(f"time per suggestion with corrections / jieba segmentation alone: {jieba_rate / corrected_rate:.1f}x")


def line(label: str, hits: tuple[int, int], n: int) -> str:
    top1, top3 = hits
    return f"{label:<34} top-1 {top1:>3}/{n} = {top1 / n:5.1%}   top-3 {top3:>3}/{n} = {top3 / n:5.1%}"


def corpus() -> bool:
    UnitCorrection.objects.all().delete()
    Unit.objects.update(parent=None)
    Unit.objects.all().delete()
    unit_directory_load(path=CORPUS_UNITS)
    units = list(Unit.objects.filter(is_active=True).order_by("sort_order", "code"))
    records = corpus_records()
    scored, skipped, unplaced = corpus_targets(records, units)
    n = len(scored)
    print(f"corpus: units: {len(units)}, records: {len(records)}, scored: {n}, "
          f"skipped (placeholders only): {len(skipped)}")
    print(f"names that are no unit (placeholders): {'、'.join(sorted(unplaced))}")

    baseline = TfidfBaseline(units)
    ours = UnitSuggester.from_db()

    def rank_ours(text):
        return [s.unit_code for s in ours.suggest(text).lead]

    base_hits = accuracy(baseline.ranked, scored)
    our_hits = accuracy(rank_ours, scored)
    print(line("(a) TF-IDF baseline (name+duties)", base_hits, n))
    print(line("(b) UnitSuggester", our_hits, n))

    taught = records[0::2]
    held_out = [(record, targets) for record, targets in scored if records.index(record) % 2 == 1]
    before = accuracy(rank_ours, held_out)
    learned = unit_rows_learn(rows=[(r["measure"], r["lead"], r["co"]) for r in taught], origin="bench-even-half",
                              actor=None)
    after_suggester = UnitSuggester.from_db()
    after = accuracy(lambda text: [s.unit_code for s in after_suggester.suggest(text).lead], held_out)
    print(f"(c) learned {learned.learned} of {learned.rows} even-numbered records "
          f"({len(learned.unmatched)} names matched no unit: {'、'.join(learned.unmatched) or '-'})")
    print(line("    odd half, before learning", before, len(held_out)))
    print(line("    odd half, after learning", after, len(held_out)))

    beats = our_hits[0] > base_hits[0]
    helps = after[0] > before[0]
    print(f"ours / baseline top-1: {our_hits[0] / max(base_hits[0], 1):.2f}x; "
          f"learning gain on the odd half: {after[0] - before[0]:+d} top-1")
    if not beats:
        print("FAIL: the suggester does not beat the TF-IDF baseline")
    if not helps:
        print("FAIL: learning from the even half does not raise top-1 on the odd half")
    return beats and helps


def main() -> int:
    call_command("migrate", verbosity=0)
    seed()
    print()
    return 0 if corpus() else 1


if __name__ == "__main__":
    sys.exit(main())
