"""Cockpit (驾驶舱) pages: the leaders' one screen and the task lists behind its figures.

Supervisors, leaders and admins read them; a reporter gets a 403: the
cockpit compares parts, programmes and units across the whole plan, and a
reporter's own tasks are on "my tasks". Anonymous visitors log in first.
"""
from __future__ import annotations

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
from luoshi.plans.context import plan_choices, plan_chosen, plan_remember
from luoshi.plans.models import Programme, Section
from luoshi.reports import selectors
from luoshi.reports.selectors import LIGHTS, DrillFilter
from luoshi.tracking.updates import unit_burden

ECHARTS = "vendor/echarts/echarts.min.js"
DRILL_PAGE_SIZE = 100
BURDEN_ROWS = 8


def _require_cockpit_reader(request) -> None:
    if not reads_everything(request.user):
        raise PermissionDenied(_("The cockpit is for the supervision office and leaders."))


def _charts_available() -> bool:
    """ECharts is there when `make` has installed the npm packages; without it the tables stand alone."""
    return finders.find(ECHARTS) is not None


@login_required
def cockpit_latest(request):
    _require_cockpit_reader(request)
    # The plan switcher's form lands here; the menu's link opens the plan last looked at.
    plan = plan_chosen(request, plan_selectors.plan_list(visible_to=request.user))
    if plan is None:
        return redirect("plans:list")
    return redirect("reports:cockpit", plan_id=plan.pk)


def _links(groups, base: str, kind: str) -> None:
    """Give each group the drill-down links of its figures: all its tasks, and those of each light.

    ``base`` is the plan's drill-down URL, reversed once per page; the query is
    written out rather than urlencoded, as its parts (a filter name, a light,
    an id) need no quoting and a page has hundreds of these links.
    """
    for g in groups:
        g.url = f"{base}?{kind}={g.key:d}"
        g.light_links = [(name, count, f"{base}?light={name}&{kind}={g.key:d}") for name, count in g.light_rows]


def _group_rows(groups, base: str, kind: str) -> list[dict]:
    """Chart rows: label, figures and where a click on the bar leads."""
    _links(groups, base, kind)
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
    plan_remember(request, plan)
    data = selectors.cockpit_data(plan=plan, visible_to=request.user)
    base = reverse("reports:drill", args=[plan.pk])
    charts = {
        "parts": _group_rows(data.parts, base, "section"),
        "objectives": _group_rows(data.objectives, base, "section"),
        "programmes": _group_rows(data.programmes, base, "programme"),
        "units": _group_rows(data.units, base, "unit"),
        "trend": [
            {"label": p.period.label, "percent": float(p.percent) if p.percent is not None else None, "lights": p.lights}
            for p in data.trend
        ],
        "names": {"red": _("red"), "yellow": _("yellow"), "green": _("green"), "percent": _("Progress"),
                  "planned": _("Planned")},
    }
    return render(request, "reports/cockpit.html", {
        "plan": plan,
        # 填报负担 of the period the ranking speaks of: the units asked the most fields first.
        "burden": unit_burden(period=data.ranking_period)[:BURDEN_ROWS] if data.ranking_period else [],
        "plans": plan_choices(plan_selectors.plan_list(visible_to=request.user)),
        "data": data,
        "charts": charts,
        "drill_base": base,
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


# ── Documents: the monthly circular (通报), Excel exports, StratML ─────────
# Readers of the cockpit (supervisors, leaders) download them; only the
# supervision office issues a circular, since issuing takes the next number.

# Appended below the cockpit's views, so their imports are here.
from django.conf import settings  # noqa: E402
from django.contrib import messages  # noqa: E402
from django.http import FileResponse, HttpResponse  # noqa: E402
from django.utils.http import content_disposition_header  # noqa: E402
from django.views.decorators.http import require_POST, require_safe  # noqa: E402

from luoshi.accounts.permissions import is_supervisor  # noqa: E402
from luoshi.reports.circular import CircularError, circular_period, document_request, pdf_converter  # noqa: E402
from luoshi.reports.exports import (  # noqa: E402
    export_filename, export_request, export_rows, progress_history_xlsx, task_list_xlsx,
)
from luoshi.reports.models import GeneratedDocument  # noqa: E402
from luoshi.reports.stratml import plan_stratml  # noqa: E402
from luoshi.tracking.periods import periods_ensure, today  # noqa: E402


@login_required
@require_safe
def documents(request, plan_id: int):
    """The plan's documents page: issue a circular, download exports, follow generations."""
    _require_cockpit_reader(request)
    plan = plan_selectors.plan_get(visible_to=request.user, pk=plan_id)
    day = today()
    ended = [p for p in periods_ensure(plan=plan, until=day) if p.end < day]
    return render(request, "reports/circular_documents.html", {
        "plan": plan,
        "periods": list(reversed(ended)),
        "may_issue": is_supervisor(request.user),
        "pdf_available": pdf_converter() is not None,
        "documents": GeneratedDocument.objects.filter(plan=plan).select_related("period", "created_by")[:20],
        "background_rows": settings.LUOSHI_EXPORT_BACKGROUND_ROWS,
    })


@login_required
@require_POST
def circular_request(request, plan_id: int):
    if not is_supervisor(request.user):
        raise PermissionDenied(_("Only the supervision office issues circulars."))
    plan = plan_selectors.plan_get(visible_to=request.user, pk=plan_id)
    format = request.POST.get("format", GeneratedDocument.Format.DOCX)
    if format not in GeneratedDocument.Format.values:
        raise Http404("No such format")
    try:
        period = circular_period(plan=plan, spec=request.POST.get("period") or "latest")
        document = document_request(plan=plan, period=period, format=format, actor=request.user)
    except CircularError as error:
        messages.error(request, str(error))
        return redirect("reports:documents", plan_id=plan.pk)
    return redirect("reports:document", document_id=document.pk)


def _document_for(request, document_id: int):
    _require_cockpit_reader(request)
    return get_object_or_404(GeneratedDocument.objects.select_related("plan", "period", "created_by"), pk=document_id)


@login_required
def document(request, document_id: int):
    """A generation's progress: queued → running (x/y steps) → ready with its download, or failed with why."""
    document = _document_for(request, document_id)
    return render(request, "reports/circular_status.html", {"document": document, "plan": document.plan})


@login_required
def document_download(request, document_id: int):
    document = _document_for(request, document_id)
    if document.status != document.Status.READY or not document.file:
        raise Http404("The document is not ready")
    return FileResponse(document.file.open("rb"), as_attachment=True, filename=document.filename)


def _xlsx(content: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    response["Content-Disposition"] = content_disposition_header(True, filename)
    return response


def _export(request, plan_id: int, kind: str, build):
    """The export itself when it is small; when it is big, a job built by the worker and its progress page."""
    _require_cockpit_reader(request)
    plan = plan_selectors.plan_get(visible_to=request.user, pk=plan_id)
    if export_rows(plan=plan, kind=kind, visible_to=request.user) > settings.LUOSHI_EXPORT_BACKGROUND_ROWS:
        document = export_request(plan=plan, kind=kind, actor=request.user)
        return redirect("reports:document", document_id=document.pk)
    return _xlsx(build(plan=plan, visible_to=request.user), export_filename(plan=plan, kind=kind))


@login_required
@require_safe
def export_tasks(request, plan_id: int):
    return _export(request, plan_id, GeneratedDocument.Kind.TASK_LIST, task_list_xlsx)


@login_required
@require_safe
def export_history(request, plan_id: int):
    return _export(request, plan_id, GeneratedDocument.Kind.HISTORY, progress_history_xlsx)


@login_required
def plan_stratml_xml(request, plan_id: int):
    _require_cockpit_reader(request)
    plan = plan_selectors.plan_get(visible_to=request.user, pk=plan_id)
    response = HttpResponse(plan_stratml(plan=plan), content_type="application/xml; charset=utf-8")
    response["Content-Disposition"] = content_disposition_header(False, f"{plan.name}.stratml.xml")
    return response
