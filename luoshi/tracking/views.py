"""Pages of progress tracking.

Reporter pages (phone first): "my tasks", and a task's progress page with the
report form for the lead unit, contribution notes for co-units, extension
and completion requests. Supervisor pages: the review queue and a report's
review page. Reads go through luoshi.tracking.selectors (another unit's task
or file is a 404), writes through luoshi.tracking.services; a leader reads
every page and gets 403 on every write.
"""
from datetime import date
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.decorators.http import require_POST, require_safe

from luoshi import bounds
from luoshi.accounts.models import Unit, User
from luoshi.accounts.permissions import (
    can_approve_notices,
    can_change_unit,
    is_leader,
    is_supervisor,
    may_report_for_units,
    own_unit_ids,
    reads_everything,
)
from luoshi.audit import labels as audit_labels
from luoshi.audit.models import AuditEntry
from luoshi.plans import selectors as plan_selectors
from luoshi.plans import services as plan_services
from luoshi.plans.context import plan_choices, plan_chosen, plan_remember
from luoshi.plans.models import Task
from luoshi.tracking import acks, conversation, evidence, ladder, selectors, services, updates
from luoshi.tracking.filters import DUE_CHOICES, SORTS, task_filters_apply, task_filters_parse
from luoshi.tracking import notices as notice_services
from luoshi.tracking.assessment import assessment_rank, assessment_xlsx
from luoshi.tracking.forms import (
    AcceptForm,
    CommentForm,
    ContributionForm,
    ExtensionDecisionForm,
    ExtensionRequestForm,
    ReportForm,
    ReturnForm,
    UpdateRowForm,
    errors_onto,
    update_initial,
)
from luoshi.tracking.models import ExtensionRequest, ProgressReport, ReportingPeriod, SupervisionNotice, TaskTrack
from luoshi.tracking.periods import current_period, open_periods, period_for, periods_ensure, today
from luoshi.tracking.supervision import plan_rollup, tasks_chase


# Lists long enough to need pages: a leader's 我的任务 holds every task, the queue every waiting report.
MY_TASKS_PAGE_SIZE = 50
REVIEW_PAGE_SIZE = 50


def _open_period(plan) -> ReportingPeriod | None:
    """The period a report sent today belongs to (period_for's rule); None before the plan's year begins."""
    day = today()
    if day < date(plan.year, 1, 1):
        return None
    return period_for(plan=plan, day=day)


def _may_report(user, task) -> bool:
    return task.lead_unit is not None and can_change_unit(user, task.lead_unit)


def _is_co_unit_reporter(user, task) -> bool:
    return bool(own_unit_ids(user) & {unit.pk for unit in task.co_units.all()})


# ------------------------------------------------------------- reporters

@login_required
def my_tasks(request):
    filters = task_filters_parse(request.GET)
    tasks = task_filters_apply(selectors.my_task_list(user=request.user), filters, today=today())
    page = Paginator(tasks, MY_TASKS_PAGE_SIZE).get_page(request.GET.get("page"))
    tasks = list(page.object_list)
    periods = open_periods(plans={task.plan for task in tasks}, day=today())
    rows = selectors.my_tasks(user=request.user, tasks=tasks, periods=periods)
    instructions = list(selectors.open_instructions(user=request.user))
    day = today()
    for comment in instructions:
        comment.overdue = conversation.instruction_overdue(comment, day)
    context = _filter_context(filters, programmes=selectors.my_programme_names(user=request.user))
    if not reads_everything(request.user):
        # A reporter filters among its own units.
        context["filter_units"] = Unit.objects.filter(pk__in=own_unit_ids(request.user)).order_by("sort_order", "name")
    return render(request, "tracking/my_tasks.html", {
        "rows": rows, "page": page, "instructions": instructions, **context,
        "to_sign": list(acks.pending_for(user=request.user)),
    })


MY_UPDATES_PAGE_SIZE = 50


def _update_form(row: updates.UpdateRow, data=None) -> UpdateRowForm:
    return UpdateRowForm(
        data, task=row.task, hint=row.hint, prefix=f"t{row.task.pk}", initial=update_initial(row.prefill)
    )


@login_required
def my_updates(request):
    """我的填报: everything the user's units must report this period, in one form, each row saved on its own.

    A row's own button saves that row; "save all" saves every row whose
    values differ from what was pre-filled. Either way each row goes through
    services.report_submit by itself: a failing row keeps its input and shows
    its errors, the others are saved. The page is shown again with the
    outcome rather than redirected, so input typed in rows that were not
    saved is not lost.
    """
    if request.method == "POST" and not may_report_for_units(request.user):
        raise PermissionDenied(_("Only a unit's reporters fill in its reports."))
    day = today()
    tasks = updates.update_task_list(user=request.user).prefetch_related("milestones", "indicators")
    page = Paginator(tasks, MY_UPDATES_PAGE_SIZE).get_page(request.GET.get("page"))
    rows = updates.update_rows(tasks=page.object_list, today=day)
    status = 200
    if request.method == "POST":
        status = _my_updates_save(request, rows)
    for row in rows:
        if not hasattr(row, "form"):
            row.form = _update_form(row) if row.editable else None
            row.checked = False
    return render(request, "tracking/my_updates.html", {
        "rows": rows,
        "page": page,
        "summary": updates.update_summary(user=request.user, today=day),
        "burden": updates.own_burden(user=request.user, today=day),
        "today": day,
    }, status=status)


def _my_updates_save(request, rows: list) -> int:
    chosen = request.POST.get("save", "all")
    by_task = {str(row.task.pk): row for row in rows}
    if chosen != "all" and chosen not in by_task:
        raise Http404("No such task on this page")
    batch, forms = [], {}
    for row in rows:
        if not row.editable:
            continue
        form = _update_form(row, request.POST)
        row.form, row.checked = form, False
        if chosen == "all" and not form.has_changed():
            continue
        if chosen != "all" and str(row.task.pk) != chosen:
            continue
        row.checked = True
        if not form.is_valid():
            continue
        forms[row.task.pk] = form
        batch.append({
            "key": row.task.pk, "task": row.task, "period": row.period,
            "percent": form.cleaned_data["percent"], "work_state": form.cleaned_data["work_state"],
            "narrative": form.cleaned_data["narrative"],
            "milestone_ids": [m.pk for m in form.cleaned_data.get("milestones", [])],
            "actuals": form.actuals(),
        })
    checked = [row for row in rows if row.checked]
    if not checked:
        messages.info(request, _("Nothing was changed, so nothing was saved."))
        return 200
    results = {item.key: item for item in services.reports_submit_batch(actor=request.user, items=batch)}
    saved = 0
    for row in checked:
        result = results.get(row.task.pk)
        if result is not None and result.ok:
            saved += 1
            row.report, row.state, row.saved = result.report, "done", True
            row.form, row.checked = _update_form(row), False
        elif result is not None:
            errors_onto(row.form, ValidationError(result.errors))
    failed = len(checked) - saved
    if saved:
        messages.success(request, _("%(count)s reports submitted; the supervision office will review them.")
                         % {"count": saved})
    if failed:
        messages.error(request, _("%(count)s reports were not saved: see the rows marked in red. "
                                  "What you typed is still there.") % {"count": failed})
    return 400 if failed else 200


def _history_rows(entries) -> list[dict]:
    return [
        {
            "entry": entry,
            "action": audit_labels.action_label(entry.action),
            "before": audit_labels.labelled(entry.before, model=Task),
            "after": audit_labels.labelled(entry.after, model=Task),
        }
        for entry in entries
    ]


def task_page(request, task, *, form=None, extension_form=None, comment_form=None, upload_refused=None,
              status=200):
    """The one task page (plans:task): what the task is, how it stands, what was reported and said about it.

    Every role reads the same page; what it may do on it (report, ask for an
    extension, answer, edit, write a 批示) is decided here and checked again
    by the services the forms post to.
    """
    page = selectors.task_page(visible_to=request.user, task=task)
    period = _open_period(task.plan)
    existing = next((r for r in page.reports if period is not None and r.period_id == period.pk), None)
    may_report = _may_report(request.user, task)
    if may_report and form is None and (existing is None or existing.status != ProgressReport.Status.ACCEPTED):
        form = ReportForm(task=task, initial=_initial(existing))
    today_ = today()
    for comment in page.comments:
        comment.overdue = conversation.instruction_overdue(comment, today_)
    context = {
        "task": task,
        "page": page,
        "track": page.track,
        "period": period,
        "existing": existing,
        "form": form if may_report else None,
        "upload_refused": upload_refused,
        "held_files": evidence.files_held(request, task.pk) if may_report else [],
        "reports": page.reports,
        "contributions": page.contributions,
        "extensions": page.extensions,
        "history": _history_rows(page.history),
        "may_report": may_report,
        "may_contribute": _is_co_unit_reporter(request.user, task),
        "is_supervisor": is_supervisor(request.user),
        "can_edit": is_supervisor(request.user),
        "is_leader": is_leader(request.user),
        "answers_for_unit": conversation.answers_for_unit(request.user, task),
        "completion_ready": may_report and services.completion_evidence_report(task) is not None,
        "extension_form": extension_form or ExtensionRequestForm(),
        "comment_form": comment_form or CommentForm(
            initial={"reply_due": conversation.instruction_default_due(today_)} if is_leader(request.user) else None
        ),
        "max_mb": settings.LUOSHI_MAX_UPLOAD_MB,
        "ladder": ladder.task_ladder(task=task),
        **ladder.cycle_context(task=task),
        "to_sign": list(acks.pending_for(user=request.user).filter(task=task)),
    }
    return render(request, "plans/task_detail.html", context, status=status)


@csrf_exempt
def report_form(request, task_id: int):
    """The lead unit's report form posts here with its files; a GET is the one task page.

    CSRF is checked in ``_report_form``: Django's CSRF middleware would read
    the body before the size-capping upload handler is in place.
    """
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    if request.method != "POST":
        task = plan_selectors.task_get(visible_to=request.user, pk=task_id)
        return redirect(reverse("plans:task", args=[task.pk]) + "#report")
    task = plan_selectors.task_get(visible_to=request.user, pk=task_id)
    # Who may post is decided before a byte of the upload is read.
    if not _may_report(request.user, task):
        raise PermissionDenied(_("Only the lead unit reports on this task."))
    if evidence.upload_refused_early(request):
        return task_page(request, task, upload_refused=evidence.too_big_message(), status=413)
    request.upload_handlers.insert(0, evidence.CappedUploadHandler(request))
    return _report_form(request, task_id)


@csrf_protect
def _report_form(request, task_id: int):
    task = plan_selectors.task_get(visible_to=request.user, pk=task_id)
    period = _open_period(task.plan)
    form = ReportForm(request.POST, request.FILES, task=task)
    # Reading request.FILES above ran the upload handlers.
    refused = request.upload_handlers[0].refused
    if refused is not None:
        form.is_valid()
        form.add_error("files", evidence.too_big_message(refused))
        return task_page(request, task, form=form, status=413)
    kept = evidence.files_kept(request, task.pk, request.POST.getlist("held"))
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
                files=[*form.cleaned_data["files"], *kept],
            )
        except ValidationError as error:
            errors_onto(form, error)
        else:
            evidence.files_release(request, task.pk)
            messages.success(
                request,
                _("Report for %(period)s submitted; the supervision office will review it.")
                % {"period": period.label},
            )
            return redirect("tracking:report", pk=report.pk)
    # The files chosen this time wait with those kept before, so the next attempt need not pick them again.
    evidence.files_hold(request, task.pk, request.FILES.getlist("files"))
    return task_page(request, task, form=form, status=400)


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
        initial[f"actual_{actual.indicator_id}"] = updates.plain_decimal(actual.value)
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
    return redirect("plans:task", pk=task.pk)


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
            return redirect("plans:task", pk=task.pk)
    return task_page(request, task, extension_form=form, status=400)


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
    return redirect("plans:task", pk=task.pk)


@login_required
@require_POST
def comment_add(request, task_id: int):
    task = plan_selectors.task_get(visible_to=request.user, pk=task_id)
    form = CommentForm(request.POST)
    if form.is_valid():
        reply_to = None
        if form.cleaned_data["reply_to"]:
            reply_to = selectors.comment_list(visible_to=request.user, task=task).filter(
                pk=form.cleaned_data["reply_to"]
            ).first()
            if reply_to is None:
                form.add_error(None, _("The comment answered is not on this task."))
        if not form.errors:
            try:
                comment, mentions = conversation.comment_add(
                    task=task, actor=request.user, text=form.cleaned_data["text"],
                    instruction=form.cleaned_data["instruction"], reply_due=form.cleaned_data["reply_due"],
                    reply_to=reply_to,
                )
            except ValidationError as error:
                errors_onto(form, error)
            else:
                if comment.is_instruction:
                    messages.success(request, _("Instruction sent to %(unit)s; reply due %(due)s.") % {
                        "unit": task.lead_unit or "—", "due": comment.reply_due.isoformat()})
                elif comment.reply_to_id and comment.reply_to.is_instruction:
                    messages.success(request, _("Your answer to the instruction is recorded."))
                else:
                    messages.success(request, _("Comment added."))
                if mentions.ignored:
                    messages.warning(request, _("Not notified, as they may not see this task: %(names)s") % {
                        "names": "、".join(mentions.ignored)})
                return redirect(reverse("plans:task", args=[task.pk]) + f"#comment-{comment.pk}")
    return task_page(request, task, comment_form=form, status=400)


# ------------------------------------------------------------- files

@login_required
def evidence_download(request, pk: int):
    """A report's file, for whoever may see the task; ``?inline=1`` shows a PDF or an image in the browser."""
    item = selectors.evidence_get(visible_to=request.user, pk=pk)
    inline = request.GET.get("inline") == "1" and item.content_type in evidence.INLINE_TYPES
    response = FileResponse(item.file.open("rb"), as_attachment=not inline, filename=item.original_name,
                            content_type=item.content_type)
    response["X-Content-Type-Options"] = "nosniff"
    if inline:
        # Shown, never run: a PDF's scripts and links stay inside a sandbox of their own.
        response["Content-Security-Policy"] = "sandbox"
    return response


# ------------------------------------------------------------- review

def _require_reader_of_all(request) -> None:
    if not reads_everything(request.user):
        raise PermissionDenied(_("The review pages are for the supervision office and leaders."))


@login_required
def review_queue(request):
    _require_reader_of_all(request)
    filters = task_filters_parse(request.GET)
    reports = task_filters_apply(selectors.review_queue(visible_to=request.user), filters, today=today(), path="task__")
    page = Paginator(reports, REVIEW_PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "tracking/review_queue.html", {
        **_filter_context(filters),
        "reports": page.object_list,
        "page": page,
        "extensions": selectors.extension_list(visible_to=request.user, status=ExtensionRequest.Status.PENDING),
        "completions": selectors.completion_queue(visible_to=request.user),
        "is_supervisor": is_supervisor(request.user),
        "decision_form": ExtensionDecisionForm(),
    })


def _review_page(request, report, *, return_form=None, accept_form=None, status=200):
    context = {
        "report": report,
        "previous": selectors.previous_accepted_report(report),
        "contributions": selectors.contribution_list(visible_to=request.user, task=report.task).filter(
            period=report.period
        ),
        "can_review": is_supervisor(request.user) and report.status == ProgressReport.Status.SUBMITTED,
        "accept_form": accept_form or AcceptForm(initial={"version": report.version}),
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
        return _review_page(request, report, accept_form=form, status=400)
    try:
        services.report_accept(report=report, actor=request.user, expected_version=form.cleaned_data["version"],
                               note=form.cleaned_data["note"])
    except services.ConcurrentReview as conflict:
        messages.error(request, str(conflict))
        return redirect("tracking:report", pk=report.pk)
    except ValidationError as error:
        errors_onto(form, error)
        return _review_page(request, report, accept_form=form, status=400)
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


# ------------------------------------------------------------- supervision
# Imported here rather than at the top: this section was appended to the
# file while its other half was being written.



# Plan status (lights and roll-up), supervision notices, assessment and the
# audit log. Status and assessment pages are for readers of everything
# (supervisors, admins, leaders); a notice is also shown to the unit it was
# sent to; the audit log is for the supervision office only.


def _plan_for_readers_of_all(request, plan_id: int):
    if not reads_everything(request.user):
        raise PermissionDenied(_("This page is for the supervision office and leaders."))
    return plan_selectors.plan_get(visible_to=request.user, pk=plan_id)


@login_required
@require_safe
def plan_status(request, plan_id: int):
    plan = _plan_for_readers_of_all(request, plan_id)
    plan_remember(request, plan)
    rollup = plan_rollup(plan=plan)
    tree = plan_selectors.section_tree(visible_to=request.user, plan=plan)

    def decorate(sections):
        for section in sections:
            section.progress = rollup.sections.get(section.pk)
            lights = rollup.section_lights.get(section.pk, {})
            section.lights = [(name, lights.get(name, 0)) for name in ("red", "yellow", "green")]
            for measure in section.visible_measures:
                measure.progress = rollup.measures.get(measure.pk)
            decorate(section.subsections)

    decorate(tree)
    filters = task_filters_parse(request.GET)
    red = TaskTrack.objects.filter(task__plan=plan, light="red", signed_off_at__isnull=True).select_related(
        "task", "task__lead_unit"
    ).order_by("task__lead_unit__sort_order", "task__measure__position", "task_id")
    red = list(task_filters_apply(red, filters, today=today(), path="task__"))
    open_notices = dict(
        SupervisionNotice.objects.filter(task__plan=plan, status=SupervisionNotice.Status.OPEN).values_list(
            "task_id", "pk"
        )
    )
    drafts = dict(
        SupervisionNotice.objects.filter(
            task__plan=plan, status__in=SupervisionNotice.DRAFT_STATUSES
        ).values_list("task_id", "pk")
    )
    for track in red:
        track.open_notice = open_notices.get(track.task_id)
        track.draft_notice = drafts.get(track.task_id)
    return render(request, "tracking/plan_status.html", {
        "plan": plan,
        "rollup": rollup,
        "lights": [(name, rollup.lights.get(name, 0)) for name in ("red", "yellow", "green")],
        "tree": tree,
        "red": red,
        "is_supervisor": is_supervisor(request.user),
        "plans": plan_choices(plan_selectors.plan_list(visible_to=request.user)),
        **_filter_context(filters, programmes=[p.name for p in plan.programmes.all()]),
    })


@login_required
def notice_list(request):
    notices = selectors.notice_list(visible_to=request.user)
    status = request.GET.get("status", "")
    if status in SupervisionNotice.Status.values:
        notices = notices.filter(status=status)
    return render(request, "tracking/notice_list.html", {
        "notices": notices[:200], "status": status, "statuses": SupervisionNotice.Status.choices,
        "reads_all": reads_everything(request.user),
    })


@login_required
def notice_detail(request, pk: int):
    notice = selectors.notice_get(visible_to=request.user, pk=pk)
    track = TaskTrack.objects.filter(task=notice.task).first()
    may_reply = (
        not is_supervisor(request.user)
        and not notice.is_draft
        and can_change_unit(request.user, notice.unit)
        and notice.status != SupervisionNotice.Status.CLOSED
    )
    office = is_supervisor(request.user)
    typed = request.session.pop(f"notice-draft-{notice.pk}", None)
    return render(request, "tracking/notice_detail.html", {
        "notice": notice,
        "rows": notice_services.notice_rows(notice, track.percent if track else None),
        "may_reply": may_reply,
        "may_close": office and notice.status == SupervisionNotice.Status.REPLIED,
        "may_edit": office and notice.status == SupervisionNotice.Status.DRAFT,
        "needs_approval": notice.is_draft and notice_services.needs_approval(notice.task.plan),
        "may_approve": can_approve_notices(request.user) and notice.status == SupervisionNotice.Status.PENDING,
        "draft": typed or {
            "reasons": "\n".join(r.get("text", "") for r in notice.reasons),
            "text": notice.text,
            "reply_due": notice.reply_due.isoformat(),
        },
        "to_sign": list(acks.pending_for(user=request.user).filter(notice=notice)),
        "deliveries": notice.deliveries.select_related("channel") if reads_everything(request.user) else [],
    })


@login_required
@require_POST
def notice_reply(request, pk: int):
    notice = selectors.notice_get(visible_to=request.user, pk=pk)
    try:
        notice_services.notice_reply(notice=notice, actor=request.user, reply=request.POST.get("reply", ""))
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Reply sent to the supervision office."))
    return redirect("tracking:notice", pk=notice.pk)


@login_required
@require_POST
def notice_close(request, pk: int):
    notice = selectors.notice_get(visible_to=request.user, pk=pk)
    try:
        notice_services.notice_close(notice=notice, actor=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Notice closed."))
    return redirect("tracking:notice", pk=notice.pk)


@login_required
def notice_download(request, pk: int):
    notice = selectors.notice_get(visible_to=request.user, pk=pk)
    response = HttpResponse(
        notice_services.notice_docx(notice=notice),
        content_type="application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    )
    response["Content-Disposition"] = content_disposition_header(True, f"督办单{notice.number}.docx")
    return response


def _assessment_period(request, plan):
    periods = periods_ensure(plan=plan, until=today())
    ended = [p for p in periods if p.end < today()] or periods[:1]
    chosen = request.GET.get("period")
    period = next((p for p in periods if str(p.pk) == chosen), None)
    return period or current_period(periods=periods, today=today()) or ended[-1], ended


@login_required
def assessment(request, plan_id: int):
    plan = _plan_for_readers_of_all(request, plan_id)
    period, periods = _assessment_period(request, plan)
    return render(request, "tracking/assessment.html", {
        "plan": plan, "period": period, "periods": periods, "scores": assessment_rank(plan=plan, period=period),
    })


@login_required
def assessment_export(request, plan_id: int):
    plan = _plan_for_readers_of_all(request, plan_id)
    period, _periods = _assessment_period(request, plan)
    content = assessment_xlsx(plan=plan, period=period, scores=assessment_rank(plan=plan, period=period))
    response = HttpResponse(content, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    response["Content-Disposition"] = content_disposition_header(True, f"{plan.name}{period.label}考核排名.xlsx")
    return response


AUDIT_PAGE_SIZE = 50


@login_required
def audit_log(request):
    if not is_supervisor(request.user):
        raise PermissionDenied(_("The audit log is for the supervision office."))
    entries = AuditEntry.objects.select_related("actor")
    filters = {
        "object_type": request.GET.get("object_type", ""),
        "actor": request.GET.get("actor", ""),
        "since": request.GET.get("since", ""),
        "until": request.GET.get("until", ""),
    }
    if filters["object_type"]:
        entries = entries.filter(object_type=filters["object_type"])
    if filters["actor"]:
        entries = entries.filter(actor__username=filters["actor"])
    for name, lookup in (("since", "at__date__gte"), ("until", "at__date__lte")):
        if filters[name]:
            try:
                entries = entries.filter(**{lookup: date.fromisoformat(filters[name])})
            except ValueError:
                messages.error(request, _("“%(value)s” is not a date (YYYY-MM-DD).") % {"value": filters[name]})
                filters[name] = ""
    page = Paginator(entries, AUDIT_PAGE_SIZE).get_page(request.GET.get("page"))
    query = {k: v for k, v in filters.items() if v}
    object_types = AuditEntry.objects.order_by("object_type").values_list("object_type", flat=True).distinct()
    return render(request, "tracking/audit_log.html", {
        "page": page,
        "rows": audit_labels.rows(page),
        "filters": filters,
        "query": urlencode(query),
        "object_types": [(code, audit_labels.object_type_label(code)) for code in object_types],
        "actors": User.objects.filter(pk__in=AuditEntry.objects.values("actor_id")).order_by("username"),
    })


@login_required
def plan_status_latest(request):
    """The navigation's "lights" link and the plan switcher's target: the plan chosen, else the one last looked at, else the newest."""
    if not reads_everything(request.user):
        raise PermissionDenied(_("This page is for the supervision office and leaders."))
    plan = plan_chosen(request, plan_selectors.plan_list(visible_to=request.user))
    if plan is None:
        return redirect("plans:list")
    return redirect("tracking:plan_status", plan_id=plan.pk)


PLAN_TASKS_PAGE_SIZE = 50


def _filter_context(filters, *, programmes=()) -> dict:
    """What the search/filter/sort form (tracking/_task_filters.html) needs besides the filters."""
    return {
        "filters": filters,
        "query": filters.querystring(),
        "filter_units": Unit.objects.filter(is_active=True).only("pk", "name").order_by("sort_order", "name"),
        "filter_programmes": sorted(set(programmes)),
        "due_choices": DUE_CHOICES,
        "sorts": SORTS,
    }


@login_required
@require_safe
def plan_tasks(request, plan_id: int):
    """A plan's tasks as one list to search, filter and sort; a supervisor chases or reassigns those ticked."""
    plan = plan_selectors.plan_get(visible_to=request.user, pk=plan_id)
    filters = task_filters_parse(request.GET)
    tasks = plan_selectors.task_list(visible_to=request.user, plan=plan).select_related("track").order_by(
        "measure__position", "position", "pk"
    )
    tasks = task_filters_apply(tasks, filters, today=today())
    page = Paginator(tasks, PLAN_TASKS_PAGE_SIZE).get_page(request.GET.get("page"))
    supervisor = is_supervisor(request.user)
    return render(request, "tracking/plan_tasks.html", {
        "plan": plan,
        "page": page,
        "can_bulk": supervisor,
        "bulk_units": Unit.objects.filter(is_active=True).order_by("sort_order", "name") if supervisor else [],
        **_filter_context(filters, programmes=[p.name for p in plan.programmes.all()]),
    })


@login_required
@require_POST
def plan_tasks_bulk(request, plan_id: int):
    """催办 or reassign the ticked tasks of a plan: supervisors only; back to the list as it was filtered."""
    if not is_supervisor(request.user):
        raise PermissionDenied(_("Only the supervision office may chase or reassign tasks."))
    plan = plan_selectors.plan_get(visible_to=request.user, pk=plan_id)
    back = reverse("tracking:plan_tasks", args=[plan.pk])
    query = task_filters_parse(QueryDict(request.POST.get("query", ""))).querystring()
    if query:
        back += "?" + query
    ids = [int(v) for v in request.POST.getlist("task") if v.isdigit() and int(v) <= bounds.MAX_ID]
    tasks = list(Task.objects.filter(plan=plan, pk__in=ids).select_related("lead_unit"))
    if not tasks:
        messages.error(request, _("Tick the tasks to act on first."))
        return redirect(back)
    action = request.POST.get("action")
    if action == "chase":
        result = tasks_chase(tasks=tasks, actor=request.user)
        if result.units:
            messages.success(request, _("Chased %(tasks)s tasks of %(units)s units.") % {
                "tasks": result.tasks, "units": result.units})
        if result.without_unit:
            messages.error(request, _("%(n)s tasks have no lead unit to chase.") % {"n": result.without_unit})
    elif action == "reassign":
        unit_id = request.POST.get("lead_unit", "")
        unit = Unit.objects.filter(pk=int(unit_id), is_active=True).first() if unit_id.isdigit() and int(unit_id) <= bounds.MAX_ID else None
        versions = {}
        for task in tasks:
            version = request.POST.get(f"version-{task.pk}", "")
            versions[task.pk] = int(version) if version.isdigit() and int(version) <= bounds.MAX_ID else -1
        if unit is None:
            messages.error(request, _("Choose the new lead unit."))
        else:
            try:
                changed = plan_services.tasks_reassign(plan=plan, versions=versions, lead_unit=unit, actor=request.user)
            except plan_services.StaleEdit as exc:
                messages.error(request, _("“%(task)s” was changed by someone else after you opened this list; nothing was reassigned. Reload and try again.") % {
                    "task": exc.task.title})
            except ValidationError as exc:
                messages.error(request, "；".join(exc.messages))
            else:
                messages.success(request, _("%(n)s tasks now led by %(unit)s.") % {"n": len(changed), "unit": unit.name})
    else:
        messages.error(request, _("Choose what to do with the ticked tasks."))
    return redirect(back)
