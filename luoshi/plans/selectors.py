"""Reads of plans, sections, measures and tasks that honour who is asking.

The rules (luoshi.accounts.permissions): admins, supervisors and leaders read
everything; a reporter reads the tasks whose lead unit or co-units include one
of its units, the measures those tasks come from, and the plans they belong
to (with the plan's section headings, which give the tasks their context);
an anonymous visitor reads nothing. Pages and the JSON API both read through
these functions, so they cannot disagree.
"""
from dataclasses import dataclass, field
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Case, Count, DecimalField, Exists, IntegerField, F, OuterRef, Prefetch, Q, QuerySet, Sum, Value, When
from django.db.models.functions import Coalesce
from django.http import Http404

from luoshi.accounts.models import Unit
from luoshi.accounts.permissions import readable_unit_ids
from luoshi.plans.models import Measure, Plan, Programme, Section, Task


def _visible_tasks(visible_to) -> QuerySet[Task]:
    if not getattr(visible_to, "is_authenticated", False):
        return Task.objects.none()
    unit_ids = readable_unit_ids(visible_to)
    if unit_ids is None:
        return Task.objects.all()
    # Exists instead of a join on co_units: a join repeats a task once per
    # matching co-unit and would need DISTINCT, which breaks with ordering.
    co_unit_match = Task.co_units.through.objects.filter(task_id=OuterRef("pk"), unit_id__in=unit_ids)
    return Task.objects.filter(Q(lead_unit_id__in=unit_ids) | Exists(co_unit_match))


def task_list(
    *,
    visible_to,
    plan: Plan | None = None,
    unit: Unit | None = None,
    programme: Programme | str | None = None,
    due_before: date | None = None,
    due_after: date | None = None,
) -> QuerySet[Task]:
    """Tasks ``visible_to`` may read, filtered, with everything a list shows loaded up front.

    ``unit`` matches the lead unit or any co-unit; ``programme`` is a
    Programme or a programme name (the same name in several plans is the same
    programme to a reader); the due date bounds are inclusive.
    """
    tasks = _visible_tasks(visible_to)
    if plan is not None:
        tasks = tasks.filter(plan=plan)
    if unit is not None:
        co_unit_match = Task.co_units.through.objects.filter(task_id=OuterRef("pk"), unit_id=unit.pk)
        tasks = tasks.filter(Q(lead_unit=unit) | Exists(co_unit_match))
    if isinstance(programme, Programme):
        tasks = tasks.filter(Exists(Task.programmes.through.objects.filter(task_id=OuterRef("pk"), programme=programme)))
    elif programme is not None:
        tasks = tasks.filter(
            Exists(Task.programmes.through.objects.filter(task_id=OuterRef("pk"), programme__name=programme))
        )
    if due_before is not None:
        tasks = tasks.filter(due_date__lte=due_before)
    if due_after is not None:
        tasks = tasks.filter(due_date__gte=due_after)
    return tasks.select_related("plan", "measure", "measure__section", "lead_unit").prefetch_related(
        "co_units", "programmes", "milestones", "indicators"
    )


def task_get(*, visible_to, pk: int) -> Task:
    """One task, or Http404 when it does not exist or ``visible_to`` may not read it."""
    try:
        return task_list(visible_to=visible_to).get(pk=pk)
    except Task.DoesNotExist:
        raise Http404("No such task") from None


def plan_list(*, visible_to) -> QuerySet[Plan]:
    if not getattr(visible_to, "is_authenticated", False):
        return Plan.objects.none()
    if readable_unit_ids(visible_to) is None:
        return Plan.objects.all()
    return Plan.objects.filter(Exists(_visible_tasks(visible_to).filter(plan_id=OuterRef("pk"))))


@dataclass(frozen=True)
class PlanFigures:
    """A plan's tasks as the plan list shows them: how many, how far, which lights."""

    tasks: int = 0
    average: Decimal | None = None  # plain mean of the tasks' percents
    weighted: Decimal | None = None  # weighted by Task.weight, as the status page and cockpit roll up
    green: int = 0
    yellow: int = 0
    red: int = 0
    grey: int = 0  # not judged yet: no track computed

    @property
    def lights(self) -> list[tuple[str, int]]:
        return [("green", self.green), ("yellow", self.yellow), ("red", self.red), ("grey", self.grey)]


def _tenth(value) -> Decimal:
    return Decimal(value).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


def plan_figures(*, visible_to, plan_ids) -> dict[int, PlanFigures]:
    """Per plan, the figures of the tasks ``visible_to`` may read, in one grouped query however many plans.

    Read from the tasks' tracks (what the status engine last said): a task
    signed off (销号) counts as 100% and green, as in the plan's roll-up.
    """
    signed_off = Q(track__signed_off_at__isnull=False)
    percent = Case(
        When(signed_off, then=Value(100)), default=Coalesce("track__percent", Value(0)), output_field=IntegerField()
    )
    live = Q(track__signed_off_at__isnull=True)
    rows = (
        _visible_tasks(visible_to)
        .filter(plan_id__in=list(plan_ids))
        .order_by()
        .values("plan_id")
        .annotate(
            tasks=Count("pk"),
            percent_sum=Sum(percent),
            weight_sum=Sum("weight"),
            weighted_sum=Sum(F("weight") * percent, output_field=DecimalField(max_digits=20, decimal_places=2)),
            green=Count("pk", filter=signed_off | Q(track__light="green")),
            yellow=Count("pk", filter=live & Q(track__light="yellow")),
            red=Count("pk", filter=live & Q(track__light="red")),
            grey=Count("pk", filter=Q(track__isnull=True)),
        )
    )
    figures = {}
    for row in rows:
        weight = Decimal(str(row["weight_sum"] or 0))
        figures[row["plan_id"]] = PlanFigures(
            tasks=row["tasks"],
            average=_tenth(Decimal(str(row["percent_sum"])) / row["tasks"]) if row["tasks"] else None,
            weighted=_tenth(Decimal(str(row["weighted_sum"])) / weight) if weight else None,
            green=row["green"],
            yellow=row["yellow"],
            red=row["red"],
            grey=row["grey"],
        )
    return figures


def plan_get(*, visible_to, pk: int) -> Plan:
    try:
        return plan_list(visible_to=visible_to).prefetch_related("programmes").get(pk=pk)
    except Plan.DoesNotExist:
        raise Http404("No such plan") from None


def _visible_measures(visible_to) -> QuerySet[Measure]:
    if not getattr(visible_to, "is_authenticated", False):
        return Measure.objects.none()
    measures = Measure.objects.all()
    if readable_unit_ids(visible_to) is not None:
        measures = measures.filter(Exists(_visible_tasks(visible_to).filter(measure_id=OuterRef("pk"))))
    return measures


def measure_list(*, visible_to, plan: Plan | None = None) -> QuerySet[Measure]:
    """Measures ``visible_to`` may read: all for readers of everything, else those with a visible task."""
    measures = _visible_measures(visible_to)
    if plan is not None:
        measures = measures.filter(plan=plan)
    return measures.select_related("section").prefetch_related(
        "programmes", Prefetch("tasks", queryset=_visible_tasks(visible_to).only("id", "measure_id"))
    )


def measure_get(*, visible_to, pk: int) -> Measure:
    try:
        return measure_list(visible_to=visible_to).get(pk=pk)
    except Measure.DoesNotExist:
        raise Http404("No such measure") from None


def section_tree(*, visible_to, plan: Plan, measures: bool = True) -> list[Section]:
    """The plan's top-level sections, each with ``.subsections`` and ``.visible_measures`` filled in.

    The same few queries whatever the depth or size: the tree is assembled in Python.
    ``plan`` must already be one that ``visible_to`` may read (``plan_get``).
    ``measures=False`` leaves every ``.visible_measures`` empty: the outline alone.
    """
    sections = list(Section.objects.filter(plan=plan).order_by("position"))
    measures_by_section: dict[int, list[Measure]] = {}
    for measure in measure_list(visible_to=visible_to, plan=plan).order_by("position") if measures else ():
        measures_by_section.setdefault(measure.section_id, []).append(measure)
    children: dict[int | None, list[Section]] = {}
    for section in sections:
        section.visible_measures = measures_by_section.get(section.pk, [])
        children.setdefault(section.parent_id, []).append(section)
    for section in sections:
        section.subsections = children.get(section.pk, [])
    return children.get(None, [])


@dataclass
class SectionFigures:
    """What a section holds, itself and its subsections together, as ``visible_to`` may read it."""

    measures: int = 0
    tasks: int = 0
    unassigned: int = 0
    own_measures: int = 0  # measures placed directly under the section (what opening it shows)
    top: bool = False  # a top-level section: the plan's figures are the sum of these
    lights: dict[str, int] = field(default_factory=lambda: {"red": 0, "yellow": 0, "green": 0})


def section_figures(*, visible_to, plan: Plan) -> dict[int, SectionFigures]:
    """Per section of ``plan``: measures, tasks, tasks without a lead unit and lights, counted at any depth.

    Two grouped queries whatever the plan's size (a signed-off task counts
    green, as in the roll-up); the sums up the tree are made in Python over
    the sections only. ``plan`` must be one ``visible_to`` may read.
    """
    parents = dict(Section.objects.filter(plan=plan).values_list("pk", "parent_id"))
    figures = {pk: SectionFigures(top=parent is None) for pk, parent in parents.items()}

    def ancestors(section_id):
        while section_id is not None:
            yield section_id
            section_id = parents.get(section_id)

    measures = _visible_measures(visible_to).filter(plan=plan).values("section_id").annotate(n=Count("id")).order_by()
    for row in measures:
        if row["section_id"] in figures:
            figures[row["section_id"]].own_measures = row["n"]
        for pk in ancestors(row["section_id"]):
            figures[pk].measures += row["n"]
    signed_off = Q(track__signed_off_at__isnull=False)
    tasks = (
        _visible_tasks(visible_to)
        .filter(plan=plan)
        .values("measure__section_id")
        .annotate(
            tasks=Count("id"),
            unassigned=Count("id", filter=Q(lead_unit__isnull=True)),
            green=Count("id", filter=signed_off | Q(track__light="green")),
            yellow=Count("id", filter=Q(track__signed_off_at__isnull=True, track__light="yellow")),
            red=Count("id", filter=Q(track__signed_off_at__isnull=True, track__light="red")),
        )
        .order_by()
    )
    for row in tasks:
        for pk in ancestors(row["measure__section_id"]):
            item = figures[pk]
            item.tasks += row["tasks"]
            item.unassigned += row["unassigned"]
            for light in item.lights:
                item.lights[light] += row[light]
    return figures
