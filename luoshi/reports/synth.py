"""A synthetic province-scale data set, for benchmarks and query-count tests (`luoshi synth`).

Plans shaped like the seed (4 parts × 4 objectives, named programmes), one
measure per task, monthly periods, an accepted report per task and period,
each task's TaskTrack and a LightSnapshot per task and period: everything the
cockpit reads. Rows go in with bulk_create in batches, so 100 plans × 500
tasks × 36 months (1.8 M reports) is a matter of minutes, not hours.

Each task follows a profile (on track, behind, silent for the last two
periods, ahead) in what it reports; its lights and snapshots are then the
status engine's own, written by the nightly run (``plan_refresh``) for the
day the data stands on (``SynthResult.today``): ``luoshi recompute --date``
that day changes nothing, and the mix is an office's, mostly green, some
yellow, a few red. The tasks are due a year after the last period, so none
is overdue on that day. Units are the directory's (``luoshi units`` /
``luoshi demo``); an empty directory gets forty synthetic ones. The same
``seed`` gives the same data.
"""
from __future__ import annotations

import calendar
import hashlib
import random
from collections import Counter
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from luoshi.accounts.models import Unit, UnitKind
from luoshi.plans.models import Measure, Plan, Programme, Section, Task
from luoshi.tracking.models import ProgressReport, ReportingPeriod
from luoshi.tracking.supervision import plan_refresh

BATCH = 5000
PARTS = ("强化创新驱动，着力打造发展新高地", "深化改革开放，着力激发市场新活力", "坚持生态优先，着力建设美丽新家园", "聚焦民生福祉，着力增进群众获得感")
OBJECTIVES = ("实施科技创新攻坚行动", "推进重大平台提升", "优化营商环境", "加快产业转型升级")
PROGRAMMES = ("四个年", "五个南湖", "五水共治", "最多跑一次", "三改一拆", "双招双引")
WORKS = ("建成", "新建", "完成", "推进", "实施", "打造")
OBJECTS = ("科技孵化器", "污水管网改造工程", "美丽乡村精品线", "智能化改造项目", "“最多跑一次”事项", "重点产业园区")
SYNTHETIC_UNITS = 40


@dataclass
class SynthResult:
    plans: int = 0
    tasks: int = 0
    periods: int = 0
    reports: int = 0
    snapshots: int = 0
    today: date | None = None  # the day the lights are as of: after the last period's due date
    lights: Counter = field(default_factory=Counter)


def _month(year: int, index: int) -> tuple[date, date]:
    year, month = year + index // 12, index % 12 + 1
    return date(year, month, 1), date(year, month, calendar.monthrange(year, month)[1])


def _aware(day: date, hour: int = 10) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(hour)))


def _units() -> list[Unit]:
    units = list(Unit.objects.filter(is_active=True).order_by("sort_order", "pk"))
    if units:
        return units
    Unit.objects.bulk_create(
        [
            Unit(code=f"synth-{n:03d}", name=f"合成单位{n:03d}", short_name=f"合成{n:03d}", kind=UnitKind.GOVERNMENT, sort_order=n)
            for n in range(1, SYNTHETIC_UNITS + 1)
        ],
        ignore_conflicts=True,
    )
    return list(Unit.objects.filter(is_active=True).order_by("sort_order", "pk"))


def _planned(start: date, due: date, day: date) -> Decimal:
    if day <= start:
        return Decimal(0)
    if day >= due:
        return Decimal(100)
    return (Decimal((day - start).days * 100) / Decimal((due - start).days)).quantize(Decimal("0.1"))


def synth_build(*, plans: int, tasks: int, months: int, seed: int = 0, year: int | None = None) -> SynthResult:
    """Create ``plans`` plans of ``tasks`` tasks, each reported monthly for ``months`` months.

    The plans start on 1 January of ``year`` (default: early enough that the
    last month has ended before this year began), so every period has ended.
    """
    if plans < 1 or tasks < 1 or months < 1:
        raise ValueError("plans, tasks and months must each be at least 1")
    rng = random.Random(seed)
    year = year or date.today().year - (months + 11) // 12
    units = _units()
    months_list = [_month(year, i) for i in range(months)]
    due = date(months_list[-1][1].year + 1, 12, 31)
    start = date(year, 1, 1)
    today = months_list[-1][1] + timedelta(days=10)
    result = SynthResult(today=today)
    for number in range(1, plans + 1):
        with transaction.atomic():
            _plan_build(
                number=number, tasks=tasks, year=year, months=months_list, start=start, due=due,
                today=today, units=units, rng=rng, result=result,
            )
    return result


def _plan_build(*, number, tasks, year, months, start, due, today, units, rng, result) -> None:
    plan = Plan.objects.create(name=f"合成规划{number:03d}（{year}年工作要点）", year=year, issuing_body="合成数据")
    parts = Section.objects.bulk_create(
        [Section(plan=plan, number=str(p + 1), level=1, label=f"{'一二三四'[p]}、", title=title, position=p * 5)
         for p, title in enumerate(PARTS)]
    )
    objectives = Section.objects.bulk_create(
        [
            Section(plan=plan, parent=part, number=f"{p + 1}.{o + 1}", level=2, title=f"{OBJECTIVES[o]}（{p + 1}.{o + 1}）。",
                    position=p * 5 + o + 1)
            for p, part in enumerate(parts) for o in range(len(OBJECTIVES))
        ]
    )
    programmes = Programme.objects.bulk_create([Programme(plan=plan, name=name, text=f"“{name}”") for name in PROGRAMMES])

    measures = []
    for t in range(tasks):
        section = objectives[t % len(objectives)]
        text = f"{rng.choice(WORKS)}{rng.choice(OBJECTS)}{rng.randint(2, 30)}个，{year}年底前完成（合成{number}-{t + 1}）。"
        measures.append(Measure(
            plan=plan, section=section, number=f"{section.number}.{t // len(objectives) + 1}", text=text,
            text_key=hashlib.sha256(text.encode()).hexdigest(), position=t,
        ))
    measures = Measure.objects.bulk_create(measures, batch_size=BATCH)
    created = _aware(start, 9)
    task_rows = Task.objects.bulk_create(
        [
            Task(plan=plan, measure=m, title=m.text[:-1], lead_unit=units[rng.randrange(len(units))],
                 start_date=start, due_date=due, weight=Decimal(2 if rng.random() < 0.1 else 1))
            for m in measures
        ],
        batch_size=BATCH,
    )
    Task.objects.filter(plan=plan).update(created=created)
    through = Task.programmes.through
    through.objects.bulk_create(
        [through(task_id=task.pk, programme_id=programmes[rng.randrange(len(programmes))].pk)
         for task in task_rows if rng.random() < 0.4],
        batch_size=BATCH,
    )
    periods = ReportingPeriod.objects.bulk_create(
        [ReportingPeriod(plan=plan, label=f"{first.year}年{first.month}月", start=first, end=last,
                         report_due=(last + timedelta(days=5)))
         for first, last in months],
    )

    reports = []
    for task in task_rows:
        profile = rng.choices(("on", "behind", "silent", "ahead"), weights=(70, 15, 8, 7))[0]
        jitter = rng.uniform(-4, 4)
        percent = 0
        for index, period in enumerate(periods):
            if profile == "silent" and index >= len(periods) - 2:
                continue
            planned = float(_planned(start, due, period.end))
            offset = {"on": jitter, "behind": -18 + jitter, "ahead": 9 + jitter}.get(profile, jitter)
            percent = max(percent, min(100, int(planned + offset) if planned + offset > 0 else 0))
            submitted = _aware(period.report_due - timedelta(days=1))
            reports.append(ProgressReport(
                task=task, period=period, unit_id=task.lead_unit_id, status=ProgressReport.Status.ACCEPTED,
                percent=percent, work_state=ProgressReport.WorkState.IN_PROGRESS,
                narrative=f"{period.label}完成阶段性工作{rng.randint(1, 9)}项。",
                submitted_at=submitted, reviewed_at=submitted + timedelta(hours=5),
            ))
        if len(reports) >= BATCH:
            ProgressReport.objects.bulk_create(reports, batch_size=BATCH)
            result.reports += len(reports)
            reports = []
    ProgressReport.objects.bulk_create(reports, batch_size=BATCH)
    result.reports += len(reports)
    refreshed = plan_refresh(plan=plan, today=today, full=True)
    result.plans += 1
    result.tasks += len(task_rows)
    result.periods += ReportingPeriod.objects.filter(plan=plan).count()
    result.snapshots += refreshed.snapshots_written
    result.lights.update(refreshed.lights)
