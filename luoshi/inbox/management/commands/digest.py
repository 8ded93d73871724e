"""``luoshi digest [--date YYYY-MM-DD]``: each person's one message of the day."""
from django.core.management.base import BaseCommand

from luoshi.inbox.services import digest_send
from luoshi.tracking.management.options import day_of


class Command(BaseCommand):
    help = (
        "Send each person one message (e-mail, or the robot channel they chose) gathering the day's "
        "notifications they have neither been sent nor read. A person gets one digest a day however "
        "often this runs; `luoshi remind` runs it too, so cron needs nothing more. "
        "Example: luoshi digest --date 2026-04-02"
    )

    def add_arguments(self, parser):
        parser.add_argument("--date", help="The day the digest is for (YYYY-MM-DD); default: today.")

    def handle(self, *args, date=None, **options):
        result = digest_send(day=day_of(date))
        self.stdout.write(
            f"{result.day}每日汇总：发送 {len(result.sent)} 人；此前已发送 {result.already} 人"
        )
