"""luoshi remind: who is reminded, when, what the message says, and that nothing is sent twice."""
from datetime import date
from io import StringIO

import pytest
from django.core import mail
from django.core.management import call_command

from luoshi.inbox.models import Notification
from luoshi.inbox.services import preference_set
from luoshi.tracking.models import Delivery, ProgressReport, Reminder, ReportingCycle
from luoshi.tracking.periods import periods_ensure
from luoshi.tracking.services import channel_create
from luoshi.tracking.supervision import plan_remind
from luoshi.tracking.tests.supervision_data import plan_make, report_make, task_make

pytestmark = pytest.mark.django_db


@pytest.fixture
def plan():
    return plan_make(year=2026)


@pytest.fixture
def world(plan, units, reporter_education, reporter_fengqiao, receiver):
    reporter_education.email = "jyj@nanhu.gov.cn"
    reporter_education.save()
    # This reporter takes each message at once, so the mail of each reminder can be read here;
    # the default, one digest a day, is tested at the end.
    preference_set(user=reporter_education, mode="immediate")
    channel_create(actor=None, kind="email", name="邮件")
    channel_create(actor=None, kind="wecom", name="督查室企业微信群", webhook_url=receiver.url)
    education = task_make(plan, units["education"], title="建成区级科技孵化器2家")
    fengqiao = task_make(plan, units["fengqiao"], title="凤桥水蜜桃产业园提升")
    return {"education": education, "fengqiao": fengqiao, "receiver": receiver}


def run(plan, day, capture):
    with capture(execute=True):
        return plan_remind(plan=plan, today=day)


def march(plan):
    return periods_ensure(plan=plan, until=date(2026, 4, 1))[2]


def test_reminders_wait_until_the_configured_working_days_before_the_deadline(plan, world, django_capture_on_commit_callbacks):
    ReportingCycle.objects.create(plan=plan, remind_days_before=1)
    # The March reports are due on Tuesday 7 April, after the Qingming holiday (4–6 April):
    # 2 April is two working days before (3 and 7 April), 3 April one.
    result = run(plan, date(2026, 4, 2), django_capture_on_commit_callbacks)
    assert result.kind is None
    assert Delivery.objects.count() == 0
    assert run(plan, date(2026, 4, 3), django_capture_on_commit_callbacks).kind == "before"


def test_nothing_is_sent_before_the_first_period_ends(plan, world, django_capture_on_commit_callbacks):
    assert run(plan, date(2026, 1, 20), django_capture_on_commit_callbacks).period is None
    assert Delivery.objects.count() == 0


def test_units_without_a_report_are_reminded_by_mail_and_robot(plan, world, django_capture_on_commit_callbacks):
    report_make(world["fengqiao"], march(plan), percent=30, status=ProgressReport.Status.SUBMITTED)
    result = run(plan, date(2026, 4, 2), django_capture_on_commit_callbacks)
    assert result.kind == "before"
    assert [r.unit.name for r in result.reminders] == ["区教育局"]
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["jyj@nanhu.gov.cn"]
    assert message.subject == "【报送提醒】请于2026年4月7日前报送2026年3月工作进度"
    assert "建成区级科技孵化器2家（完成时限2026年12月31日）" in message.body
    assert "2026年4月7日（星期二）" in message.body
    robot = world["receiver"].received[0].json["markdown"]["content"]
    assert "区教育局" in robot and "凤桥" not in robot
    assert Delivery.objects.filter(status="sent").count() == 2


def test_running_twice_sends_nothing_twice(plan, world, django_capture_on_commit_callbacks):
    run(plan, date(2026, 4, 2), django_capture_on_commit_callbacks)
    again = run(plan, date(2026, 4, 3), django_capture_on_commit_callbacks)
    assert again.reminders == []
    assert again.already_sent == 2
    assert Reminder.objects.count() == 2
    assert len(world["receiver"].received) == 2
    assert len(mail.outbox) == 1


def test_after_the_deadline_units_are_chased_once(plan, world, django_capture_on_commit_callbacks):
    run(plan, date(2026, 4, 2), django_capture_on_commit_callbacks)
    result = run(plan, date(2026, 4, 8), django_capture_on_commit_callbacks)
    assert result.kind == "chase"
    assert {r.unit.name for r in result.reminders} == {"区教育局", "凤桥镇"}
    chase = mail.outbox[-1]
    assert chase.subject == "【催办】2026年3月工作进度逾期未报送"
    assert "至今未报送" in chase.body
    assert run(plan, date(2026, 4, 9), django_capture_on_commit_callbacks).reminders == []


def test_a_returned_report_still_needs_a_reminder_and_an_accepted_one_does_not(plan, world, django_capture_on_commit_callbacks):
    report_make(world["education"], march(plan), percent=30, status=ProgressReport.Status.RETURNED)
    report_make(world["fengqiao"], march(plan), percent=30, status=ProgressReport.Status.ACCEPTED)
    result = run(plan, date(2026, 4, 2), django_capture_on_commit_callbacks)
    assert [r.unit.name for r in result.reminders] == ["区教育局"]


def test_the_remind_command_reports_what_it_queued(plan, world, django_capture_on_commit_callbacks):
    out = StringIO()
    with django_capture_on_commit_callbacks(execute=True):
        call_command("remind", "--date", "2026-04-08", stdout=out)
    assert "2026年3月催办 2 个单位" in out.getvalue()
    out = StringIO()
    call_command("remind", "--date", "2026-04-08", stdout=out)
    assert "催办 0 个单位" in out.getvalue()
    assert "此前已催办 2 个单位" in out.getvalue()


def test_by_default_a_reminder_waits_in_the_inbox_for_the_days_digest(plan, world, reporter_education, django_capture_on_commit_callbacks):
    preference_set(user=reporter_education, mode="digest")
    run(plan, date(2026, 4, 2), django_capture_on_commit_callbacks)
    assert mail.outbox == []
    notification = Notification.objects.get(user=reporter_education)
    assert notification.kind == "reminder"
    assert notification.subject == "【报送提醒】请于2026年4月7日前报送2026年3月工作进度"
    assert notification.url == "/tracking/my/updates/"
    assert len(world["receiver"].received) == 2  # the group robot still gets each unit's reminder at once

    out = StringIO()
    with django_capture_on_commit_callbacks(execute=True):
        call_command("remind", "--date", "2026-04-02", stdout=out)
    assert "每日汇总：发送 1 人" in out.getvalue()
    assert len(mail.outbox) == 1
    assert mail.outbox[0].subject == "【每日汇总】2026年4月2日共1条消息"
    assert "建成区级科技孵化器2家" in mail.outbox[0].body
