"""China's working-day calendar: public holidays (法定节假日) and adjusted workdays (调休).

Three sources, in this order of precedence, decided per year:

1. The database. A ``CalendarYear`` row means an admin recorded that year's
   arrangement as published by the State Council (国务院办公厅通知), and its
   ``CalendarDay`` rows are the whole truth for that year. ``CalendarDay`` rows
   without a ``CalendarYear`` row correct single dates of the package's data.
2. The ``chinesecalendar`` package, which knows 2004–2026 and raises
   ``NotImplementedError`` for any other year.
3. Weekends only, with a warning (``calendar_warning``) that the deadlines of
   that year avoid Saturdays and Sundays but not holidays.

A year's table is built once and kept for ``_CACHE_SECONDS``: an import of
hundreds of tasks must not query per date, and other processes pick up an
admin's edit within that time. ``calendar_cache_clear()`` forgets it at once
(the ``holidays load`` command and the admin call it).
"""
from __future__ import annotations

import time
from bisect import bisect_right
from dataclasses import dataclass, field
from datetime import date, timedelta

import chinese_calendar
import yaml
from django.db import transaction

from luoshi.audit.services import audit_record
from luoshi.plans.models import CalendarDay, CalendarYear

_CACHE_SECONDS = 300


@dataclass(frozen=True)
class _YearCalendar:
    year: int
    # "db", "package" or "weekends": where the arrangement came from.
    source: str
    holidays: frozenset[date] = field(default_factory=frozenset)
    workdays: frozenset[date] = field(default_factory=frozenset)
    names: dict[date, str] = field(default_factory=dict)
    built_at: float = 0.0
    # In order, for counting by bisection: Saturdays and Sundays worked (调休)
    # each add a day to a span's weekdays, Mondays to Fridays off take one away.
    weekend_workdays: tuple[date, ...] = ()
    weekday_holidays: tuple[date, ...] = ()

    def is_workday(self, d: date) -> bool:
        if d in self.workdays:
            return True
        if d in self.holidays:
            return False
        return d.weekday() < 5

    def adjustment(self, a: date, b: date) -> int:
        """Working days minus weekdays among the days d of this year with a < d <= b."""
        added, removed = self.weekend_workdays, self.weekday_holidays
        return (bisect_right(added, b) - bisect_right(added, a)) - (bisect_right(removed, b) - bisect_right(removed, a))


_cache: dict[int, _YearCalendar] = {}
# The package names days in English; officials read "国庆节".
_CHINESE_NAMES = {h.value: h.chinese for h in chinese_calendar.Holiday}


def calendar_cache_clear() -> None:
    _cache.clear()


def _package_knows(year: int) -> bool:
    try:
        chinese_calendar.is_workday(date(year, 1, 1))
    except NotImplementedError:
        return False
    return True


def _build_year(year: int) -> _YearCalendar:
    holidays: dict[date, str] = {}
    workdays: dict[date, str] = {}
    rows = list(CalendarDay.objects.filter(date__year=year).values_list("date", "is_workday", "name"))
    if CalendarYear.objects.filter(year=year).exists():
        source = "db"
    elif _package_knows(year):
        source = "package"
        holidays = {d: _CHINESE_NAMES.get(name, name) for d, name in chinese_calendar.holidays.items() if d.year == year}
        workdays = {d: _CHINESE_NAMES.get(name, name) for d, name in chinese_calendar.workdays.items() if d.year == year}
    else:
        # Single corrected days, if any, still leave the rest of the year unknown.
        source = "weekends"
    for d, is_workday, name in rows:
        # A recorded date overrides whatever the package says about it.
        holidays.pop(d, None)
        workdays.pop(d, None)
        (workdays if is_workday else holidays)[d] = name
    return _YearCalendar(
        year=year,
        source=source,
        holidays=frozenset(holidays),
        workdays=frozenset(workdays),
        names={**holidays, **workdays},
        built_at=time.monotonic(),
        weekend_workdays=tuple(sorted(d for d in workdays if d.weekday() >= 5)),
        weekday_holidays=tuple(sorted(d for d in holidays if d.weekday() < 5 and d not in workdays)),
    )


def _year(year: int) -> _YearCalendar:
    table = _cache.get(year)
    if table is None or time.monotonic() - table.built_at > _CACHE_SECONDS:
        table = _cache[year] = _build_year(year)
    return table


def is_workday(d: date) -> bool:
    return _year(d.year).is_workday(d)


def day_name(d: date) -> str:
    """The holiday a date belongs to, or the holiday an adjusted workday makes up for; else ""."""
    return _year(d.year).names.get(d, "") or ""


def calendar_source(year: int) -> str:
    """Where the year's arrangement comes from: "db", "package" or "weekends"."""
    return _year(year).source


def workday_on_or_before(d: date) -> date:
    while not is_workday(d):
        d -= timedelta(days=1)
    return d


def weekdays_after(a: date, b: date) -> int:
    """Mondays to Fridays d with a < d <= b (0 when b <= a), by arithmetic: whole weeks, then the rest."""
    if b <= a:
        return 0
    weeks, rest = divmod((b - a).days, 7)
    # The ``rest`` days after a, as weekday numbers a.weekday()+1 … a.weekday()+rest (mod 7).
    first = a.weekday() + 1
    extra = sum(1 for n in range(first, first + rest) if n % 7 < 5)
    return weeks * 5 + extra


def working_days_between(a: date, b: date) -> int:
    """Working days after ``a`` up to and including ``b``; negative when ``b`` is before ``a``.

    So "due in N working days" reads ``working_days_between(today, due)``,
    and it is 0 on the due date itself. Counted by arithmetic, not day by
    day: the weekdays of the span, plus the weekend days worked (调休) and
    less the weekday holidays of each year it touches, found by bisection in
    the year's sorted lists. The nightly run asks this for every task and
    period, over spans of years.
    """
    if b < a:
        return -working_days_between(b, a)
    count = weekdays_after(a, b)
    for year in range(a.year, b.year + 1):
        count += _year(year).adjustment(a, b)
    return count


def calendar_warning(year: int) -> str | None:
    if _year(year).source != "weekends":
        return None
    return (
        f"{year}年的法定节假日安排尚未录入，完成时限仅避开了周末。"
        "请在系统管理中录入国务院办公厅公布的安排。"
    )


def due_date_for(*, deadline_end: date | None, plan_year: int) -> tuple[date, str | None]:
    """A task's due date: the parsed deadline, else the plan year's last day, on a working day.

    Returns the date and the calendar warning of its year, if any.
    """
    target = deadline_end or date(plan_year, 12, 31)
    due = workday_on_or_before(target)
    return due, calendar_warning(due.year) or calendar_warning(target.year)


class CalendarDataError(ValueError):
    """A holiday file that cannot be loaded; ``problems`` names each bad line or entry."""

    def __init__(self, problems: list[str]):
        super().__init__("\n".join(problems))
        self.problems = problems


class _LineLoader(yaml.SafeLoader):
    """Keeps each mapping's line number so that errors can point at it."""

    def construct_mapping(self, node, deep=False):
        mapping = super().construct_mapping(node, deep=deep)
        mapping["__line__"] = node.start_mark.line + 1
        return mapping


def _as_date(value, *, where: str, key: str, year: int, problems: list[str]) -> date | None:
    if isinstance(value, date):
        d = value
    else:
        try:
            d = date.fromisoformat(str(value).strip())
        except ValueError:
            problems.append(f"{where}：「{key}」的值“{value}”不是日期（应写作 {year}-01-01）")
            return None
    if d.year != year:
        problems.append(f"{where}：「{key}」{d} 不在 {year} 年内")
        return None
    return d


def calendar_year_load(*, text: str, actor=None) -> CalendarYear:
    """Record one year's holiday arrangement from YAML (format in docs/holidays.md).

    Replaces whatever was recorded for that year, in one transaction, so
    loading the same file twice changes nothing. Raises ``CalendarDataError``
    naming every bad line before anything is written.
    """
    try:
        doc = yaml.load(text, Loader=_LineLoader)  # noqa: S506 (a SafeLoader subclass)
    except yaml.YAMLError as exc:
        raise CalendarDataError([f"不是有效的 YAML：{exc}"]) from exc
    if not isinstance(doc, dict):
        raise CalendarDataError(["文件应是一个包含 year、source、holidays、workdays 的映射"])
    year = doc.get("year")
    if not isinstance(year, int) or not 1949 < year < 2200:
        raise CalendarDataError([f"第{doc['__line__']}行：「year」应是四位年份，而不是“{year}”"])
    problems: list[str] = []
    unknown = sorted(set(doc) - {"year", "source", "holidays", "workdays", "__line__"})
    if unknown:
        problems.append(f"未知的键：{'、'.join(map(str, unknown))}（只认 year、source、holidays、workdays）")
    days: dict[date, tuple[bool, str, str]] = {}

    def add(d: date, is_workday: bool, name: str, where: str) -> None:
        if d in days:
            problems.append(f"{where}：{d} 已在{days[d][2]}中出现")
        else:
            days[d] = (is_workday, name, where)

    for kind, is_workday in (("holidays", False), ("workdays", True)):
        entries = doc.get(kind) or []
        if not isinstance(entries, list):
            problems.append(f"「{kind}」应是列表")
            continue
        for index, entry in enumerate(entries, start=1):
            if not isinstance(entry, dict):
                problems.append(f"{kind} 第{index}项：应写成 name/from/to 或 name/date 的映射")
                continue
            where = f"第{entry['__line__']}行（{kind} 第{index}项）"
            name = str(entry.get("name") or "").strip()
            if not name:
                problems.append(f"{where}：缺少「name」")
            if is_workday:
                if "date" not in entry:
                    problems.append(f"{where}：缺少「date」")
                    continue
                d = _as_date(entry["date"], where=where, key="date", year=year, problems=problems)
                if d is None:
                    continue
                if d.weekday() < 5:
                    problems.append(f"{where}：{d} 是工作日（周{'一二三四五'[d.weekday()]}），不必调休")
                add(d, True, name, where)
            else:
                missing = [key for key in ("from", "to") if key not in entry]
                if missing:
                    problems.append(f"{where}：缺少「{'」「'.join(missing)}」")
                    continue
                start = _as_date(entry["from"], where=where, key="from", year=year, problems=problems)
                end = _as_date(entry["to"], where=where, key="to", year=year, problems=problems)
                if start is None or end is None:
                    continue
                if end < start:
                    problems.append(f"{where}：结束日 {end} 早于开始日 {start}")
                    continue
                d = start
                while d <= end:
                    add(d, False, name, where)
                    d += timedelta(days=1)
    if problems:
        raise CalendarDataError(problems)
    source = str(doc.get("source") or "").strip()[:300]
    with transaction.atomic():
        calendar_year, _ = CalendarYear.objects.update_or_create(year=year, defaults={"source": source})
        CalendarDay.objects.filter(date__year=year).delete()
        CalendarDay.objects.bulk_create(
            CalendarDay(date=d, is_workday=is_workday, name=name)
            for d, (is_workday, name, _where) in sorted(days.items())
        )
        audit_record(
            actor=actor,
            action="calendar.load",
            obj=calendar_year,
            after={
                "source": source,
                "holidays": sorted(d.isoformat() for d, (w, _n, _x) in days.items() if not w),
                "workdays": sorted(d.isoformat() for d, (w, _n, _x) in days.items() if w),
            },
        )
    calendar_cache_clear()
    return calendar_year
