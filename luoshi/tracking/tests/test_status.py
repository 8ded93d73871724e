"""The status engine, rule by rule, at each rule's boundary (docs/status-rules.md)."""
from datetime import date
from decimal import Decimal

import pytest
from django.test import override_settings
from django.utils import translation

from luoshi.tracking.status import (
    Light,
    MilestoneState,
    PlannedMode,
    Schedule,
    TaskState,
    Thresholds,
    planned_percent,
    rollup,
    task_status,
    weekdays_between,
)

# A task running through the first half of 2026: 181 days from 1 January to
# 1 July, so on 1 April (90 days in) the plan says 49.7 %.
START = date(2026, 1, 1)
DUE = date(2026, 7, 1)
APRIL_1 = date(2026, 4, 1)


def state(**changes) -> TaskState:
    values = {"today": APRIL_1, "start": START, "due": DUE, "percent": 50}
    values.update(changes)
    return TaskState(**values)


def codes(status) -> list[str]:
    return [reason.code for reason in status.reasons]


@pytest.fixture(autouse=True)
def chinese():
    with translation.override("zh-hans"):
        yield


def test_a_task_on_schedule_is_green_with_no_reasons():
    status = task_status(state=state())
    assert status.light == Light.GREEN
    assert status.reasons == ()
    assert status.planned_percent == Decimal("49.7")
    assert status.schedule == Schedule.ON


def test_planned_percent_is_linear_in_calendar_days_and_clamped():
    assert planned_percent(state=state(today=date(2025, 12, 1))) == 0
    assert planned_percent(state=state(today=START)) == 0
    assert planned_percent(state=state(today=DUE)) == 100
    assert planned_percent(state=state(today=date(2026, 9, 1))) == 100


def test_a_task_without_start_or_due_date_has_no_planned_percent():
    status = task_status(state=state(start=None))
    assert status.planned_percent is None
    assert status.schedule is None
    assert status.light == Light.GREEN


def test_exactly_n_points_behind_is_still_green():
    # Planned 49.7, done 39.7: exactly 10 points behind.
    status = task_status(state=state(percent=Decimal("39.7")))
    assert status.light == Light.GREEN
    assert status.schedule == Schedule.BEHIND


def test_more_than_n_points_behind_is_yellow_and_says_by_how_much():
    status = task_status(state=state(percent=Decimal("39.6")))
    assert status.light == Light.YELLOW
    assert codes(status) == ["behind_plan"]
    assert status.reasons[0].text == "进度落后计划 10.1 个百分点（计划 49.7%，实际 39.6%）"


def test_the_behind_threshold_is_configurable():
    status = task_status(state=state(percent=40), thresholds=Thresholds(behind_points=5))
    assert codes(status) == ["behind_plan"]


def test_schedule_class_uses_the_tolerance_on_both_sides():
    # Planned 49.7 with a tolerance of 5 points: 44.7 … 54.7 is on schedule.
    assert task_status(state=state(percent=Decimal("44.7"))).schedule == Schedule.ON
    assert task_status(state=state(percent=Decimal("44.6"))).schedule == Schedule.BEHIND
    assert task_status(state=state(percent=Decimal("54.7"))).schedule == Schedule.ON
    assert task_status(state=state(percent=Decimal("54.8"))).schedule == Schedule.AHEAD


def test_due_today_is_not_overdue_but_due_soon_when_little_is_done():
    status = task_status(state=state(today=DUE, percent=90))
    assert status.light == Light.GREEN
    status = task_status(state=state(today=DUE, percent=79))
    assert status.light == Light.YELLOW
    assert "overdue" not in codes(status)
    assert "due_soon" in codes(status)


def test_one_day_past_due_is_red():
    status = task_status(state=state(today=date(2026, 7, 2), percent=95))
    assert status.light == Light.RED
    assert codes(status) == ["overdue"]
    assert status.reasons[0].text == "已超期 1 天（完成时限 2026-07-01）"


def test_twelve_days_past_due_says_twelve_days():
    status = task_status(state=state(today=date(2026, 7, 13), percent=95))
    assert status.reasons[0].text == "已超期 12 天（完成时限 2026-07-01）"


def test_due_soon_counts_working_days_up_to_the_due_date():
    # 2026-07-01 is a Wednesday; from Wednesday 17 June there are exactly 10
    # weekdays left (18, 19, 22–26, 29, 30 June and 1 July).
    assert weekdays_between(date(2026, 6, 17), DUE) == 10
    status = task_status(state=state(today=date(2026, 6, 17), percent=79))
    assert "due_soon" in codes(status)
    assert status.reasons[-1].text == "距完成时限（2026-07-01）还有 10 个工作日，仅完成 79%，低于 80%"
    status = task_status(state=state(today=date(2026, 6, 16), percent=79))
    assert "due_soon" not in codes(status)


def test_due_soon_needs_less_than_x_percent_done():
    assert "due_soon" not in codes(task_status(state=state(today=date(2026, 6, 30), percent=80)))
    assert "due_soon" in codes(task_status(state=state(today=date(2026, 6, 30), percent=Decimal("79.9"))))


def test_a_holiday_calendar_can_be_plugged_in_for_working_days():
    def no_working_days(a: date, b: date) -> int:
        return 0

    def many_working_days(a: date, b: date) -> int:
        return 99

    near = state(today=date(2026, 5, 1), percent=60)
    assert "due_soon" in codes(task_status(state=near, working_days=no_working_days))
    assert "due_soon" not in codes(task_status(state=near, working_days=many_working_days))


def test_weekdays_between_skips_weekends_and_is_zero_backwards():
    friday, monday = date(2026, 6, 5), date(2026, 6, 8)
    assert weekdays_between(friday, monday) == 1
    assert weekdays_between(friday, friday) == 0
    assert weekdays_between(monday, friday) == 0
    assert weekdays_between(monday, date(2026, 6, 22)) == 10


def test_a_milestone_due_yesterday_and_unreached_is_red():
    milestone = MilestoneState(title="完成方案", due=date(2026, 3, 31))
    status = task_status(state=state(milestones=(milestone,)))
    assert status.light == Light.RED
    assert codes(status) == ["milestone_missed"]
    assert status.reasons[0].text == "节点「完成方案」（2026-03-31）未完成"


def test_a_milestone_due_today_or_reached_is_not_missed():
    due_today = MilestoneState(title="完成方案", due=APRIL_1)
    reached_late = MilestoneState(title="完成招标", due=date(2026, 3, 1), reached_on=date(2026, 3, 20))
    status = task_status(state=state(milestones=(due_today, reached_late)))
    assert status.light == Light.GREEN


def test_two_unreported_cycles_are_red_and_one_is_not():
    assert task_status(state=state(cycles_unreported=1)).light == Light.GREEN
    status = task_status(state=state(cycles_unreported=2))
    assert status.light == Light.RED
    assert status.reasons[0].text == "连续 2 个周期未报送"


def test_a_late_report_is_yellow():
    status = task_status(state=state(report_late=True))
    assert status.light == Light.YELLOW
    assert status.reasons[0].text == "本期进度报告逾期未报送"


def test_a_completed_task_is_always_green():
    status = task_status(
        state=state(
            today=date(2026, 9, 1),
            percent=60,
            completed=True,
            cycles_unreported=3,
            milestones=(MilestoneState(title="完成方案", due=date(2026, 3, 31)),),
        )
    )
    assert status.light == Light.GREEN
    assert status.reasons == ()
    assert status.schedule == Schedule.ON


def test_a_due_date_moved_by_an_extension_is_the_one_judged():
    late = state(today=date(2026, 7, 10), percent=70)
    assert task_status(state=late).light == Light.RED
    extended = task_status(state=state(today=date(2026, 7, 10), percent=70, due=date(2026, 12, 31)))
    assert extended.light == Light.GREEN
    assert extended.due == date(2026, 12, 31)
    # The plan is stretched to the new date too: 190 of 364 days.
    assert extended.planned_percent == Decimal("52.2")


def test_red_reasons_come_before_yellow_ones_and_red_wins():
    status = task_status(state=state(today=date(2026, 7, 2), percent=10, report_late=True, cycles_unreported=2))
    assert status.light == Light.RED
    assert codes(status) == ["overdue", "unreported", "behind_plan", "report_late"]


def test_planned_by_milestones_is_the_share_of_milestones_due():
    milestones = (
        MilestoneState(title="调研", due=date(2026, 2, 1), reached_on=date(2026, 2, 1)),
        MilestoneState(title="方案", due=APRIL_1),
        MilestoneState(title="实施", due=date(2026, 5, 1)),
        MilestoneState(title="验收", due=DUE),
    )
    status = task_status(state=state(mode=PlannedMode.MILESTONES, milestones=milestones, percent=40))
    assert status.planned_percent == 50
    assert status.light == Light.GREEN
    status = task_status(state=state(mode=PlannedMode.MILESTONES, milestones=milestones, percent=39))
    assert codes(status) == ["behind_plan"]


def test_milestone_mode_without_milestones_falls_back_to_linear():
    assert planned_percent(state=state(mode=PlannedMode.MILESTONES)) == Decimal("49.7")


def test_a_percent_outside_0_to_100_is_refused():
    with pytest.raises(ValueError):
        task_status(state=state(percent=150))
    with pytest.raises(ValueError):
        task_status(state=state(percent=-5))


def test_reasons_are_in_english_when_english_is_active():
    with translation.override("en"):
        status = task_status(state=state(today=date(2026, 7, 2), cycles_unreported=2, percent=95))
    assert [r.text for r in status.reasons] == [
        "Overdue by 1 day (due 2026-07-01)",
        "No report for 2 consecutive cycles",
    ]


@override_settings(LUOSHI_STATUS_BEHIND_POINTS=3, LUOSHI_STATUS_RED_UNREPORTED_CYCLES=4)
def test_thresholds_come_from_settings():
    thresholds = Thresholds.from_settings()
    assert thresholds.behind_points == 3
    assert thresholds.red_unreported_cycles == 4
    assert thresholds.due_soon_min_percent == 80


def test_rollup_is_the_weighted_mean():
    assert rollup([(1, 100), (3, 0)]) == 25
    assert rollup([(Decimal("2.5"), 40), (Decimal("2.5"), 60)]) == 50


def test_rollup_of_rollups_equals_the_rollup_of_all_tasks():
    measure_a = [(1, 100), (2, 40)]
    measure_b = [(Decimal("0.5"), 10)]
    section = rollup([(3, rollup(measure_a)), (Decimal("0.5"), rollup(measure_b))])
    assert section == rollup(measure_a + measure_b)


def test_rollup_of_nothing_is_unknown_not_zero():
    assert rollup([]) is None
    assert rollup([(0, 80)]) is None


def test_rollup_refuses_a_negative_weight():
    with pytest.raises(ValueError):
        rollup([(-1, 50)])


@pytest.mark.parametrize(
    "changes",
    [
        {},
        {"percent": 20},
        {"today": date(2026, 7, 1)},
        {"today": DUE, "percent": 50},
        {"cycles_unreported": 2, "report_late": True},
        {"milestones": (MilestoneState(title="完成选址", due=date(2026, 3, 1)),)},
    ],
)
def test_without_explanations_the_light_and_reason_codes_are_the_same_and_the_texts_empty(changes):
    explained = task_status(state=state(**changes))
    bare = task_status(state=state(**changes), explain=False)
    assert (bare.light, bare.schedule, bare.planned_percent) == (explained.light, explained.schedule,
                                                                 explained.planned_percent)
    assert [r.code for r in bare.reasons] == [r.code for r in explained.reasons]
    assert all(r.text for r in explained.reasons) and not any(r.text for r in bare.reasons)
