"""What the cron commands (recompute, remind) make of their --plan and --date options."""
from datetime import date

from django.core.management.base import CommandError
from django.db.models import QuerySet

from luoshi.plans.models import Plan
from luoshi.tracking import periods


def day_of(value: str | None) -> date:
    """The --date given, or today (which the demo's LUOSHI_DEMO_TODAY may fix)."""
    if value is None:
        return periods.today()
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise CommandError(f"日期“{value}”应写作 YYYY-MM-DD，例如 2026-05-08") from None


def plans_of(plan_id: int | None) -> QuerySet[Plan]:
    """The --plan given, or every plan; an unknown id is an error rather than a silent run over nothing."""
    plans = Plan.objects.order_by("pk")
    if plan_id is None:
        return plans
    plans = plans.filter(pk=plan_id)
    if not plans.exists():
        raise CommandError(f"没有编号为 {plan_id} 的规划")
    return plans
