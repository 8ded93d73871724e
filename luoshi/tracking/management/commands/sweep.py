"""``luoshi sweep``: pick up what a killed worker left behind (luoshi/jobs.py)."""
from django.core.management.base import BaseCommand

from luoshi.jobs import sweep_run


class Command(BaseCommand):
    help = (
        "Queue again the background jobs left running by a worker that was killed "
        "(after LUOSHI_JOB_TIMEOUT_MINUTES), every notification message and circular left "
        "without a job, and remove import previews nobody confirmed within a day. "
        "`luoshi remind` and `luoshi recompute` run it too; safe to run at any time. "
        "Example: luoshi sweep"
    )

    def handle(self, *args, **options):
        self.stdout.write(str(sweep_run()))
