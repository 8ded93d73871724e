"""The status engine with China's holiday calendar plugged in (luoshi.plans.workdays)."""
from datetime import date

import pytest
from django.utils import translation

from luoshi.plans.workdays import calendar_cache_clear, working_days_between
from luoshi.tracking.status import TaskState, Thresholds, task_status

pytestmark = pytest.mark.django_db


def test_the_national_day_holiday_shortens_the_time_left():
    calendar_cache_clear()
    # Friday 25 September to Friday 9 October 2026: ten weekdays, but 1–7
    # October is the National Day holiday, so only five working days.
    state = TaskState(today=date(2026, 9, 25), start=date(2026, 9, 1), due=date(2026, 10, 9), percent=75)
    thresholds = Thresholds(due_soon_working_days=5)
    assert task_status(state=state, thresholds=thresholds).light == "green"
    with translation.override("zh-hans"):
        status = task_status(state=state, thresholds=thresholds, working_days=working_days_between)
    assert status.light == "yellow"
    assert status.reasons[-1].text == "距完成时限（2026-10-09）还有 5 个工作日，仅完成 75%，低于 80%"
