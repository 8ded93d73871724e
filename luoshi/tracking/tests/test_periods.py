"""Reporting periods: labels, due dates on working days, idempotence, and which period a report is for."""
from datetime import date

import pytest

from luoshi.tracking.models import ReportingCycle, ReportingPeriod
from luoshi.tracking.periods import period_for, periods_ensure
from luoshi.tracking.tests.supervision_data import plan_make, task_make

pytestmark = pytest.mark.django_db


@pytest.fixture
def plan():
    return plan_make(year=2026)


def test_a_plan_without_a_cycle_reports_monthly_due_on_the_fifth_moved_past_holidays(plan):
    periods = periods_ensure(plan=plan, until=date(2026, 10, 15))
    assert [p.label for p in periods] == [f"2026年{m}月" for m in range(1, 11)]
    march = periods[2]
    assert (march.start, march.end, march.report_due) == (date(2026, 3, 1), date(2026, 3, 31), date(2026, 4, 7))
    # 5 April 2026 is a Sunday inside the Qingming holiday (4–6 April): due on Tuesday the 7th.
    september = periods[8]
    # 5 October is in the National Day holiday (1–7 October): the next working day is the 8th.
    assert september.report_due == date(2026, 10, 8)
    assert periods[0].report_due == date(2026, 2, 5)


def test_ensuring_twice_creates_nothing_new(plan):
    first = periods_ensure(plan=plan, until=date(2026, 5, 1))
    second = periods_ensure(plan=plan, until=date(2026, 5, 1))
    assert [p.pk for p in first] == [p.pk for p in second]
    assert ReportingPeriod.objects.filter(plan=plan).count() == 5


def test_quarterly_periods_are_labelled_by_quarter(plan):
    ReportingCycle.objects.create(plan=plan, frequency="quarterly", due_day=10)
    periods = periods_ensure(plan=plan, until=date(2026, 8, 1))
    assert [p.label for p in periods] == ["2026年第1季度", "2026年第2季度", "2026年第3季度"]
    assert (periods[1].start, periods[1].end, periods[1].report_due) == (
        date(2026, 4, 1), date(2026, 6, 30), date(2026, 7, 10),
    )


def test_weekly_periods_are_iso_weeks_due_on_the_weekday_of_the_next_week(plan):
    ReportingCycle.objects.create(plan=plan, frequency="weekly", due_day=1)
    periods = periods_ensure(plan=plan, until=date(2026, 3, 18))
    # 1 January 2026 is a Thursday: week 1 began on Monday 29 December 2025.
    assert periods[0].start == date(2025, 12, 29)
    assert periods[0].label == "2026年第1周"
    week_12 = periods[-1]
    assert week_12.label == "2026年第12周"
    assert (week_12.start, week_12.end, week_12.report_due) == (date(2026, 3, 16), date(2026, 3, 22), date(2026, 3, 23))


def test_a_report_belongs_to_the_most_recent_period_that_has_ended(plan):
    assert period_for(plan=plan, day=date(2026, 4, 3)).label == "2026年3月"
    assert period_for(plan=plan, day=date(2026, 4, 30)).label == "2026年3月"
    assert period_for(plan=plan, day=date(2026, 5, 1)).label == "2026年4月"


def test_before_the_first_period_ends_a_report_is_for_the_first_period(plan):
    assert period_for(plan=plan, day=date(2026, 1, 20)).label == "2026年1月"


def test_periods_stop_at_the_plans_last_due_date(plan, units):
    task_make(plan, units["education"], due=date(2027, 2, 26))
    periods = periods_ensure(plan=plan, until=date(2030, 1, 1))
    assert periods[-1].label == "2027年2月"
    assert period_for(plan=plan, day=date(2030, 1, 1)).label == "2027年2月"
