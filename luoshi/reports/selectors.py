"""Reads for the cockpit (驾驶舱): the figures leaders see, and the tasks behind each one.

Every figure is summed in the database (GROUP BY over a plan's tasks, their
TaskTrack and their LightSnapshots) and folded in Python over the few rows
that come back, so the cockpit runs the same handful of queries for a plan
of ten tasks or of five thousand. The monthly circular (通报) reads the same
``cockpit_data`` so its numbers are the numbers on the screen.

Rules shared with the status page (docs/status-rules.md):

- a task's percent is its last accepted report's, 100 once signed off (销号);
  a signed-off task is green whatever its track says;
- a group's percent is the weighted mean Σ(weight × percent) ÷ Σweight
  (``Task.weight``), "—" (None) when nothing carries weight;
- a group is behind / on / ahead of schedule by comparing, over its tasks
  that have a planned percent, the weighted actual with the weighted planned
  percent, with the tolerance of a single task
  (``LUOSHI_STATUS_SCHEDULE_TOLERANCE_POINTS``).

Who sees what: the tasks are those ``visible_to`` may read
(``luoshi.plans.selectors.task_list``); the unit ranking compares units with
each other, so only readers of everything get it.
"""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from django.conf import settings
from django.db.models import (
    Case,
    CharField,
    Count,
    DecimalField,
    Exists,
    ExpressionWrapper,
    F,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Coalesce

from luoshi.accounts.models import Unit
from luoshi.accounts.permissions import readable_unit_ids
from luoshi.plans import selectors as plan_selectors
from luoshi.plans.models import Plan, Programme, Section, Task
from luoshi.tracking import periods as tracking_periods
from luoshi.tracking.assessment import UnitScore, assessment_rank
from luoshi.tracking.models import LightSnapshot, ReportingPeriod
from luoshi.tracking.status import rollup

LIGHTS = ("red", "yellow", "green")
_MONEY = DecimalField(max_digits=20, decimal_places=4)


@dataclass
class Group:
    """The tasks of one part, objective, programme or unit, summed."""

    key: int
    label: str
    tasks: int = 0
    percent: Decimal | None = None
    planned: Decimal | None = None
    schedule: str = ""  # behind / on / ahead; "" without a planned percent
    lights: dict[str, int] = field(default_factory=lambda: dict.fromkeys(LIGHTS, 0))
    number: str = ""
    parent: int | None = None  # an objective's part

    @property
    def light_rows(self) -> list[tuple[str, int]]:
        return [(name, self.lights[name]) for name in LIGHTS]

    @property
    def concern(self) -> tuple:
        """Worst first: most red, then most yellow, then furthest behind."""
        return (-self.lights["red"], -self.lights["yellow"], self.percent if self.percent is not None else 101)


@dataclass
class TrendPoint:
    period: ReportingPeriod
    tasks: int
    percent: Decimal | None
    lights: dict[str, int]


@dataclass
class CockpitData:
    plan: Plan
    today: date
    tasks: int
    percent: Decimal | None
    planned: Decimal | None
    schedule: str
    lights: dict[str, int]
    parts: list[Group]
    objectives: list[Group]
    programmes: list[Group]
    units: list[Group]
    red: list[Task]  # loaded with what the red list shows (title, unit name, measure number, reasons)
    trend: list[TrendPoint]
    ranking_period: ReportingPeriod | None
    ranking: list[UnitScore]

    @property
    def light_rows(self) -> list[tuple[str, int]]:
        return [(name, self.lights[name]) for name in LIGHTS]

    @property
    def behind(self) -> list[Group]:
        """Parts and objectives behind schedule or with red tasks, worst first: what a leader asks about."""
        groups = [g for g in self.parts + self.objectives if g.schedule == "behind" or g.lights["red"]]
        return sorted(groups, key=lambda g: g.concern)


# ── The shared expressions ────────────────────────────────────────────────


def _with_state(tasks: QuerySet[Task]) -> QuerySet[Task]:
    """Each task's percent and light as the cockpit counts them (signed off: 100 and green)."""
    signed_off = Q(track__signed_off_at__isnull=False)
    return tasks.annotate(
        shown_percent=Case(
            When(signed_off, then=Value(100)), default=Coalesce("track__percent", Value(0)), output_field=IntegerField()
        ),
        shown_light=Case(When(signed_off, then=Value("green")), default=F("track__light"), output_field=CharField()),
    )


def _sums() -> dict:
    weighted = ExpressionWrapper(F("weight") * F("shown_percent"), output_field=_MONEY)
    has_plan = Q(track__planned_percent__isnull=False)
    return {
        "n": Count("id"),
        "w": Sum("weight"),
        "wp": Sum(weighted),
        "pw": Sum("weight", filter=has_plan),
        "pwp": Sum(weighted, filter=has_plan),
        "pwq": Sum(ExpressionWrapper(F("weight") * F("track__planned_percent"), output_field=_MONEY), filter=has_plan),
    }


class _Acc:
    """Running sums of one group: folded from GROUP BY rows, then turned into a Group."""

    __slots__ = ("n", "w", "wp", "pw", "pwp", "pwq", "lights")

    def __init__(self):
        self.n, self.w, self.wp, self.pw, self.pwp, self.pwq = 0, Decimal(0), Decimal(0), Decimal(0), Decimal(0), Decimal(0)
        self.lights = dict.fromkeys(LIGHTS, 0)

    def add(self, row: dict) -> None:
        self.n += row["n"]
        self.w += Decimal(row["w"] or 0)
        self.wp += Decimal(row["wp"] or 0)
        self.pw += Decimal(row["pw"] or 0)
        self.pwp += Decimal(row["pwp"] or 0)
        self.pwq += Decimal(row["pwq"] or 0)
        if row["shown_light"] in self.lights:
            self.lights[row["shown_light"]] += row["n"]

    def fill(self, group: Group) -> Group:
        group.tasks = self.n
        group.lights = dict(self.lights)
        group.percent = _mean(self.wp, self.w)
        group.planned = _mean(self.pwq, self.pw)
        group.schedule = _schedule(actual=_mean(self.pwp, self.pw), planned=group.planned)
        return group


def _mean(weighted: Decimal, weight: Decimal) -> Decimal | None:
    # Through the status engine's roll-up, so the rounding is the status page's.
    return rollup([(weight, weighted / weight)]) if weight else None


def _schedule(*, actual: Decimal | None, planned: Decimal | None) -> str:
    if actual is None or planned is None:
        return ""
    tolerance = settings.LUOSHI_STATUS_SCHEDULE_TOLERANCE_POINTS
    if actual < planned - tolerance:
        return "behind"
    if actual > planned + tolerance:
        return "ahead"
    return "on"


def _plan_tasks(*, plan: Plan, visible_to) -> QuerySet[Task]:
    # prefetch_related(None): the list's prefetches mean nothing to GROUP BY rows.
    tasks = plan_selectors.task_list(visible_to=visible_to, plan=plan).prefetch_related(None)
    return _with_state(tasks.select_related(None)).order_by()


# ── The cockpit ───────────────────────────────────────────────────────────


def ranking_period_for(*, plan: Plan, today: date) -> ReportingPeriod | None:
    """The latest period that has ended: the one the ranking and the circular speak of."""
    return ReportingPeriod.objects.filter(plan=plan, end__lt=today).order_by("-start").first()


def cockpit_data(*, plan: Plan, visible_to, today: date | None = None) -> CockpitData:
    """Everything the cockpit shows for ``plan``, as ``visible_to`` may see it, in a fixed number of queries."""
    today = today or tracking_periods.today()
    tasks = _plan_tasks(plan=plan, visible_to=visible_to)

    sections = list(Section.objects.filter(plan=plan).order_by("position").values("pk", "parent_id", "level", "number", "label", "title"))
    parents = {s["pk"]: s["parent_id"] for s in sections}
    by_section: dict[int, _Acc] = defaultdict(_Acc)
    overall = _Acc()
    for row in tasks.values("measure__section_id", "shown_light").annotate(**_sums()):
        overall.add(row)
        ancestor = row["measure__section_id"]
        while ancestor is not None:
            by_section[ancestor].add(row)
            ancestor = parents.get(ancestor)
    parts, objectives = [], []
    for s in sections:
        if s["level"] > 2:
            continue
        group = by_section.get(s["pk"], _Acc()).fill(
            Group(key=s["pk"], label=f"{s['label']}{s['title']}", number=s["number"], parent=s["parent_id"])
        )
        (parts if s["level"] == 1 else objectives).append(group)

    programmes: dict[int, _Acc] = defaultdict(_Acc)
    names: dict[int, str] = {}
    for row in tasks.filter(programmes__isnull=False).values("programmes", "programmes__name", "shown_light").annotate(**_sums()):
        programmes[row["programmes"]].add(row)
        names[row["programmes"]] = row["programmes__name"]
    programme_groups = sorted(
        (acc.fill(Group(key=pk, label=names[pk])) for pk, acc in programmes.items()), key=lambda g: (-g.tasks, g.label)
    )

    units: dict[int, _Acc] = defaultdict(_Acc)
    unit_names: dict[int, tuple] = {}
    for row in tasks.filter(lead_unit__isnull=False).values(
        "lead_unit_id", "lead_unit__name", "lead_unit__sort_order", "shown_light"
    ).annotate(**_sums()):
        units[row["lead_unit_id"]].add(row)
        unit_names[row["lead_unit_id"]] = (row["lead_unit__sort_order"], row["lead_unit__name"])
    unit_groups = sorted(
        (acc.fill(Group(key=pk, label=unit_names[pk][1])) for pk, acc in units.items()),
        key=lambda g: (g.concern, unit_names[g.key][0], g.key),
    )

    red = list(
        tasks.filter(shown_light="red")
        .select_related("track", "lead_unit", "measure")
        # What the red list shows, not whole rows: a unit's and a task's JSON fields cost a decode each.
        .only("title", "lead_unit__name", "measure__number", "track__reasons")
        .order_by("measure__position", "position", "pk")
    )

    # One read of the plan's periods serves the trend's labels and the ranking's period.
    periods = list(ReportingPeriod.objects.filter(plan=plan).order_by("start"))
    ranking_period = max((p for p in periods if p.end < today), key=lambda p: p.start, default=None)
    ranks_units = readable_unit_ids(visible_to) is None
    return CockpitData(
        plan=plan,
        today=today,
        tasks=overall.n,
        percent=_mean(overall.wp, overall.w),
        planned=_mean(overall.pwq, overall.pw),
        schedule=_schedule(actual=_mean(overall.pwp, overall.pw), planned=_mean(overall.pwq, overall.pw)),
        lights=overall.lights,
        parts=parts,
        objectives=objectives,
        programmes=programme_groups,
        units=unit_groups,
        red=red,
        trend=_trend(periods=periods, tasks=None if ranks_units else tasks),
        ranking_period=ranking_period,
        ranking=assessment_rank(plan=plan, period=ranking_period) if ranks_units and ranking_period else [],
    )


def _trend(*, periods: list[ReportingPeriod], tasks: QuerySet[Task] | None) -> list[TrendPoint]:
    """Percent and light counts at the end of every period that has snapshots, oldest first.

    ``tasks`` narrows the snapshots to a reader's tasks; None counts them all.
    """
    weighted = ExpressionWrapper(F("task__weight") * F("percent"), output_field=_MONEY)
    # By the periods already read rather than a join to them.
    snapshots = LightSnapshot.objects.filter(period_id__in=[p.pk for p in periods])
    if tasks is not None:
        snapshots = snapshots.filter(task__in=tasks.values("pk"))
    rows = (
        snapshots.values("period_id", "light")
        .annotate(n=Count("id"), w=Sum("task__weight"), wp=Sum(weighted))
        .order_by()
    )
    sums: dict[int, list] = defaultdict(lambda: [0, Decimal(0), Decimal(0), dict.fromkeys(LIGHTS, 0)])
    for row in rows:
        acc = sums[row["period_id"]]
        acc[0] += row["n"]
        acc[1] += Decimal(row["w"] or 0)
        acc[2] += Decimal(row["wp"] or 0)
        if row["light"] in acc[3]:
            acc[3][row["light"]] += row["n"]
    points = []
    for period in periods:
        if period.pk in sums:
            n, w, wp, lights = sums[period.pk]
            points.append(TrendPoint(period=period, tasks=n, percent=_mean(wp, w), lights=lights))
    return points


# ── Drill-down: the tasks behind a number ─────────────────────────────────


@dataclass
class DrillFilter:
    light: str | None = None
    section: Section | None = None
    programme: Programme | None = None
    unit: Unit | None = None


def drill_tasks(*, plan: Plan, visible_to, filters: DrillFilter) -> QuerySet[Task]:
    """The tasks behind a cockpit figure, worst light first, with what the list shows loaded."""
    tasks = _plan_tasks(plan=plan, visible_to=visible_to)
    if filters.light:
        tasks = tasks.filter(shown_light=filters.light)
    if filters.section is not None:
        tasks = tasks.filter(measure__section_id__in=section_and_below(filters.section))
    if filters.programme is not None:
        through = Task.programmes.through.objects.filter(task_id=OuterRef("pk"), programme_id=filters.programme.pk)
        tasks = tasks.filter(Exists(through))
    if filters.unit is not None:
        tasks = tasks.filter(lead_unit=filters.unit)
    severity = Case(
        When(shown_light="red", then=Value(0)), When(shown_light="yellow", then=Value(1)), default=Value(2),
        output_field=IntegerField(),
    )
    return tasks.select_related("track", "lead_unit", "measure", "measure__section").order_by(
        severity, "measure__position", "position", "pk"
    )


def section_and_below(section: Section) -> list[int]:
    """The section's id and those of every section under it, from one query."""
    children: dict[int | None, list[int]] = defaultdict(list)
    for pk, parent in Section.objects.filter(plan_id=section.plan_id).values_list("pk", "parent_id"):
        children[parent].append(pk)
    found, todo = [], [section.pk]
    while todo:
        pk = todo.pop()
        found.append(pk)
        todo.extend(children.get(pk, ()))
    return found
