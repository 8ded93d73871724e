"""签收: a unit signs for a task it was given and for a 督办单; what is left unsigned is listed and chased once a day."""
from datetime import date

import pytest
from django.core import mail
from django.urls import reverse

from luoshi.audit.models import AuditEntry
from luoshi.plans.services import task_update
from luoshi.tracking import acks
from luoshi.tracking.models import Acknowledgement, TaskTrack
from luoshi.tracking.notices import notice_issue
from luoshi.tracking.services import channel_create
from luoshi.tracking.tests.supervision_data import plan_make, task_make

pytestmark = pytest.mark.django_db


@pytest.fixture
def plan():
    return plan_make(year=2026)


@pytest.fixture
def task(plan, units):
    return task_make(plan, units["education"], title="建成区级科技孵化器2家")


def pending_units(task):
    return sorted(a.unit.code for a in acks.pending().filter(task=task, notice__isnull=True))


def test_a_unit_given_a_task_as_lead_or_co_unit_has_it_to_sign_for(task, units):
    assert pending_units(task) == ["education"]
    task.co_units.add(units["fengqiao"])
    assert pending_units(task) == ["education", "fengqiao"]


def test_reassignment_gives_the_new_unit_an_item_and_takes_the_old_units_unsigned_one_away(task, units, supervisor):
    task_update(task=task, actor=supervisor, changes={"lead_unit": units["science"], "co_units": [units["fengqiao"]]},
                expected_version=task.version)
    assert pending_units(task) == ["fengqiao", "science"]
    task.refresh_from_db()
    task_update(task=task, actor=supervisor, changes={"co_units": []}, expected_version=task.version)
    assert pending_units(task) == ["science"]


def test_my_tasks_shows_what_to_sign_and_one_click_signs_it_with_an_audit_entry(client, task, reporter_education):
    client.force_login(reporter_education)
    page = client.get(reverse("tracking:my_tasks")).content.decode()
    assert "待签收" in page and "建成区级科技孵化器2家" in page
    item = Acknowledgement.objects.get(task=task)
    response = client.post(reverse("tracking:ack", args=[item.pk]))
    assert response.status_code == 302
    item.refresh_from_db()
    assert item.acked_by == reporter_education and item.acked_at is not None
    assert AuditEntry.objects.filter(action="ack.sign").count() == 1
    assert "待签收" not in client.get(reverse("tracking:my_tasks")).content.decode()


def test_sign_for_all_signs_every_pending_item_of_the_reporters_units(client, plan, units, task, reporter_education):
    other = task_make(plan, units["education"], title="新建幼儿园3所")
    client.force_login(reporter_education)
    client.post(reverse("tracking:ack_all"))
    assert not acks.pending().filter(task__in=[task, other]).exists()


def test_another_units_reporter_gets_404_a_leader_403_and_anonymous_the_login(client, task, reporter_fengqiao, leader):
    item = Acknowledgement.objects.get(task=task)
    client.force_login(reporter_fengqiao)
    assert client.post(reverse("tracking:ack", args=[item.pk])).status_code == 404
    assert client.post(reverse("tracking:task_ack", args=[task.pk])).status_code == 404
    client.force_login(leader)
    assert client.post(reverse("tracking:ack", args=[item.pk])).status_code == 403
    assert client.post(reverse("tracking:ack_all")).status_code == 403
    client.logout()
    assert "/accounts/login/" in client.post(reverse("tracking:ack", args=[item.pk])).url
    item.refresh_from_db()
    assert item.acked_at is None


def test_the_api_signs_a_task(client, task, reporter_education, supervisor):
    client.force_login(supervisor)
    assert client.post(f"/api/v1/tasks/{task.pk}/ack").status_code == 403
    client.force_login(reporter_education)
    response = client.post(f"/api/v1/tasks/{task.pk}/ack")
    assert response.status_code == 200
    assert response.json() == {"signed": 1, "pending": 0}
    assert client.post(f"/api/v1/tasks/{task.pk}/ack").json() == {"signed": 0, "pending": 0}


def test_a_notice_sent_is_an_item_to_sign_and_replying_signs_it(task, supervisor, reporter_education):
    TaskTrack.objects.create(task=task, light="red", reasons=[{"code": "overdue", "light": "red", "text": "已超期"}])
    notice = notice_issue(task=task, actor=supervisor, today=date(2026, 7, 13))
    item = Acknowledgement.objects.get(notice=notice)
    assert item.acked_at is None and item.assigned_on == date(2026, 7, 13)
    from luoshi.tracking.notices import notice_reply

    notice_reply(notice=notice, actor=reporter_education, reply="已落实场地。")
    item.refresh_from_db()
    assert item.acked_by == reporter_education


def test_unsigned_items_are_listed_after_two_working_days_and_chased_once_a_day(
    client, task, units, reporter_education, supervisor, leader, django_capture_on_commit_callbacks
):
    from luoshi.inbox.models import Notification
    from luoshi.inbox.services import digest_send

    reporter_education.email = "jyj@nanhu.gov.cn"
    reporter_education.save()
    channel_create(actor=None, kind="email", name="邮件")
    Acknowledgement.objects.filter(task=task).update(assigned_on=date(2026, 7, 9))  # a Thursday
    # Friday 10 and Monday 13 July are two working days later: listed from the 13th.
    assert acks.overdue(visible_to=supervisor, today=date(2026, 7, 10)) == []
    assert [a.task for a in acks.overdue(visible_to=supervisor, today=date(2026, 7, 13))] == [task]
    first = acks.acks_chase(today=date(2026, 7, 13))
    again = acks.acks_chase(today=date(2026, 7, 13))
    assert (first.units, first.items, again.items, again.already_chased) == (1, 1, 0, 1)
    chases = Notification.objects.filter(user=reporter_education, kind="chase")
    assert [n.subject for n in chases] == ["【签收提醒】1项事项待签收"]
    assert "建成区级科技孵化器2家" in chases[0].body
    item = Acknowledgement.objects.get(task=task)
    assert (item.chases, item.chased_on) == (1, date(2026, 7, 13))
    with django_capture_on_commit_callbacks(execute=True):
        digest_send(day=date(2026, 7, 13))
    assert "【签收提醒】1项事项待签收" in mail.outbox[0].body
    acks.acks_chase(today=date(2026, 7, 14))
    assert Notification.objects.filter(user=reporter_education, kind="chase").count() == 2
    client.force_login(leader)
    page = client.get(reverse("tracking:ack_overdue")).content.decode()
    assert "区教育局" in page and "建成区级科技孵化器2家" in page
    client.force_login(reporter_education)
    assert client.get(reverse("tracking:ack_overdue")).status_code == 403
