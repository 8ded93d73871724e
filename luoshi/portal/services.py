"""Publishing tasks on the public page (政务公开): a supervisor's decision, audited task by task."""
from __future__ import annotations

from collections.abc import Iterable

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from luoshi.audit.services import audit_record
from luoshi.plans.models import Plan, Task
from luoshi.plans.services import SEED_PLAN_NAME

# The demo publishes what a district would put before its citizens first:
# the modern industry system (三) and the people's livelihood (四) parts.
DEMO_PUBLIC_PARTS = ("3", "4")


def task_publish(*, tasks: Iterable[Task], actor, public: bool) -> list[Task]:
    """Publish (or withdraw) ``tasks``; returns the tasks whose flag changed.

    Tasks already in the wanted state are left alone and not audited. The
    task's edit version is not bumped: the edit form does not carry the flag,
    so publishing must not turn someone's open edit into a stale one.
    """
    ids = [task.pk for task in tasks]
    with transaction.atomic():
        changed = list(Task.objects.select_for_update().filter(pk__in=ids).exclude(is_public=public).order_by("pk"))
        Task.objects.filter(pk__in=[task.pk for task in changed]).update(is_public=public, updated=timezone.now())
        for task in changed:
            task.is_public = public
            audit_record(
                actor=actor,
                action="task.publish" if public else "task.unpublish",
                obj=task,
                before={"is_public": not public},
                after={"is_public": public},
            )
    return changed


def portal_demo_publish(*, actor=None) -> int:
    """Publish parts 三 and 四 of the seed plan; returns how many tasks were newly published.

    Does nothing once any task of the plan is public, so running the demo
    again keeps whatever a supervisor has published or withdrawn since.
    """
    plan = Plan.objects.filter(name=SEED_PLAN_NAME).first()
    if plan is None or plan.tasks.filter(is_public=True).exists():
        return 0
    in_parts = Q()
    for part in DEMO_PUBLIC_PARTS:
        in_parts |= Q(measure__section__number=part) | Q(measure__section__number__startswith=f"{part}.")
    tasks = Task.objects.filter(in_parts, plan=plan)
    return len(task_publish(tasks=tasks, actor=actor, public=True))
