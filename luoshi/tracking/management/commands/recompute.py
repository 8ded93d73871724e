"""``luoshi recompute [--plan ID] [--date YYYY-MM-DD] [--full]``: the nightly run of the status engine."""
import time

from django.core.management.base import BaseCommand

from luoshi.jobs import sweep_run
from luoshi.tracking.management.options import day_of, plans_of
from luoshi.tracking.supervision import plan_refresh


class Command(BaseCommand):
    help = (
        "Recompute every task's light (红黄绿灯) and progress from the accepted reports, and record "
        "each task's light for every period that has ended. Run it nightly from cron; accepting a "
        "report recomputes its task at once. Incremental: the snapshots of a task whose reports, "
        "milestones, extensions and dates are unchanged since the last run are kept. --full rewrites "
        "everything, after a change of the status thresholds or of the holiday calendar. "
        "Example: luoshi recompute --plan 1 --date 2026-05-08"
    )

    def add_arguments(self, parser):
        parser.add_argument("--plan", type=int, help="Only this plan (its id); default: every plan.")
        parser.add_argument("--date", help="The day to judge by (YYYY-MM-DD); default: today.")
        parser.add_argument("--full", action="store_true", help="Rewrite every light and snapshot.")

    def handle(self, *args, plan=None, date=None, full=False, **options):
        today = day_of(date)
        # Cron runs this anyway: it also picks up what a killed worker left behind.
        self.stdout.write(str(sweep_run()))
        started = time.perf_counter()
        tasks = 0
        for item in plans_of(plan):
            result = plan_refresh(plan=item, today=today, full=full)
            tasks += result.tasks
            lights = result.lights
            self.stdout.write(
                f"{item.name}（编号 {item.pk}，{today.isoformat()}）：{result.tasks} 项任务，"
                f"红灯 {lights['red']}，黄灯 {lights['yellow']}，绿灯 {lights['green']}；"
                f"输入有变 {result.changed} 项，改写灯色 {result.tracks_written} 项、快照 {result.snapshots_written} 条"
            )
        self.stdout.write(f"共 {tasks} 项任务，用时 {time.perf_counter() - started:.1f} 秒")
