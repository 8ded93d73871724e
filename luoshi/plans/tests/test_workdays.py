import random
from datetime import date, timedelta

import chinese_calendar
import pytest
from django.utils import translation

from luoshi.plans import workdays
from luoshi.plans.models import CalendarDay, CalendarYear
from luoshi.plans.workdays import (
    calendar_warning,
    due_date_for,
    is_workday,
    workday_on_or_before,
    working_days_between,
)

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fresh_calendar_cache():
    # Rows written by one test are rolled back; their cached table must go too.
    workdays.calendar_cache_clear()
    yield
    workdays.calendar_cache_clear()


def test_the_package_agrees_that_national_day_2026_is_a_seven_day_holiday():
    assert [chinese_calendar.is_holiday(date(2026, 10, day)) for day in range(1, 8)] == [True] * 7
    assert chinese_calendar.is_workday(date(2026, 9, 30))


def test_a_deadline_in_the_national_day_holiday_moves_back_to_september_30():
    due, warning = due_date_for(deadline_end=date(2026, 10, 5), plan_year=2026)

    assert due == date(2026, 9, 30)
    assert warning is None


def test_a_deadline_on_an_adjusted_saturday_workday_stays():
    # 2026-10-10 is a Saturday worked in exchange for the National Day holiday.
    assert date(2026, 10, 10).weekday() == 5
    assert chinese_calendar.is_workday(date(2026, 10, 10))

    due, _ = due_date_for(deadline_end=date(2026, 10, 10), plan_year=2026)

    assert due == date(2026, 10, 10)


def test_an_ordinary_sunday_deadline_moves_back_to_friday():
    assert workday_on_or_before(date(2026, 3, 15)) == date(2026, 3, 13)


def test_a_plan_without_deadline_is_due_on_the_last_working_day_of_its_year():
    # 2026-12-31 is a Thursday and no holiday.
    assert due_date_for(deadline_end=None, plan_year=2026) == (date(2026, 12, 31), None)
    # 2022-12-31 was a Saturday.
    assert due_date_for(deadline_end=None, plan_year=2022) == (date(2022, 12, 30), None)


def test_a_2027_plan_avoids_weekends_only_and_says_so():
    assert date(2027, 12, 31).weekday() == 4

    due, warning = due_date_for(deadline_end=None, plan_year=2027)

    assert due == date(2027, 12, 31)
    assert warning == calendar_warning(2027)
    assert "2027年的法定节假日安排尚未录入" in warning
    assert "仅避开了周末" in warning
    # 2027-10-03 is a Sunday; with no data, October 1 (a Friday) is a working day.
    assert workday_on_or_before(date(2027, 10, 3)) == date(2027, 10, 1)


def test_years_the_package_knows_carry_no_warning():
    assert calendar_warning(2018) is None
    assert calendar_warning(2026) is None


def test_a_year_recorded_in_the_database_replaces_the_package_and_drops_the_warning():
    CalendarYear.objects.create(year=2027, source="test arrangement")
    CalendarDay.objects.create(date=date(2027, 10, 1), is_workday=False, name="国庆节")
    CalendarDay.objects.create(date=date(2027, 9, 26), is_workday=True, name="国庆节")

    assert calendar_warning(2027) is None
    assert workday_on_or_before(date(2027, 10, 1)) == date(2027, 9, 30)
    assert is_workday(date(2027, 9, 26))  # a Sunday made a workday


def test_a_single_recorded_day_corrects_the_package_for_that_date_only():
    CalendarDay.objects.create(date=date(2026, 10, 7), is_workday=True, name="test correction")

    assert is_workday(date(2026, 10, 7))
    assert not is_workday(date(2026, 10, 6))


def test_working_days_between_counts_days_after_the_start_up_to_the_end():
    # Mon 2026-09-28 → Thu 2026-10-08: Tue 29, Wed 30, then the holiday, then Thu 8.
    assert working_days_between(date(2026, 9, 28), date(2026, 10, 8)) == 3
    assert working_days_between(date(2026, 10, 8), date(2026, 9, 28)) == -3
    assert working_days_between(date(2026, 9, 30), date(2026, 9, 30)) == 0
    # A whole ordinary week.
    assert working_days_between(date(2026, 3, 1), date(2026, 3, 8)) == 5


def test_working_days_between_crosses_years():
    # 2026-12-31 Thu → 2027-01-04 Mon: Dec 31 excluded; Jan 1 2027 (a Friday with
    # no holiday data yet) counts, and so does Monday.
    assert working_days_between(date(2026, 12, 31), date(2027, 1, 4)) == 2


def _counted_day_by_day(a: date, b: date) -> int:
    sign, (a, b) = (1, (a, b)) if a <= b else (-1, (b, a))
    return sign * sum(is_workday(a + timedelta(days=n)) for n in range(1, (b - a).days + 1))


def test_working_days_between_agrees_with_counting_day_by_day_over_holidays_adjusted_days_and_years():
    # 2025–2026 from the package; 2027 from the database with a worked Sunday
    # and a weekday holiday; 2028 is weekends only.
    CalendarYear.objects.create(year=2027, source="test arrangement")
    CalendarDay.objects.create(date=date(2027, 10, 1), is_workday=False, name="国庆节")
    CalendarDay.objects.create(date=date(2027, 9, 26), is_workday=True, name="国庆节")
    CalendarDay.objects.create(date=date(2026, 10, 7), is_workday=True, name="test correction")
    rng = random.Random(11)
    spans = [(date(2026, 9, 25), date(2026, 10, 12)), (date(2027, 9, 25), date(2027, 10, 2))]
    for _ in range(300):
        a = date(2025, 1, 1) + timedelta(days=rng.randrange(4 * 366))
        spans.append((a, a + timedelta(days=rng.randrange(-40, 800))))
    for a, b in spans:
        assert working_days_between(a, b) == _counted_day_by_day(a, b), (a, b)


def test_a_year_is_read_from_the_database_once_not_per_date(django_assert_max_num_queries):
    with django_assert_max_num_queries(2):
        for month in range(1, 13):
            for day in (1, 10, 20, 28):
                due_date_for(deadline_end=date(2027, month, day), plan_year=2027)


def test_a_day_recorded_in_the_admin_takes_effect_at_once(client, admin_user):
    assert workday_on_or_before(date(2027, 10, 1)) == date(2027, 10, 1)
    client.force_login(admin_user)

    response = client.post(
        "/admin/plans/calendarday/add/", {"date": "2027-10-01", "is_workday": "", "name": "国庆节"}
    )

    assert response.status_code == 302
    assert workday_on_or_before(date(2027, 10, 1)) == date(2027, 9, 30)
    assert client.get("/admin/plans/calendaryear/").status_code == 200


def test_the_calendar_tables_are_named_in_chinese_in_the_admin():
    with translation.override("zh-hans"):
        assert str(CalendarYear._meta.verbose_name) == "节假日安排年度"
        assert str(CalendarDay._meta.verbose_name_plural) == "节假日与调休上班日"
        assert str(CalendarDay._meta.get_field("is_workday").verbose_name) == "调休上班"
        assert str(CalendarDay._meta.get_field("name").verbose_name) == "节日名称"
