"""task_publish and the demo's published parts."""
from io import StringIO

import pytest
from django.core.management import call_command
from django.urls import reverse

from luoshi.audit.models import AuditEntry
from luoshi.plans.models import Plan, Task
from luoshi.plans.services import SEED_PLAN_NAME
from luoshi.portal.services import portal_demo_publish, task_publish

pytestmark = pytest.mark.django_db


def test_task_publish_changes_only_the_tasks_not_yet_in_that_state(world, supervisor):
    everything = Task.objects.filter(plan=world.plan)
    changed = task_publish(tasks=everything, actor=supervisor, public=True)
    assert sorted(t.pk for t in changed) == sorted(t.pk for t in world.unpublished)
    assert all(t.is_public for t in changed)
    assert AuditEntry.objects.filter(action="task.publish").count() == 2
    assert task_publish(tasks=everything, actor=supervisor, public=True) == []


def test_task_publish_withdraws_tasks(world, supervisor):
    changed = task_publish(tasks=world.published, actor=supervisor, public=False)
    assert len(changed) == 2
    assert not Task.objects.filter(plan=world.plan, is_public=True).exists()
    assert set(AuditEntry.objects.filter(action="task.unpublish").values_list("actor", flat=True)) == {supervisor.pk}


@pytest.fixture
def demo():
    out = StringIO()
    call_command("demo", stdout=out)
    return out.getvalue()


def test_the_demo_publishes_parts_three_and_four_of_the_seed_plan(demo, client):
    plan = Plan.objects.get(name=SEED_PLAN_NAME)
    public = Task.objects.filter(plan=plan, is_public=True)
    assert public.exists()
    assert {t.measure.section.parent.number for t in public.select_related("measure__section__parent")} == {"3", "4"}
    assert not Task.objects.filter(plan=plan, is_public=False, measure__section__number__startswith="4.").exists()
    assert f"Public page: {public.count()} tasks of parts 三 and 四 published" in demo
    page = client.get(reverse("portal:plan", args=[plan.pk])).content.decode()
    assert "主攻“供给侧”质量" in page and "聚焦“获得感”提升" in page
    assert "强化“护旗手”担当" not in page


def test_the_demo_keeps_what_a_supervisor_withdrew_when_run_again(demo):
    plan = Plan.objects.get(name=SEED_PLAN_NAME)
    withdrawn = Task.objects.filter(plan=plan, is_public=True).first()
    task_publish(tasks=[withdrawn], actor=None, public=False)
    assert portal_demo_publish() == 0
    assert not Task.objects.get(pk=withdrawn.pk).is_public
