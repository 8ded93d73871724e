"""The escalation ladder of a task: 提醒 → 催办 → 督办单 → 通报.

Each rung is recorded as a ``LadderStep`` when it happens:

- 提醒: `luoshi remind` sent the lead unit a reminder before the report
  deadline, or a chase after it, naming the task (supervision.plan_remind);
- 催办: a supervisor chased the unit by hand, with an optional note
  (``chase_send``);
- 督办单: a supervision notice was sent (notices._send);
- 通报: the task was named red in a generated circular
  (reports.circular.circular_docx; regenerating the same circular names it once).

``task_ladder`` gives the task page its panel: each rung, whether it was
reached, and every step with its date.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils.translation import gettext as _

from luoshi.accounts.permissions import is_supervisor
from luoshi.audit.services import audit_record
from luoshi.plans.models import Task
from luoshi.tracking import periods
from luoshi.tracking.models import LadderStep

CHASE_NOTE_MAX = 200


def steps_record(*, task_ids, rung: str, day: date, text: str = "", ref: str = "") -> None:
    """One step per task; with a ``ref``, a task already recorded for it is left alone."""
    rows = [LadderStep(task_id=pk, rung=rung, happened_on=day, text=text[:300], ref=ref) for pk in task_ids]
    if rows:
        LadderStep.objects.bulk_create(rows, ignore_conflicts=True)


def circular_steps_record(*, task_ids, number: str, day: date) -> None:
    steps_record(task_ids=task_ids, rung=LadderStep.Rung.CIRCULAR, day=day, text=number, ref=number)


def chase_send(*, task: Task, actor, note: str = "", today: date | None = None) -> LadderStep:
    """催办: a supervisor's one-click chase of the task's lead unit, with an optional note."""
    from luoshi.tracking.supervision import unit_notify

    if not is_supervisor(actor):
        raise PermissionDenied(_("Only the supervision office chases units."))
    if task.lead_unit is None:
        raise ValidationError(_("The task has no lead unit to chase."))
    note = (note or "").strip()
    if len(note) > CHASE_NOTE_MAX:
        raise ValidationError({"note": [_("The note is too long: at most %(max)d characters.") % {"max": CHASE_NOTE_MAX}]})
    today = today or periods.today()
    body = "\n".join([
        f"{task.lead_unit.name}：",
        "",
        f"请抓紧推进你单位牵头的“{task.title}”任务，并及时报送工作进度。",
        *([f"督查室意见：{note}"] if note else []),
        "",
        f"{settings.LUOSHI_ORG_NAME}督查室",
    ])
    with transaction.atomic():
        step = LadderStep.objects.create(
            task=task, rung=LadderStep.Rung.CHASE, happened_on=today, actor=actor, text=note
        )
        step.deliveries.set(unit_notify(
            unit=task.lead_unit, subject=f"【催办】{task.title[:60]}", body=body, kind="chase",
            url=reverse("plans:task", args=[task.pk]), dedup_key=f"task-chase:{step.pk}",
        ))
        audit_record(actor=actor, action="task.chase", obj=task, after={"unit": task.lead_unit.name, "note": note})
    return step


@dataclass
class Rung:
    code: str
    label: str
    steps: list[LadderStep] = field(default_factory=list)

    @property
    def reached(self) -> bool:
        return bool(self.steps)

    @property
    def first(self) -> date | None:
        return self.steps[0].happened_on if self.steps else None

    @property
    def last(self) -> date | None:
        return self.steps[-1].happened_on if self.steps else None


def task_ladder(*, task: Task) -> list[Rung]:
    """The four rungs in order, each with the steps reached (oldest first); one query."""
    rungs = {code: Rung(code, str(label)) for code, label in LadderStep.Rung.choices}
    for step in LadderStep.objects.filter(task=task).select_related("actor", "notice").order_by("happened_on", "pk"):
        rungs[step.rung].steps.append(step)
    return list(rungs.values())


def cycle_context(*, task: Task) -> dict:
    """The task page's reporting-cycle line: the task's own cycle, its plan's, and the longer ones it may take."""
    from luoshi.tracking.models import ReportingCycle, TaskCycle
    from luoshi.tracking.services import _COARSENESS

    plan_frequency = periods.plan_cycle(plan=task.plan).frequency
    return {
        "task_cycle": TaskCycle.objects.filter(task=task).first(),
        "plan_cycle_label": ReportingCycle.Frequency(plan_frequency).label,
        "cycle_choices": [
            (value, label) for value, label in ReportingCycle.Frequency.choices
            if _COARSENESS[value] > _COARSENESS[plan_frequency]
        ],
    }
