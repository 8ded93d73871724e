"""Extension requests (延期申请): the unit asks, a supervisor decides, the original date stays."""
from datetime import date

import pytest
from django.urls import reverse

from luoshi.audit.models import AuditEntry
from luoshi.tracking.models import ExtensionRequest, TaskTrack
from luoshi.tracking.services import ConcurrentReview, extension_decide, extension_request
from luoshi.tracking.tests.report_world import task_of

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("april_3")]


def ask(client, task, **data):
    return client.post(reverse("tracking:extension_request", args=[task.pk]),
                       {"requested_due": "2027-03-31", "reason": "幼儿园用地征迁延后两个月。", **data})


def test_the_lead_unit_asks_and_an_approval_moves_the_due_date_keeping_the_original_in_the_history(
    client, plan, reporter_education, supervisor
):
    task = task_of(plan, "education")
    client.force_login(reporter_education)
    assert ask(client, task).status_code == 302
    extension = ExtensionRequest.objects.get()
    assert (extension.status, extension.original_due, extension.requested_due) == (
        "pending", date(2026, 12, 31), date(2027, 3, 31)
    )

    client.force_login(supervisor)
    assert "幼儿园用地征迁延后两个月。" in client.get(reverse("tracking:review")).content.decode()
    response = client.post(reverse("tracking:extension_decide", args=[extension.pk]), {"decision": "approve"})
    assert response.status_code == 302
    extension.refresh_from_db()
    task.refresh_from_db()
    assert extension.status == "approved" and extension.decided_by == supervisor
    assert task.due_date == date(2027, 3, 31) and extension.original_due == date(2026, 12, 31)
    assert TaskTrack.objects.get(task=task).effective_due == date(2027, 3, 31)
    entry = AuditEntry.objects.get(action="extension.approved")
    assert entry.before["due_date"] == "2026-12-31" and entry.after["due_date"] == "2027-03-31"

    client.force_login(reporter_education)
    page = client.get(reverse("plans:task", args=[task.pk])).content.decode()
    assert "2027-03-31" in page and "原时限 2026-12-31" in page


def test_a_refusal_needs_a_note_and_leaves_the_due_date(client, plan, reporter_education, supervisor):
    task = task_of(plan, "education")
    extension = extension_request(task=task, actor=reporter_education, requested_due=date(2027, 3, 31), reason="征迁延后。")
    client.force_login(supervisor)
    client.post(reverse("tracking:extension_decide", args=[extension.pk]), {"decision": "refuse", "note": ""})
    extension.refresh_from_db()
    assert extension.status == "pending"
    client.post(reverse("tracking:extension_decide", args=[extension.pk]), {"decision": "refuse", "note": "可先建2所。"})
    extension.refresh_from_db()
    assert (extension.status, extension.decision_note) == ("refused", "可先建2所。")
    assert not TaskTrack.objects.filter(task=task, effective_due__isnull=False).exists()


def test_a_date_not_after_the_current_due_date_is_refused(client, plan, reporter_education):
    client.force_login(reporter_education)
    response = ask(client, task_of(plan, "education"), requested_due="2026-12-01")
    assert response.status_code == 400
    assert "申请的时限须晚于当前时限 2026-12-31" in response.content.decode()
    assert not ExtensionRequest.objects.exists()


def test_a_second_request_waits_for_the_first(plan, reporter_education):
    from django.core.exceptions import ValidationError

    task = task_of(plan, "education")
    extension_request(task=task, actor=reporter_education, requested_due=date(2027, 3, 31), reason="征迁延后。")
    with pytest.raises(ValidationError, match="已有一份延期申请"):
        extension_request(task=task, actor=reporter_education, requested_due=date(2027, 6, 30), reason="再延。")


def test_two_supervisors_deciding_at_once_one_wins(plan, reporter_education, supervisor, admin_user):
    extension = extension_request(task=task_of(plan, "education"), actor=reporter_education,
                                  requested_due=date(2027, 3, 31), reason="征迁延后。")
    extension_decide(extension=extension, actor=supervisor, approve=True)
    with pytest.raises(ConcurrentReview, match="该申请已由 督查室 王敏"):
        extension_decide(extension=ExtensionRequest.objects.get(), actor=admin_user, approve=False, note="不同意。")


def test_co_units_leaders_and_other_units_cannot_ask(client, plan, reporter_fengqiao, leader):
    client.force_login(reporter_fengqiao)
    assert ask(client, task_of(plan, "education")).status_code == 403  # a co-unit
    assert ask(client, task_of(plan, "science")).status_code == 404  # another unit's task
    client.force_login(leader)
    assert ask(client, task_of(plan, "education")).status_code == 403
    assert not ExtensionRequest.objects.exists()


def test_leaders_and_reporters_cannot_decide(client, plan, reporter_education, leader):
    extension = extension_request(task=task_of(plan, "education"), actor=reporter_education,
                                  requested_due=date(2027, 3, 31), reason="征迁延后。")
    for user in (leader, reporter_education):
        client.force_login(user)
        assert client.post(reverse("tracking:extension_decide", args=[extension.pk]), {"decision": "approve"}).status_code == 403
    client.logout()
    assert client.post(reverse("tracking:extension_decide", args=[extension.pk]), {"decision": "approve"}).status_code == 302
    extension.refresh_from_db()
    assert extension.status == "pending"
