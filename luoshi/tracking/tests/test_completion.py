"""Completion (办结): the unit asks once a 100 % report has evidence; a supervisor signs it off (销号)."""
from datetime import date

import pytest
import time_machine
from django.urls import reverse

from luoshi.tracking.models import TaskTrack
from luoshi.tracking.periods import period_for
from luoshi.tracking.services import ConcurrentReview, completion_request, completion_sign_off, report_submit
from luoshi.tracking.tests.report_world import PDF_BYTES, task_of, upload

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("april_3")]


def report_done(plan, reporter, *, files=()):
    task = task_of(plan, "education")
    return report_submit(
        task=task, actor=reporter, period=period_for(plan=plan, day=date(2026, 4, 3)), percent=100,
        work_state="done", narrative="3所幼儿园于3月28日竣工验收。", milestone_ids=[task.milestones.get().pk],
        files=files,
    )


def test_completion_needs_a_100_percent_report_with_evidence(client, plan, reporter_education, media):
    from django.core.exceptions import ValidationError

    report_done(plan, reporter_education)
    task = task_of(plan, "education")
    with pytest.raises(ValidationError, match="附有佐证材料"):
        completion_request(task=task, actor=reporter_education)
    client.force_login(reporter_education)
    assert "报送完成进度100%并附佐证材料的报告后" in client.get(reverse("plans:task", args=[task.pk])).content.decode()


def test_the_unit_requests_completion_and_a_supervisor_signs_it_off(client, plan, reporter_education, supervisor, media):
    report_done(plan, reporter_education, files=[upload("竣工验收单.pdf", PDF_BYTES)])
    task = task_of(plan, "education")
    client.force_login(reporter_education)
    assert client.post(reverse("tracking:completion_request", args=[task.pk])).status_code == 302
    assert TaskTrack.objects.get(task=task).completion_requested_at is not None

    client.force_login(supervisor)
    assert "全面推进教育现代化" in client.get(reverse("tracking:review")).content.decode()
    assert client.post(reverse("tracking:completion_sign_off", args=[task.pk])).status_code == 302
    track = TaskTrack.objects.get(task=task)
    assert track.signed_off_by == supervisor
    # The engine treats a signed-off task as completed: green, whatever the dates say.
    assert track.light == "green"
    with time_machine.travel("2027-03-01 10:00 +08:00", tick=False):
        from luoshi.tracking.supervision import task_recompute

        assert task_recompute(task=task).light == "green"


def test_a_task_is_signed_off_once(plan, reporter_education, supervisor, admin_user, media):
    report_done(plan, reporter_education, files=[upload("竣工验收单.pdf", PDF_BYTES)])
    task = task_of(plan, "education")
    completion_request(task=task, actor=reporter_education)
    completion_sign_off(task=task, actor=supervisor)
    with pytest.raises(ConcurrentReview, match="该任务已由 督查室 王敏"):
        completion_sign_off(task=task, actor=admin_user)


def test_sign_off_needs_the_units_request(plan, supervisor):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError, match="尚未申请办结"):
        completion_sign_off(task=task_of(plan, "education"), actor=supervisor)


def test_who_may_request_and_sign_off(client, plan, reporter_education, reporter_fengqiao, leader, supervisor, media):
    report_done(plan, reporter_education, files=[upload("竣工验收单.pdf", PDF_BYTES)])
    task = task_of(plan, "education")
    for user in (reporter_fengqiao, leader):  # a co-unit, a leader
        client.force_login(user)
        assert client.post(reverse("tracking:completion_request", args=[task.pk])).status_code == 403
    client.force_login(reporter_fengqiao)
    assert client.post(reverse("tracking:completion_request", args=[task_of(plan, "science").pk])).status_code == 404
    completion_request(task=task, actor=reporter_education)
    for user in (reporter_education, leader):
        client.force_login(user)
        assert client.post(reverse("tracking:completion_sign_off", args=[task.pk])).status_code == 403
    assert TaskTrack.objects.get(task=task).signed_off_at is None
