"""/api/v1/my/updates: 我的填报 in one call each way.

GET lists what the caller's units must report this period across every plan,
each row pre-filled as on the page (luoshi.tracking.updates). POST takes a
list of reports and saves each on its own through the report service the
pages use (services.reports_submit_batch → report_submit): the answer has
one result per item, ``ok`` with the report's id or ``errors``; one bad item
saves nothing of itself and blocks no other. At most
services.MAX_BATCH_REPORTS items per call.
"""
from datetime import date
from decimal import Decimal

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _
from ninja import Field, Router, Schema
from ninja.errors import HttpError

from luoshi.accounts.permissions import may_report_for_units
from luoshi.api.reports import PeriodOut, ReportIn
from luoshi.api.schemas import Error
from luoshi.plans.models import Task
from luoshi.tracking import services, updates
from luoshi.tracking.models import ReportingPeriod
from luoshi.tracking.periods import period_for, today

router = Router(tags=["my updates"])


class MilestoneRef(Schema):
    id: int
    title: str
    due_date: date


class IndicatorRef(Schema):
    id: int
    name: str
    unit: str
    target_text: str


class Prefill(Schema):
    percent: int
    work_state: str
    narrative: str = Field(description="Empty unless this period's report exists: a report describes its own period")
    milestone_ids: list[int]
    actuals: dict[int, Decimal] = Field(description="Indicator id → value")


class CurrentReport(Schema):
    id: int
    status: str
    version: int
    return_reason: str


class UpdateRowOut(Schema):
    task_id: int
    task: str
    plan_id: int
    plan: str
    period: PeriodOut
    state: str = Field(description="done (submitted or accepted this period) / due / overdue (after report_due)")
    editable: bool = Field(description="False once this period's report is accepted")
    report: CurrentReport | None = Field(description="This period's report, if any")
    prefill: Prefill = Field(description="This period's report, else the last one before it")
    last_narrative: str = Field(description="The last period's narrative, as a hint")
    milestones: list[MilestoneRef]
    indicators: list[IndicatorRef]


class UpdatesOut(Schema):
    today: date
    done: int
    due: int
    overdue: int
    rows: list[UpdateRowOut]


class UpdateIn(ReportIn):
    """One report of a batch: the fields of ``POST /reports``."""


class UpdatesIn(Schema):
    items: list[UpdateIn] = Field(max_length=services.MAX_BATCH_REPORTS)


class FieldMessage(Schema):
    loc: list[str]
    msg: str


class UpdateResult(Schema):
    index: int = Field(description="The item's position in the request, from 0")
    task: int
    ok: bool
    id: int | None = Field(None, description="The report's id when saved")
    status: str | None = None
    version: int | None = None
    errors: list[FieldMessage] = []


class UpdatesResultOut(Schema):
    saved: int
    failed: int
    results: list[UpdateResult]


def _row(row: updates.UpdateRow) -> dict:
    report = row.report
    return {
        "task_id": row.task.pk,
        "task": row.task.title,
        "plan_id": row.task.plan_id,
        "plan": row.task.plan.name,
        "period": row.period,
        "state": row.state,
        "editable": row.editable,
        "report": None if report is None else {
            "id": report.pk, "status": report.status, "version": report.version, "return_reason": report.return_reason,
        },
        "prefill": row.prefill,
        "last_narrative": row.previous.narrative if row.previous else "",
        "milestones": list(row.task.milestones.all()),
        "indicators": list(row.task.indicators.all()),
    }


@router.get("/updates", response=UpdatesOut, summary="What my units must report this period, pre-filled")
def updates_list(request):
    user = request.auth
    day = today()
    tasks = updates.update_task_list(user=user).prefetch_related("milestones", "indicators")
    summary = updates.update_summary(user=user, today=day)
    return {
        "today": day, "done": summary.done, "due": summary.due, "overdue": summary.overdue,
        "rows": [_row(row) for row in updates.update_rows(tasks=tasks, today=day)],
    }


def _errors(errors: dict[str, list[str]]) -> list[dict]:
    return [{"loc": ["body", field], "msg": message} for field, messages in errors.items() for message in messages]


@router.post(
    "/updates",
    response={200: UpdatesResultOut, 403: Error},
    summary="Submit several reports at once",
    description="Each item is a report as for POST /reports; each is saved on its own. The answer lists one "
    "result per item, in order: `ok` with the report `id`, or `errors`. 200 even when some items failed; "
    "403 when the caller reports for no unit. At most 100 items.",
)
def updates_submit(request, payload: UpdatesIn):
    user = request.auth
    if not may_report_for_units(user):
        raise HttpError(403, _("Only a unit's reporters fill in its reports."))
    # Tasks the caller may not read are answered as missing, like GET /tasks/{id}: nothing about them leaks.
    readable = {t.pk: t for t in Task.objects.filter(
        pk__in=[item.task for item in payload.items]
    ).filter(pk__in=updates.update_task_list(user=user).values("pk")).select_related("plan", "lead_unit")}
    periods = ReportingPeriod.objects.in_bulk([item.period for item in payload.items if item.period is not None])
    results: list[dict] = [{} for _item in payload.items]
    batch = []
    for index, item in enumerate(payload.items):
        results[index] = {"index": index, "task": item.task, "ok": False}
        task = readable.get(item.task)
        if task is None:
            results[index]["errors"] = _errors({"task": [_("No such task among your units' tasks.")]})
            continue
        period = periods.get(item.period) if item.period is not None else period_for(plan=task.plan, day=today())
        if period is None or period.plan_id != task.plan_id:
            results[index]["errors"] = _errors({"period": [_("No such reporting period for this task's plan.")]})
            continue
        batch.append({
            "key": index, "task": task, "period": period, "percent": item.percent, "work_state": item.work_state,
            "narrative": item.narrative, "milestone_ids": item.milestone_ids, "actuals": item.actuals,
        })
    try:
        outcomes = services.reports_submit_batch(actor=user, items=batch)
    except PermissionDenied as denied:
        raise HttpError(403, str(denied)) from denied
    for outcome in outcomes:
        result = results[outcome.key]
        if outcome.ok:
            result.update(ok=True, id=outcome.report.pk, status=outcome.report.status, version=outcome.report.version)
        else:
            result["errors"] = _errors(outcome.errors)
    saved = sum(1 for result in results if result["ok"])
    return {"saved": saved, "failed": len(results) - saved, "results": results}
