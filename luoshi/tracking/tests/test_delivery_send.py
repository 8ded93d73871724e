"""Sending a delivery through the task queue: arrives, retries, fails loudly, never vanishes."""
import base64
import hashlib
import hmac
from datetime import timedelta

import pytest
import time_machine
from django.core import mail
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.test import override_settings
from django.utils import timezone

from luoshi.tracking.models import Channel, Delivery
from luoshi.tracking.services import channel_create, delivery_attempt, delivery_create, delivery_retry_delay
from luoshi.tracking.tests.receiver import Answer

pytestmark = pytest.mark.django_db


@pytest.fixture
def send(django_capture_on_commit_callbacks):
    """Create a delivery and run what its transaction commit triggers (the task)."""

    def create_and_commit(**kwargs) -> Delivery:
        with django_capture_on_commit_callbacks(execute=True):
            delivery = delivery_create(**kwargs)
        delivery.refresh_from_db()
        return delivery

    return create_and_commit


def robot(kind: str, url: str, secret: str = "") -> Channel:
    return channel_create(actor=None, kind=kind, name=f"{kind} 督查群", webhook_url=url, secret=secret)


def test_a_dingtalk_message_arrives_and_is_recorded_as_sent(receiver, send):
    delivery = send(channel=robot("dingtalk", receiver.url), subject="督办通知", body="请于3月5日前回复。")
    assert delivery.status == Delivery.Status.SENT
    assert delivery.attempts == 1
    assert delivery.sent_at is not None
    assert delivery.last_error == ""
    assert receiver.received[0].json["markdown"]["title"] == "督办通知"


def test_a_signed_dingtalk_message_carries_a_signature_the_robot_can_verify(receiver, send):
    before_ms = int(timezone.now().timestamp() * 1000)
    send(channel=robot("dingtalk", receiver.url, secret="SEC0123456789"), subject="催办", body="请报送")
    query = receiver.received[0].query
    timestamp = query["timestamp"]
    # What DingTalk does on receipt: recompute with the shared secret.
    expected = base64.b64encode(
        hmac.new(b"SEC0123456789", f"{timestamp}\nSEC0123456789".encode(), hashlib.sha256).digest()
    ).decode()
    assert query["sign"] == expected
    assert query["access_token"] == "t0ken"
    # DingTalk rejects timestamps more than an hour off.
    assert 0 <= int(timestamp) - before_ms < 60_000


def test_a_wecom_message_arrives(receiver, send):
    delivery = send(channel=robot("wecom", receiver.url), subject="进度提醒", body="本月进度报告将于5日截止。")
    assert delivery.status == Delivery.Status.SENT
    assert receiver.received[0].json == {
        "msgtype": "markdown",
        "markdown": {"content": "**进度提醒**\n\n本月进度报告将于5日截止。"},
    }


def test_an_email_goes_through_djangos_mail_backend(send):
    channel = channel_create(actor=None, kind="email", name="邮件")
    delivery = send(channel=channel, recipient="liaison@jyj.nanhu.gov.cn", subject="催办", body="请报送。")
    assert delivery.status == Delivery.Status.SENT
    (message,) = mail.outbox
    assert message.to == ["liaison@jyj.nanhu.gov.cn"]
    assert (message.subject, message.body) == ("催办", "请报送。")


def test_an_email_needs_a_valid_address():
    channel = channel_create(actor=None, kind="email", name="邮件")
    with pytest.raises(ValidationError):
        delivery_create(channel=channel, recipient="区教育局", subject="s", body="b")
    assert not Delivery.objects.exists()


def test_a_switched_off_channel_takes_no_messages(receiver):
    channel = channel_create(actor=None, kind="wecom", name="旧群", webhook_url=receiver.url, is_active=False)
    with pytest.raises(ValidationError, match="已停用"):
        delivery_create(channel=channel, subject="s", body="b")


@override_settings(LUOSHI_DELIVERY_MAX_ATTEMPTS=3)
def test_a_failing_robot_is_retried_then_marked_failed_with_the_error(receiver, send):
    receiver.answer(Answer(status=500))
    delivery = send(channel=robot("dingtalk", receiver.url), subject="督办通知", body="正文")
    assert len(receiver.received) == 3
    assert delivery.status == Delivery.Status.FAILED
    assert delivery.attempts == 3
    assert delivery.last_error == "HTTP 500 Internal Server Error"
    assert delivery.sent_at is None
    assert delivery.next_attempt_at is None


@override_settings(LUOSHI_DELIVERY_MAX_ATTEMPTS=2)
def test_an_errcode_in_a_200_answer_is_a_failure(receiver, send):
    receiver.answer(Answer(payload={"errcode": 310000, "errmsg": "sign not match"}))
    delivery = send(channel=robot("dingtalk", receiver.url, secret="SECwrong"), subject="s", body="b")
    assert len(receiver.received) == 2
    assert delivery.status == Delivery.Status.FAILED
    assert delivery.last_error == "errcode 310000: sign not match"


def test_a_robot_that_recovers_gets_the_message_on_the_retry(receiver, send):
    receiver.answer(Answer(status=503), Answer(payload={"errcode": 0, "errmsg": "ok"}))
    delivery = send(channel=robot("wecom", receiver.url), subject="s", body="b")
    assert delivery.status == Delivery.Status.SENT
    assert delivery.attempts == 2
    assert delivery.last_error == ""


def test_a_delivery_already_sent_is_not_sent_again(receiver, send):
    delivery = send(channel=robot("wecom", receiver.url), subject="s", body="b")
    attempt = delivery_attempt(delivery_id=delivery.id)
    assert attempt.retry_at is None
    assert attempt.delivery.attempts == 1
    assert len(receiver.received) == 1


def test_a_row_saved_with_a_bad_url_fails_without_opening_it(send, tmp_path):
    # Bypasses full_clean(), as a careless data migration might.
    channel = Channel.objects.create(kind="wecom", name="坏地址", webhook_url=(tmp_path / "x").as_uri())
    with override_settings(LUOSHI_DELIVERY_MAX_ATTEMPTS=1):
        delivery = send(channel=channel, subject="s", body="b")
    assert delivery.status == Delivery.Status.FAILED
    assert "http://" in delivery.last_error


def test_deliveries_are_never_deleted(receiver, send):
    delivery = send(channel=robot("wecom", receiver.url), subject="s", body="b")
    with pytest.raises(TypeError):
        delivery.delete()
    with pytest.raises(TypeError):
        Delivery.objects.all().delete()
    assert Delivery.objects.count() == 1


def test_the_retry_delay_quadruples():
    assert [delivery_retry_delay(attempts=n) for n in (1, 2, 3)] == [
        timedelta(minutes=1),
        timedelta(minutes=4),
        timedelta(minutes=16),
    ]


# The worker closes its database connection between jobs, which would end the
# surrounding test transaction on PostgreSQL: this test commits for real.
@pytest.mark.django_db(transaction=True)
@override_settings(TASKS={"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}})
def test_with_the_database_queue_a_retry_waits_for_its_time_then_a_worker_sends_it(receiver, send):
    receiver.answer(Answer(status=502), Answer(payload={"errcode": 0}))
    with time_machine.travel(timezone.now(), tick=False) as clock:
        delivery = send(channel=robot("wecom", receiver.url), subject="s", body="b")
        # Nothing runs until a worker claims the job.
        assert delivery.status == Delivery.Status.QUEUED and receiver.received == []

        call_command("db_worker", batch=True, interval=0, verbosity=0)
        delivery.refresh_from_db()
        assert (delivery.status, delivery.attempts, len(receiver.received)) == ("queued", 1, 1)
        assert delivery.last_error == "HTTP 502 Bad Gateway"
        assert delivery.next_attempt_at == timezone.now() + timedelta(minutes=1)

        # The retry is deferred: a worker running now leaves it alone…
        call_command("db_worker", batch=True, interval=0, verbosity=0)
        assert len(receiver.received) == 1

        # …and sends it once its time has come.
        clock.shift(timedelta(minutes=1, seconds=1))
        call_command("db_worker", batch=True, interval=0, verbosity=0)
    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts, len(receiver.received)) == ("sent", 2, 2)
