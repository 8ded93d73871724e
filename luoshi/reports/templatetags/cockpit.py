"""The cockpit's repeated pieces: a light's name, a schedule badge, light pills, a percent, and the
rows of its big tables (parts and objectives, programmes, units, the red list, the ranking).

Rendered here rather than by {% include %} or a template loop: a plan has a
row per unit, objective, programme, red task and ranked unit, each with half a
dozen figures, and the template engine's cost per variable (about 15 µs: look
up, localise, escape) made the template most of the page's time on a big
plan. The drill-down links (``url``, ``light_links``) are set on the groups by
the view.
"""
from html import escape

from django import template
from django.urls import reverse
from django.utils.formats import localize
from django.utils.safestring import SafeString, mark_safe
from django.utils.text import Truncator
from django.utils.translation import gettext as _

register = template.Library()

# The rows are built with the standard library's html.escape, which is what
# Django's escape() calls, without the per-call check for lazy strings that
# made format_html the larger part of the rows' cost. Every value from the
# data goes through escape(); only whole rows are marked safe.


def _light_names() -> dict[str, str]:
    return {"red": _("Red"), "yellow": _("Yellow"), "green": _("Green")}


def _schedule_names() -> dict[str, str]:
    return {"behind": _("behind schedule"), "ahead": _("ahead of schedule"), "on": _("on schedule")}


@register.filter
def light_name(light: str | None) -> str:
    return _light_names().get(light, "—")


@register.filter
def schedule_badge(schedule: str) -> SafeString:
    """behind / on / ahead as a coloured badge; nothing without a planned percent."""
    return mark_safe(_badge(schedule, _schedule_names()))


def _badge(schedule: str, names: dict[str, str]) -> str:
    if not schedule:
        return ""
    return f'<span class="schedule schedule-{escape(schedule)}">{escape(names[schedule])}</span>'


@register.filter
def light_pills(group) -> SafeString:
    """A group's count per light, each a link to its tasks; zeros are not links."""
    return mark_safe(_pills(group, _light_names()))


def _pills(group, names: dict[str, str]) -> str:
    pills = "".join(
        f'<a class="pill pill-{escape(name)}" href="{escape(url)}" title="{escape(names[name])}">{count:d}</a>'
        if count
        else f'<span class="pill pill-none" title="{escape(names[name])}">0</span>'
        for name, count, url in group.light_links
    )
    return f'<span class="pills">{pills}</span>'


@register.filter
def percent(value) -> str:
    """12.3% or — when nothing carries weight."""
    return "—" if value is None else f"{localize(value)}%"


@register.filter
def section_rows(data) -> SafeString:
    """Each part, then its objectives indented: tasks, progress, planned, schedule, lights."""
    lights, schedules = _light_names(), _schedule_names()

    def row(group, tr: str, th: str) -> str:
        return (
            f'<tr{tr}><th scope="row"{th}><a href="{escape(group.url)}">{escape(group.label)}</a></th>'
            f'<td class="num">{group.tasks:d}</td><td class="num">{escape(percent(group.percent))}</td>'
            f'<td class="num">{escape(percent(group.planned))}</td><td>{_badge(group.schedule, schedules)}</td>'
            f"<td>{_pills(group, lights)}</td></tr>"
        )

    by_part: dict[int, list] = {}
    for objective in data.objectives:
        by_part.setdefault(objective.parent, []).append(objective)
    return mark_safe("".join(
        row(part, ' class="row-part"', "") + "".join(row(g, "", ' class="indent"') for g in by_part.get(part.key, ()))
        for part in data.parts
    ))


@register.filter
def group_rows(groups) -> SafeString:
    """Programmes or units: tasks, progress, schedule, lights."""
    lights, schedules = _light_names(), _schedule_names()
    return mark_safe("".join(
        f'<tr><th scope="row"><a href="{escape(g.url)}">{escape(g.label)}</a></th><td class="num">{g.tasks:d}</td>'
        f'<td class="num">{escape(percent(g.percent))}</td><td>{_badge(g.schedule, schedules)}</td>'
        f"<td>{_pills(g, lights)}</td></tr>"
        for g in groups
    ))


@register.filter
def red_rows(tasks, drill_base: str) -> SafeString:
    """Each red task with its lead unit, percent done and the reasons it is red."""

    def unit(task) -> str:
        if task.lead_unit is None:
            return "—"
        return f'<a href="{escape(drill_base)}?unit={task.lead_unit_id:d}">{escape(task.lead_unit.name)}</a>'

    def reasons(task) -> str:
        return "".join(
            f'<li class="reason-{escape(str(r["light"]))}">{escape(str(r["text"]))}</li>' for r in task.track.reasons
        )

    return mark_safe("".join(
        f'<tr><th scope="row"><a href="{escape(reverse("plans:task", args=[t.pk]))}">'
        f"{escape(Truncator(t.title).chars(60))}</a>"
        f'<span class="muted small"> {escape(t.measure.number)}</span></th><td>{unit(t)}</td>'
        f'<td class="num">{t.shown_percent:d}%</td><td><ul class="reasons">{reasons(t)}</ul></td></tr>'
        for t in tasks
    ))


@register.filter
def ranking_rows(scores, drill_base: str) -> SafeString:
    """Rank, unit, score and the counts behind it."""
    return mark_safe("".join(
        f'<tr><td class="num">{s.rank:d}</td><th scope="row"><a href="{escape(drill_base)}?unit={s.unit.pk:d}">'
        f'{escape(s.unit.name)}</a></th><td class="num"><strong>{escape(localize(s.score))}</strong></td>'
        f'<td class="num">{s.reported_on_time:d}/{s.expected:d}</td><td class="num">{s.green:d}/{s.expected:d}</td>'
        f'<td class="num">{s.notices:d}</td></tr>'
        for s in scores
    ))
