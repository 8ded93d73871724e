from datetime import date
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from luoshi.audit.models import AuditEntry
from luoshi.plans import workdays
from luoshi.plans.models import CalendarDay, CalendarYear

pytestmark = pytest.mark.django_db

DOCS = Path(__file__).resolve().parents[3] / "docs"

# Made up for the tests: the real 2027 arrangement is not published yet.
MADE_UP_2027 = """\
year: 2027
source: test data, not the State Council's
holidays:
  - {name: 国庆节, from: 2027-10-01, to: 2027-10-07}
workdays:
  - {name: 国庆节, date: 2027-09-26}
  - {name: 国庆节, date: 2027-10-09}
"""


@pytest.fixture(autouse=True)
def _fresh_calendar_cache():
    workdays.calendar_cache_clear()
    yield
    workdays.calendar_cache_clear()


def run(*args) -> str:
    out = StringIO()
    call_command("holidays", *args, stdout=out)
    return out.getvalue()


def write(tmp_path, text: str) -> str:
    path = tmp_path / "holidays.yaml"
    path.write_text(text, encoding="utf-8")
    return str(path)


def test_loading_2027_makes_its_deadlines_respect_the_holidays(tmp_path):
    assert workdays.workday_on_or_before(date(2027, 10, 4)) == date(2027, 10, 4)

    out = run("load", write(tmp_path, MADE_UP_2027))

    assert "已载入2027年节假日安排：放假 7 天，调休上班 2 天" in out
    assert workdays.calendar_warning(2027) is None
    due, warning = workdays.due_date_for(deadline_end=date(2027, 10, 4), plan_year=2027)
    assert (due, warning) == (date(2027, 9, 30), None)
    assert workdays.is_workday(date(2027, 9, 26))


def test_loading_the_same_file_twice_changes_nothing(tmp_path):
    path = write(tmp_path, MADE_UP_2027)
    run("load", path)
    first = list(CalendarDay.objects.values_list("date", "is_workday", "name"))

    run("load", path)

    assert list(CalendarDay.objects.values_list("date", "is_workday", "name")) == first
    assert CalendarYear.objects.filter(year=2027).count() == 1


def test_a_load_is_audited(tmp_path):
    run("load", write(tmp_path, MADE_UP_2027))

    entry = AuditEntry.objects.get(action="calendar.load")
    assert "2027-10-01" in entry.after["holidays"]
    assert entry.after["workdays"] == ["2027-09-26", "2027-10-09"]


def test_the_documented_example_matches_the_built_in_2026_calendar():
    before = {d: workdays.is_workday(d) for d in _days_of(2026)}

    run("load", str(DOCS / "holidays-2026.example.yaml"))

    workdays.calendar_cache_clear()
    assert workdays.calendar_source(2026) == "db"
    assert {d: workdays.is_workday(d) for d in _days_of(2026)} == before


def test_a_bad_file_names_each_bad_entry_and_writes_nothing(tmp_path):
    bad = """\
year: 2027
holidays:
  - {name: 国庆节, from: 2027-10-01, to: 2027-10-07}
  - {name: 春节, from: 2027-02-10, to: 2027-02-01}
  - {name: 元旦, from: 2028-01-01, to: 2028-01-02}
  - {from: 2027-05-01, to: 2027-05-01}
workdays:
  - {name: 国庆节, date: 2027-10-04}
  - {name: 春节, date: 2027-02-08}
  - {name: 端午, date: 明天}
"""
    with pytest.raises(CommandError) as caught:
        run("load", write(tmp_path, bad))

    message = str(caught.value)
    assert "数据库未改动" in message
    assert "第4行（holidays 第2项）：结束日 2027-02-01 早于开始日 2027-02-10" in message
    assert "第5行（holidays 第3项）：「from」2028-01-01 不在 2027 年内" in message
    assert "第6行（holidays 第4项）：缺少「name」" in message
    assert "第8行（workdays 第1项）：2027-10-04 已在第3行（holidays 第1项）中出现" in message
    assert "第9行（workdays 第2项）：2027-02-08 是工作日（周一），不必调休" in message
    assert "第10行（workdays 第3项）：「date」的值“明天”不是日期" in message
    assert not CalendarYear.objects.exists()
    assert not CalendarDay.objects.exists()


@pytest.mark.parametrize(
    "text, expected",
    [
        ("year: [", "不是有效的 YAML"),
        ("- 2027", "文件应是一个包含 year"),
        ("year: 二〇二七\n", "「year」应是四位年份"),
        ("year: 2027\nholiday: []\n", "未知的键：holiday"),
    ],
)
def test_a_malformed_file_is_refused_with_the_reason(tmp_path, text, expected):
    with pytest.raises(CommandError, match=expected):
        run("load", write(tmp_path, text))
    assert not CalendarYear.objects.exists()


def test_a_missing_file_is_a_clear_error(tmp_path):
    with pytest.raises(CommandError, match="无法读取"):
        run("load", str(tmp_path / "nowhere.yaml"))


def test_show_lists_the_national_day_holiday_and_its_adjusted_workdays():
    out = run("show", "2026")

    assert "2026年：chinesecalendar 软件包内置的安排" in out
    assert "2026-10-01 周四 放假 国庆节" in out
    assert "2026-10-10 周六 调休上班 国庆节" in out


def test_show_warns_about_a_year_without_data():
    out = run("show", "2027")

    assert "无节假日数据，仅按周末计算" in out
    assert "2027年的法定节假日安排尚未录入" in out


def _days_of(year):
    d = date(year, 1, 1)
    while d.year == year:
        yield d
        d = date.fromordinal(d.toordinal() + 1)
