"""What the public page (政务公开) shows: only published tasks, and only their public facts.

The public facts of a task are the ones the office would print in a
newspaper: its title and the plan sentence it comes from, the units that
carry it out (public bodies), its due date, its percent complete and light,
and when that percent was last confirmed (the period and the day the office
accepted the report). Everything the units and the office write to each other
stays internal: narratives, return reasons, evidence files, supervision
notices, the reasons behind a light, and who reported or reviewed.

Every read here starts from ``Task.is_public``; the page and the JSON are
both built from the dataclasses below, so the leak test covers both at once.
A plan, section or measure appears only through its published tasks, and
roll-ups count published tasks only, so an unpublished task cannot show
through a figure either.
"""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from django.core.paginator import Page, Paginator
from django.db.models import (
    Case,
    Count,
    DecimalField,
    Exists,
    ExpressionWrapper,
    F,
    IntegerField,
    Max,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Coalesce
from django.http import Http404
from django.utils import timezone
from django.utils.translation import pgettext_lazy

from luoshi.plans.models import Plan, Section, Task
from luoshi.tracking.models import ProgressReport, TaskTrack
from luoshi.tracking.status import rollup

# A light is never shown by colour alone: citizens read the words. The
# context keeps these words the public page's own, whatever other pages call
# the same states.
LIGHT_LABELS = {
    "green": pgettext_lazy("public page", "On track"),
    "yellow": pgettext_lazy("public page", "Needs attention"),
    "red": pgettext_lazy("public page", "Behind schedule"),
    "done": pgettext_lazy("public page", "Completed"),
}
LIGHT_NAMES = {
    "green": pgettext_lazy("public page", "Green"),
    "yellow": pgettext_lazy("public page", "Yellow"),
    "red": pgettext_lazy("public page", "Red"),
    "done": pgettext_lazy("public page", "Green"),
}


def _percent(value: Decimal | None) -> float | None:
    return float(value) if value is not None else None


@dataclass
class PublicTask:
    id: int
    title: str
    lead_unit: str | None
    co_units: list[str]
    due_date: date | None
    percent: int
    # green / yellow / red, or "done" once the office signed the task off.
    light: str
    updated_period: str | None
    updated_on: date | None
    weight: Decimal
    repeats_source: bool  # the title is the source sentence itself

    @property
    def light_label(self) -> str:
        return str(LIGHT_LABELS[self.light])

    @property
    def light_name(self) -> str:
        return str(LIGHT_NAMES[self.light])

    def to_dict(self) -> dict:
        return {
            "id": self.id,
            "title": self.title,
            "lead_unit": self.lead_unit,
            "co_units": self.co_units,
            "due_date": self.due_date.isoformat() if self.due_date else None,
            "percent": self.percent,
            "light": self.light,
            "light_label": self.light_label,
            "last_update": {
                "period": self.updated_period,
                "accepted_on": self.updated_on.isoformat() if self.updated_on else None,
            }
            if self.updated_period
            else None,
        }


@dataclass
class PublicMeasure:
    number: str
    source_sentence: str
    tasks: list[PublicTask]

    def to_dict(self) -> dict:
        return {
            "number": self.number,
            "source_sentence": self.source_sentence,
            "tasks": [task.to_dict() for task in self.tasks],
        }


@dataclass
class PublicSection:
    number: str
    level: int
    label: str
    title: str
    measures: list[PublicMeasure] = field(default_factory=list)
    sections: list[PublicSection] = field(default_factory=list)
    progress: Decimal | None = None
    lights: dict[str, int] = field(default_factory=dict)

    def tasks(self) -> list[PublicTask]:
        own = [task for measure in self.measures for task in measure.tasks]
        return own + [task for section in self.sections for task in section.tasks()]

    def to_dict(self) -> dict:
        return {
            "number": self.number,
            "level": self.level,
            "label": self.label,
            "title": self.title,
            "progress": _percent(self.progress),
            "lights": self.lights,
            "measures": [measure.to_dict() for measure in self.measures],
            "sections": [section.to_dict() for section in self.sections],
        }


@dataclass
class PublicPlan:
    id: int
    name: str
    year: int
    issuing_body: str
    task_count: int
    progress: Decimal | None
    lights: dict[str, int]
    updated_on: date | None
    sections: list[PublicSection] = field(default_factory=list)

    def summary_dict(self) -> dict:
        return {
            "id": self.id,
            "name": self.name,
            "year": self.year,
            "issuing_body": self.issuing_body,
            "published_tasks": self.task_count,
            "progress": _percent(self.progress),
            "lights": self.lights,
            "last_update": self.updated_on.isoformat() if self.updated_on else None,
        }

    def to_dict(self) -> dict:
        return {**self.summary_dict(), "sections": [section.to_dict() for section in self.sections]}


def _light_counts(tasks: list[PublicTask]) -> dict[str, int]:
    counts = {"green": 0, "yellow": 0, "red": 0, "done": 0}
    for task in tasks:
        counts[task.light] += 1
    return counts


def _progress(tasks: list[PublicTask]) -> Decimal | None:
    return rollup((task.weight, task.percent) for task in tasks)


def _published_tasks() -> QuerySet[Task]:
    accepted = ProgressReport.objects.filter(task=OuterRef("pk"), status=ProgressReport.Status.ACCEPTED).order_by(
        "-period__start"
    )
    return (
        Task.objects.filter(is_public=True)
        .select_related("lead_unit", "measure", "track")
        .annotate(
            updated_period=Subquery(accepted.values("period__label")[:1]),
            updated_at=Subquery(accepted.values("reviewed_at")[:1]),
        )
    )


def _public_task(task: Task, co_units: list[str]) -> PublicTask:
    # A task the engine has not looked at yet has no track: it cannot be behind.
    track = getattr(task, "track", None) or TaskTrack(task=task)
    done = track.signed_off_at is not None
    return PublicTask(
        id=task.pk,
        title=task.title,
        lead_unit=task.lead_unit.name if task.lead_unit else None,
        co_units=co_units,
        due_date=track.effective_due or task.due_date,
        percent=100 if done else track.percent,
        light="done" if done else track.light,
        updated_period=task.updated_period,
        updated_on=timezone.localdate(task.updated_at) if task.updated_at else None,
        weight=task.weight,
        repeats_source=task.title.rstrip("。；;. ") == task.measure.text.rstrip("。；;. "),
    )


# Plans on one page of the public list (and of its open data).
PUBLIC_PLANS_PER_PAGE = 20


def public_plan_page(*, number) -> tuple[list[PublicPlan], Page]:
    """One page of the public plan list: the page's plans are chosen first, then only they are summed.

    A district publishes year after year; summing every plan's tasks to show
    twenty would make the page slower each year.
    """
    published = Plan.objects.filter(Exists(Task.objects.filter(plan=OuterRef("pk"), is_public=True)))
    paginator = Paginator(published.order_by("-year", "-id").values_list("pk", flat=True), PUBLIC_PLANS_PER_PAGE)
    page = paginator.get_page(number)
    return public_plan_list(ids=list(page.object_list)), page


def public_plan_list(*, ids: list[int] | None = None) -> list[PublicPlan]:
    """Plans with at least one published task (those of ``ids`` when given), newest first, with their figures.

    Summed in the database, one query whatever the number of tasks: the same
    weighted mean and light rules as the plan page (a signed-off task counts
    100 % and "done", a task with no track yet 0 % and green).
    """
    public = Q(tasks__is_public=True)
    signed_off = Q(tasks__track__signed_off_at__isnull=False)

    def lights(light: str):
        in_light = Q(tasks__track__light=light)
        if light == "green":
            in_light |= Q(tasks__track__isnull=True)
        return Count("tasks", filter=public & in_light & Q(tasks__track__signed_off_at__isnull=True))

    percent = Case(
        When(signed_off, then=Value(100)),
        default=Coalesce("tasks__track__percent", Value(0)),
        output_field=IntegerField(),
    )
    plans = (
        (Plan.objects.filter(pk__in=ids) if ids is not None else Plan.objects.all())
        .annotate(
            published=Count("tasks", filter=public),
            weight_sum=Sum("tasks__weight", filter=public),
            weighted=Sum(
                ExpressionWrapper(F("tasks__weight") * percent, output_field=DecimalField()), filter=public
            ),
            green=lights("green"),
            yellow=lights("yellow"),
            red=lights("red"),
            done=Count("tasks", filter=public & signed_off),
            # From the tracks, not the reports: a subquery per plan read every report it ever had.
            last_accepted=Max("tasks__track__last_accepted_at", filter=public),
        )
        .filter(published__gt=0)
        .order_by("-year", "-id")
    )
    return [
        PublicPlan(
            id=plan.pk,
            name=plan.name,
            year=plan.year,
            issuing_body=plan.issuing_body,
            task_count=plan.published,
            progress=rollup([(plan.weight_sum, plan.weighted / plan.weight_sum)]) if plan.weight_sum else None,
            lights={"green": plan.green, "yellow": plan.yellow, "red": plan.red, "done": plan.done},
            updated_on=timezone.localdate(plan.last_accepted) if plan.last_accepted else None,
        )
        for plan in plans
    ]


def _plan_figures(plan: Plan, tasks: list[PublicTask]) -> PublicPlan:
    dates = [task.updated_on for task in tasks if task.updated_on]
    return PublicPlan(
        id=plan.pk,
        name=plan.name,
        year=plan.year,
        issuing_body=plan.issuing_body,
        task_count=len(tasks),
        progress=_progress(tasks),
        lights=_light_counts(tasks),
        updated_on=max(dates, default=None),
    )


def public_plan_get(*, pk: int) -> PublicPlan:
    """The plan's public tree: sections holding published tasks, at any depth, in plan order.

    Http404 for an unknown plan and for a plan with nothing published: the
    public learns nothing about plans that are not public.
    """
    published = Task.objects.filter(plan_id=OuterRef("pk"), is_public=True)
    plan = Plan.objects.filter(pk=pk).filter(Exists(published)).first()
    if plan is None:
        raise Http404("No such public plan")
    rows = list(_published_tasks().filter(plan=plan).order_by("measure__position", "position", "pk"))
    co_units: dict[int, list[str]] = defaultdict(list)
    through = Task.co_units.through.objects.filter(task__in=[t.pk for t in rows]).select_related("unit")
    for link in through.order_by("unit__sort_order", "unit__name"):
        co_units[link.task_id].append(link.unit.name)

    measures: dict[int, PublicMeasure] = {}
    measures_of_section: dict[int, list[PublicMeasure]] = defaultdict(list)
    tasks = []
    for row in rows:
        task = _public_task(row, co_units[row.pk])
        tasks.append(task)
        measure = measures.get(row.measure_id)
        if measure is None:
            measure = measures[row.measure_id] = PublicMeasure(row.measure.number, row.measure.text, [])
            measures_of_section[row.measure.section_id].append(measure)
        measure.tasks.append(task)

    nodes: dict[int, PublicSection] = {}
    parents: dict[int, int | None] = {}
    for section in Section.objects.filter(plan=plan).order_by("position"):
        nodes[section.pk] = PublicSection(
            section.number, section.level, section.label, section.title, measures_of_section.get(section.pk, [])
        )
        parents[section.pk] = section.parent_id
    roots = []
    for pk, node in nodes.items():
        parent = parents[pk]
        (nodes[parent].sections if parent in nodes else roots).append(node)
    result = _plan_figures(plan, tasks)
    result.sections = _prune(roots)
    return result


def _prune(sections: list[PublicSection]) -> list[PublicSection]:
    """Keep the sections with a published task somewhere below them, with their figures."""
    kept = []
    for section in sections:
        section.sections = _prune(section.sections)
        tasks = section.tasks()
        if tasks:
            section.progress = _progress(tasks)
            section.lights = _light_counts(tasks)
            kept.append(section)
    return kept


# ── For the supervisor's publish page ───────────────────────────────────


def manage_plan_list() -> QuerySet[Plan]:
    """Every plan with how many of its tasks are published."""
    return Plan.objects.annotate(
        task_count=Count("tasks"), published_count=Count("tasks", filter=Q(tasks__is_public=True))
    ).order_by("-year", "-id")


def manage_task_list(*, plan: Plan) -> QuerySet[Task]:
    return (
        Task.objects.filter(plan=plan)
        .select_related("measure", "measure__section", "lead_unit", "track")
        .order_by("measure__position", "position", "pk")
    )
