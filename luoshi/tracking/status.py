"""The status engine: the light (红黄绿灯) of one task on one day.

Pure functions over dataclasses, with no database access, so that the nightly
recomputation, the review page and a supervisor checking a light by hand
against docs/status-rules.md all apply exactly the same rules.
"""
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal
from enum import StrEnum

from django.conf import settings
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

# working_days(a, b): the working days d with a < d <= b, 0 when b <= a.
WorkingDays = Callable[[date, date], int]

HUNDRED = Decimal(100)
_TENTH = Decimal("0.1")


class Light(StrEnum):
    GREEN = "green"
    YELLOW = "yellow"
    RED = "red"


_SEVERITY = {Light.GREEN: 0, Light.YELLOW: 1, Light.RED: 2}


class Schedule(StrEnum):
    BEHIND = "behind"  # 欠进度
    ON = "on"  # 达进度
    AHEAD = "ahead"  # 超进度


class PlannedMode(StrEnum):
    LINEAR = "linear"
    MILESTONES = "milestones"


@dataclass(frozen=True, kw_only=True)
class MilestoneState:
    title: str
    due: date
    reached_on: date | None = None


@dataclass(frozen=True, kw_only=True)
class TaskState:
    """Everything the engine needs to know about one task on one day."""

    today: date
    start: date | None
    due: date | None  # the task's one due date: an approved extension has moved it (延期)
    percent: Decimal | int = 0  # from the last accepted report
    milestones: tuple[MilestoneState, ...] = ()
    mode: PlannedMode = PlannedMode.LINEAR
    # Consecutive cycles, counted back from the latest one whose report
    # deadline has passed, for which no report was submitted.
    cycles_unreported: int = 0
    # The current cycle's report deadline has passed and no report came.
    report_late: bool = False
    completed: bool = False  # signed off (销号)
    # Stateful lights (off by default): the light at the end of the previous
    # period. A task that was red stays red until its gap is made up, then
    # shows yellow for a period before the normal rule applies again.
    stateful: bool = False
    previous_light: "Light | None" = None


@dataclass(frozen=True, kw_only=True)
class Thresholds:
    behind_points: int = 10  # yellow when more than N points behind plan
    due_soon_working_days: int = 10  # yellow when due within K working days…
    due_soon_min_percent: int = 80  # …with less than X % done
    schedule_tolerance_points: int = 5  # ±T points of plan counts as on schedule
    red_unreported_cycles: int = 2  # red after this many unreported cycles

    @classmethod
    def from_settings(cls) -> "Thresholds":
        return cls(
            behind_points=settings.LUOSHI_STATUS_BEHIND_POINTS,
            due_soon_working_days=settings.LUOSHI_STATUS_DUE_SOON_WORKING_DAYS,
            due_soon_min_percent=settings.LUOSHI_STATUS_DUE_SOON_MIN_PERCENT,
            schedule_tolerance_points=settings.LUOSHI_STATUS_SCHEDULE_TOLERANCE_POINTS,
            red_unreported_cycles=settings.LUOSHI_STATUS_RED_UNREPORTED_CYCLES,
        )


@dataclass(frozen=True)
class Reason:
    code: str  # stable, for the API and tests: "overdue", "milestone_missed" …
    light: Light
    text: str  # in the active language, for people


@dataclass(frozen=True, kw_only=True)
class TaskStatus:
    light: Light
    reasons: tuple[Reason, ...]
    planned_percent: Decimal | None  # None when the task has no schedule
    schedule: Schedule | None
    due: date | None  # the due date judged against


def weekdays_between(start: date, end: date) -> int:
    """Monday–Friday days d with start < d <= end: the fallback calendar."""
    if end <= start:
        return 0
    full_weeks, rest = divmod((end - start).days, 7)
    extra = sum(1 for i in range(1, rest + 1) if (start + timedelta(days=i)).weekday() < 5)
    return full_weeks * 5 + extra


def planned_percent(*, state: TaskState) -> Decimal | None:
    """Where the task should be today: by elapsed calendar time, or by milestones due."""
    if state.mode == PlannedMode.MILESTONES and state.milestones:
        due_by_today = sum(1 for m in state.milestones if m.due <= state.today)
        return _round(Decimal(due_by_today) * HUNDRED / len(state.milestones))
    due = state.due
    if state.start is None or due is None:
        return None
    if state.today >= due:
        return HUNDRED
    if state.today <= state.start:
        return Decimal(0)
    elapsed = (state.today - state.start).days
    return _round(Decimal(elapsed) * HUNDRED / (due - state.start).days)


def task_status(
    *,
    state: TaskState,
    thresholds: Thresholds = Thresholds(),
    working_days: WorkingDays = weekdays_between,
    explain: bool = True,
) -> TaskStatus:
    """The light of ``state`` and why; ``explain=False`` leaves the reasons' texts empty (the
    snapshots of a nightly run keep only the light, and formatting is most of the engine's time)."""
    percent = Decimal(state.percent)
    if not 0 <= percent <= HUNDRED:
        raise ValueError(f"percent must be between 0 and 100, got {percent}")
    planned = planned_percent(state=state)
    if state.completed:
        return TaskStatus(
            light=Light.GREEN,
            reasons=(),
            planned_percent=planned,
            schedule=_schedule(percent=HUNDRED, planned=planned, thresholds=thresholds),
            due=state.due,
        )
    reasons = [
        *_red_reasons(state=state, thresholds=thresholds, explain=explain),
        *_yellow_reasons(
            state=state, percent=percent, planned=planned, thresholds=thresholds, working_days=working_days,
            explain=explain,
        ),
    ]
    light = max((r.light for r in reasons), key=_SEVERITY.__getitem__, default=Light.GREEN)
    if state.stateful and state.previous_light == Light.RED and light != Light.RED:
        held = _held_reason(percent=percent, planned=planned, explain=explain)
        reasons.append(held)
        light = held.light
    return TaskStatus(
        light=light,
        reasons=tuple(reasons),
        planned_percent=planned,
        schedule=_schedule(percent=percent, planned=planned, thresholds=thresholds),
        due=state.due,
    )


def rollup(items: Iterable[tuple[Decimal | int, Decimal | int]]) -> Decimal | None:
    """Weighted mean of (weight, percent) pairs; None when nothing carries weight.

    A parent passes up the sum of its children's weights with its own percent,
    so a plan's percent is the same whether it is rolled up task by task or
    measure by measure and section by section.
    """
    total_weight = Decimal(0)
    weighted = Decimal(0)
    for weight, percent in items:
        weight = Decimal(weight)
        if weight < 0:
            raise ValueError(f"weight must not be negative, got {weight}")
        total_weight += weight
        weighted += weight * Decimal(percent)
    if total_weight == 0:
        return None
    return _round(weighted / total_weight)


def _red_reasons(*, state: TaskState, thresholds: Thresholds, explain: bool) -> Iterable[Reason]:
    due = state.due
    if due is not None and state.today > due:
        days = (state.today - due).days
        yield Reason(
            "overdue",
            Light.RED,
            ngettext(
                "Overdue by %(days)d day (due %(due)s)",
                "Overdue by %(days)d days (due %(due)s)",
                days,
            )
            % {"days": days, "due": due.isoformat()} if explain else "",
        )
    for milestone in state.milestones:
        if milestone.reached_on is None and milestone.due < state.today:
            yield Reason(
                "milestone_missed",
                Light.RED,
                _("Milestone “%(title)s” (%(due)s) not reached")
                % {"title": milestone.title, "due": milestone.due.isoformat()} if explain else "",
            )
    if state.cycles_unreported >= thresholds.red_unreported_cycles:
        yield Reason(
            "unreported",
            Light.RED,
            ngettext(
                "No report for %(count)d consecutive cycle",
                "No report for %(count)d consecutive cycles",
                state.cycles_unreported,
            )
            % {"count": state.cycles_unreported} if explain else "",
        )


def _yellow_reasons(
    *,
    state: TaskState,
    percent: Decimal,
    planned: Decimal | None,
    thresholds: Thresholds,
    working_days: WorkingDays,
    explain: bool,
) -> Iterable[Reason]:
    if planned is not None and planned - percent > thresholds.behind_points:
        yield Reason(
            "behind_plan",
            Light.YELLOW,
            _("%(gap)s points behind plan (planned %(planned)s%%, done %(percent)s%%)")
            % {"gap": _fmt(planned - percent), "planned": _fmt(planned), "percent": _fmt(percent)} if explain else "",
        )
    due = state.due
    if due is not None and state.today <= due and percent < thresholds.due_soon_min_percent:
        left = working_days(state.today, due)
        if left <= thresholds.due_soon_working_days:
            yield Reason(
                "due_soon",
                Light.YELLOW,
                ngettext(
                    "%(days)d working day left before the due date (%(due)s) with %(percent)s%% done, "
                    "less than %(min)d%%",
                    "%(days)d working days left before the due date (%(due)s) with %(percent)s%% done, "
                    "less than %(min)d%%",
                    left,
                )
                % {
                    "days": left,
                    "due": due.isoformat(),
                    "percent": _fmt(percent),
                    "min": thresholds.due_soon_min_percent,
                }
                if explain
                else "",
            )
    if state.report_late:
        yield Reason("report_late", Light.YELLOW, _("This cycle's report is late") if explain else "")


def _held_reason(*, percent: Decimal, planned: Decimal | None, explain: bool) -> Reason:
    """Stateful lights: a task red at the end of the last period and no longer red by the rules today."""
    if planned is not None and percent < planned:
        return Reason(
            "red_held",
            Light.RED,
            _("Red since the last period until the gap is made up (planned %(planned)s%%, done %(percent)s%%)")
            % {"planned": _fmt(planned), "percent": _fmt(percent)} if explain else "",
        )
    return Reason(
        "recovering",
        Light.YELLOW,
        _("Red at the end of the last period; the gap is made up, green from the next period") if explain else "",
    )


def _schedule(*, percent: Decimal, planned: Decimal | None, thresholds: Thresholds) -> Schedule | None:
    if planned is None:
        return None
    difference = percent - planned
    if difference < -thresholds.schedule_tolerance_points:
        return Schedule.BEHIND
    if difference > thresholds.schedule_tolerance_points:
        return Schedule.AHEAD
    return Schedule.ON


def _round(value: Decimal) -> Decimal:
    return value.quantize(_TENTH, rounding=ROUND_HALF_UP)


def _fmt(value: Decimal) -> str:
    """40.0 → "40", 37.5 → "37.5": how a person writes a percent."""
    return format(value.normalize(), "f")
