"""tasks_update_bulk: what task_update does task by task, for many tasks at once, in queries that do not grow.

The task sheet import applies its edited rows through it.
"""
from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from luoshi.audit.models import AuditEntry
from luoshi.plans.models import Milestone, Task
from luoshi.plans.services import StaleEdit, TaskEditInvalid, task_snapshot, task_update, tasks_update_bulk
from luoshi.plans.tests.sample_tasks import add_tasks, sample_plan
from luoshi.tracking.models import TaskTrack
from luoshi.tracking.periods import periods_ensure
from luoshi.tracking.services import report_accept, report_submit

pytestmark = pytest.mark.django_db


def edits(tasks: list[Task], units: dict) -> dict[int, dict]:
    """A bit of everything the sheet can change, differing from task to task."""
    changes = {}
    for n, task in enumerate(tasks):
        milestones = [{"id": m.pk, "title": f"{m.title}（调整）", "due_date": m.due_date} for m in task.milestones.all()]
        milestones.append({"title": f"验收{n}", "due_date": date(2018, 11, 30)})
        indicators = [
            {"id": i.pk, "name": i.name, "unit": i.unit, "baseline": i.baseline, "target": Decimal(n + 4),
             "target_text": i.target_text}
            for i in task.indicators.all()
        ][:n % 2]  # every other task drops its indicator
        changes[task.pk] = {
            "title": f"{task.title}（第{n}次调整）",
            "due_date": date(2018, 12, 28) - timedelta(days=n),
            "lead_unit": units["science"] if n % 3 == 0 else units["education"],
            "co_units": [units["fengqiao"]] if n % 2 else [],
            "milestones": milestones,
            "indicators": indicators,
        }
    return changes


def test_many_tasks_end_as_task_update_leaves_them_one_by_one_with_the_same_audit(units, supervisor):
    one_by_one, at_once = sample_plan(units), sample_plan(units)
    for plan in (one_by_one, at_once):
        add_tasks(plan, count=6, units=units)
    singles = list(one_by_one.tasks.order_by("measure__position", "position", "pk"))
    many = list(at_once.tasks.order_by("measure__position", "position", "pk"))
    single_changes, bulk_changes = edits(singles, units), edits(many, units)

    for task in singles:
        task_update(task=task, actor=supervisor, changes=single_changes[task.pk], expected_version=task.version)
    saved = tasks_update_bulk(plan=at_once, changes_by_task=bulk_changes, actor=supervisor,
                              versions={t.pk: t.version for t in many})

    assert [t.pk for t in saved] == [t.pk for t in many]
    for single, bulk in zip(singles, many):
        single, bulk = Task.objects.get(pk=single.pk), Task.objects.get(pk=bulk.pk)
        assert task_snapshot(bulk) == task_snapshot(single)
        assert bulk.version == single.version == 2
        assert [m.position for m in bulk.milestones.all()] == [m.position for m in single.milestones.all()]
        entries = [AuditEntry.objects.get(object_type="plans.task", object_id=str(t.pk)) for t in (single, bulk)]
        assert entries[1].action == entries[0].action == "task.update"
        assert entries[1].actor == entries[0].actor == supervisor
        assert (entries[1].before, entries[1].after) == (entries[0].before, entries[0].after)
    # The lights of the tasks whose dates moved are judged again, as task_update judges them.
    assert TaskTrack.objects.filter(task__plan=at_once).count() == len(many)
    for single, bulk in zip(singles, many):
        assert TaskTrack.objects.get(task=bulk).effective_due == TaskTrack.objects.get(task=single).effective_due


def test_the_queries_do_not_grow_with_the_tasks_edited(units, supervisor):
    def queries(count: int) -> int:
        plan = sample_plan(units)
        add_tasks(plan, count=count, units=units)
        tasks = list(plan.tasks.order_by("pk"))
        changes = edits(tasks, units)
        for change in changes.values():  # no unit changes: learning units costs a query per task changed
            change.pop("lead_unit"), change.pop("co_units")
        with CaptureQueriesContext(connection) as captured:
            tasks_update_bulk(plan=plan, changes_by_task=changes, actor=supervisor,
                              versions={t.pk: t.version for t in tasks})
        assert AuditEntry.objects.filter(object_id__in=[str(t.pk) for t in tasks]).count() == len(tasks)
        return len(captured)

    assert queries(40) == queries(4)


def test_a_stale_task_refuses_the_whole_edit_and_names_the_task(units, supervisor):
    plan = sample_plan(units)
    tasks = list(plan.tasks.order_by("pk"))
    changes = {t.pk: {"title": f"{t.title}（改）"} for t in tasks}
    task_update(task=tasks[1], actor=supervisor, changes={"title": "别人先改了"}, expected_version=1)
    with pytest.raises(StaleEdit) as refused:
        tasks_update_bulk(plan=plan, changes_by_task=changes, actor=supervisor, versions={t.pk: 1 for t in tasks})
    assert refused.value.task.pk == tasks[1].pk
    assert list(plan.tasks.order_by("pk").values_list("version", flat=True)) == [1, 2, 1]
    assert not Task.objects.filter(title__endswith="（改）").exists()
    assert AuditEntry.objects.filter(action="task.update").count() == 1


def test_removing_a_milestone_with_progress_refuses_the_whole_edit_naming_the_task_and_the_milestone(
    units, supervisor, reporter_education
):
    plan = sample_plan(units)
    tasks = list(plan.tasks.order_by("pk"))
    task = plan.tasks.get(lead_unit=units["education"])
    reached = task.milestones.create(title="完成方案", due_date=date(2018, 3, 30))
    period = periods_ensure(plan=plan, until=date(2018, 1, 31))[0]
    report = report_submit(task=task, actor=reporter_education, period=period, percent=30, work_state="in_progress",
                           narrative="方案已定。", milestone_ids=[reached.pk])
    report_accept(report=report, actor=supervisor, expected_version=report.version)
    changes = {t.pk: {"title": f"{t.title}（改）"} for t in tasks}
    changes[task.pk]["milestones"] = []
    with pytest.raises(TaskEditInvalid) as refused:
        tasks_update_bulk(plan=plan, changes_by_task=changes, actor=supervisor,
                          versions={t.pk: Task.objects.get(pk=t.pk).version for t in tasks})
    assert refused.value.task_id == task.pk
    assert "完成方案" in refused.value.messages[0]
    assert Milestone.objects.filter(pk=reached.pk).exists()
    assert not Task.objects.filter(title__endswith="（改）").exists()


def test_a_bad_value_refuses_the_whole_edit_naming_the_task(units, supervisor):
    plan = sample_plan(units)
    tasks = list(plan.tasks.order_by("pk"))
    changes = {t.pk: {"title": f"{t.title}（改）"} for t in tasks}
    changes[tasks[2].pk] = {"title": "  "}
    with pytest.raises(TaskEditInvalid) as refused:
        tasks_update_bulk(plan=plan, changes_by_task=changes, actor=supervisor, versions={t.pk: 1 for t in tasks})
    assert refused.value.task_id == tasks[2].pk
    assert not Task.objects.filter(title__endswith="（改）").exists()
