"""A task is marked as extended only when its due date really moved, not whenever the status engine has run."""
from datetime import date

import pytest
from django.urls import reverse

from luoshi.tracking.models import TaskTrack
from luoshi.tracking.services import extension_decide, extension_request
from luoshi.tracking.supervision import task_recompute
from luoshi.tracking.tests.report_world import task_of

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("april_3")]


def test_a_recomputed_task_never_extended_is_not_marked_extended(client, plan, reporter_education):
    task = task_of(plan, "education")
    task_recompute(task=task)
    assert TaskTrack.objects.get(task=task).effective_due == task.due_date  # what the engine stores
    client.force_login(reporter_education)
    my_tasks = client.get(reverse("tracking:my_tasks")).content.decode()
    task_page = client.get(reverse("plans:task", args=[task.pk])).content.decode()
    assert "已延期" not in my_tasks
    assert "原时限" not in task_page


def test_an_approved_extension_is_still_marked_on_my_tasks_and_the_task_page(
    client, plan, reporter_education, supervisor
):
    task = task_of(plan, "education")
    task_recompute(task=task)
    extension = extension_request(task=task, actor=reporter_education, requested_due=date(2027, 3, 31),
                                  reason="征迁延后。")
    extension_decide(extension=extension, actor=supervisor, approve=True)
    client.force_login(reporter_education)
    assert "已延期" in client.get(reverse("tracking:my_tasks")).content.decode()
    assert "原时限 2026-12-31" in client.get(reverse("plans:task", args=[task.pk])).content.decode()
