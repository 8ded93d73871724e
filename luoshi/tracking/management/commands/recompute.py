"""``luoshi recompute [--plan ID] [--date YYYY-MM-DD]``: the nightly run of the status engine."""
from collections import Counter

from django.core.management.base import BaseCommand

from luoshi.jobs import sweep_run
from luoshi.tracking.management.options import day_of, plans_of
from luoshi.tracking.models import TaskTrack
from luoshi.tracking.supervision import plan_recompute, snapshots_write


class Command(BaseCommand):
    help = (
        "Recompute every task's light (红黄绿灯) and progress from the accepted reports, and record "
        "each task's light for every period that has ended. Run it nightly from cron; accepting a "
        "report recomputes its task at once. "
        "Example: luoshi recompute --plan 1 --date 2026-05-08"
    )

    def add_arguments(self, parser):
        parser.add_argument("--plan", type=int, help="Only this plan (its id); default: every plan.")
        parser.add_argument("--date", help="The day to judge by (YYYY-MM-DD); default: today.")

    def handle(self, *args, plan=None, date=None, **options):
        today = day_of(date)
        # Cron runs this anyway: it also picks up what a killed worker left behind.
        self.stdout.write(str(sweep_run()))
        for item in plans_of(plan):
            count = plan_recompute(plan=item, today=today)
            snapshots_write(plan=item, today=today)
            lights = Counter(TaskTrack.objects.filter(task__plan=item).values_list("light", flat=True))
            self.stdout.write(
                f"{item.name}（编号 {item.pk}，{today.isoformat()}）：{count} 项任务，"
                f"红灯 {lights['red']}，黄灯 {lights['yellow']}，绿灯 {lights['green']}"
            )
