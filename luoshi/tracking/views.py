"""Pages of progress tracking.

Reporter pages (phone first): "my tasks", and a task's progress page with the
report form for the lead unit, contribution notes for co-units, extension
and completion requests. Supervisor pages: the review queue and a report's
review page. Reads go through luoshi.tracking.selectors (another unit's task
or file is a 404), writes through luoshi.tracking.services; a leader reads
every page and gets 403 on every write.
"""
from datetime import date

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.decorators.http import require_POST

from luoshi.accounts.permissions import can_change_unit, is_supervisor, own_unit_ids, reads_everything
from luoshi.plans import selectors as plan_selectors
from luoshi.tracking import evidence, selectors, services
from luoshi.tracking.forms import (
    AcceptForm,
    ContributionForm,
    ExtensionDecisionForm,
    ExtensionRequestForm,
    ReportForm,
    ReturnForm,
    errors_onto,
)
from luoshi.tracking.models import ExtensionRequest, ProgressReport, ReportingPeriod, TaskTrack
from luoshi.tracking.periods import period_for


def _open_period(plan) -> ReportingPeriod | None:
    """The period a report sent today belongs to (period_for's rule); None before the plan's year begins."""
    today = timezone.localdate()
    if today < date(plan.year, 1, 1):
        return None
    return period_for(plan=plan, day=today)


def _may_report(user, task) -> bool:
    return task.lead_unit is not None and can_change_unit(user, task.lead_unit)


def _is_co_unit_reporter(user, task) -> bool:
    return bool(own_unit_ids(user) & {unit.pk for unit in task.co_units.all()})


# ------------------------------------------------------------- reporters

@login_required
def my_tasks(request):
    tasks = plan_selectors.task_list(visible_to=request.user)
    plans = {task.plan_id: task.plan for task in tasks.only("plan")}
    periods = {plan_id: _open_period(plan) for plan_id, plan in plans.items()}
    rows = selectors.my_tasks(user=request.user, periods=periods)
    return render(request, "tracking/my_tasks.html", {"rows": rows})


def _task_page_context(request, task, period) -> dict:
    return {
        "task": task,
        "period": period,
        "track": TaskTrack.objects.filter(task=task).select_related("signed_off_by").first(),
        "reports": selectors.report_list(visible_to=request.user, task=task).order_by("-period__start"),
        "contributions": selectors.contribution_list(visible_to=request.user, task=task),
        "extensions": selectors.extension_list(visible_to=request.user, task=task),
        "may_report": _may_report(request.user, task),
        "may_contribute": _is_co_unit_reporter(request.user, task),
        "is_supervisor": is_supervisor(request.user),
        "completion_ready": services.completion_evidence_report(task) is not None,
        "extension_form": ExtensionRequestForm(),
        "max_mb": settings.LUOSHI_MAX_UPLOAD_MB,
    }


@csrf_exempt
def report_form(request, task_id: int):
    """A task's progress page; the lead unit's report form posts here with its files.

    CSRF is checked in ``_report_form``: Django's CSRF middleware would read
    the body before the size-capping upload handler is in place.
    """
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    if request.method == "POST":
        task = plan_selectors.task_get(visible_to=request.user, pk=task_id)
        # Who may post is decided before a byte of the upload is read.
        if not _may_report(request.user, task):
            raise PermissionDenied(_("Only the lead unit reports on this task."))
        if evidence.upload_refused_early(request):
            return _report_form_refused(request, task, evidence.too_big_message())
        request.upload_handlers.insert(0, evidence.CappedUploadHandler(request))
    return _report_form(request, task_id)


def _report_form_refused(request, task, message: str):
    period = _open_period(task.plan)
    context = _task_page_context(request, task, period)
    form = ReportForm(task=task)
    form.add_error(None, message)
    context["form"] = form
    return render(request, "tracking/report_form.html", context, status=413)


@csrf_protect
def _report_form(request, task_id: int):
    task = plan_selectors.task_get(visible_to=request.user, pk=task_id)
    period = _open_period(task.plan)
    existing = ProgressReport.objects.filter(task=task, period=period).first() if period else None
    if request.method == "POST":
        refused = request.upload_handlers[0].refused
        form = ReportForm(request.POST, request.FILES, task=task)
        if refused is not None:
            form.is_valid()
            form.add_error(None, evidence.too_big_message(refused))
            return render(request, "tracking/report_form.html", {
                **_task_page_context(request, task, period), "form": form, "existing": existing,
            }, status=413)
        if period is None:
            form.add_error(None, _("The plan's year has not begun; there is nothing to report yet."))
        elif form.is_valid():
            try:
                report = services.report_submit(
                    task=task,
                    actor=request.user,
                    period=period,
                    percent=form.cleaned_data["percent"],
                    work_state=form.cleaned_data["work_state"],
                    narrative=form.cleaned_data["narrative"],
                    milestone_ids=[m.pk for m in form.cleaned_data.get("milestones", [])],
                    actuals=form.actuals(),
                    files=form.cleaned_data["files"],
                )
            except ValidationError as error:
                errors_onto(form, error)
            else:
                messages.success(
                    request,
                    _("Report for %(period)s submitted; the supervision office will review it.")
                    % {"period": period.label},
                )
                return redirect("tracking:report", pk=report.pk)
        status = 400
    else:
        form = ReportForm(task=task, initial=_initial(existing))
        status = 200
    context = {**_task_page_context(request, task, period), "form": form, "existing": existing}
    return render(request, "tracking/report_form.html", context, status=status)


def _initial(report: ProgressReport | None) -> dict:
    if report is None:
        return {}
    initial = {
        "percent": report.percent,
        "work_state": report.work_state,
        "narrative": report.narrative,
        "milestones": list(report.milestones_reached.all()),
    }
    for actual in report.actuals.all():
        initial[f"actual_{actual.indicator_id}"] = actual.value.normalize()
    return initial


@login_required
@require_POST
def contribution_add(request, task_id: int):
    task = plan_selectors.task_get(visible_to=request.user, pk=task_id)
    period = _open_period(task.plan)
    form = ContributionForm(request.POST)
    if period is None:
        messages.error(request, _("The plan's year has not begun; there is nothing to report yet."))
    elif form.is_valid():
        try:
            services.contribution_add(task=task, actor=request.user, period=period, text=form.cleaned_data["text"])
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("Your unit's contribution for %(period)s is recorded.") % {"period": period.label})
    else:
        messages.error(request, _("Describe what your unit did for this task."))
    return redirect("tracking:task", task_id=task.pk)


@login_required
@require_POST
def extension_request(request, task_id: int):
    task = plan_selectors.task_get(visible_to=request.user, pk=task_id)
    if not _may_report(request.user, task):
        raise PermissionDenied(_("Only the lead unit asks for an extension."))
    form = ExtensionRequestForm(request.POST)
    if form.is_valid():
        try:
            services.extension_request(
                task=task, actor=request.user,
                requested_due=form.cleaned_data["requested_due"], reason=form.cleaned_data["reason"],
            )
        except ValidationError as error:
            errors_onto(form, error)
        else:
            messages.success(request, _("Extension request sent to the supervision office."))
            return redirect("tracking:task", task_id=task.pk)
    context = {**_task_page_context(request, task, _open_period(task.plan)), "extension_form": form}
    context["form"] = ReportForm(task=task)
    return render(request, "tracking/report_form.html", context, status=400)


@login_required
@require_POST
def completion_request(request, task_id: int):
    task = plan_selectors.task_get(visible_to=request.user, pk=task_id)
    try:
        services.completion_request(task=task, actor=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Completion requested; the supervision office will sign the task off."))
    return redirect("tracking:task", task_id=task.pk)


# ------------------------------------------------------------- files

@login_required
def evidence_download(request, pk: int):
    item = selectors.evidence_get(visible_to=request.user, pk=pk)
    response = FileResponse(item.file.open("rb"), as_attachment=True, filename=item.original_name,
                            content_type=item.content_type)
    response["X-Content-Type-Options"] = "nosniff"
    return response


# ------------------------------------------------------------- review

def _require_reader_of_all(request) -> None:
    if not reads_everything(request.user):
        raise PermissionDenied(_("The review pages are for the supervision office and leaders."))


@login_required
def review_queue(request):
    _require_reader_of_all(request)
    return render(request, "tracking/review_queue.html", {
        "reports": selectors.review_queue(visible_to=request.user),
        "extensions": selectors.extension_list(visible_to=request.user, status=ExtensionRequest.Status.PENDING),
        "completions": selectors.completion_queue(visible_to=request.user),
        "is_supervisor": is_supervisor(request.user),
        "decision_form": ExtensionDecisionForm(),
    })


def _review_page(request, report, *, return_form=None, status=200):
    context = {
        "report": report,
        "previous": selectors.previous_accepted_report(report),
        "can_review": is_supervisor(request.user) and report.status == ProgressReport.Status.SUBMITTED,
        "accept_form": AcceptForm(initial={"version": report.version}),
        "return_form": return_form or ReturnForm(initial={"version": report.version}),
    }
    return render(request, "tracking/review_detail.html", context, status=status)


@login_required
def report_detail(request, pk: int):
    return _review_page(request, selectors.report_get(visible_to=request.user, pk=pk))


@login_required
@require_POST
def report_accept(request, pk: int):
    report = selectors.report_get(visible_to=request.user, pk=pk)
    form = AcceptForm(request.POST)
    if not is_supervisor(request.user):
        raise PermissionDenied
    if not form.is_valid():
        return _review_page(request, report, status=400)
    try:
        services.report_accept(report=report, actor=request.user, expected_version=form.cleaned_data["version"])
    except services.ConcurrentReview as conflict:
        messages.error(request, str(conflict))
        return redirect("tracking:report", pk=report.pk)
    messages.success(request, _("Accepted: %(task)s, %(period)s.") % {"task": report.task, "period": report.period})
    return redirect("tracking:review")


@login_required
@require_POST
def report_return(request, pk: int):
    report = selectors.report_get(visible_to=request.user, pk=pk)
    if not is_supervisor(request.user):
        raise PermissionDenied
    form = ReturnForm(request.POST)
    if form.is_valid():
        try:
            services.report_return(
                report=report, actor=request.user, reason=form.cleaned_data["reason"],
                expected_version=form.cleaned_data["version"],
            )
        except services.ConcurrentReview as conflict:
            messages.error(request, str(conflict))
            return redirect("tracking:report", pk=report.pk)
        except ValidationError as error:
            errors_onto(form, error)
        else:
            messages.success(request, _("Returned to %(unit)s with your reason.") % {"unit": report.unit})
            return redirect("tracking:review")
    return _review_page(request, report, return_form=form, status=400)


@login_required
@require_POST
def extension_decide(request, pk: int):
    extension = selectors.extension_get(visible_to=request.user, pk=pk)
    if not is_supervisor(request.user):
        raise PermissionDenied
    form = ExtensionDecisionForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose to approve or refuse."))
        return redirect("tracking:review")
    try:
        services.extension_decide(
            extension=extension, actor=request.user,
            approve=form.cleaned_data["decision"] == "approve", note=form.cleaned_data["note"],
        )
    except (ValidationError, services.ConcurrentReview) as error:
        messages.error(request, " ".join(error.messages) if isinstance(error, ValidationError) else str(error))
    else:
        messages.success(request, _("Decision recorded for %(task)s.") % {"task": extension.task})
    return redirect("tracking:review")


@login_required
@require_POST
def completion_sign_off(request, task_id: int):
    task = plan_selectors.task_get(visible_to=request.user, pk=task_id)
    if not is_supervisor(request.user):
        raise PermissionDenied
    try:
        services.completion_sign_off(task=task, actor=request.user)
    except (ValidationError, services.ConcurrentReview) as error:
        messages.error(request, " ".join(error.messages) if isinstance(error, ValidationError) else str(error))
    else:
        messages.success(request, _("Signed off: %(task)s is completed.") % {"task": task})
    return redirect("tracking:review")
