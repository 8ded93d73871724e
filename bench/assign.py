"""Unit suggestion on the seed plan: accuracy against the gold, and speed.

    .venv/bin/python bench/assign.py

Loads the demo unit directory into an in-memory SQLite database, suggests
lead units for the seed's 35 measures and prints top-1 and top-3 accuracy
against luoshi/plans/tests/data/seed_lead_units.yaml, then suggestions per
second, without and with corrections on record, and the ratio to segmenting
the same texts with jieba alone (what comparing a measure with earlier
corrections costs at the least).
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
from luoshi.plans.suggest import UnitSuggester, unit_correction_record  # noqa: E402

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


def main() -> int:
    call_command("migrate", verbosity=0)
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
    print(f"units: {Unit.objects.count()}, measures: {n}")
    print(f"top-1 accuracy: {top1}/{n} = {top1 / n:.0%}")
    print(f"top-3 accuracy: {top3}/{n} = {top3 / n:.0%}")
    print(f"UnitSuggester.from_db(): {built * 1000:.0f} ms")
    print(f"suggestions per second: {suggest_rate:,.0f}")
    print(f"suggestions per second with {len(gold)} corrections on record: {corrected_rate:,.0f}")
    print(f"jieba segmentation alone: {jieba_rate:,.0f} texts per second")
    print(f"time per suggestion with corrections / jieba segmentation alone: {jieba_rate / corrected_rate:.1f}x")
    return 0


if __name__ == "__main__":
    sys.exit(main())
