"""The nightly run (luoshi recompute) is incremental: it rewrites what changed and gives what a full run gives."""
from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from luoshi.plans.models import Milestone, Task
from luoshi.tracking.models import ExtensionRequest, LightSnapshot, ProgressReport, TaskTrack
from luoshi.tracking.periods import periods_ensure
from luoshi.tracking.supervision import plan_refresh
from luoshi.tracking.tests.supervision_data import plan_make, report_make, task_make

pytestmark = pytest.mark.django_db


@pytest.fixture
def plan():
    return plan_make(year=2026)


@pytest.fixture
def tasks(plan, units):
    made = [
        task_make(plan, units["education"], title="建成区级科技孵化器2家", due=date(2026, 12, 31)),
        task_make(plan, units["fengqiao"], title="凤桥美丽城镇建设", due=date(2026, 9, 30)),
        task_make(plan, units["education"], title="新建中小学3所", due=date(2026, 6, 30)),
    ]
    months = periods_ensure(plan=plan, until=date(2026, 6, 1))
    for n, task in enumerate(made):
        for index, period in enumerate(months[:4]):
            if not (n == 1 and index >= 2):  # the second task falls silent after February
                report_make(task, period, percent=10 * (index + 1) + n)
    return made


def picture(plan):
    """Everything the pages read from a run: each task's track and its snapshots."""
    tracks = {
        t.task_id: (t.light, t.percent, t.schedule, t.planned_percent, t.reasons, t.effective_due, t.last_accepted_at)
        for t in TaskTrack.objects.filter(task__plan=plan)
    }
    snapshots = {(s.task_id, s.period.label): (s.light, s.percent) for s in LightSnapshot.objects.filter(task__plan=plan)}
    return tracks, snapshots


def test_a_second_run_on_the_same_day_writes_nothing(plan, tasks):
    first = plan_refresh(plan=plan, today=date(2026, 5, 20))
    assert (first.changed, first.tracks_written, first.snapshots_written) == (3, 3, 3 * 4)
    again = plan_refresh(plan=plan, today=date(2026, 5, 20))
    assert (again.tasks, again.changed, again.tracks_written, again.snapshots_written) == (3, 0, 0, 0)
    assert again.lights == first.lights


def test_each_track_keeps_when_its_last_report_was_accepted_for_the_public_pages(plan, tasks):
    plan_refresh(plan=plan, today=date(2026, 5, 20))
    for task in tasks:
        last = ProgressReport.objects.filter(task=task, status="accepted").order_by("-reviewed_at").first()
        assert TaskTrack.objects.get(task=task).last_accepted_at == last.reviewed_at


def test_a_late_acceptance_rewrites_that_task_s_old_snapshot_only(plan, tasks):
    plan_refresh(plan=plan, today=date(2026, 5, 20))
    march = periods_ensure(plan=plan, until=date(2026, 5, 20))[2]
    assert LightSnapshot.objects.get(task=tasks[1], period=march).percent == 21  # February's, carried on
    report_make(tasks[1], march, percent=45, submitted_on=date(2026, 5, 19))
    result = plan_refresh(plan=plan, today=date(2026, 5, 20))
    assert result.changed == 1
    assert LightSnapshot.objects.get(task=tasks[1], period=march).percent == 45
    assert result.snapshots_written == 2  # March, and April that carries March's percent forward


def test_the_next_day_adds_the_snapshots_of_the_period_just_ended_and_keeps_the_others(plan, tasks):
    plan_refresh(plan=plan, today=date(2026, 5, 31))
    kept = {s.pk: (s.light, s.percent) for s in LightSnapshot.objects.filter(task__plan=plan)}
    result = plan_refresh(plan=plan, today=date(2026, 6, 1))
    assert result.changed == 0
    assert result.snapshots_written == 3  # May, for each task
    assert {s.pk: (s.light, s.percent) for s in LightSnapshot.objects.filter(pk__in=kept)} == kept
    assert set(TaskTrack.objects.filter(task__plan=plan).values_list("judged_on", flat=True)) == {date(2026, 6, 1)}


def test_the_incremental_run_gives_what_a_full_run_gives_after_every_kind_of_change(plan, tasks, supervisor, units):
    days = [date(2026, 5, 10), date(2026, 5, 11), date(2026, 6, 2), date(2026, 7, 8), date(2026, 7, 9)]
    changes = [
        lambda: report_make(tasks[1], periods_ensure(plan=plan, until=days[1])[2], percent=33),
        lambda: Milestone.objects.create(task=tasks[0], title="完成选址", due_date=date(2026, 5, 29)),
        lambda: ExtensionRequest.objects.create(
            task=tasks[2], unit=tasks[2].lead_unit, original_due=date(2026, 6, 30), requested_due=date(2026, 8, 31),
            reason="场地移交推迟", status="approved", requested_by=supervisor, decided_by=supervisor,
            decided_at=timezone.make_aware(timezone.datetime(2026, 7, 1, 9)),
        ),
        lambda: (
            Task.objects.filter(pk=tasks[0].pk).update(due_date=date(2026, 7, 15)),
            TaskTrack.objects.filter(task=tasks[1]).update(signed_off_at=timezone.make_aware(
                timezone.datetime(2026, 7, 8, 9)), signed_off_by=supervisor),
            task_make(plan, units["fengqiao"], title="新增任务", due=date(2026, 12, 31)),
        ),
        lambda: ProgressReport.objects.filter(task=tasks[0]).order_by("-period__start").first().delete(),
    ]
    for day, change in zip(days, changes):
        change()
        plan_refresh(plan=plan, today=day)
        incremental = picture(plan)
        plan_refresh(plan=plan, today=day, full=True)
        assert picture(plan) == incremental, day


def test_the_queries_of_the_nightly_run_do_not_grow_with_the_plan(units):
    def count(name, tasks):
        plan = plan_make(name=name)
        for n in range(tasks):
            task = task_make(plan, units["education"], title=f"任务{n}")
            Milestone.objects.create(task=task, title="节点", due_date=date(2026, 3, 31))
            report_make(task, periods_ensure(plan=plan, until=date(2026, 2, 1))[0], percent=10)
        counts = []
        for day in (date(2026, 5, 8), date(2026, 5, 8), date(2026, 6, 2)):
            with CaptureQueriesContext(connection) as queries:
                plan_refresh(plan=plan, today=day)
            counts.append(len(queries))
        return counts

    assert count("小", 3) == count("大", 30)
