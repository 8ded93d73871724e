"""``luoshi check-data``: verify the data's invariants and print what is wrong (luoshi/datacheck.py)."""
from django.core.management.base import BaseCommand

from luoshi.datacheck import data_check, data_summary
from luoshi.tracking.management.options import day_of


class Command(BaseCommand):
    help = (
        "Check that every task's stored progress matches its accepted reports, that every ended "
        "period has a light snapshot for each task, and that every evidence file and finished "
        "circular is in the storage. Prints one line per problem and exits with status 1 if there "
        "is any. Run it after a restore or a migration. "
        "Example: luoshi check-data"
    )

    def add_arguments(self, parser):
        parser.add_argument("--date", help="The day to judge which periods have ended (YYYY-MM-DD); default: today.")

    def handle(self, *args, date=None, **options):
        problems = data_check(today=day_of(date))
        for problem in problems:
            self.stdout.write(problem)
        if problems:
            self.stderr.write(f"发现 {len(problems)} 个问题")
            raise SystemExit(1)
        self.stdout.write(f"数据检查通过：{data_summary()}")
