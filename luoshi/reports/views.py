"""Cockpit (驾驶舱) pages: the leaders' one screen and the task lists behind its figures.

Supervisors, leaders and admins read them; a reporter gets a 403: the
cockpit compares parts, programmes and units across the whole plan, and a
reporter's own tasks are on "my tasks". Anonymous visitors log in first.
"""
from __future__ import annotations

from urllib.parse import urlencode

from django.contrib.auth.decorators import login_required
from django.contrib.staticfiles import finders
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from luoshi.accounts.models import Unit
from luoshi.accounts.permissions import reads_everything
from luoshi.plans import selectors as plan_selectors
from luoshi.plans.models import Programme, Section
from luoshi.reports import selectors
from luoshi.reports.selectors import LIGHTS, DrillFilter

ECHARTS = "vendor/echarts/dist/echarts.min.js"
DRILL_PAGE_SIZE = 100


def _require_cockpit_reader(request) -> None:
    if not reads_everything(request.user):
        raise PermissionDenied(_("The cockpit is for the supervision office and leaders."))


def _charts_available() -> bool:
    """ECharts is there when `make` has installed the npm packages; without it the tables stand alone."""
    return finders.find(ECHARTS) is not None


@login_required
def cockpit_latest(request):
    _require_cockpit_reader(request)
    plans = plan_selectors.plan_list(visible_to=request.user)
    chosen = request.GET.get("plan", "")
    # The plan selector's form lands here; otherwise the newest plan.
    plan = plans.filter(pk=chosen).first() if chosen.isdigit() else plans.order_by("-year", "-pk").first()
    if plan is None:
        return redirect("plans:list")
    return redirect("reports:cockpit", plan_id=plan.pk)


def drill_url(plan_id: int, **filters) -> str:
    query = urlencode({k: v for k, v in filters.items() if v not in (None, "")})
    url = reverse("reports:drill", args=[plan_id])
    return f"{url}?{query}" if query else url


def _links(groups, plan_id: int, kind: str) -> None:
    """Give each group the drill-down links of its figures: all its tasks, and those of each light."""
    for g in groups:
        g.url = drill_url(plan_id, **{kind: g.key})
        g.light_links = [(name, count, drill_url(plan_id, light=name, **{kind: g.key})) for name, count in g.light_rows]


def _group_rows(groups, plan_id: int, kind: str) -> list[dict]:
    """Chart rows: label, figures and where a click on the bar leads."""
    _links(groups, plan_id, kind)
    return [
        {
            "label": g.label,
            "percent": float(g.percent) if g.percent is not None else None,
            "planned": float(g.planned) if g.planned is not None else None,
            "schedule": g.schedule,
            "lights": g.lights,
            "url": g.url,
        }
        for g in groups
    ]


@login_required
def cockpit(request, plan_id: int):
    _require_cockpit_reader(request)
    plan = plan_selectors.plan_get(visible_to=request.user, pk=plan_id)
    data = selectors.cockpit_data(plan=plan, visible_to=request.user)
    charts = {
        "lights": [{"light": name, "count": count, "url": drill_url(plan.pk, light=name)} for name, count in data.light_rows],
        "parts": _group_rows(data.parts, plan.pk, "section"),
        "objectives": _group_rows(data.objectives, plan.pk, "section"),
        "programmes": _group_rows(data.programmes, plan.pk, "programme"),
        "units": _group_rows(data.units, plan.pk, "unit"),
        "trend": [
            {"label": p.period.label, "percent": float(p.percent) if p.percent is not None else None, "lights": p.lights}
            for p in data.trend
        ],
        "names": {"red": _("red"), "yellow": _("yellow"), "green": _("green"), "percent": _("Progress"),
                  "planned": _("Planned")},
    }
    parts = {g.key: g for g in data.parts}
    for objective in data.objectives:
        objective.part = parts.get(objective.parent)
    return render(request, "reports/cockpit.html", {
        "plan": plan,
        "plans": plan_selectors.plan_list(visible_to=request.user).order_by("-year", "-pk").only("pk", "name", "year"),
        "data": data,
        "charts": charts,
        "charts_available": _charts_available(),
        "echarts": ECHARTS,
    })


def _drill_filter(request, plan) -> DrillFilter:
    """The query string's filters; a value that names nothing in this plan is a 404, not an empty list."""
    filters = DrillFilter()
    light = request.GET.get("light") or None
    if light is not None and light not in LIGHTS:
        raise Http404("No such light")
    filters.light = light

    def number(name):
        value = request.GET.get(name) or None
        if value is not None and not value.isdigit():
            raise Http404(f"Bad {name}")
        return int(value) if value else None

    if (section_id := number("section")) is not None:
        filters.section = get_object_or_404(Section, plan=plan, pk=section_id)
    if (programme_id := number("programme")) is not None:
        filters.programme = get_object_or_404(Programme, plan=plan, pk=programme_id)
    if (unit_id := number("unit")) is not None:
        filters.unit = get_object_or_404(Unit, pk=unit_id)
    return filters


@login_required
def drill(request, plan_id: int):
    _require_cockpit_reader(request)
    plan = plan_selectors.plan_get(visible_to=request.user, pk=plan_id)
    filters = _drill_filter(request, plan)
    tasks = selectors.drill_tasks(plan=plan, visible_to=request.user, filters=filters)
    page = Paginator(tasks, DRILL_PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(request, "reports/drill.html", {
        "plan": plan,
        "filters": filters,
        "page": page,
        "query": query.urlencode(),
    })
