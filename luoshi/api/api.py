"""The JSON API under /api/v1/: plans, their section tree, measures and tasks.

Every read goes through luoshi.plans.selectors, the same functions the pages
use, so a client sees exactly what its user sees on the pages: a reporter
only its units' tasks (others are 404), a leader reads but may not change,
an anonymous client gets 401. Clients authenticate with a personal token
(``Authorization: Bearer ls_…``, see ``luoshi token create``) or, in the
browser, with the session (writes then need the CSRF token).
"""
from datetime import date, datetime
from decimal import Decimal
from typing import Literal

from django.conf import settings
from django.core.exceptions import PermissionDenied, RequestDataTooBig, ValidationError
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Field, NinjaAPI, Query, Schema, Status
from ninja.errors import HttpError
from ninja.errors import ValidationError as SchemaError
from ninja.openapi.docs import Swagger
from ninja.pagination import PageNumberPagination, paginate
from ninja.security import HttpBearer, SessionAuth

from luoshi.accounts.models import Unit
from luoshi.accounts.permissions import is_supervisor
from luoshi.api.errors import schema_errors
from luoshi.api.schemas import Error, ValidationErrors
from luoshi.api.services import TokenExpired, token_authenticate
from luoshi.plans import selectors
from luoshi.plans.models import Programme
from luoshi.plans.services import StaleEdit, task_delete, task_update
from luoshi.tracking import selectors as tracking_selectors
from luoshi.tracking.conversation import comment_add, instruction_overdue
from luoshi.tracking import acks
from luoshi.tracking.filters import task_filters_apply, task_filters_parse
from luoshi.tracking.models import TaskTrack
from luoshi.tracking.periods import today


class BearerToken(HttpBearer):
    def authenticate(self, request, token):
        user = token_authenticate(raw=token)
        if user is not None:
            # Code below the API (selectors, services) reads request.user.
            request.user = user
        return user


class Session(SessionAuth):
    def _get_key(self, request):
        # Without a session cookie there is no session to protect: skipping the
        # CSRF check lets a client with a wrong token get 401, not a CSRF 403.
        if settings.SESSION_COOKIE_NAME not in request.COOKIES:
            return None
        return super()._get_key(request)


api = NinjaAPI(
    title="Luoshi API",
    version="1",
    description="Plans, sections, measures and tasks of 落实. See docs/api.md.",
    urls_namespace="api",
    auth=[BearerToken(), Session()],
    # The validator badge would call swagger.io; intranets have no internet.
    docs=Swagger(settings={"validatorUrl": None}),
)


class UnitOut(Schema):
    code: str
    name: str


class ProgrammeOut(Schema):
    id: int
    name: str


class PlanOut(Schema):
    id: int
    name: str
    year: int
    issuing_body: str
    author: str
    created: datetime


class SourceOut(Schema):
    version: int
    filename: str
    sha256: str
    uploaded: datetime


class PlanDetailOut(PlanOut):
    preamble: str
    closing: str
    programmes: list[ProgrammeOut]
    source: SourceOut | None = Field(None, description="The latest version of the source document")

    @staticmethod
    def resolve_programmes(obj):
        return obj.programmes.all()

    @staticmethod
    def resolve_source(obj):
        return obj.current_source


class MeasureRef(Schema):
    id: int
    number: str
    text: str = Field(description="The source sentence, verbatim")


class SectionOut(Schema):
    id: int
    number: str
    level: int
    label: str
    title: str
    intro: str
    measures: list[MeasureRef]
    children: list["SectionOut"]


class DeadlineOut(Schema):
    text: str
    start: date | None
    end: date | None


class MeasureOut(Schema):
    id: int
    plan_id: int
    section_id: int
    section_number: str
    number: str
    text: str = Field(description="The source sentence, verbatim")
    targets: list[dict]
    has_target: bool
    deadline: DeadlineOut | None
    programmes: list[str]
    task_ids: list[int] = Field(description="The tasks cut from this measure that the caller may read")
    removed_in_version: int | None = Field(description="Set when a later source version dropped the sentence")

    @staticmethod
    def resolve_section_number(obj):
        return obj.section.number

    @staticmethod
    def resolve_deadline(obj):
        if not (obj.deadline_text or obj.deadline_start or obj.deadline_end):
            return None
        return {"text": obj.deadline_text, "start": obj.deadline_start, "end": obj.deadline_end}

    @staticmethod
    def resolve_programmes(obj):
        return [p.name for p in obj.programmes.all()]

    @staticmethod
    def resolve_task_ids(obj):
        return [t.pk for t in obj.tasks.all()]


class MilestoneOut(Schema):
    id: int
    title: str
    due_date: date


class IndicatorOut(Schema):
    id: int
    name: str
    unit: str = Field(description="Unit of measure: 亿元, %, 个")
    baseline: float | None
    target: float | None
    target_text: str


def _track_of(task) -> TaskTrack | None:
    # Lists load the track with the task (select_related), so this reads no row.
    try:
        return task.track
    except TaskTrack.DoesNotExist:
        return None


class TaskOut(Schema):
    id: int
    plan_id: int
    measure: MeasureRef
    position: int
    title: str
    description: str
    lead_unit: UnitOut | None
    co_units: list[UnitOut]
    supervising_leader: str
    start_date: date | None
    due_date: date | None
    weight: float
    programmes: list[str]
    is_public: bool
    milestones: list[MilestoneOut]
    indicators: list[IndicatorOut]
    version: int = Field(description="Send it back with PATCH; a stale version is refused with 409")
    updated: datetime
    light: Literal["green", "yellow", "red"] | None = Field(
        description="红黄绿灯 as last computed (docs/status-rules.md); null until the task is first computed"
    )
    progress: int = Field(description="Percent done: the last accepted report, 100 once signed off")

    @staticmethod
    def resolve_light(obj):
        track = _track_of(obj)
        return track.light if track else None

    @staticmethod
    def resolve_progress(obj):
        track = _track_of(obj)
        return track.percent if track else 0

    @staticmethod
    def resolve_co_units(obj):
        return obj.co_units.all()

    @staticmethod
    def resolve_programmes(obj):
        return [p.name for p in obj.programmes.all()]

    @staticmethod
    def resolve_milestones(obj):
        return obj.milestones.all()

    @staticmethod
    def resolve_indicators(obj):
        return obj.indicators.all()


class TaskFilters(Schema):
    plan: int | None = Field(None, description="Plan id")
    unit: str | None = Field(None, description="Unit code; matches the lead unit or a co-unit")
    programme: str | None = Field(None, description="Programme name, e.g. 五水共治")
    due_before: date | None = Field(None, description="Due on or before this date")
    due_after: date | None = Field(None, description="Due on or after this date")
    q: str | None = Field(None, description="Words of the task's title or of its measure's text")
    light: str | None = Field(None, description="red, yellow, green, or grey (not judged yet); a signed-off task is green")
    due: str | None = Field(None, description="overdue, or month (due in the current month); the due date after an approved extension")
    sort: str | None = Field(None, description="due, light (red first), progress (least first) or unit; prefix - to reverse")


ROW_ID_HELP = "Id of an existing row, changed in place; leave out for a new row"


class MilestoneIn(Schema):
    id: int | None = Field(None, description=ROW_ID_HELP)
    title: str
    due_date: date


class IndicatorIn(Schema):
    id: int | None = Field(None, description=ROW_ID_HELP)
    name: str
    unit: str = ""
    baseline: Decimal | None = None
    target: Decimal | None = None
    target_text: str = ""


class TaskPatch(Schema):
    version: int = Field(description="The version the client last read")
    title: str | None = None
    description: str | None = None
    lead_unit: str | None = Field(None, description="Unit code; null clears it")
    co_units: list[str] | None = Field(None, description="Unit codes; replaces the co-units")
    supervising_leader: str | None = None
    start_date: date | None = None
    due_date: date | None = None
    weight: Decimal | None = None
    programmes: list[str] | None = Field(None, description="Programme names of the task's plan; replaces them")
    milestones: list[MilestoneIn] | None = Field(
        None, description="The full list: rows with an id are changed, rows without one added, unlisted rows removed "
        "(refused with 422 for a row that progress reports already mark reached)"
    )
    indicators: list[IndicatorIn] | None = Field(
        None, description="The full list, as for milestones (removal refused for an indicator with recorded actuals)"
    )


class Unprocessable(Exception):
    """Input that is well-formed but names things that do not exist; answered like ninja's own 422."""

    def __init__(self, errors: dict[str, list[str]], where: str = "body"):
        self.errors = errors
        self.where = where


@api.exception_handler(TokenExpired)
def _token_expired(request, exc: TokenExpired):
    expired = timezone.localtime(exc.token.expires)
    message = _("The API token %(prefix)s… expired on %(when)s. Ask the supervision office for a new one.") % {
        "prefix": exc.token.prefix, "when": f"{expired:%Y-%m-%d %H:%M}",
    }
    return api.create_response(request, {"detail": message}, status=401)


@api.exception_handler(Unprocessable)
def _unprocessable(request, exc: Unprocessable):
    detail = [
        {"loc": [exc.where, field], "msg": message} for field, messages in exc.errors.items() for message in messages
    ]
    return api.create_response(request, {"detail": detail}, status=422)


@api.exception_handler(SchemaError)
def _schema_refused(request, exc: SchemaError):
    return api.create_response(request, {"detail": schema_errors(exc.errors)}, status=422)


@api.exception_handler(HttpError)
def _http_error(request, exc: HttpError):
    message = str(exc)
    if exc.status_code == 400 and message.startswith("Cannot parse request body"):
        # ninja's words for a body that is not JSON; nothing else carries them.
        message = _("The request body is not valid JSON; nothing was saved.")
    return api.create_response(request, {"detail": message}, status=exc.status_code)


@api.exception_handler(Http404)
def _not_found(request, exc: Http404):
    # The same answer for what does not exist and what the user may not see.
    return api.create_response(request, {"detail": _("Not found, or not yours to see.")}, status=404)


@api.exception_handler(RequestDataTooBig)
def _too_big(request, exc: RequestDataTooBig):
    limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE // (1024 * 1024)
    message = _("The request body is larger than the limit of %(limit)s MB; nothing was saved.") % {"limit": limit}
    return api.create_response(request, {"detail": message}, status=413)


def _user(request):
    return request.auth


def _units_by_code(codes: list[str], field: str) -> list[Unit]:
    units = {u.code: u for u in Unit.objects.filter(code__in=codes)}
    unknown = [code for code in codes if code not in units]
    if unknown:
        raise Unprocessable({field: [_("Unknown unit code: %(codes)s") % {"codes": ", ".join(unknown)}]})
    return [units[code] for code in codes]


def _task_changes(task, patch: dict) -> dict:
    """The PATCH body as task_update wants it: units and programmes as rows, blanks as empty strings."""
    changes = dict(patch)
    for name in ("description", "supervising_leader"):
        if name in changes and changes[name] is None:
            changes[name] = ""
    if changes.get("lead_unit") is not None:
        changes["lead_unit"] = _units_by_code([changes["lead_unit"]], "lead_unit")[0]
    if "co_units" in changes:
        changes["co_units"] = _units_by_code(changes["co_units"] or [], "co_units")
    if "programmes" in changes:
        names = changes["programmes"] or []
        programmes = {p.name: p for p in Programme.objects.filter(plan=task.plan, name__in=names)}
        unknown = [name for name in names if name not in programmes]
        if unknown:
            message = _("Not a programme of this plan: %(names)s") % {"names": ", ".join(unknown)}
            raise Unprocessable({"programmes": [message]})
        changes["programmes"] = [programmes[name] for name in names]
    for name in ("milestones", "indicators"):
        if name in changes and changes[name] is None:
            changes[name] = []
    return changes


@api.get("/plans", response=list[PlanOut], tags=["plans"], summary="List plans")
def plan_list(request):
    return selectors.plan_list(visible_to=_user(request))


@api.get("/plans/{plan_id}", response=PlanDetailOut, tags=["plans"], summary="Read a plan")
def plan_detail(request, plan_id: int):
    return selectors.plan_get(visible_to=_user(request), pk=plan_id)


def _section_dict(section) -> dict:
    return {
        "id": section.pk,
        "number": section.number,
        "level": section.level,
        "label": section.label,
        "title": section.title,
        "intro": section.intro,
        "measures": section.visible_measures,
        "children": [_section_dict(child) for child in section.subsections],
    }


@api.get("/plans/{plan_id}/sections", response=list[SectionOut], tags=["plans"], summary="The plan's section tree")
def plan_sections(request, plan_id: int):
    plan = selectors.plan_get(visible_to=_user(request), pk=plan_id)
    return [_section_dict(s) for s in selectors.section_tree(visible_to=_user(request), plan=plan)]


@api.get("/plans/{plan_id}/measures", response=list[MeasureOut], tags=["measures"], summary="List a plan's measures")
def plan_measures(request, plan_id: int):
    plan = selectors.plan_get(visible_to=_user(request), pk=plan_id)
    return selectors.measure_list(visible_to=_user(request), plan=plan)


@api.get("/measures/{measure_id}", response=MeasureOut, tags=["measures"], summary="Read a measure")
def measure_detail(request, measure_id: int):
    return selectors.measure_get(visible_to=_user(request), pk=measure_id)


class NarrowSortPagination(PageNumberPagination):
    """Page numbers as ever, but a page sorts only the tasks' ids and sort keys, then reads its rows by id.

    Sorting every task together with its plan, measure, unit and track
    columns to reach a deep page spilled the sort to disk; the ids and the
    few sort keys fit in memory, and the page's fifty rows are read by key.
    """

    def paginate_queryset(self, queryset, pagination, request, **params):
        page_size = self._get_page_size(pagination.page_size)
        offset = (pagination.page - 1) * page_size
        ids = list(queryset.prefetch_related(None).values_list("pk", flat=True)[offset:offset + page_size])
        rows = queryset.filter(pk__in=ids).in_bulk()
        return {self.items_attribute: [rows[pk] for pk in ids], "count": self._items_count(queryset)}


@api.get(
    "/tasks",
    response={200: list[TaskOut], 404: Error, 422: ValidationErrors},
    tags=["tasks"],
    summary="List tasks",
)
@paginate(NarrowSortPagination, page_size=50, max_page_size=500)
def task_list(request, filters: Query[TaskFilters]):
    user = _user(request)
    plan = selectors.plan_get(visible_to=user, pk=filters.plan) if filters.plan is not None else None
    unit = None
    if filters.unit is not None:
        unit = Unit.objects.filter(code=filters.unit).first()
        if unit is None:
            raise Unprocessable({"unit": [_("Unknown unit code: %(codes)s") % {"codes": filters.unit}]}, where="query")
    # Search, light, due and sort read as on the site's task lists (luoshi.tracking.filters).
    wanted = task_filters_parse({"q": filters.q, "light": filters.light, "due": filters.due, "sort": filters.sort})
    if filters.due == "range":
        wanted.errors.setdefault("due", []).append(_("Use due_before and due_after for a range."))
    if wanted.errors:
        raise Unprocessable(wanted.errors, where="query")
    tasks = selectors.task_list(
        visible_to=user,
        plan=plan,
        unit=unit,
        programme=filters.programme,
        due_before=filters.due_before,
        due_after=filters.due_after,
    ).select_related("track")
    return task_filters_apply(tasks, wanted, today=today())


@api.get("/tasks/{task_id}", response=TaskOut, tags=["tasks"], summary="Read a task")
def task_detail(request, task_id: int):
    return selectors.task_get(visible_to=_user(request), pk=task_id)


@api.patch(
    "/tasks/{task_id}",
    response={200: TaskOut, 403: Error, 404: Error, 409: Error, 422: ValidationErrors},
    tags=["tasks"],
    summary="Change a task",
    description="Send only the fields to change, plus the `version` you read. "
    "409 when someone changed the task since; read it again and retry.",
)
def task_patch(request, task_id: int, payload: TaskPatch):
    user = _user(request)
    task = selectors.task_get(visible_to=user, pk=task_id)
    if not is_supervisor(user):
        raise HttpError(403, _("Only the supervision office may change tasks."))
    patch = payload.model_dump(exclude_unset=True)
    expected_version = patch.pop("version")
    try:
        task_update(task=task, actor=user, changes=_task_changes(task, patch), expected_version=expected_version)
    except StaleEdit as stale:
        advice = _("Read the task again and reapply your change.")
        return Status(409, {"detail": f"{stale} {advice}"})
    except ValidationError as error:
        raise Unprocessable(error.message_dict if hasattr(error, "error_dict") else {"__all__": error.messages}) from error
    return selectors.task_get(visible_to=user, pk=task_id)


@api.delete(
    "/tasks/{task_id}",
    response={204: None, 403: Error, 404: Error, 409: Error},
    tags=["tasks"],
    summary="Delete a task",
    description="For the supervision office only. 409 once a progress report or other tracking record exists "
    "for the task; the task's last state stays in the audit log.",
)
def task_remove(request, task_id: int):
    user = _user(request)
    task = selectors.task_get(visible_to=user, pk=task_id)
    if not is_supervisor(user):
        raise HttpError(403, _("Only the supervision office may change tasks."))
    try:
        task_delete(task=task, actor=user)
    except ValidationError as error:
        return Status(409, {"detail": " ".join(error.messages)})
    return Status(204, None)


class CommentOut(Schema):
    id: int
    task_id: int
    author: str = Field(description="The writer's login")
    kind: Literal["comment", "instruction"] = Field(description="instruction: a leader's 批示")
    text: str
    reply_to: int | None = Field(description="The comment (usually a 批示) this one answers")
    reply_due: date | None = Field(description="For a 批示: by when the lead unit is to answer")
    answered_at: datetime | None
    answered_by: str | None
    overdue: bool = Field(description="A 批示 unanswered after its reply date")
    mentions: list[str] = Field(description="Logins and unit codes notified")
    created: datetime

    @staticmethod
    def resolve_author(obj):
        return obj.author.username

    @staticmethod
    def resolve_reply_to(obj):
        return obj.reply_to_id

    @staticmethod
    def resolve_answered_by(obj):
        return obj.answered_by.username if obj.answered_by else None

    @staticmethod
    def resolve_overdue(obj):
        return instruction_overdue(obj)


class CommentIn(Schema):
    text: str = Field(description="At most 2000 characters; @login or @unit short name notifies them")
    instruction: bool = Field(False, description="A leader's 批示 (leaders only)")
    reply_due: date | None = Field(None, description="For a 批示; default N working days ahead")
    reply_to: int | None = Field(None, description="Id of the comment answered (a lead unit answering a 批示)")


@api.get("/tasks/{task_id}/comments", response={200: list[CommentOut], 404: Error}, tags=["tasks"],
         summary="A task's conversation")
def task_comments(request, task_id: int):
    user = _user(request)
    task = selectors.task_get(visible_to=user, pk=task_id)
    return list(tracking_selectors.comment_list(visible_to=user, task=task))


@api.post(
    "/tasks/{task_id}/comments",
    response={201: CommentOut, 403: Error, 404: Error, 422: ValidationErrors},
    tags=["tasks"],
    summary="Comment on a task, answer a 批示, or (a leader) give one",
)
def task_comment_add(request, task_id: int, payload: CommentIn):
    user = _user(request)
    task = selectors.task_get(visible_to=user, pk=task_id)
    reply_to = None
    if payload.reply_to is not None:
        reply_to = tracking_selectors.comment_list(visible_to=user, task=task).filter(pk=payload.reply_to).first()
        if reply_to is None:
            raise Unprocessable({"reply_to": [_("The comment answered is not on this task.")]})
    try:
        comment, _mentions = comment_add(
            task=task, actor=user, text=payload.text, instruction=payload.instruction,
            reply_due=payload.reply_due, reply_to=reply_to,
        )
    except PermissionDenied as denied:
        raise HttpError(403, str(denied) or _("You may not do this.")) from denied
    except ValidationError as error:
        raise Unprocessable(error.message_dict if hasattr(error, "error_dict") else {"__all__": error.messages}) from error
    return Status(201, tracking_selectors.comment_list(visible_to=user, task=task).get(pk=comment.pk))
class AckOut(Schema):
    signed: int = Field(description="How many items were signed now: the assignment and any supervision notice")
    pending: int = Field(description="What the caller's units still have to sign for on this task (0 after a success)")


@api.post(
    "/tasks/{task_id}/ack",
    response={200: AckOut, 403: Error, 404: Error},
    tags=["tasks"],
    summary="Sign for a task (签收)",
    description="A reporter signs, for its units, the task they were given and any supervision notice sent about "
    "it. Signing again changes nothing (`signed` is 0). Only a unit's reporters sign: 403 for the office and "
    "leaders; another unit's task is 404.",
)
def task_ack(request, task_id: int):
    user = _user(request)
    task = selectors.task_get(visible_to=user, pk=task_id)
    try:
        signed = acks.task_acknowledge(task=task, actor=user)
    except PermissionDenied as denied:
        raise HttpError(403, str(denied)) from denied
    return {"signed": signed, "pending": acks.pending_for(user=user).filter(task=task).count()}


api.add_router("/reports", "luoshi.api.reports.router")
api.add_router("/my", "luoshi.api.updates.router")
