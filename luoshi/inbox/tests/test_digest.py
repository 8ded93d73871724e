"""notify() and the daily digest: one message per person per day, however often it runs."""
from datetime import date
from io import StringIO

import pytest
from django.core import mail
from django.core.management import call_command

from luoshi.inbox.models import Digest, Notification
from luoshi.inbox.services import digest_send, notify, preference_set
from luoshi.tracking.models import Delivery
from luoshi.tracking.services import channel_create

pytestmark = pytest.mark.django_db

DAY = date(2026, 4, 2)


@pytest.fixture
def mailbox(reporter_education):
    reporter_education.email = "jyj@nanhu.gov.cn"
    reporter_education.save()
    return channel_create(actor=None, kind="email", name="邮件")


def three_events(user):
    notify(user, kind="reminder", subject="【报送提醒】请于2026年4月7日前报送2026年3月工作进度", body="请报送。",
           url="/tracking/my/updates/", dedup_key="reminder:1")
    notify(user, kind="comment", subject="督查室评论了“新建幼儿园3所”", body="请补充照片。", url="/tracking/tasks/1/")
    notify(user, kind="mention", subject="王敏在“学在南湖”中提到了您", url="/tracking/tasks/2/")


def test_three_events_in_a_day_make_one_message_and_running_twice_still_one(
    reporter_education, mailbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        three_events(reporter_education)
    assert mail.outbox == []  # a digest by default: nothing goes out per event
    assert Notification.objects.filter(user=reporter_education, read_at=None).count() == 3

    with django_capture_on_commit_callbacks(execute=True):
        first = digest_send(day=DAY)
    with django_capture_on_commit_callbacks(execute=True):
        second = digest_send(day=DAY)

    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["jyj@nanhu.gov.cn"]
    assert message.subject == "【每日汇总】2026年4月2日共3条消息"
    assert "1. 【报送提醒】请于2026年4月7日前报送2026年3月工作进度" in message.body
    assert "2. 督查室评论了“新建幼儿园3所”" in message.body and "请补充照片。" in message.body
    assert "3. 王敏在“学在南湖”中提到了您" in message.body
    assert "/tracking/my/updates/" in message.body
    assert (len(first.sent), len(second.sent), second.already) == (1, 0, 1)
    assert Digest.objects.count() == 1
    # Still in the inbox, unread, but marked as sent in that digest.
    assert Notification.objects.filter(user=reporter_education, read_at=None, digest__isnull=False).count() == 3


def test_a_notification_told_twice_with_the_same_key_is_one(reporter_education, mailbox):
    first = notify(reporter_education, kind="reminder", subject="提醒", dedup_key="reminder:7")
    again = notify(reporter_education, kind="reminder", subject="提醒", dedup_key="reminder:7")
    assert first.pk == again.pk
    assert Notification.objects.count() == 1


def test_what_comes_after_the_days_digest_waits_for_the_next_day(reporter_education, mailbox, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        notify(reporter_education, kind="comment", subject="第一条")
        digest_send(day=DAY)
        notify(reporter_education, kind="comment", subject="第二条")
        digest_send(day=DAY)
    assert len(mail.outbox) == 1
    with django_capture_on_commit_callbacks(execute=True):
        digest_send(day=date(2026, 4, 3))
    assert len(mail.outbox) == 2 and "第二条" in mail.outbox[1].body and "第一条" not in mail.outbox[1].body


def test_what_was_read_before_the_digest_is_left_out(reporter_education, mailbox, django_capture_on_commit_callbacks):
    read = notify(reporter_education, kind="comment", subject="已读的")
    notify(reporter_education, kind="comment", subject="未读的")
    Notification.objects.filter(pk=read.pk).update(read_at="2026-04-02T09:00:00+08:00")
    with django_capture_on_commit_callbacks(execute=True):
        digest_send(day=DAY)
    assert "未读的" in mail.outbox[0].body and "已读的" not in mail.outbox[0].body


def test_a_person_who_chose_immediately_gets_each_message_at_once_and_no_digest(
    reporter_education, mailbox, django_capture_on_commit_callbacks
):
    preference_set(user=reporter_education, mode="immediate")
    with django_capture_on_commit_callbacks(execute=True):
        three_events(reporter_education)
        digest_send(day=DAY)
    assert len(mail.outbox) == 3
    assert Digest.objects.count() == 0


def test_a_supervision_notice_goes_at_once_even_to_a_digest_reader(reporter_education, mailbox, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        notification = notify(reporter_education, kind="notice", subject="【督办】南湖督〔2026〕1号", body="请反馈。",
                              url="/tracking/notices/1/")
    assert len(mail.outbox) == 1 and mail.outbox[0].subject == "【督办】南湖督〔2026〕1号"
    assert notification.deliveries.count() == 1 and notification.sent_at is not None


def test_a_person_can_take_the_digest_on_a_robot_instead_of_e_mail(reporter_education, mailbox, receiver, django_capture_on_commit_callbacks):
    robot = channel_create(actor=None, kind="wecom", name="我的企业微信", webhook_url=receiver.url)
    preference_set(user=reporter_education, mode="digest", robot=robot)
    with django_capture_on_commit_callbacks(execute=True):
        three_events(reporter_education)
        digest_send(day=DAY)
    assert mail.outbox == []
    assert len(receiver.received) == 1
    content = receiver.received[0].json["markdown"]["content"]
    assert "【每日汇总】2026年4月2日共3条消息" in content and "区教育局 联络员" in content


def test_nobody_without_an_address_or_channel_gets_a_digest_row(reporter_education, django_capture_on_commit_callbacks):
    notify(reporter_education, kind="comment", subject="无处可发")
    assert digest_send(day=DAY).sent == []
    assert Digest.objects.count() == 0 and Delivery.objects.count() == 0


def test_the_digest_command_says_what_it_sent(reporter_education, mailbox, django_capture_on_commit_callbacks):
    notify(reporter_education, kind="comment", subject="一条")
    out = StringIO()
    with django_capture_on_commit_callbacks(execute=True):
        call_command("digest", "--date", "2026-04-02", stdout=out)
    call_command("digest", "--date", "2026-04-02", stdout=out)
    assert "2026-04-02每日汇总：发送 1 人；此前已发送 0 人" in out.getvalue()
    assert "发送 0 人；此前已发送 1 人" in out.getvalue()


def test_a_returned_report_lands_in_the_senders_inbox_with_the_reason(plan, reporter_education, supervisor):
    from luoshi.tracking.periods import period_for
    from luoshi.tracking.services import report_return, report_submit
    from luoshi.tracking.tests.report_world import task_of

    task = task_of(plan, "education")
    report = report_submit(task=task, actor=reporter_education, period=period_for(plan=plan, day=date(2026, 4, 3)),
                           percent=30, work_state="in_progress", narrative="已开工。")
    report_return(report=report, actor=supervisor, reason="请附开工照片。", expected_version=report.version)
    notification = Notification.objects.get(user=reporter_education)
    assert notification.kind == "returned" and notification.kind_label == "报告退回"
    assert notification.subject == "【退回】全面推进教育现代化，新建幼儿园3所（2026年3月）"
    assert notification.body == "退回理由：请附开工照片。"
    assert notification.url == f"/plans/tasks/{task.pk}/"
