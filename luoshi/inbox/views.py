"""The inbox page: a person's notifications, newest first, and how they want them sent.

Anyone logged in has an inbox; it shows only their own notifications (another
person's is a 404). Writes are POSTs through luoshi.inbox.services.
"""
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from luoshi.inbox import selectors, services
from luoshi.inbox.forms import PreferenceForm
from luoshi.inbox.models import Notification

PAGE_SIZE = 30


@login_required
def inbox(request):
    unread_only = request.GET.get("show") == "unread"
    notifications = selectors.notification_list(user=request.user, unread_only=unread_only)
    page = Paginator(notifications, PAGE_SIZE).get_page(request.GET.get("page"))
    preference = services.preference_of(request.user)
    return render(request, "inbox/inbox.html", {
        "page": page,
        "notifications": page.object_list,
        "unread_only": unread_only,
        "form": PreferenceForm(initial={"mode": preference.mode, "robot": preference.robot}),
    })


@login_required
@require_POST
def notification_open(request, pk: int):
    """Mark a notification read and go to what it is about."""
    try:
        notification = services.notification_read(user=request.user, pk=pk)
    except Notification.DoesNotExist:
        raise Http404("No such notification") from None
    target = notification.url
    if request.POST.get("stay") or not url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return redirect("inbox:list")
    return redirect(target)


@login_required
@require_POST
def read_all(request):
    count = services.notifications_read_all(user=request.user)
    messages.success(request, _("%(count)s notifications marked read.") % {"count": count})
    return redirect("inbox:list")


@login_required
@require_POST
def preference(request):
    form = PreferenceForm(request.POST)
    if form.is_valid():
        try:
            services.preference_set(user=request.user, mode=form.cleaned_data["mode"], robot=form.cleaned_data["robot"])
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("Saved: how your messages are sent."))
    else:
        messages.error(request, _("Choose how messages are sent."))
    return redirect("inbox:list")
