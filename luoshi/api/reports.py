"""/api/v1/reports: progress reports, their evidence files and their review.

Same rules as the pages, through the same selectors and services: a reporter
lists and reads the reports of its units' tasks (others are 404) and submits
for tasks its unit leads; only supervisors review; a leader reads all and
changes nothing (403). A review names the ``version`` the client read: 409
when another supervisor decided first or the unit changed the report since.
"""
from datetime import date, datetime
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema, Status
from ninja.errors import HttpError
from ninja.pagination import PageNumberPagination, paginate

from luoshi.api.schemas import Error, ValidationErrors
from luoshi.plans import selectors as plan_selectors
from luoshi.tracking import evidence, selectors, services
from luoshi.tracking.models import ProgressReport, ReportingPeriod
from luoshi.tracking.periods import period_for, today

router = Router(tags=["reports"])


class PeriodOut(Schema):
    id: int
    label: str
    start: date
    end: date
    report_due: date


class EvidenceOut(Schema):
    id: int
    name: str = Field(alias="original_name")
    content_type: str = Field(description="Judged from the file's content")
    size: int
    sha256: str
    download: str = Field(description="GET this path (API auth) to download the file")

    @staticmethod
    def resolve_download(obj):
        return f"/api/v1/reports/evidence/{obj.pk}"


class ActualOut(Schema):
    indicator_id: int
    indicator: str
    value: Decimal

    @staticmethod
    def resolve_indicator(obj):
        return obj.indicator.name


class ReportOut(Schema):
    id: int
    task_id: int
    period: PeriodOut
    unit: str = Field(description="Unit code of the reporting (lead) unit")
    status: str = Field(description="submitted / returned / accepted")
    percent: int
    work_state: str = Field(description="not_started / in_progress / done / delayed")
    narrative: str
    milestone_ids: list[int]
    actuals: list[ActualOut]
    evidence: list[EvidenceOut]
    warnings: list[dict] = Field(description="Quality warnings: {code, text}")
    submitted_at: datetime | None
    reviewed_by: str | None
    reviewed_at: datetime | None
    return_reason: str
    accept_note: str = Field(description="The reviewer's comment on acceptance, if any")
    submissions: int = Field(description="How many times the unit sent it: 2 after a return and a resubmission")
    version: int = Field(description="Send it back with a review; a stale one is refused with 409")

    @staticmethod
    def resolve_unit(obj):
        return obj.unit.code

    @staticmethod
    def resolve_milestone_ids(obj):
        return [m.pk for m in obj.milestones_reached.all()]

    @staticmethod
    def resolve_actuals(obj):
        return obj.actuals.all()

    @staticmethod
    def resolve_evidence(obj):
        return obj.evidence.all()

    @staticmethod
    def resolve_reviewed_by(obj):
        return str(obj.reviewed_by) if obj.reviewed_by else None


class ReportFilters(Schema):
    task: int | None = Field(None, description="Task id")
    period: int | None = Field(None, description="Reporting period id")
    status: ProgressReport.Status | None = None


class ReportIn(Schema):
    task: int
    period: int | None = Field(None, description="Period id; by default the one open for reports today")
    percent: int = Field(description="0–100")
    work_state: ProgressReport.WorkState
    narrative: str
    milestone_ids: list[int] = []
    actuals: dict[int, Decimal] = Field({}, description="Indicator id → actual value")


class ReviewIn(Schema):
    action: str = Field(description="accept or return")
    version: int = Field(description="The report version the reviewer read")
    reason: str = Field("", description="Required to return a report")
    note: str = Field("", description="An optional comment on acceptance (at most 1000 characters), shown on the report")


def _invalid(error: ValidationError):
    if hasattr(error, "error_dict"):
        detail = [{"loc": ["body", field], "msg": msg} for field, msgs in error.message_dict.items() for msg in msgs]
    else:
        detail = [{"loc": ["body", "__all__"], "msg": msg} for msg in error.messages]
    return Status(422, {"detail": detail})


def _report(request, pk: int) -> ProgressReport:
    return selectors.report_get(visible_to=request.auth, pk=pk)


@router.get("", response=list[ReportOut], summary="List reports")
@paginate(PageNumberPagination, page_size=50, max_page_size=500)
def report_list(request, filters: Query[ReportFilters]):
    user = request.auth
    task = plan_selectors.task_get(visible_to=user, pk=filters.task) if filters.task is not None else None
    period = None
    if filters.period is not None:
        period = ReportingPeriod.objects.filter(pk=filters.period).first()
        if period is None:
            raise HttpError(404, _("No such reporting period."))
    return selectors.report_list(visible_to=user, task=task, period=period, status=filters.status).order_by(
        "-period__start", "task_id"
    )


@router.get("/{report_id}", response=ReportOut, summary="Read a report")
def report_detail(request, report_id: int):
    return _report(request, report_id)


@router.post(
    "",
    response={201: ReportOut, 403: Error, 404: Error, 422: ValidationErrors},
    summary="Submit a report",
    description="The lead unit's report on a task for a period. A report that was returned, or is "
    "still awaiting review, is edited and submitted again; an accepted one is final (422). "
    "Attach files afterwards with POST /reports/{id}/evidence.",
)
def report_submit(request, payload: ReportIn):
    user = request.auth
    task = plan_selectors.task_get(visible_to=user, pk=payload.task)
    if payload.period is None:
        period = period_for(plan=task.plan, day=today())
    else:
        period = ReportingPeriod.objects.filter(pk=payload.period, plan=task.plan_id).first()
        if period is None:
            raise HttpError(404, _("No such reporting period for this task's plan."))
    try:
        report = services.report_submit(
            task=task, actor=user, period=period, percent=payload.percent, work_state=payload.work_state,
            narrative=payload.narrative, milestone_ids=payload.milestone_ids, actuals=payload.actuals,
        )
    except PermissionDenied as denied:
        raise HttpError(403, str(denied)) from denied
    except ValidationError as error:
        return _invalid(error)
    return Status(201, _report(request, report.pk))


@router.post(
    "/{report_id}/evidence",
    response={201: list[EvidenceOut], 403: Error, 404: Error, 413: Error, 422: ValidationErrors},
    summary="Attach evidence files",
    description="multipart/form-data with one or more `files`: PDF, PNG, JPEG, .docx or .xlsx, "
    "judged from the content; each at most LUOSHI_MAX_UPLOAD_MB.",
)
def evidence_upload(request, report_id: int):
    report = _report(request, report_id)
    if evidence.upload_refused_early(request):
        return Status(413, {"detail": evidence.too_big_message()})
    # With token auth nothing has read the body yet, so the cap sees every byte;
    # a browser session's CSRF check has already parsed it under Django's own limits.
    capped = None
    if not hasattr(request, "_files"):
        capped = evidence.CappedUploadHandler(request)
        request.upload_handlers.insert(0, capped)
    files = request.FILES.getlist("files")
    if capped is not None and capped.refused is not None:
        return Status(413, {"detail": evidence.too_big_message(capped.refused)})
    try:
        return Status(201, services.evidence_add(report=report, actor=request.auth, files=files))
    except PermissionDenied as denied:
        raise HttpError(403, str(denied)) from denied
    except ValidationError as error:
        return _invalid(error)


@router.get("/evidence/{evidence_id}", summary="Download an evidence file", response={200: None, 404: Error})
def evidence_download(request, evidence_id: int):
    item = selectors.evidence_get(visible_to=request.auth, pk=evidence_id)
    response = FileResponse(item.file.open("rb"), as_attachment=True, filename=item.original_name,
                            content_type=item.content_type)
    response["X-Content-Type-Options"] = "nosniff"
    return response


@router.post(
    "/{report_id}/review",
    response={200: ReportOut, 403: Error, 404: Error, 409: Error, 422: ValidationErrors},
    summary="Accept or return a report",
    description="`action` is `accept` or `return` (with a `reason`). 409 when another supervisor "
    "reviewed it first or the unit changed it since `version`.",
)
def report_review(request, report_id: int, payload: ReviewIn):
    user = request.auth
    report = _report(request, report_id)
    if payload.action not in ("accept", "return"):
        return _invalid(ValidationError({"action": [_("Use accept or return.")]}))
    try:
        if payload.action == "accept":
            services.report_accept(report=report, actor=user, expected_version=payload.version, note=payload.note)
        else:
            services.report_return(report=report, actor=user, reason=payload.reason, expected_version=payload.version)
    except PermissionDenied as denied:
        raise HttpError(403, str(denied)) from denied
    except services.ConcurrentReview as conflict:
        return Status(409, {"detail": str(conflict)})
    except ValidationError as error:
        return _invalid(error)
    return _report(request, report.pk)
