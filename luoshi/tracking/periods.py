"""Reporting periods (报送周期): which cycle a report belongs to, and when it is due.

A plan reports weekly, monthly (the default) or quarterly, as its
``ReportingCycle`` says; a plan without one reports monthly, due on the 5th.

- Periods run from 1 January of the plan year: calendar months, calendar
  quarters, or ISO weeks (Monday to Sunday, starting with the week that
  contains 1 January, which may begin in late December).
- Labels are what an office writes: "2026年3月", "2026年第1季度",
  "2026年第12周" (the ISO week number, with its ISO year).
- A report is due on ``due_day`` of the month after a month or quarter ends
  (clamped to the month's length), or on ISO weekday ``due_day`` of the week
  after a week ends. A due date that falls on a weekend or public holiday
  moves *forward* to the next working day: moving it back could put it on or
  before the period's own end (the 5 October of the National Day holiday
  would otherwise become 30 September).
- Periods are created lazily, through the one containing the day asked for,
  but never beyond the period containing the plan's last due date (an
  approved extension included) or 31 December of the plan year, whichever is
  later: a finished plan does not grow a new period every month for ever.
"""
from __future__ import annotations

import calendar
from datetime import date, timedelta

from django.conf import settings
from django.db.models import Max
from django.utils import timezone

from luoshi.plans import workdays
from luoshi.plans.models import Plan, Task
from luoshi.tracking.models import ExtensionRequest, ReportingCycle, ReportingPeriod

DEFAULT_FREQUENCY = ReportingCycle.Frequency.MONTHLY
DEFAULT_DUE_DAY = 5
DEFAULT_REMIND_DAYS_BEFORE = 3


def today() -> date:
    """Today in the site's time zone, or the fixed demo day when ``LUOSHI_DEMO_TODAY`` is set.

    The demo shows the 2018 seed plan as it stood in July 2018 (see
    luoshi.tracking.demo); with the real clock every task of it would be
    years overdue. Production leaves the setting unset.
    """
    return getattr(settings, "LUOSHI_DEMO_TODAY", None) or timezone.localdate()


def plan_cycle(*, plan: Plan) -> ReportingCycle:
    """The plan's reporting cycle, or an unsaved default one (monthly, due on the 5th)."""
    try:
        return plan.reporting_cycle
    except ReportingCycle.DoesNotExist:
        return ReportingCycle(
            plan=plan,
            frequency=DEFAULT_FREQUENCY,
            due_day=DEFAULT_DUE_DAY,
            remind_days_before=DEFAULT_REMIND_DAYS_BEFORE,
        )


def workday_on_or_after(day: date) -> date:
    while not workdays.is_workday(day):
        day += timedelta(days=1)
    return day


def _month_day(year: int, month: int, day: int) -> date:
    if month > 12:
        year, month = year + 1, month - 12
    return date(year, month, min(max(day, 1), calendar.monthrange(year, month)[1]))


def _period_bounds(*, frequency: str, start: date) -> tuple[date, str]:
    """The end and the label of the period that starts on ``start``."""
    if frequency == ReportingCycle.Frequency.WEEKLY:
        iso_year, iso_week, _ = start.isocalendar()
        return start + timedelta(days=6), f"{iso_year}年第{iso_week}周"
    if frequency == ReportingCycle.Frequency.QUARTERLY:
        quarter = (start.month - 1) // 3 + 1
        end = _month_day(start.year, start.month + 2, 31)
        return end, f"{start.year}年第{quarter}季度"
    return _month_day(start.year, start.month, 31), f"{start.year}年{start.month}月"


def _report_due(*, frequency: str, due_day: int, end: date) -> date:
    if frequency == ReportingCycle.Frequency.WEEKLY:
        weekday = min(max(due_day, 1), 7)
        # ``end`` is a Sunday: the next week's ISO weekday N is N days later.
        target = end + timedelta(days=weekday)
    else:
        target = _month_day(end.year, end.month + 1, due_day)
    return workday_on_or_after(target)


def period_bounds(*, frequency: str, start: date) -> tuple[date, str]:
    """The end and the label of the period of a ``frequency`` cycle that starts on ``start``."""
    return _period_bounds(frequency=frequency, start=start)


def report_due_for(*, frequency: str, due_day: int, end: date) -> date:
    """When the report of a period ending on ``end`` is due under a cycle."""
    return _report_due(frequency=frequency, due_day=due_day, end=end)


def _first_start(*, frequency: str, year: int) -> date:
    first = date(year, 1, 1)
    if frequency == ReportingCycle.Frequency.WEEKLY:
        return first - timedelta(days=first.weekday())
    return first


def _last_day(*, plan: Plan) -> date:
    """The last day the plan can need a period for: its last due date, extensions included."""
    due = plan.tasks.aggregate(last=Max("due_date"))["last"]
    extended = ExtensionRequest.objects.filter(
        task__plan=plan, status=ExtensionRequest.Status.APPROVED
    ).aggregate(last=Max("requested_due"))["last"]
    return max(d for d in (date(plan.year, 12, 31), due, extended) if d is not None)


def periods_ensure(*, plan: Plan, until: date) -> list[ReportingPeriod]:
    """Create the plan's periods from 1 January through the one containing ``until``; idempotent.

    Returns every period of the plan up to that one, in order. Runs a fixed
    handful of queries whatever the number of periods.
    """
    cycle = plan_cycle(plan=plan)
    until = min(until, _last_day(plan=plan))
    wanted: list[ReportingPeriod] = []
    start = _first_start(frequency=cycle.frequency, year=plan.year)
    while start <= until:
        end, label = _period_bounds(frequency=cycle.frequency, start=start)
        wanted.append(
            ReportingPeriod(
                plan=plan,
                label=label,
                start=start,
                end=end,
                report_due=_report_due(frequency=cycle.frequency, due_day=cycle.due_day, end=end),
            )
        )
        start = end + timedelta(days=1)
    existing = {p.start: p for p in ReportingPeriod.objects.filter(plan=plan)}
    missing = [p for p in wanted if p.start not in existing]
    if missing:
        # Two processes may fill the same gap at once (the nightly recompute
        # and a reporter's page); the unique start makes the second a no-op.
        ReportingPeriod.objects.bulk_create(missing, ignore_conflicts=True)
        existing = {p.start: p for p in ReportingPeriod.objects.filter(plan=plan)}
    last_start = wanted[-1].start if wanted else None
    return [p for s, p in sorted(existing.items()) if last_start is not None and s <= last_start]


def period_for(*, plan: Plan, day: date) -> ReportingPeriod:
    """The period a report submitted on ``day`` belongs to.

    The rule: a report describes the most recent period that has *ended*
    before ``day`` (a March report is written in early April, before its due
    date on 5 April; a report sent on 20 April, before April has ended, is
    still the March report, late). Reports for a period stay open until the
    next period ends. Before the plan's first period has ended there is no
    ended period, and a report describes the first period.
    """
    periods = periods_ensure(plan=plan, until=max(day, date(plan.year, 1, 1)))
    ended = [p for p in periods if p.end < day]
    if ended:
        return ended[-1]
    return periods[0]


def open_periods(*, plans, day: date) -> dict[int, ReportingPeriod | None]:
    """``period_for`` of several plans at once, or None for a plan whose year has not begun.

    Reads the periods already made (the nightly run makes each day's) and the
    plans' last days in three queries whatever the number of plans; only a
    plan whose periods lag behind ``day`` goes through ``period_for``, which
    makes them.
    """
    plans = [plan for plan in plans]
    known: dict[int, list[ReportingPeriod]] = {plan.pk: [] for plan in plans}
    for period in ReportingPeriod.objects.filter(plan__in=plans, start__lte=day).order_by("start"):
        known[period.plan_id].append(period)
    due = dict(
        Task.objects.filter(plan__in=plans).values("plan_id").annotate(last=Max("due_date")).values_list("plan_id", "last")
    )
    extended = dict(
        ExtensionRequest.objects.filter(task__plan__in=plans, status=ExtensionRequest.Status.APPROVED)
        .values("task__plan_id").annotate(last=Max("requested_due")).values_list("task__plan_id", "last")
    )
    answers: dict[int, ReportingPeriod | None] = {}
    for plan in plans:
        if day < date(plan.year, 1, 1):
            answers[plan.pk] = None
            continue
        last_day = max(d for d in (date(plan.year, 12, 31), due.get(plan.pk), extended.get(plan.pk)) if d is not None)
        periods = known[plan.pk]
        if not periods or periods[-1].end < min(day, last_day):
            answers[plan.pk] = period_for(plan=plan, day=day)
            continue
        ended = [p for p in periods if p.end < day]
        answers[plan.pk] = ended[-1] if ended else periods[0]
    return answers


def current_period(*, periods: list[ReportingPeriod], today: date) -> ReportingPeriod | None:
    """From a plan's periods in order: the one now collecting reports (the latest ended), if any."""
    ended = [p for p in periods if p.end < today]
    return ended[-1] if ended else None
