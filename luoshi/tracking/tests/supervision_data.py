"""Small plans for the supervision tests: built row by row, not parsed, so each test states its dates."""
from datetime import date
from decimal import Decimal

from django.utils import timezone

from luoshi.plans.models import Measure, Plan, Section, Task
from luoshi.tracking.models import ProgressReport, ReportingPeriod


def plan_make(*, year: int = 2026, name: str = "南湖区2026年工作要点") -> Plan:
    plan = Plan.objects.create(name=name, year=year)
    part = Section.objects.create(plan=plan, number="1", level=1, label="一、", title="全力打造创新高地", position=0)
    Section.objects.create(plan=plan, parent=part, number="1.1", level=2, title="强化创新驱动。", position=1)
    return plan


def task_make(
    plan: Plan,
    unit,
    *,
    title: str = "建成区级科技孵化器2家",
    start: date | None = date(2026, 1, 1),
    due: date | None = date(2026, 12, 31),
    weight: str = "1",
    section: Section | None = None,
    created: date | None = None,
) -> Task:
    section = section or plan.sections.order_by("-level", "position").first()
    position = plan.measures.count()
    measure = Measure.objects.create(
        plan=plan, section=section, number=f"{section.number}.{position + 1}", text=title, text_key=f"k{plan.pk}-{position}",
        position=position,
    )
    task = Task.objects.create(
        plan=plan, measure=measure, title=title, lead_unit=unit, start_date=start, due_date=due, weight=Decimal(weight)
    )
    # Tasks of a plan imported in January: expected to report from the first period.
    made = timezone.make_aware(timezone.datetime.combine(created or date(plan.year, 1, 1), timezone.datetime.min.time()))
    Task.objects.filter(pk=task.pk).update(created=made)
    task.refresh_from_db()
    return task


def report_make(
    task: Task,
    period: ReportingPeriod,
    *,
    percent: int,
    status: str = ProgressReport.Status.ACCEPTED,
    submitted_on: date | None = None,
    narrative: str = "完成孵化器选址，签约入驻企业12家。",
    by=None,
) -> ProgressReport:
    submitted_on = submitted_on or period.report_due
    moment = timezone.make_aware(timezone.datetime.combine(submitted_on, timezone.datetime.min.time().replace(hour=10)))
    return ProgressReport.objects.create(
        task=task,
        period=period,
        unit=task.lead_unit,
        status=status,
        percent=percent,
        work_state=ProgressReport.WorkState.IN_PROGRESS,
        narrative=narrative,
        submitted_by=by,
        submitted_at=moment,
        reviewed_at=moment if status in (ProgressReport.Status.ACCEPTED, ProgressReport.Status.RETURNED) else None,
    )
