"""Who may read and change what: the one place every page and API endpoint asks.

The rules:

- admin and supervisor (督查室) read and change everything;
- leader (领导) reads everything and changes nothing;
- reporter (联络员) reads and changes only its own units' data;
- an anonymous visitor reads nothing here (the public page has its own rules).

Data "belongs" to a unit through a field that points at it (``Task.lead_unit``,
``Task.co_units`` …); views pass those field names to ``filter_readable`` and
``get_object_for_user``, so a reporter asking for another unit's object gets
a 404 and learns nothing about it.
"""
from __future__ import annotations

from functools import wraps

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Model, Q, QuerySet
from django.shortcuts import get_object_or_404

from luoshi.accounts.models import Role, Unit


def role_of(user) -> str | None:
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return None
    # A Django superuser made with `createsuperuser` is an admin whatever its role field says.
    return Role.ADMIN if user.is_superuser else user.role


def is_admin(user) -> bool:
    return role_of(user) == Role.ADMIN


def is_supervisor(user) -> bool:
    """Admins count as supervisors: they run the office's tools too."""
    return role_of(user) in (Role.ADMIN, Role.SUPERVISOR)


def is_leader(user) -> bool:
    return role_of(user) == Role.LEADER


def is_reporter(user) -> bool:
    return role_of(user) == Role.REPORTER


def reads_everything(user) -> bool:
    return role_of(user) in (Role.ADMIN, Role.SUPERVISOR, Role.LEADER)


def own_unit_ids(user) -> frozenset[int]:
    """The units the user belongs to, read once per request object."""
    if not getattr(user, "is_authenticated", False):
        return frozenset()
    cached = getattr(user, "_luoshi_unit_ids", None)
    if cached is None:
        cached = frozenset(user.memberships.values_list("unit_id", flat=True))
        user._luoshi_unit_ids = cached
    return cached


def readable_unit_ids(user) -> frozenset[int] | None:
    """Ids of the units whose data the user may read; None means all of them."""
    if reads_everything(user):
        return None
    if is_reporter(user):
        return own_unit_ids(user)
    return frozenset()


def changeable_unit_ids(user) -> frozenset[int] | None:
    """Ids of the units whose data the user may change; None means all of them."""
    if is_supervisor(user):
        return None
    if is_reporter(user):
        return own_unit_ids(user)
    return frozenset()


def can_read_unit(user, unit: Unit) -> bool:
    ids = readable_unit_ids(user)
    return ids is None or unit.pk in ids


def can_change_unit(user, unit: Unit) -> bool:
    """May the user change data that belongs to the unit (its tasks' progress, evidence)?"""
    ids = changeable_unit_ids(user)
    return ids is None or unit.pk in ids


def may_report_for_units(user) -> bool:
    """May the user fill in reports for units (我的填报)? A reporter with at least one unit."""
    return is_reporter(user) and bool(own_unit_ids(user))


def can_acknowledge(user, unit: Unit) -> bool:
    """May the user sign (签收) for the unit? Only its own reporters: the office does not sign for a unit."""
    return is_reporter(user) and unit.pk in own_unit_ids(user)


def can_approve_notices(user) -> bool:
    """May the user approve or return a draft 督办单 (督办单需领导审批)? A leader, or an admin."""
    return role_of(user) in (Role.ADMIN, Role.LEADER)


def can_manage_units(user) -> bool:
    """May the user edit the unit directory itself (names, aliases, duties)?"""
    return is_supervisor(user)


def filter_readable(queryset: QuerySet, user, *unit_fields: str) -> QuerySet:
    """Narrow a queryset to rows the user may read.

    ``unit_fields`` are the paths from the row to its unit(s), e.g.
    ``"lead_unit", "co_units"`` for tasks or ``"pk"`` for units themselves;
    a row is readable when any of them is one of the user's units.
    """
    if not unit_fields:
        raise TypeError("filter_readable needs at least one unit field")
    ids = readable_unit_ids(user)
    if ids is None:
        return queryset
    if not ids:
        return queryset.none()
    condition = Q()
    for name in unit_fields:
        condition |= Q(**{f"{name}__in": ids})
    filtered = queryset.filter(condition)
    # Paths through many-to-many fields repeat rows, one per matching unit.
    return filtered.distinct() if len(unit_fields) > 1 or "__" in unit_fields[0] else filtered


def get_object_for_user(queryset: QuerySet | type[Model], user, *unit_fields: str, **lookup) -> Model:
    """Like ``get_object_or_404``, but another unit's object is a 404 too."""
    if isinstance(queryset, type):
        queryset = queryset._default_manager.all()
    return get_object_or_404(filter_readable(queryset, user, *unit_fields), **lookup)


def get_unit_for_user(user, code: str) -> Unit:
    return get_object_for_user(Unit.objects.select_related("parent"), user, "pk", code=code)


def require_role(*roles: str):
    """View decorator: log in first, then 403 for users without one of ``roles``.

    Superusers pass as admins.
    """

    def decorator(view):
        @login_required
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            if role_of(request.user) not in roles:
                raise PermissionDenied
            return view(request, *args, **kwargs)

        return wrapped

    return decorator


require_supervisor = require_role(Role.ADMIN, Role.SUPERVISOR)
require_admin = require_role(Role.ADMIN)
