"""Reads of the tracking app that honour who is asking.

A report, its evidence and a task's extension requests are visible to whoever
may read the task (luoshi.plans.selectors.task_list): supervisors and leaders
see all, a reporter those of tasks its units lead or co-operate on, and
anything else is a 404, as for tasks.
"""
from dataclasses import dataclass, field
from datetime import date, datetime

from django.db.models import QuerySet
from django.http import Http404

from luoshi.accounts.permissions import own_unit_ids, readable_unit_ids
from luoshi.audit.models import AuditEntry
from luoshi.plans import selectors as plan_selectors
from luoshi.plans.models import Indicator, Milestone, Task
from luoshi.tracking.models import (
    Contribution,
    Evidence,
    ExtensionRequest,
    IndicatorActual,
    ProgressReport,
    ReportingCycle,
    ReportingPeriod,
    SupervisionNotice,
    TaskComment,
    TaskTrack,
)
from luoshi.tracking.periods import today


def _visible_task_ids(visible_to):
    return plan_selectors.task_list(visible_to=visible_to).values("pk")


def _restrict_to_visible_tasks(queryset: QuerySet, visible_to) -> QuerySet:
    if not getattr(visible_to, "is_authenticated", False):
        return queryset.none()
    if readable_unit_ids(visible_to) is None:
        return queryset
    return queryset.filter(task_id__in=_visible_task_ids(visible_to))


def report_list(
    *, visible_to, task: Task | None = None, period: ReportingPeriod | None = None, status: str | None = None
) -> QuerySet[ProgressReport]:
    reports = _restrict_to_visible_tasks(ProgressReport.objects.all(), visible_to)
    if task is not None:
        reports = reports.filter(task=task)
    if period is not None:
        reports = reports.filter(period=period)
    if status is not None:
        reports = reports.filter(status=status)
    return reports.select_related(
        "task", "task__plan", "task__measure", "task__lead_unit", "period", "unit", "submitted_by", "reviewed_by"
    ).prefetch_related("evidence", "milestones_reached", "actuals__indicator")


def report_get(*, visible_to, pk: int) -> ProgressReport:
    try:
        return report_list(visible_to=visible_to).get(pk=pk)
    except ProgressReport.DoesNotExist:
        raise Http404("No such report") from None


def review_queue(*, visible_to) -> QuerySet[ProgressReport]:
    """Submitted reports waiting for a decision, the longest-waiting first, with what the queue shows.

    Read through the index on (status, submitted_at): a page of the queue
    costs the same with five waiting reports as with five thousand.
    """
    return (
        _restrict_to_visible_tasks(ProgressReport.objects.filter(status=ProgressReport.Status.SUBMITTED), visible_to)
        .select_related("task", "task__plan", "period", "unit")
        .order_by("submitted_at", "pk")
    )


def previous_accepted_report(report: ProgressReport) -> ProgressReport | None:
    """The task's last accepted report before this one's period: what the reviewer compares with."""
    return (
        ProgressReport.objects.filter(
            task_id=report.task_id, period__start__lt=report.period.start, status=ProgressReport.Status.ACCEPTED
        )
        .select_related("period")
        .order_by("-period__start")
        .first()
    )


def evidence_get(*, visible_to, pk: int) -> Evidence:
    try:
        return Evidence.objects.select_related("report").get(
            pk=pk, report__in=report_list(visible_to=visible_to).values("pk")
        )
    except Evidence.DoesNotExist:
        raise Http404("No such file") from None


def contribution_list(*, visible_to, task: Task) -> QuerySet[Contribution]:
    return _restrict_to_visible_tasks(Contribution.objects.filter(task=task), visible_to).select_related(
        "unit", "period", "author"
    )


def extension_list(*, visible_to, task: Task | None = None, status: str | None = None) -> QuerySet[ExtensionRequest]:
    requests = _restrict_to_visible_tasks(ExtensionRequest.objects.all(), visible_to)
    if task is not None:
        requests = requests.filter(task=task)
    if status is not None:
        requests = requests.filter(status=status)
    return requests.select_related("task", "task__plan", "task__lead_unit", "unit", "requested_by", "decided_by")


def extension_get(*, visible_to, pk: int) -> ExtensionRequest:
    try:
        return extension_list(visible_to=visible_to).get(pk=pk)
    except ExtensionRequest.DoesNotExist:
        raise Http404("No such extension request") from None


def completion_queue(*, visible_to) -> QuerySet[TaskTrack]:
    """Tasks whose lead unit asked for completion (办结) and that nobody has signed off yet."""
    return _restrict_to_visible_tasks(
        TaskTrack.objects.filter(completion_requested_at__isnull=False, signed_off_at__isnull=True), visible_to
    ).select_related("task", "task__lead_unit", "task__plan").order_by("completion_requested_at")


@dataclass
class MyTask:
    """One row of a reporter's task list: the task, its light and this period's report."""

    task: Task
    track: TaskTrack | None
    period: ReportingPeriod | None
    report: ProgressReport | None
    is_lead: bool  # the user reports for its lead unit
    is_co: bool  # …or for one of its co-units
    extended: bool = False  # the due date is the one an approved extension set
    # The task reports less often than its plan (TaskCycle) and owes nothing this period.
    off_cycle: str = ""

    @property
    def due(self) -> date | None:
        return self.task.due_date


def my_task_list(*, user) -> QuerySet[Task]:
    """The tasks ``user`` may read, soonest due first: the rows of 我的任务, to be shown a page at a time."""
    return (
        Task.objects.filter(pk__in=plan_selectors.task_list(visible_to=user).values("pk"))
        .select_related("plan", "lead_unit")
        .prefetch_related("co_units")
        .order_by("due_date", "plan_id", "measure__position", "id")
    )


def my_programme_names(*, user) -> list[str]:
    """The programmes of the tasks ``user`` may read, by name: what 我的任务 can filter by."""
    from luoshi.plans.models import Programme

    tasks = plan_selectors.task_list(visible_to=user).values("pk")
    return list(Programme.objects.filter(tasks__in=tasks).values_list("name", flat=True).distinct().order_by("name"))


def my_tasks(*, user, tasks: list[Task], periods: dict[int, ReportingPeriod | None]) -> list[MyTask]:
    """``tasks`` (a page of ``my_task_list``) with the light and this period's report of each.

    ``periods`` maps plan ids to the period now open for reports (see
    luoshi.tracking.periods.open_periods); a plan missing from it has none yet.
    """
    tracks = {t.task_id: t for t in TaskTrack.objects.filter(task__in=[t.pk for t in tasks])}
    period_ids = [p.pk for p in periods.values() if p is not None]
    reports = {
        (r.task_id, r.period_id): r
        for r in ProgressReport.objects.filter(task__in=[t.pk for t in tasks], period__in=period_ids)
    }
    extended = set(
        ExtensionRequest.objects.filter(
            task__in=[t.pk for t in tasks], status=ExtensionRequest.Status.APPROVED
        ).values_list("task_id", "requested_due")
    )
    own = own_unit_ids(user)
    # Imported here: supervision builds on these selectors' models, not the other way round.
    from luoshi.tracking.supervision import closes_task_cycle, task_frequencies_load, task_frequency

    task_frequencies_load(tasks)
    rows = []
    for task in tasks:
        period = periods.get(task.plan_id)
        off_cycle = ""
        if period is not None and not closes_task_cycle(task, period):
            off_cycle = str(ReportingCycle.Frequency(task_frequency(task)).label)
        rows.append(
            MyTask(
                task=task,
                track=tracks.get(task.pk),
                period=period,
                report=reports.get((task.pk, period.pk)) if period else None,
                is_lead=task.lead_unit_id in own,
                is_co=any(unit.pk in own for unit in task.co_units.all()),
                extended=(task.pk, task.due_date) in extended,
                off_cycle=off_cycle,
            )
        )
    return rows


def notice_list(*, visible_to) -> QuerySet[SupervisionNotice]:
    """Supervision notices: all for readers of everything, a unit's own for its reporters.

    Unlike reports, a co-unit's reporter does not see a notice: it is
    addressed to the lead unit alone; nor a draft, which has not been sent.
    """
    if not getattr(visible_to, "is_authenticated", False):
        return SupervisionNotice.objects.none()
    notices = SupervisionNotice.objects.select_related("task", "task__plan", "unit", "issued_by", "replied_by")
    unit_ids = readable_unit_ids(visible_to)
    if unit_ids is None:
        return notices
    return notices.filter(unit_id__in=unit_ids).exclude(status__in=SupervisionNotice.DRAFT_STATUSES)


def notice_get(*, visible_to, pk: int) -> SupervisionNotice:
    try:
        return notice_list(visible_to=visible_to).get(pk=pk)
    except SupervisionNotice.DoesNotExist:
        raise Http404("No such notice") from None


# ── The one task page ────────────────────────────────────────────────────
# Everything the task page shows, read with a fixed number of queries
# whatever the number of reports, comments or audit entries.


@dataclass
class DueChange:
    """One step of a task's due date: set at import, edited, or moved by an approved extension."""

    at: datetime
    actor: object
    kind: str  # "set" (import), "edit" (form, sheet, API), "extension"
    before: date | None
    after: date | None
    note: str = ""


@dataclass
class MilestoneLine:
    milestone: Milestone
    reached_in: str | None  # the period label of the accepted report that ticked it

    @property
    def missed(self) -> bool:
        return self.reached_in is None and self.milestone.due_date < today()


@dataclass
class IndicatorLine:
    indicator: Indicator
    actual: object  # the last accepted value, a Decimal, or None
    period: str | None


@dataclass
class TaskPage:
    task: Task
    track: TaskTrack | None
    due_history: list[DueChange]
    milestones: list[MilestoneLine]
    indicators: list[IndicatorLine]
    reports: list[ProgressReport]
    contributions: list[Contribution]
    extensions: list[ExtensionRequest]
    notices: list[SupervisionNotice]
    comments: list[TaskComment]
    history: list[AuditEntry]
    extra: dict = field(default_factory=dict)

    @property
    def due(self) -> date | None:
        return self.task.due_date

    @property
    def due_changed(self) -> bool:
        return any(step.kind != "set" for step in self.due_history)

    @property
    def extended_from(self) -> date | None:
        """The due date before the last approved extension, when one moved it."""
        steps = [step for step in self.due_history if step.kind == "extension"]
        if steps and steps[-1].after == self.due:
            return steps[-1].before
        return None


def _iso_date(value) -> date | None:
    if not value:
        return None
    try:
        return date.fromisoformat(str(value)[:10])
    except ValueError:
        return None


def due_history(entries) -> list[DueChange]:
    """The due date's steps, oldest first, from the task's audit entries (newest first, as read)."""
    steps = []
    for entry in reversed(entries):
        before, after = entry.before or {}, entry.after or {}
        if entry.action == "task.create" and after.get("due_date"):
            steps.append(DueChange(entry.at, entry.actor, "set", None, _iso_date(after["due_date"])))
        elif entry.action == "task.update" and "due_date" in after:
            steps.append(DueChange(entry.at, entry.actor, "edit", _iso_date(before.get("due_date")),
                                   _iso_date(after["due_date"])))
        elif entry.action == "extension.approved":
            new = after.get("due_date") or after.get("effective_due")
            old = before.get("due_date") or before.get("effective_due")
            steps.append(DueChange(entry.at, entry.actor, "extension", _iso_date(old), _iso_date(new), entry.note))
    return steps


HISTORY_SHOWN = 100


def task_page(*, visible_to, task: Task) -> TaskPage:
    """The one task page's content for ``visible_to``, who may read ``task`` (task_get checked it)."""
    track = TaskTrack.objects.filter(task=task).select_related("signed_off_by").first()
    reports = list(report_list(visible_to=visible_to, task=task).order_by("-period__start"))
    accepted = sorted(
        (r for r in reports if r.status == ProgressReport.Status.ACCEPTED), key=lambda r: r.period.start
    )
    reached: dict[int, str] = {}
    for report in accepted:
        for milestone in report.milestones_reached.all():
            reached.setdefault(milestone.pk, report.period.label)
    actuals: dict[int, tuple] = {}
    for report in accepted:
        for actual in report.actuals.all():
            actuals[actual.indicator_id] = (actual.value, report.period.label)
    entries = list(
        AuditEntry.objects.filter(object_type="plans.task", object_id=str(task.pk)).select_related("actor")[
            :HISTORY_SHOWN
        ]
    )
    notices = [n for n in notice_list(visible_to=visible_to).filter(task=task)]
    return TaskPage(
        task=task,
        track=track,
        due_history=due_history(entries),
        milestones=[MilestoneLine(m, reached.get(m.pk)) for m in task.milestones.all()],
        indicators=[
            IndicatorLine(i, *(actuals.get(i.pk) or (None, None))) for i in task.indicators.all()
        ],
        reports=reports,
        contributions=list(contribution_list(visible_to=visible_to, task=task)),
        extensions=list(extension_list(visible_to=visible_to, task=task)),
        notices=notices,
        comments=list(comment_list(visible_to=visible_to, task=task)),
        history=entries,
    )


def comment_list(*, visible_to, task: Task) -> QuerySet[TaskComment]:
    """The task's conversation, oldest first, for a reader of the task."""
    return _restrict_to_visible_tasks(TaskComment.objects.filter(task=task), visible_to).select_related(
        "author", "answered_by", "reply_to"
    )


def open_instructions(*, user) -> QuerySet[TaskComment]:
    """批示 waiting for an answer from one of ``user``'s units (the lead unit of their task), soonest due first."""
    units = own_unit_ids(user)
    if not units:
        return TaskComment.objects.none()
    return (
        TaskComment.objects.filter(
            kind=TaskComment.Kind.INSTRUCTION, answered_at__isnull=True, task__lead_unit_id__in=units
        )
        .select_related("task", "task__plan", "author")
        .order_by("reply_due", "created")
    )
