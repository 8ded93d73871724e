"""``luoshi check-data``: the invariants the pages rely on, checked against the rows and the files.

- Roll-ups: a task's stored progress (TaskTrack.percent, what lists and the
  cockpit add up) is 100 once signed off, else the percent of its latest
  accepted report, else 0.
- Trend: every period that has ended has a light snapshot for every task of
  its plan (``luoshi recompute`` writes them).
- Files: every evidence file and every finished circular is in the storage,
  with the size the database recorded for evidence.

Each problem is one line naming the rows involved and what to do.
"""
from __future__ import annotations

from datetime import date

from django.core.files.storage import default_storage
from django.db.models import Count

from luoshi.plans.models import Plan, Task
from luoshi.reports.models import GeneratedDocument
from luoshi.tracking import periods
from luoshi.tracking.models import Evidence, LightSnapshot, ProgressReport, ReportingPeriod, TaskTrack


def _rollup_problems() -> list[str]:
    latest: dict[int, int] = {}
    accepted = ProgressReport.objects.filter(status=ProgressReport.Status.ACCEPTED).order_by("period__start", "id")
    for task_id, percent in accepted.values_list("task_id", "percent"):
        latest[task_id] = percent
    problems = []
    for track in TaskTrack.objects.select_related("task").order_by("task_id"):
        expected = 100 if track.signed_off_at else latest.get(track.task_id, 0)
        if track.percent != expected:
            problems.append(
                f"任务 {track.task_id}「{track.task.title[:30]}」：记录的进度 {track.percent}% 与已采纳的报告 "
                f"{expected}% 不符（运行 luoshi recompute）"
            )
    return problems


def _snapshot_problems(today: date) -> list[str]:
    tasks_per_plan = dict(Task.objects.values("plan").annotate(n=Count("id")).values_list("plan", "n"))
    snapshots = dict(
        LightSnapshot.objects.values("period").annotate(n=Count("id")).values_list("period", "n")
    )
    problems = []
    for period in ReportingPeriod.objects.filter(end__lt=today).select_related("plan").order_by("plan", "start"):
        expected = tasks_per_plan.get(period.plan_id, 0)
        found = snapshots.get(period.pk, 0)
        if found < expected:
            problems.append(
                f"规划 {period.plan_id}「{period.plan.name}」{period.label}已结束，"
                f"{expected} 项任务中 {expected - found} 项缺少红黄绿灯快照（运行 luoshi recompute）"
            )
    return problems


def _file_problems() -> list[str]:
    problems = []
    for evidence in Evidence.objects.select_related("report").order_by("id"):
        name = evidence.file.name
        if not name or not default_storage.exists(name):
            problems.append(
                f"佐证材料 {evidence.pk}「{evidence.original_name}」（报告 {evidence.report_id}）：文件 {name} 不存在"
            )
        elif default_storage.size(name) != evidence.size:
            problems.append(
                f"佐证材料 {evidence.pk}「{evidence.original_name}」：文件 {name} 大小 {default_storage.size(name)} 字节，"
                f"应为 {evidence.size} 字节"
            )
    ready = GeneratedDocument.objects.filter(status=GeneratedDocument.Status.READY).order_by("id")
    for document in ready:
        if not document.file.name or not default_storage.exists(document.file.name):
            problems.append(f"生成的文件 {document.pk}「{document.filename}」：文件 {document.file.name or '（空）'} 不存在")
    return problems


def data_check(*, today: date | None = None) -> list[str]:
    """Every broken invariant, one line each; an empty list when all hold."""
    today = today or periods.today()
    return _rollup_problems() + _snapshot_problems(today) + _file_problems()


def data_summary() -> str:
    return (
        f"规划 {Plan.objects.count()} 个，任务 {Task.objects.count()} 项，进展报告 {ProgressReport.objects.count()} 份，"
        f"佐证材料 {Evidence.objects.count()} 份"
    )
