"""我的填报 ("report at most once"): what a unit must report this period, pre-filled, and what that asks of it.

``update_rows`` is one row per task a reporter's units lead, across every
plan, for the period now collecting that plan's reports (periods.period_for's
rule), pre-filled from this period's report if there is one, else from the
task's last report before it. The narrative is never carried over (a report
describes its own period); the last one is shown as a hint. Each row says
whether the task is done this period (a report submitted or accepted), due,
or overdue (not done after the period's report_due).

``unit_burden`` is the burden figure (填报负担): per unit and period, how many
reports, fields and files were asked of it and how many it delivered.
docs/assessment.md states how each is counted. Both read a fixed number of
queries whatever the number of tasks.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal, InvalidOperation

from django.db.models import Count, Q, QuerySet
from django.db.models.functions import Coalesce

from luoshi.accounts.models import Unit
from luoshi.accounts.permissions import own_unit_ids
from luoshi.plans.models import Indicator, Milestone, Task
from luoshi.tracking.models import Evidence, IndicatorActual, ProgressReport, ReportingPeriod
from luoshi.tracking.periods import open_periods
from luoshi.tracking.assessment import day_start
from luoshi.tracking.supervision import expects_report, task_frequencies_load

DONE_STATUSES = (ProgressReport.Status.SUBMITTED, ProgressReport.Status.ACCEPTED)
# What a report delivers once sent: a returned one was delivered too, and sent back.
DELIVERED_STATUSES = (ProgressReport.Status.SUBMITTED, ProgressReport.Status.ACCEPTED, ProgressReport.Status.RETURNED)


def plain_decimal(value: Decimal) -> Decimal:
    """The value without trailing zeros, and without an exponent: 100.0000 is 100, not 1E+2.

    A value too long for the context's precision (only a corrupt row holds one) is shown as it is.
    """
    try:
        return value.quantize(Decimal(1)) if value == value.to_integral_value() else value.normalize()
    except InvalidOperation:
        return value


@dataclass
class UpdateRow:
    task: Task
    period: ReportingPeriod
    report: ProgressReport | None  # this period's, if any
    previous: ProgressReport | None  # the task's last report before this period
    state: str  # done / due / overdue

    @property
    def editable(self) -> bool:
        return self.report is None or self.report.status != ProgressReport.Status.ACCEPTED

    @property
    def source(self) -> ProgressReport | None:
        """The report the row is pre-filled from."""
        return self.report if self.report is not None else self.previous

    @property
    def prefill(self) -> dict:
        """Values for the row's fields: percent, work_state, narrative, milestone_ids, actuals (id → Decimal)."""
        source = self.source
        if source is None:
            return {"percent": 0, "work_state": ProgressReport.WorkState.NOT_STARTED, "narrative": "",
                    "milestone_ids": [], "actuals": {}}
        return {
            "percent": source.percent,
            "work_state": source.work_state,
            "narrative": source.narrative if source is self.report else "",
            "milestone_ids": sorted(m.pk for m in source.milestones_reached.all()),
            "actuals": {a.indicator_id: plain_decimal(a.value) for a in source.actuals.all()},
        }

    @property
    def hint(self) -> str:
        """Last period's narrative, shown beside the empty field."""
        return self.previous.narrative if self.previous is not None and self.report is None else ""


def update_task_list(*, user) -> QuerySet[Task]:
    """The tasks ``user``'s units lead and that are not signed off: the rows of 我的填报, a page at a time."""
    return (
        Task.objects.filter(lead_unit_id__in=own_unit_ids(user))
        .exclude(track__signed_off_at__isnull=False)
        .select_related("plan", "lead_unit")
        .order_by("plan_id", "measure__position", "position", "id")
    )


def _state(report: ProgressReport | None, period: ReportingPeriod, today: date) -> str:
    if report is not None and report.status in DONE_STATUSES:
        return "done"
    return "overdue" if today > period.report_due else "due"


def update_rows(*, tasks, today: date) -> list[UpdateRow]:
    """``tasks`` (a page of ``update_task_list``) as rows due this period; tasks with nothing due are left out."""
    tasks = list(tasks)
    periods = open_periods(plans={task.plan for task in tasks}, day=today)
    task_frequencies_load(tasks)
    due = [t for t in tasks if periods.get(t.plan_id) is not None and expects_report(t, periods[t.plan_id], None)]
    task_ids = [t.pk for t in due]
    period_ids = {p.pk for p in periods.values() if p is not None}
    reports = ProgressReport.objects.filter(task__in=task_ids, period__in=period_ids).prefetch_related(
        "milestones_reached", "actuals"
    )
    current = {(r.task_id, r.period_id): r for r in reports}
    # The last report before each task's period: ids first, then those rows with what they carry.
    history = ProgressReport.objects.filter(task__in=task_ids, status__in=DELIVERED_STATUSES).values_list(
        "pk", "task_id", "period__start"
    )
    starts = {t.pk: periods[t.plan_id].start for t in due}
    latest: dict[int, tuple[date, int]] = {}
    for pk, task_id, start in history:
        if start < starts[task_id] and (task_id not in latest or start > latest[task_id][0]):
            latest[task_id] = (start, pk)
    previous = ProgressReport.objects.prefetch_related("milestones_reached", "actuals").in_bulk(
        [pk for _start, pk in latest.values()]
    )
    rows = []
    for task in due:
        period = periods[task.plan_id]
        report = current.get((task.pk, period.pk))
        earlier = latest.get(task.pk)
        rows.append(UpdateRow(
            task=task, period=period, report=report,
            previous=previous.get(earlier[1]) if earlier else None, state=_state(report, period, today),
        ))
    return rows


@dataclass
class UpdateSummary:
    done: int = 0
    due: int = 0
    overdue: int = 0

    @property
    def total(self) -> int:
        return self.done + self.due + self.overdue


def update_summary(*, user, today: date) -> UpdateSummary:
    """How many of all the user's rows are done, due and overdue (every page, not only the one shown)."""
    tasks = list(update_task_list(user=user).select_related(None).select_related("plan").only(
        "pk", "plan", "start_date", "created", "plan__year"
    ))
    periods = open_periods(plans={task.plan for task in tasks}, day=today)
    task_frequencies_load(tasks)
    due = [t for t in tasks if periods.get(t.plan_id) is not None and expects_report(t, periods[t.plan_id], None)]
    status = dict(
        ProgressReport.objects.filter(
            task__in=[t.pk for t in due], period__in={p.pk for p in periods.values() if p is not None}
        ).values_list("task_id", "status")
    )
    summary = UpdateSummary()
    for task in due:
        period = periods[task.plan_id]
        if status.get(task.pk) in DONE_STATUSES:
            summary.done += 1
        elif today > period.report_due:
            summary.overdue += 1
        else:
            summary.due += 1
    return summary


# ── The burden figure (填报负担) ───────────────────────────────────────────


@dataclass
class Burden:
    """What one unit was asked to report for one period, and what it delivered."""

    unit: Unit
    reports_asked: int = 0
    reports_delivered: int = 0
    fields_asked: int = 0
    fields_delivered: int = 0
    files_asked: int = 0
    files_delivered: int = 0
    periods: list[str] = field(default_factory=list)

    def add(self, other: "Burden") -> None:
        for name in ("reports_asked", "reports_delivered", "fields_asked", "fields_delivered",
                     "files_asked", "files_delivered"):
            setattr(self, name, getattr(self, name) + getattr(other, name))
        self.periods += other.periods


def _counts(queryset, key: str) -> dict[int, int]:
    return dict(queryset.values(key).annotate(n=Count("pk")).order_by().values_list(key, "n"))


def unit_burden(*, period: ReportingPeriod, unit_ids=None) -> list[Burden]:
    """Per lead unit, what ``period`` of its plan asked of it and what it delivered, most fields asked first.

    Asked: a report for every task the unit leads that expects one in the
    period (the reminders' rule); in each, two fields (percent and narrative)
    plus one per milestone of the task and one per indicator; a file for each
    of its milestones due within the period and each task due within it
    (completion needs evidence). Delivered: the unit's reports of the period
    that were sent (submitted, accepted or returned), their percent, their
    narrative, each milestone reached and each indicator actual in them, and
    their evidence files. ``unit_ids`` narrows to those units. Eight
    queries, whatever the number of tasks.
    """
    after_due = day_start(period.report_due + timedelta(days=1))
    tasks = Task.objects.filter(plan_id=period.plan_id, lead_unit__isnull=False).filter(
        (Q(start_date__isnull=True) | Q(start_date__lte=period.end))
        & Q(created__lt=after_due)
        & (Q(track__signed_off_at__isnull=True) | Q(track__signed_off_at__gte=day_start(period.start)))
    )
    reports = ProgressReport.objects.filter(period=period, status__in=DELIVERED_STATUSES)
    if unit_ids is not None:
        tasks = tasks.filter(lead_unit_id__in=unit_ids)
        reports = reports.filter(unit_id__in=unit_ids)
    task_ids = tasks.values("pk")
    asked_reports = _counts(tasks, "lead_unit_id")
    milestones = _counts(Milestone.objects.filter(task__in=task_ids), "task__lead_unit_id")
    indicators = _counts(Indicator.objects.filter(task__in=task_ids), "task__lead_unit_id")
    files_milestones = _counts(
        Milestone.objects.filter(task__in=task_ids, due_date__gte=period.start, due_date__lte=period.end),
        "task__lead_unit_id",
    )
    files_tasks = _counts(
        tasks.annotate(due_on=Coalesce("track__effective_due", "due_date")).filter(
            due_on__gte=period.start, due_on__lte=period.end
        ),
        "lead_unit_id",
    )
    delivered = dict(
        reports.values("unit_id").annotate(n=Count("pk"))
        .order_by().values_list("unit_id", "n")
    )
    narratives = _counts(reports.exclude(narrative=""), "unit_id")
    reached = _counts(
        ProgressReport.milestones_reached.through.objects.filter(progressreport__in=reports.values("pk")),
        "progressreport__unit_id",
    )
    actuals = _counts(IndicatorActual.objects.filter(report__in=reports.values("pk")), "report__unit_id")
    files = _counts(Evidence.objects.filter(report__in=reports.values("pk")), "report__unit_id")
    ids = set(asked_reports) | set(delivered)
    units = Unit.objects.in_bulk(ids)
    rows = []
    for unit_id in ids:
        rows.append(Burden(
            unit=units[unit_id],
            reports_asked=asked_reports.get(unit_id, 0),
            reports_delivered=delivered.get(unit_id, 0),
            fields_asked=2 * asked_reports.get(unit_id, 0) + milestones.get(unit_id, 0) + indicators.get(unit_id, 0),
            fields_delivered=delivered.get(unit_id, 0) + narratives.get(unit_id, 0) + reached.get(unit_id, 0)
            + actuals.get(unit_id, 0),
            files_asked=files_milestones.get(unit_id, 0) + files_tasks.get(unit_id, 0),
            files_delivered=files.get(unit_id, 0),
            periods=[period.label],
        ))
    return sorted(rows, key=lambda b: (-b.fields_asked, b.unit.sort_order, b.unit.pk))


def own_burden(*, user, today: date) -> list[Burden]:
    """The burden of each of the user's units this period, summed over every plan it has tasks in."""
    unit_ids = own_unit_ids(user)
    plans = {t.plan for t in Task.objects.filter(lead_unit_id__in=unit_ids).select_related("plan").only("plan")}
    periods = open_periods(plans=plans, day=today)
    totals: dict[int, Burden] = {}
    for period in sorted((p for p in periods.values() if p is not None), key=lambda p: (p.plan_id, p.start)):
        for row in unit_burden(period=period, unit_ids=unit_ids):
            totals.setdefault(row.unit.pk, Burden(unit=row.unit)).add(row)
    return sorted(totals.values(), key=lambda b: (b.unit.sort_order, b.unit.pk))
