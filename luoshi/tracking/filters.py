"""Search, filter and sort for every task list: the plan's task list, 我的任务, the review queue, the red list.

One set of GET parameters, the same on every page and in the JSON API:

    q          words of the task's title or of its measure's text
    unit       a unit id: lead unit or co-unit
    light      red, yellow, green, or grey (not judged yet); a signed-off task is green
    due        overdue, month (due in the month of today) or range (due_from … due_to)
    programme  a programme's name (the same name across plans is one programme)
    sort       due, light (red first), progress (least first), unit; "-" before one reverses it

A value that cannot be read is reported in Chinese beside the form and left
out of the filter, the rest still applies; the form shows what was typed.
The query string of the filters, without the page, goes into the pagination
links so that paging keeps them.
"""
from __future__ import annotations

import calendar
from dataclasses import dataclass, field
from datetime import date
from urllib.parse import urlencode

from django.db.models import Case, Exists, F, IntegerField, OuterRef, Q, QuerySet, Value, When
from django.db.models.functions import Coalesce
from django.utils.dateparse import parse_date
from django.utils.translation import gettext as _

from luoshi import bounds
from luoshi.accounts.models import Unit
from luoshi.plans.models import Task

LIGHTS = ("red", "yellow", "green", "grey")
DUE_CHOICES = ("overdue", "month", "range")
SORTS = ("due", "light", "progress", "unit")
MAX_QUERY = 100


@dataclass
class TaskFilters:
    q: str = ""
    unit: Unit | None = None
    light: str = ""
    due: str = ""
    due_from: date | None = None
    due_to: date | None = None
    programme: str = ""
    sort: str = ""
    errors: dict[str, list[str]] = field(default_factory=dict)  # parameter → Chinese messages
    # What was typed, shown again in the form even where it could not be read.
    raw: dict[str, str] = field(default_factory=dict)

    @property
    def active(self) -> bool:
        return bool(self.q or self.unit or self.light or self.due or self.programme or self.sort)

    def querystring(self) -> str:
        """The filters as typed, for pagination links and for coming back after a bulk action."""
        return urlencode([(name, value) for name, value in self.raw.items() if value])


def task_filters_parse(params) -> TaskFilters:
    """Read the filters from a QueryDict (or a dict); a value that cannot be read is an error, not a filter."""
    raw = {name: (params.get(name) or "").strip() for name in
           ("q", "unit", "light", "due", "due_from", "due_to", "programme", "sort")}
    filters = TaskFilters(raw=raw)

    def refuse(name: str, message: str) -> None:
        filters.errors.setdefault(name, []).append(message)

    if len(raw["q"]) > MAX_QUERY:
        refuse("q", _("The search text is longer than %(limit)s characters.") % {"limit": MAX_QUERY})
    else:
        filters.q = raw["q"]
    if raw["unit"]:
        unit = None
        if raw["unit"].isdigit() and int(raw["unit"]) <= bounds.MAX_ID:
            unit = Unit.objects.filter(pk=int(raw["unit"])).first()
        if unit is None:
            refuse("unit", _("No such unit: “%(value)s”.") % {"value": raw["unit"]})
        filters.unit = unit
    if raw["light"]:
        if raw["light"] in LIGHTS:
            filters.light = raw["light"]
        else:
            refuse("light", _("No such light: “%(value)s”.") % {"value": raw["light"]})
    if raw["due"]:
        if raw["due"] in DUE_CHOICES:
            filters.due = raw["due"]
        else:
            refuse("due", _("No such due date filter: “%(value)s”.") % {"value": raw["due"]})
    for name, label in (("due_from", _("Due from")), ("due_to", _("Due to"))):
        if raw[name]:
            try:
                value = parse_date(raw[name])
            except ValueError:
                value = None
            if value is None:
                refuse(
                    name, _("%(field)s “%(value)s” is not a date; write it as 2026-06-30.") % {"field": label, "value": raw[name]}
                )
            setattr(filters, name, value)
    if (filters.due_from or filters.due_to) and not filters.due:
        filters.due = "range"
    if filters.due_from and filters.due_to and filters.due_from > filters.due_to:
        refuse("due_to", _("The due date range ends before it starts."))
        filters.due_from = filters.due_to = None
    if filters.due == "range" and not (filters.due_from or filters.due_to):
        filters.due = ""
    filters.programme = raw["programme"][:MAX_QUERY]
    if raw["sort"]:
        if raw["sort"].removeprefix("-") in SORTS:
            filters.sort = raw["sort"]
        else:
            refuse("sort", _("No such order: “%(value)s”.") % {"value": raw["sort"]})
    return filters


def task_filters_apply(tasks: QuerySet[Task], filters: TaskFilters, *, today: date, path: str = "") -> QuerySet[Task]:
    """``tasks`` narrowed and ordered by ``filters``; ``path`` leads from the queryset's model to the task
    ("" for tasks, "task__" for reports)."""

    def f(name):
        return f"{path}{name}"

    if filters.q:
        tasks = tasks.filter(Q(**{f("title__icontains"): filters.q}) | Q(**{f("measure__text__icontains"): filters.q}))
    if filters.unit is not None:
        co_unit = Task.co_units.through.objects.filter(task_id=OuterRef(f("pk")), unit_id=filters.unit.pk)
        tasks = tasks.filter(Q(**{f("lead_unit_id"): filters.unit.pk}) | Exists(co_unit))
    if filters.light == "grey":
        tasks = tasks.filter(**{f("track__isnull"): True})
    elif filters.light == "green":
        tasks = tasks.filter(Q(**{f("track__signed_off_at__isnull"): False}) | Q(**{f("track__light"): "green"}))
    elif filters.light:
        tasks = tasks.filter(**{f("track__light"): filters.light, f("track__signed_off_at__isnull"): True})
    if filters.due:
        # The due date after an approved extension, where the track has it.
        tasks = tasks.annotate(_due=Coalesce(F(f("track__effective_due")), F(f("due_date"))))
        if filters.due == "overdue":
            tasks = tasks.filter(_due__lt=today, **{f("track__signed_off_at__isnull"): True})
        elif filters.due == "month":
            last = calendar.monthrange(today.year, today.month)[1]
            tasks = tasks.filter(_due__gte=today.replace(day=1), _due__lte=today.replace(day=last))
        else:
            if filters.due_from:
                tasks = tasks.filter(_due__gte=filters.due_from)
            if filters.due_to:
                tasks = tasks.filter(_due__lte=filters.due_to)
    if filters.programme:
        programme = Task.programmes.through.objects.filter(
            task_id=OuterRef(f("pk")), programme__name=filters.programme
        )
        tasks = tasks.filter(Exists(programme))
    if filters.sort:
        name = filters.sort.removeprefix("-")
        descending = filters.sort.startswith("-")
        keys = {
            "due": [F(f("due_date"))],
            "light": [_light_rank(path)],
            "progress": [Coalesce(F(f("track__percent")), Value(0))],
            "unit": [F(f("lead_unit__sort_order")), F(f("lead_unit__name"))],
        }[name]
        ordered = [key.desc(nulls_last=True) if descending else key.asc(nulls_last=True) for key in keys]
        tasks = tasks.order_by(*ordered, f("pk"))
    return tasks


def _light_rank(path: str):
    """Red first, the order a supervisor reads lights in; a signed-off task is green, one never judged comes last."""
    return Case(
        When(**{f"{path}track__signed_off_at__isnull": False}, then=Value(2)),
        When(**{f"{path}track__light": "red"}, then=Value(0)),
        When(**{f"{path}track__light": "yellow"}, then=Value(1)),
        When(**{f"{path}track__light": "green"}, then=Value(2)),
        default=Value(3),
        output_field=IntegerField(),
    )
