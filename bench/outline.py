"""Outline quality and parse speed on the real documents of the test corpus.

    .venv/bin/python bench/outline.py [-v] [NAME ...]

Parses every document in luoshi/parsing/tests/corpus/real/ and the seed, scores
each against its gold outline with the same layers as the project's
outline_score.py (title, level-1 titles, level-2 titles), and prints per
document the outline F1, the parse time and its ratio to one plain
``text.splitlines()`` pass over the same text, measured in this run as the
machine's yardstick. ``-v`` prints the missing and extra titles. Exits 1 if a
document scores below 0.85, the mean below 0.95 or the seed below 1.000.
"""
import json
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from luoshi.parsing import parse_bytes  # noqa: E402
from luoshi.parsing.tests.test_corpus import score  # noqa: E402

REAL = ROOT / "luoshi" / "parsing" / "tests" / "corpus" / "real"
SEED = ROOT / "luoshi" / "parsing" / "tests" / "data"
MIN_EACH, MIN_MEAN = 0.85, 0.95
REPEAT = 5


def timed(work) -> float:
    """The best of REPEAT runs, in seconds: the least disturbed by other load."""
    best = float("inf")
    for _ in range(REPEAT):
        start = time.perf_counter()
        work()
        best = min(best, time.perf_counter() - start)
    return best


def measure(path: Path, gold_path: Path, verbose: bool) -> tuple[float, float, float]:
    data = path.read_bytes()
    text = data.decode("utf-8")
    parsed = parse_bytes(data, filename=path.name).to_dict()
    mean, report = score(json.loads(gold_path.read_text(encoding="utf-8")), parsed)
    parse_s = timed(lambda: parse_bytes(data, filename=path.name))
    lines_s = timed(lambda: text.splitlines())
    if verbose:
        print("\n".join("    " + line for line in report[:-1]))
    return mean, parse_s, lines_s


def main(argv: list[str]) -> int:
    verbose = "-v" in argv
    names = [a for a in argv if not a.startswith("-")] or sorted(p.stem for p in REAL.glob("*.txt"))
    print(f"{'document':28s} {'F1':>6s} {'parse ms':>9s} {'x splitlines':>13s}")
    scores = []
    failed = False
    for name in names:
        f1, parse_s, lines_s = measure(REAL / f"{name}.txt", REAL / f"{name}.gold.json", verbose)
        scores.append(f1)
        low = f1 < MIN_EACH
        failed |= low
        print(f"{name:28s} {f1:6.3f} {parse_s * 1000:9.1f} {parse_s / lines_s:13.0f}{'  < ' + str(MIN_EACH) if low else ''}")
    mean = sum(scores) / len(scores)
    seed, parse_s, lines_s = measure(SEED / "seed.txt", SEED / "seed-outline.json", verbose)
    print(f"{'seed':28s} {seed:6.3f} {parse_s * 1000:9.1f} {parse_s / lines_s:13.0f}")
    print(f"mean outline F1 over {len(scores)} documents = {mean:.3f} (bar {MIN_MEAN}, each >= {MIN_EACH}); seed = {seed:.3f}")
    failed |= mean < MIN_MEAN or seed < 1.0
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
