"""Stateful lights (off by default): red stays red until the gap is made up, then yellow for a period, then green."""
from datetime import date

import pytest
import time_machine
from django.utils import timezone, translation

from luoshi.tracking.models import LightSnapshot, ReportingCycle
from luoshi.tracking.periods import periods_ensure
from luoshi.tracking.status import Light, TaskState, task_status
from luoshi.tracking.supervision import plan_refresh, task_recompute
from luoshi.tracking.tests.supervision_data import plan_make, report_make, task_make

START = date(2026, 1, 1)
DUE = date(2026, 7, 1)
APRIL_1 = date(2026, 4, 1)  # 49.7 % planned


def state(**changes) -> TaskState:
    values = {"today": APRIL_1, "start": START, "due": DUE, "percent": 45}
    values.update(changes)
    return TaskState(**values)


@pytest.fixture(autouse=True)
def chinese():
    with translation.override("zh-hans"):
        yield


def test_off_by_default_a_task_red_last_period_is_judged_by_todays_rules_alone():
    assert task_status(state=state(previous_light=Light.RED)).light == Light.GREEN


def test_a_task_red_last_period_stays_red_while_behind_plan():
    status = task_status(state=state(stateful=True, previous_light=Light.RED))
    assert status.light == Light.RED
    assert [r.code for r in status.reasons] == ["red_held"]
    assert status.reasons[0].text == "上一周期末为红灯，进度差距补齐前保持红灯（计划49.7%，完成45%）"


def test_once_the_gap_is_made_up_it_is_yellow_not_green():
    status = task_status(state=state(stateful=True, previous_light=Light.RED, percent=50))
    assert status.light == Light.YELLOW
    assert [r.code for r in status.reasons] == ["recovering"]


def test_after_a_yellow_period_the_normal_rule_gives_green_and_red_stays_red_for_its_own_reasons():
    assert task_status(state=state(stateful=True, previous_light=Light.YELLOW, percent=50)).light == Light.GREEN
    overdue = task_status(state=state(stateful=True, previous_light=Light.RED, today=date(2026, 7, 5), percent=100))
    assert overdue.light == Light.RED and [r.code for r in overdue.reasons] == ["overdue"]


# ── Through the database: the previous light is the last period's snapshot ──


@pytest.fixture
def world(db, units):
    plan = plan_make(year=2026)
    task = task_make(plan, units["education"], start=START, due=date(2026, 12, 31))
    periods = {p.label: p for p in periods_ensure(plan=plan, until=date(2026, 5, 1))}
    return plan, task, periods


def light_on(task, day):
    with time_machine.travel(timezone.make_aware(timezone.datetime(day.year, day.month, day.day, 2)), tick=False):
        # A fresh task and plan, as a request or the nightly run has (the plan caches its cycle).
        return task_recompute(task=type(task).objects.select_related("plan").get(pk=task.pk))


@pytest.mark.django_db
def test_the_plan_option_holds_red_from_the_last_snapshot_until_the_gap_is_made_up(world):
    plan, task, periods = world
    for label, percent in (("2026年1月", 8), ("2026年2月", 16)):
        report_make(task, periods[label], percent=percent)
    # What the nightly run wrote for March: red.
    LightSnapshot.objects.create(task=task, period=periods["2026年3月"], light="red", percent=16)
    report_make(task, periods["2026年3月"], percent=24, submitted_on=date(2026, 4, 3))
    # 20 April: 29.9 % planned, 24 % done: within the 10 points, green by the normal rule.
    assert light_on(task, date(2026, 4, 20)).light == "green"
    ReportingCycle.objects.create(plan=plan, stateful_lights=True)
    track = light_on(task, date(2026, 4, 20))
    assert (track.light, [r["code"] for r in track.reasons]) == ("red", ["red_held"])
    # The unit makes up the gap: 35 % done, 31 % planned on 22 April. Yellow, not green.
    report_make(task, periods["2026年4月"], percent=35, submitted_on=date(2026, 4, 21))
    track = light_on(task, date(2026, 4, 22))
    assert (track.light, [r["code"] for r in track.reasons]) == ("yellow", ["recovering"])
    # April ends yellow; in May the normal rule applies again.
    LightSnapshot.objects.create(task=task, period=periods["2026年4月"], light="yellow", percent=35)
    assert light_on(task, date(2026, 5, 8)).light == "green"


@pytest.mark.django_db
def test_the_nightly_run_chains_the_periods_red_then_yellow_then_green(world, settings):
    from luoshi.tracking.models import TaskTrack

    plan, task, periods = world
    milestone = task.milestones.create(title="完成孵化器选址", due_date=date(2026, 3, 15))
    for label, percent in (("2026年1月", 8), ("2026年2月", 16), ("2026年3月", 24)):
        report_make(task, periods[label], percent=percent)
    # The milestone is reached in April, ahead of plan (30.5 % planned on 22 April).
    april = report_make(task, periods["2026年4月"], percent=35, submitted_on=date(2026, 4, 21))
    april.milestones_reached.add(milestone)

    def light(day):
        plan_refresh(plan=plan, today=day)
        return TaskTrack.objects.get(task=task).light

    assert light(date(2026, 4, 22)) == "green"  # off: judged by today's rules alone
    settings.LUOSHI_STATUS_STATEFUL = True
    assert light(date(2026, 4, 22)) == "yellow"  # red at the end of March, gap made up: yellow
    assert LightSnapshot.objects.get(task=task, period=periods["2026年3月"]).light == "red"
    assert light(date(2026, 5, 8)) == "green"  # April ended yellow: the normal rule again
    assert LightSnapshot.objects.get(task=task, period=periods["2026年4月"]).light == "yellow"
