"""From the database to the status engine and back: lights, snapshots and roll-ups.

``luoshi.tracking.status`` decides a light from a ``TaskState``; this module
builds that state from what the units reported and the office decided, and
writes the answer to ``TaskTrack`` (one row per task, what the pages read)
and ``LightSnapshot`` (one row per task and ended period, the trend).

How the state is read (docs/status-rules.md names the inputs):

- percent: the last *accepted* report, by period; returned or waiting
  reports do not move progress;
- milestones reached: those ticked in accepted reports, on the day the report
  was submitted;
- cycles unreported / report late: over the periods whose report due date is
  before today and in which the task *expected* a report: periods that end
  on or after the task's start date, whose due date is on or after the day
  the task was created (a unit cannot be late for a task it did not have) and
  that began before the task was signed off. A period counts as reported
  when a report was submitted for it, even if it was then returned: the unit
  answered; the return itself costs it in the assessment
  (docs/assessment.md). "Report late" means the latest such period is
  unreported;
- due date: the task's own; an approved extension moves it (so does an
  edit, and the later of the two wins), and every change recomputes the task;
- completed: signed off (销号).

Reasons are stored in the site's language (``LANGUAGE_CODE``) whoever
triggered the recomputation, so the nightly run and a supervisor accepting a
report in English write the same text; the codes stay for the API.
"""
from __future__ import annotations

import hashlib
from bisect import bisect_left, bisect_right
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from functools import lru_cache
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import NamedTuple

from django.conf import settings
from django.db import connection, transaction
from django.db.models import Max
from django.urls import reverse
from django.utils import timezone, translation

from luoshi.accounts.models import Role, Unit, User
from luoshi.audit.services import audit_record
from luoshi.bulk import rows_update as _bulk
from luoshi.inbox.services import notify
from luoshi.plans import workdays
from luoshi.plans.models import Milestone, Plan, Section, Task
from luoshi.tracking.models import (
    Channel,
    Delivery,
    LadderStep,
    LightSnapshot,
    ProgressReport,
    Reminder,
    ReportingCycle,
    ReportingPeriod,
    TaskCycle,
    TaskTrack,
)
from luoshi.tracking import periods
from luoshi.tracking.periods import current_period, periods_ensure, plan_cycle
from luoshi.tracking.ladder import steps_record
from luoshi.tracking.services import delivery_create
from luoshi.tracking.status import Light, MilestoneState, TaskState, Thresholds, rollup, task_status

# A returned report still shows the unit answered for the period.
REPORTED_STATUSES = (
    ProgressReport.Status.SUBMITTED,
    ProgressReport.Status.RETURNED,
    ProgressReport.Status.ACCEPTED,
)
_COMPUTED_FIELDS = [
    "percent", "light", "schedule", "planned_percent", "reasons", "effective_due", "last_accepted_at", "computed_at"
]


class _Accepted(NamedTuple):
    period_start: date
    percent: int


@dataclass
class _Facts:
    """What the engine needs about a set of tasks, loaded with a fixed number of queries."""

    periods: list[ReportingPeriod]
    accepted: dict[int, list[_Accepted]] = field(default_factory=lambda: defaultdict(list))
    # task id → milestone id → (period start of the report, day it was submitted)
    reached: dict[int, dict[int, tuple[date, date]]] = field(default_factory=lambda: defaultdict(dict))
    reported: dict[int, set[int]] = field(default_factory=lambda: defaultdict(set))
    milestones: dict[int, list[Milestone]] = field(default_factory=lambda: defaultdict(list))
    tracks: dict[int, TaskTrack] = field(default_factory=dict)
    report_dues: list[date] = field(default_factory=list)
    dues_in_order: bool = True
    accepted_starts: dict[int, list[date]] = field(default_factory=dict)
    # Stateful lights (docs/status-rules.md): on for the site or the plan, and each task's light at
    # the end of each period (task id → period end → light), as stored and as computed in this run.
    stateful: bool = False
    ends: list[date] = field(default_factory=list)
    period_lights: dict[int, dict[date, str]] = field(default_factory=lambda: defaultdict(dict))
    # task id → when its last accepted report was accepted
    last_accepted: dict[int, datetime] = field(default_factory=dict)


def _local_date(moment: datetime | None) -> date | None:
    return timezone.localdate(moment) if moment is not None else None


def _facts(*, plan: Plan, task_ids: list[int] | None, today: date) -> _Facts:
    def narrow(queryset, task_path: str = "task"):
        if task_ids is None:
            return queryset.filter(**{f"{task_path}__plan": plan})
        return queryset.filter(**{f"{task_path}__in": task_ids})

    facts = _Facts(periods=periods_ensure(plan=plan, until=today))
    facts.report_dues = [p.report_due for p in facts.periods]
    facts.dues_in_order = facts.report_dues == sorted(facts.report_dues)
    # Every report that counts as an answer, in one pass: the accepted ones also give the percent.
    # Plain tuples, and no time of day per report (parsing tens of thousands of timestamps was most
    # of a night's run): when each task was last accepted is asked of the database apart.
    accepted_status = ProgressReport.Status.ACCEPTED
    reports = narrow(ProgressReport.objects.filter(status__in=REPORTED_STATUSES))
    for task_id, period_id, start, percent, status in reports.values_list(
        "task_id", "period_id", "period__start", "percent", "status"
    ).order_by("period__start"):
        facts.reported[task_id].add(period_id)
        if status == accepted_status:
            facts.accepted[task_id].append(_Accepted(start, percent))
    last = narrow(ProgressReport.objects.filter(status=accepted_status, reviewed_at__isnull=False))
    facts.last_accepted = dict(last.values("task_id").annotate(last=Max("reviewed_at")).values_list("task_id", "last"))
    through = ProgressReport.milestones_reached.through.objects.filter(
        progressreport__status=ProgressReport.Status.ACCEPTED
    )
    through = narrow(through, "progressreport__task")
    for task_id, milestone_id, start, submitted in through.values_list(
        "progressreport__task_id", "milestone_id", "progressreport__period__start", "progressreport__submitted_at"
    ).order_by("progressreport__period__start"):
        facts.reached[task_id].setdefault(milestone_id, (start, _local_date(submitted) or start))
    for milestone in narrow(Milestone.objects.all()).order_by("due_date", "position"):
        facts.milestones[milestone.task_id].append(milestone)
    facts.tracks = {t.task_id: t for t in narrow(TaskTrack.objects.all())}
    facts.stateful = settings.LUOSHI_STATUS_STATEFUL or plan_cycle(plan=plan).stateful_lights
    if facts.stateful:
        facts.ends = [p.end for p in facts.periods]
        for task_id, end, light in narrow(LightSnapshot.objects.filter(period__plan=plan)).values_list(
            "task_id", "period__end", "light"
        ):
            facts.period_lights[task_id][end] = light
    return facts


def _previous_light(task: Task, facts: _Facts, today: date) -> Light | None:
    """Stateful lights: the task's light at the end of the last period that ended before ``today``."""
    index = bisect_left(facts.ends, today)
    if index == 0:
        return None
    light = facts.period_lights.get(task.pk, {}).get(facts.ends[index - 1])
    return Light(light) if light else None


def _period_light_keep(task: Task, facts: _Facts, period: ReportingPeriod, light: str) -> None:
    if facts.stateful:
        facts.period_lights[task.pk][period.end] = light


def _created_on(task: Task) -> date:
    # Asked for every period of every task in a night's run: convert the time once per task.
    if "_created_on" not in task.__dict__:
        task.__dict__["_created_on"] = _local_date(task.created)
    return task.__dict__["_created_on"]


def expects_report(task: Task, period: ReportingPeriod, signed_off_on: date | None) -> bool:
    if task.start_date is not None and period.end < task.start_date:
        return False
    if period.report_due < _created_on(task):
        return False
    if not closes_task_cycle(task, period):
        return False
    return signed_off_on is None or period.start <= signed_off_on


def _bucket(day: date, frequency: str) -> tuple:
    if frequency == ReportingCycle.Frequency.QUARTERLY:
        return day.year, (day.month - 1) // 3
    if frequency == ReportingCycle.Frequency.MONTHLY:
        return day.year, day.month
    return day.isocalendar()[:2]


def task_frequency(task: Task) -> str | None:
    """The task's own reporting cycle (TaskCycle), or None when it reports with its plan; read once per task."""
    if "_cycle_frequency" not in task.__dict__:
        try:
            task.__dict__["_cycle_frequency"] = task.cycle.frequency
        except TaskCycle.DoesNotExist:
            task.__dict__["_cycle_frequency"] = None
    return task.__dict__["_cycle_frequency"]


def closes_task_cycle(task: Task, period: ReportingPeriod) -> bool:
    """Is ``period`` the plan's last period in one of the task's own cycles (always, for a task without one)?

    The next period of the same length would end in another of the task's cycles: the March period of
    a monthly plan closes a quarter, the last week ending in April closes a month.
    """
    frequency = task_frequency(task)
    return frequency is None or period_closes_cycle(period, frequency)


def period_closes_cycle(period: ReportingPeriod, frequency: str) -> bool:
    """Does the plan's ``period`` end the last of its kind in a ``frequency`` cycle (a quarter, a month)?"""
    length = (period.end - period.start).days + 1
    own = (
        ReportingCycle.Frequency.WEEKLY if length <= 7
        else ReportingCycle.Frequency.MONTHLY if length <= 31
        else ReportingCycle.Frequency.QUARTERLY
    )
    following_end, _label = periods.period_bounds(frequency=own, start=period.end + timedelta(days=1))
    return _bucket(period.end, frequency) != _bucket(following_end, frequency)


def task_frequencies_load(tasks) -> None:
    """Read the TaskCycle of many tasks in one query, for expects_report."""
    tasks = [t for t in tasks if "_cycle_frequency" not in t.__dict__]
    own = dict(TaskCycle.objects.filter(task__in=[t.pk for t in tasks]).values_list("task_id", "frequency"))
    for task in tasks:
        task.__dict__["_cycle_frequency"] = own.get(task.pk)


def _reported_in_cycle(task: Task, period: ReportingPeriod, facts: _Facts) -> bool:
    """For a task with its own cycle: a report in any of the plan's periods of that cycle answers for it."""
    frequency = task_frequency(task)
    reported = facts.reported.get(task.pk)
    if frequency is None or not reported:
        return False
    bucket = _bucket(period.end, frequency)
    return any(p.pk in reported and _bucket(p.end, frequency) == bucket for p in facts.periods if p.end <= period.end)


def _task_state(task: Task, facts: _Facts, *, today: date, through: ReportingPeriod | None = None) -> TaskState:
    """The engine's input for ``task`` on ``today``; ``through`` limits reports to that period and earlier."""
    pk = task.pk  # asked for every period of every task in a night's run: read once
    track = facts.tracks.get(pk)
    signed_off_on = _local_date(track.signed_off_at) if track else None
    if signed_off_on is not None and signed_off_on > today:
        signed_off_on = None
    last_start = through.start if through else None

    def counts(period_start: date) -> bool:
        return last_start is None or period_start <= last_start

    # The last accepted report up to ``through``, by bisection: the night's run asks this for every period.
    accepted = facts.accepted.get(pk, [])
    if last_start is not None and accepted:
        if pk not in facts.accepted_starts:
            facts.accepted_starts[pk] = [a.period_start for a in accepted]
        accepted = accepted[:bisect_right(facts.accepted_starts[pk], last_start)]
    reached = {
        milestone_id: submitted
        for milestone_id, (start, submitted) in facts.reached.get(pk, {}).items()
        if counts(start)
    }

    unreported = 0
    reported = facts.reported.get(pk, ())
    # Periods are in order and so, but for a cycle changed midway, are their due dates: then start
    # from the last one due before today instead of walking past every later one.
    due_before = bisect_left(facts.report_dues, today) if facts.dues_in_order else len(facts.periods)
    for period in reversed(facts.periods[:due_before]):
        if period.report_due >= today or not counts(period.start):
            continue
        if not closes_task_cycle(task, period):
            continue  # a task reporting less often than its plan owes nothing for this period
        if not expects_report(task, period, signed_off_on):
            # Counting back, a period the task did not expect ends the run:
            # every earlier one is before its start or its creation too.
            break
        if period.pk in reported or _reported_in_cycle(task, period, facts):
            break
        unreported += 1
    return TaskState(
        today=today,
        start=task.start_date,
        due=task.due_date,
        percent=accepted[-1].percent if accepted else 0,
        milestones=tuple(
            MilestoneState(title=m.title, due=m.due_date, reached_on=reached.get(m.pk))
            for m in facts.milestones.get(pk, [])
        ),
        cycles_unreported=unreported,
        report_late=unreported >= 1,
        completed=signed_off_on is not None,
        stateful=facts.stateful,
        previous_light=_previous_light(task, facts, today) if facts.stateful else None,
    )


def _status(state: TaskState):
    with translation.override(settings.LANGUAGE_CODE):
        return task_status(
            state=state, thresholds=Thresholds.from_settings(), working_days=workdays.working_days_between
        )


def _last_accepted_at(task: Task, facts: _Facts) -> datetime | None:
    return facts.last_accepted.get(task.pk)


def _track_values(state: TaskState, last_accepted_at: datetime | None) -> dict:
    return _values(state, _status(state), last_accepted_at)


def task_recompute(*, task: Task, today: date | None = None) -> TaskTrack:
    """Run the engine for one task and write its TaskTrack; completion fields are left as they are."""
    today = today or periods.today()
    facts = _facts(plan=task.plan, task_ids=[task.pk], today=today)
    values = _track_values(_task_state(task, facts, today=today), _last_accepted_at(task, facts))
    track, _created = TaskTrack.objects.update_or_create(task=task, defaults=values)
    return track


def plan_recompute(*, plan: Plan, today: date | None = None, task_ids: list[int] | None = None) -> int:
    """Recompute every task of the plan (or those of ``task_ids``) with a fixed number of queries; returns how many."""
    today = today or periods.today()
    tasks = list(Task.objects.filter(plan=plan, **({} if task_ids is None else {"pk__in": task_ids})))
    facts = _facts(plan=plan, task_ids=None if task_ids is None else [t.pk for t in tasks], today=today)
    task_frequencies_load(tasks)
    changed, new = [], []
    for task in tasks:
        values = _track_values(_task_state(task, facts, today=today), _last_accepted_at(task, facts))
        track = facts.tracks.get(task.pk)
        if track is None:
            new.append(TaskTrack(task=task, **values))
        else:
            for name, value in values.items():
                setattr(track, name, value)
            changed.append(track)
    with transaction.atomic():
        _bulk(TaskTrack, changed, _COMPUTED_FIELDS)
        # A report accepted meanwhile may have created the row: keep its completion fields.
        TaskTrack.objects.bulk_create(new, ignore_conflicts=True)
    return len(tasks)


def snapshots_write(*, plan: Plan, today: date | None = None) -> int:
    """Write each task's light and percent for every period that has ended; returns how many rows.

    A snapshot is the engine run on the period's last day over the reports of
    that period and earlier, so a March report accepted in April still
    counts for March. Rewritten on every run, which is why a late acceptance
    shows up in the trend.
    """
    today = today or periods.today()
    tasks = list(Task.objects.filter(plan=plan))
    task_frequencies_load(tasks)
    facts = _facts(plan=plan, task_ids=None, today=today)
    existing = {(s.task_id, s.period_id): s for s in LightSnapshot.objects.filter(period__plan=plan)}
    changed, new = [], []
    for period in facts.periods:
        if period.end >= today:
            continue
        for task in tasks:
            state = _task_state(task, facts, today=period.end, through=period)
            status = _status(state)
            _period_light_keep(task, facts, period, str(status.light))
            percent = 100 if state.completed else int(state.percent)
            snapshot = existing.get((task.pk, period.pk))
            if snapshot is None:
                new.append(LightSnapshot(task=task, period=period, light=str(status.light), percent=percent))
            elif (snapshot.light, snapshot.percent) != (str(status.light), percent):
                snapshot.light, snapshot.percent = str(status.light), percent
                changed.append(snapshot)
    with transaction.atomic():
        LightSnapshot.objects.bulk_update(changed, ["light", "percent"])
        LightSnapshot.objects.bulk_create(new, ignore_conflicts=True)
    return len(changed) + len(new)


# ── The nightly run: incremental ─────────────────────────────────────────
# A task's light depends on its own inputs and on the day; its snapshot for
# an ended period depends on its inputs only. So the nightly run keeps, per
# task, a digest of the inputs it last saw: a task whose digest is unchanged
# keeps its snapshots and only gets those of the periods that ended since,
# and its light is rewritten only when the new day moves it. Anything that
# changes an input changes the digest, whichever page or command changed it.


@dataclass
class RefreshResult:
    tasks: int = 0
    changed: int = 0  # tasks whose inputs changed since the last run (new tasks included)
    tracks_written: int = 0
    snapshots_written: int = 0
    lights: Counter = field(default_factory=Counter)


def _digest(value) -> str:
    return hashlib.blake2b(repr(value).encode(), digest_size=16).hexdigest()


def _task_key(task: Task, facts: _Facts) -> str:
    """A digest of everything about ``task`` that the engine reads, but the day and the plan's periods."""
    track = facts.tracks.get(task.pk)
    return _digest((
        task.start_date, task.due_date, _created_on(task),
        [(a.period_start, a.percent) for a in facts.accepted.get(task.pk, ())],
        sorted(facts.reached.get(task.pk, {}).items()),
        sorted(facts.reported.get(task.pk, ())),
        [(m.pk, m.title, m.due_date) for m in facts.milestones.get(task.pk, ())],
        track.signed_off_at if track else None,
        # A task's own reporting cycle, only when it has one (the keys of the others stay as they were).
        *([task_frequency(task)] if task_frequency(task) else []),
    ))


def plan_refresh(*, plan: Plan, today: date | None = None, full: bool = False) -> RefreshResult:
    """The nightly run for one plan: every task's light for ``today`` and a snapshot per ended period.

    Incremental: a track is rewritten only when its values change, and the
    snapshots of a task whose inputs are unchanged since the last run are
    kept, only those of periods ended since then are written. ``full``
    rewrites everything (after a change of thresholds or of the holiday
    calendar, which the digest does not cover). Reads a fixed number of
    queries whatever the number of tasks.
    """
    today = today or periods.today()
    tasks = list(Task.objects.filter(plan=plan))
    task_frequencies_load(tasks)
    facts = _facts(plan=plan, task_ids=None, today=today)
    thresholds = Thresholds.from_settings()
    ended = [p for p in facts.periods if p.end < today]
    through = ended[-1].end if ended else None
    by_through: dict[date | None, str] = {}

    def shared(until: date | None) -> str:
        # The thresholds and the periods the snapshots were written for: a period moved or redrawn
        # (a new reporting cycle) invalidates them; one that merely ends since is added below.
        if until not in by_through:
            rows = [(p.pk, p.start, p.end, p.report_due) for p in facts.periods if until and p.end <= until]
            # Stateful lights change every light: they are part of the digest only when on.
            by_through[until] = _digest((thresholds, True, rows) if facts.stateful else (thresholds, rows))
        return by_through[until]

    result = RefreshResult(tasks=len(tasks))
    new_tracks, changed_tracks, wanted, whole = [], [], {}, set()
    # The same few spans (a period's end or today, to a due date) are asked again and again:
    # count each once in this run (the calendar cannot change during it).
    working_days = lru_cache(maxsize=None)(workdays.working_days_between)
    with translation.override(settings.LANGUAGE_CODE):
        for task in tasks:
            track = facts.tracks.get(task.pk)
            previous = track.snapshots_through if track else None
            own = _task_key(task, facts)
            unchanged = not full and track is not None and track.inputs_key == _digest((shared(previous), own))
            if not unchanged:
                result.changed += 1
                whole.add(task.pk)
            key = _digest((shared(through), own))
            # The snapshots first: with stateful lights, today's light starts from the last period's.
            after = previous if unchanged else None
            for period in ended:
                if after is not None and period.end <= after:
                    continue
                state = _task_state(task, facts, today=period.end, through=period)
                status = task_status(state=state, thresholds=thresholds, working_days=working_days, explain=False)
                _period_light_keep(task, facts, period, str(status.light))
                wanted[(task.pk, period.pk)] = (str(status.light), 100 if state.completed else int(state.percent))
            if unchanged and track.judged_on == today:
                values = None
            else:
                state = _task_state(task, facts, today=today)
                status = task_status(state=state, thresholds=thresholds, working_days=working_days)
                values = _values(state, status, _last_accepted_at(task, facts))
            if track is None:
                new_tracks.append(TaskTrack(task=task, inputs_key=key, judged_on=today, snapshots_through=through,
                                            **values))
            elif (track.inputs_key, track.snapshots_through) != (key, through) or (values is not None and any(
                getattr(track, name) != value for name, value in values.items() if name != "computed_at"
            )):
                for name, value in (values or {}).items():
                    setattr(track, name, value)
                track.inputs_key, track.judged_on, track.snapshots_through = key, today, through
                changed_tracks.append(track)
            result.lights[(values or {}).get("light") or track.light] += 1
    new_snapshots, changed_snapshots = _snapshot_rows(wanted, whole=whole)
    with transaction.atomic():
        _bulk(TaskTrack, changed_tracks, [*_COMPUTED_FIELDS, "inputs_key", "judged_on", "snapshots_through"])
        TaskTrack.objects.bulk_create(new_tracks, ignore_conflicts=True)
        # The rest were judged for today and found the same: say so, without rewriting them. (A period
        # that ended since changes every key, so those tracks are among the rewritten ones.)
        TaskTrack.objects.filter(task__plan=plan, inputs_key__gt="").exclude(judged_on=today).update(judged_on=today)
        _bulk(LightSnapshot, changed_snapshots, ["light", "percent"])
        LightSnapshot.objects.bulk_create(new_snapshots, ignore_conflicts=True, batch_size=2000)
    result.tracks_written = len(changed_tracks) + len(new_tracks)
    result.snapshots_written = len(changed_snapshots) + len(new_snapshots)
    return result


def _values(state: TaskState, status, last_accepted_at: datetime | None) -> dict:
    return {
        "last_accepted_at": last_accepted_at,
        "percent": 100 if state.completed else int(state.percent),
        "light": str(status.light),
        "schedule": str(status.schedule or ""),
        "planned_percent": status.planned_percent,
        "reasons": [{"code": r.code, "light": str(r.light), "text": r.text} for r in status.reasons],
        "effective_due": status.due,
        "computed_at": timezone.now(),
    }


def _snapshot_rows(wanted: dict[tuple[int, int], tuple[str, int]], *, whole: set[int]) -> tuple[list, list]:
    """New and changed LightSnapshot rows for the (task, period) pairs wanted.

    Reads the existing rows of the tasks in ``whole`` (all their periods are
    wanted) and, for the others, only the rows of the periods wanted: a night
    that adds one ended period reads that period, not the plan's history.
    """
    task_ids = sorted(whole)
    period_ids = sorted({period_id for task_id, period_id in wanted if task_id not in whole})
    queries = [LightSnapshot.objects.filter(task_id__in=task_ids[n:n + 500]) for n in range(0, len(task_ids), 500)]
    if period_ids:
        queries.append(LightSnapshot.objects.filter(period_id__in=period_ids))
    new, changed, seen = [], [], set()
    for query in queries:
        # Plain rows: a model instance for each of a plan's tens of thousands of snapshots cost
        # more than judging them; only the changed ones become instances, for the update.
        for pk, task_id, period_id, light, percent in query.values_list("pk", "task_id", "period_id", "light", "percent"):
            pair = (task_id, period_id)
            if pair not in wanted or pair in seen:
                continue
            seen.add(pair)
            if (light, percent) != wanted[pair]:
                light, percent = wanted[pair]
                changed.append(LightSnapshot(pk=pk, task_id=task_id, period_id=period_id, light=light, percent=percent))
    for (task_id, period_id), (light, percent) in wanted.items():
        if (task_id, period_id) not in seen:
            new.append(LightSnapshot(task_id=task_id, period_id=period_id, light=light, percent=percent))
    return new, changed


# ── Roll-up (进度汇总) ────────────────────────────────────────────────────
# One query over the plan's tasks and their tracks, summed in Python: the
# pages and the API show every measure's and section's percent at once.


@dataclass
class Rollup:
    plan: Decimal | None
    sections: dict[int, Decimal | None]
    measures: dict[int, Decimal | None]
    # Lights of the tasks under each section, at any depth.
    section_lights: dict[int, Counter]
    lights: Counter


def _task_percent(percent: int | None, signed_off: datetime | None) -> int:
    return 100 if signed_off is not None else (percent or 0)


def plan_rollup(*, plan: Plan) -> Rollup:
    """Weighted percents (Task.weight) of the plan, every section (any depth) and every measure."""
    parents = dict(Section.objects.filter(plan=plan).values_list("pk", "parent_id"))
    rows = Task.objects.filter(plan=plan).values_list(
        "measure_id", "measure__section_id", "weight", "track__percent", "track__light", "track__signed_off_at"
    )
    by_measure: dict[int, list] = defaultdict(list)
    by_section: dict[int, list] = defaultdict(list)
    section_lights: dict[int, Counter] = defaultdict(Counter)
    everything, lights = [], Counter()
    for measure_id, section_id, weight, percent, light, signed_off in rows:
        item = (weight, _task_percent(percent, signed_off))
        light = Light.GREEN if signed_off else light
        by_measure[measure_id].append(item)
        everything.append(item)
        if light:
            lights[light] += 1
        ancestor = section_id
        while ancestor is not None:
            by_section[ancestor].append(item)
            if light:
                section_lights[ancestor][light] += 1
            ancestor = parents.get(ancestor)
    return Rollup(
        plan=rollup(everything),
        sections={pk: rollup(by_section.get(pk, [])) for pk in parents},
        measures={pk: rollup(items) for pk, items in by_measure.items()},
        section_lights=dict(section_lights),
        lights=lights,
    )


def plan_progress(*, plan: Plan) -> Decimal | None:
    return plan_rollup(plan=plan).plan


def section_progress(*, plan: Plan) -> dict[int, Decimal | None]:
    return plan_rollup(plan=plan).sections


def measure_progress(*, plan: Plan) -> dict[int, Decimal | None]:
    return plan_rollup(plan=plan).measures


# ── Reminders (提醒) and chases (催办) ─────────────────────────────────────
# Messages to units are written in Chinese: they go to Chinese offices
# whatever language the person or cron job that triggered them uses.

_WEEKDAYS = "一二三四五六日"


def _chinese_date(day: date) -> str:
    return f"{day.year}年{day.month}月{day.day}日"


def unit_notify(*, unit: Unit, subject: str, body: str, kind: str, url: str = "", dedup_key: str = "") -> list[Delivery]:
    """Tell a unit: each of its reporters through their inbox, and every group robot at once.

    A reporter's copy goes through luoshi.inbox.services.notify, which sends
    it by e-mail now or in their daily digest (``kind`` and their preference
    decide; a 督办单 always goes now). ``dedup_key`` names the event, so a
    reporter told of it twice gets it once. Returns the deliveries queued now
    (sent by the worker once the surrounding transaction commits).
    """
    deliveries = []
    reporters = User.objects.filter(memberships__unit=unit, is_active=True, role=Role.REPORTER).order_by("pk")
    for reporter in reporters:
        notification = notify(
            reporter, kind=kind, subject=subject, body=body, url=url,
            dedup_key=f"{dedup_key}:unit{unit.pk}" if dedup_key else None,
        )
        deliveries.extend(notification.deliveries.all())
    robots = Channel.objects.filter(kind__in=[Channel.Kind.DINGTALK, Channel.Kind.WECOM], is_active=True)
    for robot in robots.order_by("name"):
        deliveries.append(delivery_create(channel=robot, subject=subject, body=f"{unit.name}：\n\n{body}"))
    return deliveries


_NOTIFICATION_KIND = {Reminder.Kind.BEFORE: "reminder", Reminder.Kind.CHASE: "chase"}


def _reminder_text(*, kind: str, unit: Unit, period: ReportingPeriod, tasks: list[Task]) -> tuple[str, str]:
    due = f"{_chinese_date(period.report_due)}（星期{_WEEKDAYS[period.report_due.weekday()]}）"
    lines = [
        f"{n}. {t.title}（完成时限{_chinese_date(t.due_date)}）" if t.due_date else f"{n}. {t.title}"
        for n, t in enumerate(tasks, start=1)
    ]
    office = f"{settings.LUOSHI_ORG_NAME}督查室"
    if kind == Reminder.Kind.BEFORE:
        subject = f"【报送提醒】请于{_chinese_date(period.report_due)}前报送{period.label}工作进度"
        opening = f"请于{due}前报送以下{len(tasks)}项任务{period.label}的工作进度："
    else:
        subject = f"【催办】{period.label}工作进度逾期未报送"
        opening = (
            f"以下{len(tasks)}项任务{period.label}的工作进度应于{due}前报送，至今未报送，"
            "请立即报送；逾期未报送将计入考核。"
        )
    body = "\n".join([f"{unit.name}：", "", opening, *lines, "", office])
    return subject, body


@dataclass
class RemindResult:
    plan: Plan
    period: ReportingPeriod | None
    kind: str | None
    reminders: list[Reminder] = field(default_factory=list)
    already_sent: int = 0


def plan_remind(*, plan: Plan, today: date | None = None) -> RemindResult:
    """Remind, or chase, each unit whose tasks lack a report for the period now collecting reports.

    Before the due date: from ``remind_days_before`` working days ahead up to
    the due date itself, a reminder. After it: a chase (催办), until the next
    period takes over. A report waiting for review or accepted settles a
    task; a returned one does not, the unit must resubmit it. Each unit gets
    each kind once per period, however often this runs (the Reminder row).
    """
    today = today or periods.today()
    period = current_period(periods=periods_ensure(plan=plan, until=today), today=today)
    if period is None:
        return RemindResult(plan=plan, period=None, kind=None)
    if today <= period.report_due:
        if workdays.working_days_between(today, period.report_due) > plan_cycle(plan=plan).remind_days_before:
            return RemindResult(plan=plan, period=period, kind=None)
        kind = Reminder.Kind.BEFORE
    else:
        kind = Reminder.Kind.CHASE
    result = RemindResult(plan=plan, period=period, kind=kind)
    settled = set(
        ProgressReport.objects.filter(
            period=period, status__in=[ProgressReport.Status.SUBMITTED, ProgressReport.Status.ACCEPTED]
        ).values_list("task_id", flat=True)
    )
    signed_off = dict(
        TaskTrack.objects.filter(task__plan=plan, signed_off_at__isnull=False).values_list("task_id", "signed_off_at")
    )
    lacking: dict[int, list[Task]] = defaultdict(list)
    tasks = list(Task.objects.filter(plan=plan, lead_unit__isnull=False).order_by("measure__position", "position", "pk"))
    task_frequencies_load(tasks)
    for task in tasks:
        if task.pk in settled or not expects_report(task, period, _local_date(signed_off.get(task.pk))):
            continue
        lacking[task.lead_unit_id].append(task)
    units = Unit.objects.in_bulk(list(lacking))
    for unit_id, unit_tasks in lacking.items():
        unit = units[unit_id]
        with transaction.atomic():
            reminder, created = Reminder.objects.get_or_create(period=period, unit=unit, kind=kind)
            if not created:
                result.already_sent += 1
                continue
            subject, body = _reminder_text(kind=kind, unit=unit, period=period, tasks=unit_tasks)
            reminder.deliveries.set(unit_notify(
                unit=unit, subject=subject, body=body, kind=_NOTIFICATION_KIND[kind],
                url=reverse("tracking:my_updates"), dedup_key=f"reminder:{reminder.pk}",
            ))
            steps_record(task_ids=[t.pk for t in unit_tasks], rung=LadderStep.Rung.REMINDER, day=today,
                         text=subject, ref=f"reminder-{reminder.pk}")
            audit_record(
                actor=None,
                action=f"reminder.{kind}",
                obj=period,
                after={"period": period.label, "unit": unit.name, "tasks": [t.pk for t in unit_tasks]},
            )
        result.reminders.append(reminder)
    return result


@dataclass
class ChaseResult:
    units: int = 0
    tasks: int = 0
    without_unit: int = 0


def tasks_chase(*, tasks: list[Task], actor, today: date | None = None) -> ChaseResult:
    """催办 chosen by a supervisor: one message to each lead unit listing its tasks among ``tasks``.

    It goes the way a period's chase goes (unit_notify: each reporter's inbox
    and the group robots) and is audited per task. Chasing the same tasks
    of a unit twice on one day tells its reporters once (the dedup key).
    A task without a lead unit has no one to chase and is counted apart.
    """
    today = today or periods.today()
    result = ChaseResult()
    by_unit: dict[int, list[Task]] = defaultdict(list)
    for task in sorted(tasks, key=lambda t: t.pk):
        if task.lead_unit_id is None:
            result.without_unit += 1
        else:
            by_unit[task.lead_unit_id].append(task)
    units = Unit.objects.in_bulk(list(by_unit))
    office = f"{settings.LUOSHI_ORG_NAME}督查室"
    for unit_id, unit_tasks in by_unit.items():
        unit = units[unit_id]
        lines = [
            f"{n}. {t.title}（完成时限{_chinese_date(t.due_date)}）" if t.due_date else f"{n}. {t.title}"
            for n, t in enumerate(unit_tasks, start=1)
        ]
        subject = f"【催办】请加快推进{len(unit_tasks)}项任务"
        body = "\n".join([
            f"{unit.name}：", "", f"请加快推进以下{len(unit_tasks)}项任务，并及时报送工作进度：", *lines, "", office,
        ])
        with transaction.atomic():
            unit_notify(
                unit=unit, subject=subject, body=body, kind="chase", url=reverse("tracking:my_tasks"),
                dedup_key=f"chase:{today.isoformat()}:" + ",".join(str(t.pk) for t in unit_tasks),
            )
            for task in unit_tasks:
                audit_record(actor=actor, action="task.chase", obj=task, after={"unit": unit.name})
            # Each task has reached the ladder's 催办 rung.
            LadderStep.objects.bulk_create([
                LadderStep(task=task, rung=LadderStep.Rung.CHASE, happened_on=today, actor=actor) for task in unit_tasks
            ])
        result.units += 1
        result.tasks += len(unit_tasks)
    return result
