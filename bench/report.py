"""Time to generate the monthly circular (通报) for a 500-task plan. Goal: under 5 s.

    .venv/bin/python bench/report.py               # 500 tasks, 12 months, 3 runs
    .venv/bin/python bench/report.py --tasks 2000 --runs 5

Builds a throwaway SQLite database in a temporary folder, fills one plan
with ``luoshi synth``'s builder (bulk inserts: tasks, a year of monthly
reports, lights and snapshots), then generates the .docx the way the
background job does and prints the median time, the time of each step
(figures, charts, body, appendix, file) and the document's size. Where
LibreOffice is installed it also prints the PDF conversion's time, which
is not part of the goal (the conversion is optional).
"""
import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
GOAL_SECONDS = 5.0
STEP_NAMES = ["figures", "charts", "body", "appendix", "file"]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tasks", type=int, default=500)
    parser.add_argument("--months", type=int, default=12)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()

    folder = tempfile.TemporaryDirectory(prefix="luoshi-bench-report-")
    os.environ["DJANGO_SETTINGS_MODULE"] = "luoshi.settings"
    os.environ["DEBUG"] = "true"
    os.environ["LUOSHI_VAR_DIR"] = folder.name
    os.environ["DATABASE_URL"] = f"sqlite:///{folder.name}/bench.sqlite3"
    import django

    django.setup()
    from django.core.management import call_command
    from django.test import override_settings

    from luoshi.plans.models import Plan
    from luoshi.reports.circular import circular_docx, circular_period, docx_to_pdf, pdf_converter
    from luoshi.reports.synth import synth_build

    call_command("migrate", verbosity=0)
    started = time.perf_counter()
    built = synth_build(plans=1, tasks=args.tasks, months=args.months)
    print(f"data: 1 plan, {built.tasks} tasks, {built.reports} reports, {built.snapshots} snapshots "
          f"built in {time.perf_counter() - started:.1f} s (SQLite, {folder.name})")
    plan = Plan.objects.get()

    with override_settings(LUOSHI_DEMO_TODAY=built.today):
        period = circular_period(plan=plan, spec="latest")
        circular_docx(plan=plan, period=period)  # warm-up: imports, fonts, matplotlib's cache
        totals, steps = [], []
        for _run in range(args.runs):
            marks = [time.perf_counter()]
            content = circular_docx(plan=plan, period=period, progress=lambda _step: marks.append(time.perf_counter()))
            totals.append(marks[-1] - marks[0])
            steps.append([b - a for a, b in zip(marks, marks[1:])])
        median = statistics.median(totals)
        print(f"circular for {period.label}: {len(content) / 1024:.0f} KiB, median {median:.2f} s over {args.runs} runs "
              f"(min {min(totals):.2f} s, max {max(totals):.2f} s)")
        for index, name in enumerate(STEP_NAMES):
            print(f"  {name:<9} {statistics.median(s[index] for s in steps):.2f} s")
        if pdf_converter() is not None:
            started = time.perf_counter()
            pdf = docx_to_pdf(content)
            print(f"PDF (LibreOffice, not part of the goal): {time.perf_counter() - started:.2f} s, {len(pdf) / 1024:.0f} KiB")
    verdict = "OK" if median < GOAL_SECONDS else "OVER"
    print(f"goal: under {GOAL_SECONDS:.0f} s for {args.tasks} tasks: {verdict} ({median:.2f} s)")
    folder.cleanup()
    return 0


if __name__ == "__main__":
    sys.exit(main())
