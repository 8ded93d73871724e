"""Pages of 签收, the 督办单's draft and sign-off, 催办, and a plan's supervision settings.

Reads go through the selectors (another unit's task or notice is a 404),
writes through luoshi.tracking.acks, notices, ladder and services; a leader
reads everything, approves or returns draft notices, and gets 403 on every
other write.
"""
from datetime import date

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from luoshi.accounts.permissions import (
    can_acknowledge,
    can_approve_notices,
    is_supervisor,
    reads_everything,
)
from luoshi.plans import selectors as plan_selectors
from luoshi.tracking import acks, ladder, selectors, services
from luoshi.tracking import notices as notice_services
from luoshi.tracking.forms import CycleSettingsForm, errors_onto
from luoshi.tracking.models import Acknowledgement, SupervisionNotice, TaskCycle
from luoshi.tracking.periods import plan_cycle, today


def _errors(request, error: ValidationError) -> None:
    messages.error(request, " ".join(error.messages))


def _back(request, fallback: str, *args):
    """Back to the page the button was on, when it is one of ours."""
    target = request.POST.get("next", "")
    if target.startswith("/") and not target.startswith("//"):
        return redirect(target)
    return redirect(fallback, *args)


# ── 签收 ─────────────────────────────────────────────────────────────────


@login_required
@require_POST
def ack_sign(request, pk: int):
    item = Acknowledgement.objects.select_related("unit", "task", "notice").filter(pk=pk).first()
    if item is None or not (reads_everything(request.user) or can_acknowledge(request.user, item.unit)):
        # Another unit's item does not exist for a reporter.
        raise Http404("No such item")
    try:
        signed = acks.acknowledge(actor=request.user, items=[item])
    except ValidationError as error:
        _errors(request, error)
        signed = 0
    if signed:
        messages.success(request, _("Signed for: %(what)s.") % {"what": item.notice or item.task})
    return _back(request, "tracking:my_tasks")


@login_required
@require_POST
def ack_sign_all(request):
    if reads_everything(request.user):
        raise PermissionDenied(_("Only a reporter of the unit signs for it."))
    signed = acks.acknowledge(actor=request.user, items=list(acks.pending_for(user=request.user)))
    messages.success(request, _("Signed for %(count)d items.") % {"count": signed})
    return redirect("tracking:my_tasks")


@login_required
@require_POST
def task_ack(request, task_id: int):
    task = plan_selectors.task_get(visible_to=request.user, pk=task_id)
    signed = acks.task_acknowledge(task=task, actor=request.user)
    if signed:
        messages.success(request, _("Signed for: %(what)s.") % {"what": task})
    return _back(request, "tracking:task", task.pk)


@login_required
def ack_overdue(request):
    """For the office: what units have not signed for after the set number of working days."""
    rows = acks.overdue(visible_to=request.user)
    return render(request, "tracking/ack_overdue.html", {"rows": rows, "days": settings.LUOSHI_ACK_CHASE_WORKING_DAYS})


# ── 催办 ─────────────────────────────────────────────────────────────────


@login_required
@require_POST
def task_chase(request, task_id: int):
    task = plan_selectors.task_get(visible_to=request.user, pk=task_id)
    if not is_supervisor(request.user):
        raise PermissionDenied(_("Only the supervision office chases units."))
    try:
        ladder.chase_send(task=task, actor=request.user, note=request.POST.get("note", ""))
    except ValidationError as error:
        _errors(request, error)
    else:
        messages.success(request, _("Chase sent to %(unit)s.") % {"unit": task.lead_unit})
    return _back(request, "tracking:task", task.pk)


# ── 督办单: draft, approval, sending ────────────────────────────────────


@login_required
@require_POST
def notice_draft(request, task_id: int):
    task = plan_selectors.task_get(visible_to=request.user, pk=task_id)
    if not is_supervisor(request.user):
        raise PermissionDenied(_("Only the supervision office issues supervision notices."))
    try:
        notice = notice_services.notice_draft(task=task, actor=request.user)
    except ValidationError as error:
        _errors(request, error)
        return redirect("tracking:plan_status", plan_id=task.plan_id)
    messages.success(request, _("Draft notice made: check it, preview it, then send it."))
    return redirect("tracking:notice", pk=notice.pk)


def _notice_for_office(request, pk: int) -> SupervisionNotice:
    notice = selectors.notice_get(visible_to=request.user, pk=pk)
    if not is_supervisor(request.user):
        raise PermissionDenied(_("Only the supervision office issues supervision notices."))
    return notice


def _reply_due(value: str) -> date | None:
    try:
        return date.fromisoformat(value) if value else None
    except ValueError:
        raise ValidationError({"reply_due": [_("Enter the reply deadline as a date, e.g. 2026-07-20.")]}) from None


@login_required
@require_POST
def notice_edit(request, pk: int):
    notice = _notice_for_office(request, pk)
    try:
        notice_services.notice_draft_update(
            notice=notice, actor=request.user, reasons_text=request.POST.get("reasons", ""),
            text=request.POST.get("text", ""), reply_due=_reply_due(request.POST.get("reply_due", "")),
        )
    except ValidationError as error:
        _errors(request, error)
        # What was typed comes back in the form instead of being lost.
        request.session[f"notice-draft-{notice.pk}"] = {
            key: request.POST.get(key, "")[:5000] for key in ("reasons", "text", "reply_due")
        }
    else:
        messages.success(request, _("Draft saved."))
    return redirect("tracking:notice", pk=notice.pk)


@login_required
@require_POST
def notice_submit(request, pk: int):
    notice = _notice_for_office(request, pk)
    try:
        notice_services.notice_submit(notice=notice, actor=request.user)
    except ValidationError as error:
        _errors(request, error)
    else:
        messages.success(request, _("Submitted to the leaders for approval."))
    return redirect("tracking:notice", pk=notice.pk)


@login_required
@require_POST
def notice_send(request, pk: int):
    notice = _notice_for_office(request, pk)
    try:
        notice = notice_services.notice_send(notice=notice, actor=request.user)
    except ValidationError as error:
        _errors(request, error)
    else:
        messages.success(request, _("Supervision notice %(number)s issued and sent.") % {"number": notice.number})
    return redirect("tracking:notice", pk=notice.pk)


@login_required
@require_POST
def notice_approve(request, pk: int):
    notice = selectors.notice_get(visible_to=request.user, pk=pk)
    if not can_approve_notices(request.user):
        raise PermissionDenied(_("Only a leader approves supervision notices."))
    try:
        notice = notice_services.notice_approve(notice=notice, actor=request.user)
    except ValidationError as error:
        _errors(request, error)
    else:
        messages.success(request, _("Approved: supervision notice %(number)s sent.") % {"number": notice.number})
    return redirect("tracking:notice", pk=notice.pk)


@login_required
@require_POST
def notice_return(request, pk: int):
    notice = selectors.notice_get(visible_to=request.user, pk=pk)
    if not can_approve_notices(request.user):
        raise PermissionDenied(_("Only a leader approves supervision notices."))
    try:
        notice_services.notice_return(notice=notice, actor=request.user, note=request.POST.get("note", ""))
    except ValidationError as error:
        _errors(request, error)
    else:
        messages.success(request, _("Returned to the supervision office."))
    return redirect("tracking:notice", pk=notice.pk)


# ── A plan's supervision settings (reporting cycle and options) ─────────


@login_required
def plan_settings(request, plan_id: int):
    if not reads_everything(request.user):
        raise PermissionDenied(_("This page is for the supervision office and leaders."))
    plan = plan_selectors.plan_get(visible_to=request.user, pk=plan_id)
    cycle = plan_cycle(plan=plan)
    may_change = is_supervisor(request.user)
    if request.method == "POST":
        if not may_change:
            raise PermissionDenied(_("Only the supervision office changes a plan's supervision settings."))
        form = CycleSettingsForm(request.POST)
        if form.is_valid():
            try:
                services.cycle_update(plan=plan, actor=request.user, **form.cleaned_data)
            except ValidationError as error:
                errors_onto(form, error)
            else:
                messages.success(request, _("Supervision settings saved; reporting periods follow the new cycle."))
                return redirect("tracking:plan_settings", plan_id=plan.pk)
        status = 400
    else:
        form = CycleSettingsForm(initial={
            "frequency": cycle.frequency, "due_day": cycle.due_day, "remind_days_before": cycle.remind_days_before,
            "notice_needs_approval": cycle.notice_needs_approval, "stateful_lights": cycle.stateful_lights,
        })
        status = 200
    return render(request, "tracking/plan_settings.html", {
        "plan": plan, "form": form, "may_change": may_change, "today": today(),
        "overrides": TaskCycle.objects.filter(task__plan=plan).select_related("task").order_by("task_id"),
        "site_approval": settings.LUOSHI_NOTICE_NEEDS_APPROVAL,
        "site_stateful": settings.LUOSHI_STATUS_STATEFUL,
    }, status=status)


@login_required
@require_POST
def task_cycle(request, task_id: int):
    """A task's own, longer reporting cycle, set from its page."""
    task = plan_selectors.task_get(visible_to=request.user, pk=task_id)
    if not is_supervisor(request.user):
        raise PermissionDenied(_("Only the supervision office changes a plan's supervision settings."))
    try:
        services.task_cycle_set(task=task, actor=request.user, frequency=request.POST.get("frequency", ""))
    except ValidationError as error:
        _errors(request, error)
    else:
        messages.success(request, _("Reporting cycle of the task saved."))
    return _back(request, "plans:task", task.pk)
