"""``luoshi remind [--plan ID] [--date YYYY-MM-DD]``: reminders before report deadlines, chases after."""
from django.core.management.base import BaseCommand

from luoshi.inbox.services import digest_send
from luoshi.jobs import sweep_run
from luoshi.tracking.management.options import day_of, plans_of
from luoshi.tracking.acks import acks_chase
from luoshi.tracking.supervision import plan_remind


class Command(BaseCommand):
    help = (
        "Queue a reminder to every unit whose tasks still lack a progress report, in the last "
        "working days before the report deadline, and a chase (催办) after it: to each of the unit's "
        "reporters through their inbox (e-mailed in their daily digest, or at once if they chose so) and "
        "a message to every DingTalk/WeCom group robot. Each unit gets each message once per period "
        "however often this runs. It also chases, once a day, what a unit has not signed for (签收) "
        "after LUOSHI_ACK_CHASE_WORKING_DAYS working days. Then sends the day's digests (as "
        "`luoshi digest` does), so run it from cron every morning; `luoshi db_worker` sends what it queues. "
        "Example: luoshi remind --date 2026-04-02"
    )

    def add_arguments(self, parser):
        parser.add_argument("--plan", type=int, help="Only this plan (its id); default: every plan.")
        parser.add_argument("--date", help="The day to act on (YYYY-MM-DD); default: today.")

    def handle(self, *args, plan=None, date=None, **options):
        today = day_of(date)
        # Cron runs this anyway: it also picks up what a killed worker left behind.
        self.stdout.write(str(sweep_run()))
        for item in plans_of(plan):
            result = plan_remind(plan=item, today=today)
            if result.kind is None:
                when = f"{result.period.label}报送截止日 {result.period.report_due}" if result.period else "首个周期尚未结束"
                self.stdout.write(f"{item.name}：今天无需提醒（{when}）")
                continue
            what = "提醒" if result.kind == "before" else "催办"
            deliveries = sum(r.deliveries.count() for r in result.reminders)
            self.stdout.write(
                f"{item.name}：{result.period.label}{what} {len(result.reminders)} 个单位，"
                f"{deliveries} 条消息排队发送；此前已{what} {result.already_sent} 个单位"
            )
        if plan is None:
            chased = acks_chase(today=today)
            self.stdout.write(
                f"签收催办：{chased.units} 个单位 {chased.items} 项，{len(chased.deliveries)} 条消息排队发送；"
                f"今天已催办 {chased.already_chased} 项"
            )
        digest = digest_send(day=today)
        self.stdout.write(f"{digest.day}每日汇总：发送 {len(digest.sent)} 人；此前已发送 {digest.already} 人")
