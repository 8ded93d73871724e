"""The plan a reader is looking at, remembered across the pages that show one plan at a time.

红黄绿灯 (the status page) and 驾驶舱 (the cockpit) each show one plan. The one
last opened on either is kept in the session, so the menu's links, which
carry no plan id, open it again instead of the newest plan.
"""
from django.db.models import QuerySet

from luoshi.plans.models import Plan

SESSION_KEY = "luoshi_plan"


def plan_remember(request, plan: Plan) -> None:
    request.session[SESSION_KEY] = plan.pk


def plan_chosen(request, plans: QuerySet[Plan]) -> Plan | None:
    """The switcher's ?plan=, else the remembered plan, else the newest; only among ``plans`` (those the reader may see)."""
    for candidate in (request.GET.get("plan", ""), request.session.get(SESSION_KEY)):
        if isinstance(candidate, int) or (isinstance(candidate, str) and candidate.isdigit()):
            plan = plans.filter(pk=int(candidate)).first()
            if plan is not None:
                return plan
    return plans.order_by("-year", "-pk").first()


def plan_choices(plans: QuerySet[Plan]) -> QuerySet[Plan]:
    """What the switcher lists: every plan the reader may see, newest first."""
    return plans.order_by("-year", "-pk").only("pk", "name", "year")
