"""Shared helpers for the parser tests: the seed, its gold outline and a scorer.

The scorer is our own, by the same layers as ../shared/tools/outline_score.py
(section titles by level, measures, placement of measures, title, closing;
whitespace ignored), because CI runs on a clean clone without ../shared.
"""
import json
import re
import sys
from pathlib import Path

import pytest

DATA = Path(__file__).resolve().parent / "data"
SEED = DATA / "seed.txt"
SEED_GOLD = DATA / "seed-outline.json"


def norm(text):
    return re.sub(r"\s+", "", text or "")


def layers(doc):
    out = {}

    def walk(sections, path):
        for s in sections:
            here = path + (norm(s["title"]),)
            out.setdefault(f"level {s['level']} titles", set()).add(norm(s["title"]))
            for m in s["measures"]:
                out.setdefault("measures", set()).add(norm(m["text"]))
                out.setdefault("measure placement", set()).add((here, norm(m["text"])))
            walk(s["sections"], here)

    walk(doc.get("sections") or [], ())
    for key in ("title", "closing"):
        if doc.get(key):
            out[key] = {norm(doc[key])}
    return out


def outline_f1(gold: dict, got: dict) -> float:
    gold_layers, got_layers = layers(gold), layers(got)
    scores = []
    for name, expected in gold_layers.items():
        found = got_layers.get(name, set())
        hit = len(expected & found)
        precision = hit / len(found) if found else 0.0
        recall = hit / len(expected)
        scores.append(2 * precision * recall / (precision + recall) if hit else 0.0)
    return sum(scores) / len(scores)


def luoshi_command() -> list[str]:
    """The installed console script, or the module when it is not installed."""
    script = Path(sys.executable).parent / "luoshi"
    return [str(script)] if script.exists() else [sys.executable, "-m", "luoshi"]


@pytest.fixture
def seed_gold():
    return json.loads(SEED_GOLD.read_text(encoding="utf-8"))
