"""The public page (政务公开) for citizens, and the supervisor's page that decides what is on it.

The public views need no login and read only through ``luoshi.portal.selectors``.
They render the same bytes for everyone (no user, no CSRF token, no
messages), so a proxy may keep them for five minutes; the manage pages are
never cached.
"""
from functools import wraps

from django.conf import settings
from django.contrib import messages
from django.http import JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.cache import patch_vary_headers
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.cache import cache_control, never_cache
from django.views.decorators.http import require_GET, require_http_methods

from luoshi.accounts.permissions import require_supervisor
from luoshi.bounds import id_values
from luoshi.plans.models import Plan, Task
from luoshi.portal import selectors
from luoshi.portal.services import task_publish

PUBLIC_MAX_AGE = 300


def _public(view):
    """GET only, cacheable by anyone for PUBLIC_MAX_AGE seconds.

    The language comes from Accept-Language or from the language cookie a
    signed-in official may carry, hence Vary on both.
    """

    @require_GET
    @cache_control(public=True, max_age=PUBLIC_MAX_AGE)
    @wraps(view)
    def wrapped(request, *args, **kwargs):
        response = view(request, *args, **kwargs)
        patch_vary_headers(response, ("Accept-Language", "Cookie"))
        return response

    return wrapped


def _open_data(response: JsonResponse) -> JsonResponse:
    # Open data: any site may read it from a browser.
    response["Access-Control-Allow-Origin"] = "*"
    return response


def _render_public(request, template: str, context: dict):
    return render(request, template, {"org_name": settings.LUOSHI_ORG_NAME, **context})


@_public
def plan_list(request):
    plans, page = selectors.public_plan_page(number=request.GET.get("page"))
    return _render_public(request, "portal/plan_list.html", {"plans": plans, "page": page})


@_public
def plan_detail(request, plan_id: int):
    return _render_public(request, "portal/plan_detail.html", {"plan": selectors.public_plan_get(pk=plan_id)})


@_public
def plan_list_json(request):
    plans, page = selectors.public_plan_page(number=request.GET.get("page"))
    body = {
        "plans": [plan.summary_dict() for plan in plans],
        "page": page.number,
        "pages": page.paginator.num_pages,
        "count": page.paginator.count,
        "next": f"{request.path}?page={page.next_page_number()}" if page.has_next() else None,
    }
    return _open_data(JsonResponse(body, json_dumps_params={"ensure_ascii": False}))


@_public
def plan_detail_json(request, plan_id: int):
    plan = selectors.public_plan_get(pk=plan_id)
    return _open_data(JsonResponse(plan.to_dict(), json_dumps_params={"ensure_ascii": False}))


@never_cache
@require_supervisor
def manage_list(request):
    return render(request, "portal/manage_list.html", {"plans": selectors.manage_plan_list()})


MANAGE_ACTIONS = {
    "publish": True,
    "unpublish": False,
    "publish_all": True,
    "unpublish_all": False,
}


@never_cache
@require_supervisor
@require_http_methods(["GET", "POST"])
def manage_plan(request, plan_id: int):
    plan = get_object_or_404(Plan, pk=plan_id)
    if request.method == "POST":
        action = request.POST.get("action")
        if action not in MANAGE_ACTIONS:
            messages.error(request, _("Choose what to do with the tasks."))
            return redirect("portal:manage_plan", plan_id=plan.pk)
        tasks = Task.objects.filter(plan=plan)
        if not action.endswith("_all"):
            ids = id_values(request.POST.getlist("task"))
            if not ids:
                messages.error(request, _("Select at least one task."))
                return redirect("portal:manage_plan", plan_id=plan.pk)
            tasks = tasks.filter(pk__in=ids)
        public = MANAGE_ACTIONS[action]
        changed = task_publish(tasks=tasks, actor=request.user, public=public)
        if public:
            text = ngettext("%(count)d task published.", "%(count)d tasks published.", len(changed))
        else:
            text = ngettext(
                "%(count)d task withdrawn from the public page.",
                "%(count)d tasks withdrawn from the public page.",
                len(changed),
            )
        messages.success(request, text % {"count": len(changed)})
        return redirect("portal:manage_plan", plan_id=plan.pk)
    return render(request, "portal/manage_plan.html", {"plan": plan, "tasks": selectors.manage_task_list(plan=plan)})
