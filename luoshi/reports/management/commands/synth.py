"""``luoshi synth --plans N --tasks M --months K``: a synthetic data set for benchmarks."""
import time

from django.core.management.base import BaseCommand, CommandError

from luoshi.reports.synth import synth_build


class Command(BaseCommand):
    help = (
        "Build a synthetic province-scale data set (plans, tasks, monthly periods, accepted reports, "
        "lights and their history) with bulk inserts, for benchmarks. Units come from the directory. "
        "Never run it against a production database. "
        "Example: luoshi synth --plans 100 --tasks 500 --months 36 --seed 1 (1.8 million reports)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--plans", type=int, default=10, help="number of plans (default 10)")
        parser.add_argument("--tasks", type=int, default=500, help="tasks per plan (default 500)")
        parser.add_argument("--months", type=int, default=12, help="monthly periods, each reported (default 12)")
        parser.add_argument("--seed", type=int, default=0, help="random seed: the same seed gives the same data")
        parser.add_argument("--year", type=int, help="the plans' first year (default: ends before this year)")

    def handle(self, *args, plans, tasks, months, seed, year, **options):
        started = time.perf_counter()
        try:
            result = synth_build(plans=plans, tasks=tasks, months=months, seed=seed, year=year)
        except ValueError as error:
            raise CommandError(str(error)) from None
        self.stdout.write(
            f"Synthesised {result.plans} plans, {result.tasks} tasks, {result.periods} periods, "
            f"{result.reports} reports and {result.snapshots} light snapshots in "
            f"{time.perf_counter() - started:.1f} s; lights as of {result.today}."
        )
