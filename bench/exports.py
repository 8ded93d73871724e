"""The plan's .xlsx exports at history scale, against bare openpyxl writing the same cells.

    .venv/bin/python bench/exports.py [TASKS] [MONTHS]

Builds one plan of TASKS tasks (500) reported monthly for MONTHS months (36)
with ``luoshi synth`` in a temporary SQLite database: 18,000 progress
reports. Then times, best of three rounds with the pieces interleaved:

- history: ``progress_history_xlsx`` (one row per report, read from the
  database, dates formatted) against openpyxl writing the same cell values in
  write-only mode with no styles and no database;
- task list: ``task_list_xlsx`` against the same for its rows.

Prints each time and its ratio measured in this run, and the history's
time at half the rows, so that a quadratic step shows as a ratio near 4
instead of 2. Goals: the history under 5 s, each ratio at most 2×.
"""
import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
DB_DIR = tempfile.TemporaryDirectory(prefix="luoshi-bench-exports-")
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "luoshi.settings_test")
os.environ["DATABASE_URL"] = f"sqlite:///{DB_DIR.name}/bench.sqlite3"

import django  # noqa: E402

django.setup()

import io  # noqa: E402

from django.core.management import call_command  # noqa: E402
from openpyxl import Workbook, load_workbook  # noqa: E402

from luoshi.plans.models import Plan  # noqa: E402
from luoshi.reports.circular import office_reader  # noqa: E402
from luoshi.reports.exports import progress_history_xlsx, task_list_xlsx  # noqa: E402
from luoshi.reports.synth import synth_build  # noqa: E402
from luoshi.tracking.models import ProgressReport  # noqa: E402

TASKS = int(sys.argv[1]) if len(sys.argv) > 1 else 500
MONTHS = int(sys.argv[2]) if len(sys.argv) > 2 else 36
RUNS = 3
GOAL = 2.0
SECONDS_GOAL = 5.0


def cell_values(data: bytes) -> list[list]:
    book = load_workbook(io.BytesIO(data), read_only=True)
    return [list(row) for row in book.worksheets[0].iter_rows(values_only=True)]


def bare_write(values: list[list]) -> bytes:
    book = Workbook(write_only=True)
    sheet = book.create_sheet()
    for row in values:
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def best_of(pairs: dict) -> dict:
    times = {name: [] for name in pairs}
    for _ in range(RUNS):
        for name, work in pairs.items():
            start = time.perf_counter()
            work()
            times[name].append(time.perf_counter() - start)
    return {name: min(values) for name, values in times.items()}


def main() -> int:
    call_command("migrate", verbosity=0)
    start = time.perf_counter()
    synth_build(plans=1, tasks=TASKS, months=MONTHS, seed=1)
    small = synth_build(plans=1, tasks=TASKS, months=MONTHS // 2, seed=2)
    print(f"built in {time.perf_counter() - start:.1f} s ({small.reports} reports in the half-size plan)")
    big_plan, half_plan = Plan.objects.order_by("pk")
    reader = office_reader()
    history = progress_history_xlsx(plan=big_plan, visible_to=reader)
    history_values = cell_values(history)
    task_values = cell_values(task_list_xlsx(plan=big_plan, visible_to=reader))
    reports = ProgressReport.objects.filter(task__plan=big_plan).count()
    assert len(history_values) == reports + 1, (len(history_values), reports)
    print(f"history: {reports} reports, {len(history) / 1024 / 1024:.1f} MB; task list: {len(task_values) - 1} rows")

    times = best_of({
        "history": lambda: progress_history_xlsx(plan=big_plan, visible_to=reader),
        "bare history": lambda: bare_write(history_values),
        "half history": lambda: progress_history_xlsx(plan=half_plan, visible_to=reader),
        "task list": lambda: task_list_xlsx(plan=big_plan, visible_to=reader),
        "bare task list": lambda: bare_write(task_values),
    })
    ok = times["history"] < SECONDS_GOAL
    print(f"history: {times['history']:.2f} s for {reports} rows (goal < {SECONDS_GOAL:.0f} s: "
          f"{'ok' if ok else 'OVER'}); at half the rows {times['half history']:.2f} s, "
          f"ratio {times['history'] / times['half history']:.2f} (2 is linear, 4 quadratic)")
    for name in ("history", "task list"):
        ratio = times[name] / times[f"bare {name}"]
        ok = ok and ratio <= GOAL
        print(f"{name}: {times[name]:.2f} s, bare openpyxl {times[f'bare {name}']:.2f} s, ratio {ratio:.2f}× "
              f"({'ok' if ratio <= GOAL else f'OVER the {GOAL}× goal'})")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
