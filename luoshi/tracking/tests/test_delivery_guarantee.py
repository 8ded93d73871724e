"""At least once, never lost: every failed attempt is a recorded retry, a killed worker's job is swept
back into the queue, and every attempt carries the delivery's idempotency key."""
from datetime import timedelta
from io import StringIO

import pytest
from django.core import mail
from django.core.management import call_command
from django.test import override_settings
from django.utils import timezone
from django_tasks.base import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from luoshi.jobs import sweep_run
from luoshi.tracking import channels
from luoshi.tracking.models import Channel, Delivery
from luoshi.tracking.services import channel_create, delivery_attempt, delivery_create
from luoshi.tracking.tests.receiver import Answer

pytestmark = pytest.mark.django_db
DB_QUEUE = override_settings(TASKS={"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}})
OK = Answer(payload={"errcode": 0, "errmsg": "ok"})


def robot(url: str) -> Channel:
    return channel_create(actor=None, kind="wecom", name="企业微信督查群", webhook_url=url)


def queued(channel: Channel, **kwargs) -> Delivery:
    """A delivery whose job has not run (its transaction's commit callbacks are not executed)."""
    return delivery_create(channel=channel, subject=kwargs.get("subject", "催办"), body="请报送3月进展",
                           recipient=kwargs.get("recipient", ""))


def test_a_webhook_answering_a_garbled_status_line_is_a_recorded_retry(receiver):
    receiver.answer(Answer(raw=b"HTTP/1.1 2OO FINE\r\n\r\n"), OK)
    delivery = queued(robot(receiver.url))

    attempt = delivery_attempt(delivery_id=delivery.id)
    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts) == ("queued", 1)
    assert delivery.last_error.startswith("garbled answer from the webhook: BadStatusLine")
    assert attempt.retry_at == delivery.next_attempt_at is not None

    delivery_attempt(delivery_id=delivery.id)
    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts, delivery.last_error) == ("sent", 2, "")


def test_a_webhook_that_hangs_up_without_answering_is_a_recorded_retry(receiver):
    receiver.answer(Answer(raw=b"\r\n"))
    delivery = queued(robot(receiver.url))
    delivery_attempt(delivery_id=delivery.id)
    delivery.refresh_from_db()
    assert delivery.status == "queued" and delivery.last_error != ""


def test_a_sender_that_blows_up_unexpectedly_is_a_recorded_retry_not_a_lost_message(receiver, monkeypatch):
    def broken(**kwargs):
        raise UnicodeEncodeError("ascii", "督办", 0, 1, "ordinal not in range(128)")

    monkeypatch.setattr(channels, "send_wecom", broken)
    delivery = queued(robot(receiver.url))
    attempt = delivery_attempt(delivery_id=delivery.id)
    delivery.refresh_from_db()
    assert delivery.last_error.startswith("UnicodeEncodeError: 'ascii' codec can't encode")
    assert (delivery.status, attempt.retry_at is not None) == ("queued", True)


def test_every_attempt_at_a_webhook_carries_the_same_idempotency_key(receiver):
    receiver.answer(Answer(status=502), OK)
    delivery = queued(robot(receiver.url))
    other = queued(Channel.objects.get(), subject="督办")
    for _ in range(2):
        delivery_attempt(delivery_id=delivery.id)
    delivery_attempt(delivery_id=other.id)
    keys = [received.headers["Idempotency-Key"] for received in receiver.received]
    assert keys == [str(delivery.key), str(delivery.key), str(other.key)]


def test_an_email_carries_its_delivery_key_as_message_id(settings):
    settings.DEFAULT_FROM_EMAIL = "督查室 <duchashi@nanhu.gov.cn>"
    channel = channel_create(actor=None, kind="email", name="邮件")
    first = queued(channel, recipient="a@example.cn")
    second = queued(channel, recipient="b@example.cn")
    delivery_attempt(delivery_id=first.id)
    delivery_attempt(delivery_id=second.id)
    ids = [message.message()["Message-ID"] for message in mail.outbox]
    assert ids == [f"<{first.key}@nanhu.gov.cn>", f"<{second.key}@nanhu.gov.cn>"]


def test_each_delivery_gets_a_key_of_its_own(receiver):
    channel = robot(receiver.url)
    assert len({queued(channel).key for _ in range(3)}) == 3


# The worker closes its database connection between jobs, which would end the
# surrounding test transaction on PostgreSQL: these tests commit for real.
@pytest.mark.django_db(transaction=True)
@DB_QUEUE
def test_a_job_left_running_by_a_killed_worker_is_swept_back_and_its_message_arrives(
    receiver, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        delivery = queued(robot(receiver.url))
    # What `kill -9` in the middle of the send leaves: the job claimed for
    # good, the attempt counted, nothing recorded.
    DBTaskResult.objects.update(
        status=TaskResultStatus.RUNNING, started_at=timezone.now() - timedelta(minutes=31), worker_ids=["killed"]
    )
    Delivery.objects.filter(id=delivery.id).update(attempts=1)
    call_command("db_worker", batch=True, interval=0, verbosity=0)
    assert receiver.received == []

    result = sweep_run()
    assert result.jobs_requeued == 1 and result.deliveries_requeued == 0
    call_command("db_worker", batch=True, interval=0, verbosity=0)
    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts) == ("sent", 2)
    assert [r.headers["Idempotency-Key"] for r in receiver.received] == [str(delivery.key)]


@pytest.mark.django_db(transaction=True)
@DB_QUEUE
def test_a_job_still_within_its_time_is_left_to_its_worker(receiver, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        queued(robot(receiver.url))
    DBTaskResult.objects.update(status=TaskResultStatus.RUNNING, started_at=timezone.now() - timedelta(minutes=5))
    assert sweep_run(now=timezone.now() + timedelta(minutes=10)).jobs_requeued == 0
    assert DBTaskResult.objects.get().status == TaskResultStatus.RUNNING


@pytest.mark.django_db(transaction=True)
@DB_QUEUE
def test_a_queued_delivery_whose_job_is_gone_is_queued_again_after_the_grace_period(
    receiver, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        delivery = queued(robot(receiver.url))
    DBTaskResult.objects.update(status=TaskResultStatus.FAILED, finished_at=timezone.now())

    assert sweep_run().deliveries_requeued == 0  # just created: its job may still be on its way
    later = timezone.now() + timedelta(minutes=6)
    assert sweep_run(now=later).deliveries_requeued == 1
    assert sweep_run(now=later).deliveries_requeued == 0  # one job per delivery, however often it runs
    call_command("db_worker", batch=True, interval=0, verbosity=0)
    delivery.refresh_from_db()
    assert delivery.status == "sent" and len(receiver.received) == 1


@pytest.mark.django_db(transaction=True)
@DB_QUEUE
def test_a_delivery_waiting_for_its_retry_keeps_its_time_when_requeued(receiver, django_capture_on_commit_callbacks):
    receiver.answer(Answer(status=500), OK)
    with django_capture_on_commit_callbacks(execute=True):
        delivery = queued(robot(receiver.url))
    call_command("db_worker", batch=True, interval=0, verbosity=0)
    delivery.refresh_from_db()
    DBTaskResult.objects.filter(status=TaskResultStatus.READY).update(status=TaskResultStatus.FAILED)

    assert sweep_run(now=timezone.now() + timedelta(minutes=6)).deliveries_requeued == 1
    job = DBTaskResult.objects.get(status=TaskResultStatus.READY)
    assert job.run_after == delivery.next_attempt_at


def test_the_sweep_command_says_what_it_did():
    out = StringIO()
    call_command("sweep", stdout=out)
    assert out.getvalue().startswith("清理：重新排队卡住的后台作业 0 个、无作业的消息 0 条")
