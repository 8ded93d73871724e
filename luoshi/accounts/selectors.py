"""Reads about people and units, narrowed to what the user may see."""
from __future__ import annotations

from django.db.models import Count, QuerySet

from luoshi.accounts.models import Membership, Unit, UnitKind
from luoshi.accounts.permissions import filter_readable


def unit_list(*, visible_to) -> QuerySet[Unit]:
    units = Unit.objects.filter(is_active=True).select_related("parent").annotate(member_count=Count("memberships"))
    return filter_readable(units, visible_to, "pk").order_by("sort_order", "id")


def units_by_kind(*, visible_to) -> list[tuple[str, list[Unit]]]:
    """(kind label, units) in the order of UnitKind, leaving out empty kinds."""
    groups: dict[str, list[Unit]] = {kind.value: [] for kind in UnitKind}
    for unit in unit_list(visible_to=visible_to):
        groups.setdefault(unit.kind, []).append(unit)
    return [(UnitKind(kind).label, units) for kind, units in groups.items() if units]


def unit_members(*, unit: Unit) -> list[Membership]:
    return list(
        Membership.objects.filter(unit=unit, user__is_active=True)
        .select_related("user")
        .order_by("user__username")
    )


def unit_children(*, unit: Unit, visible_to) -> QuerySet[Unit]:
    return filter_readable(unit.children.filter(is_active=True), visible_to, "pk")


