"""``luoshi holidays load FILE.yaml`` and ``luoshi holidays show YEAR``."""
from datetime import date, timedelta
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from luoshi.plans import workdays

_SOURCES = {
    "db": "系统中录入的安排",
    "package": "chinesecalendar 软件包内置的安排",
    "weekends": "无节假日数据，仅按周末计算",
}


class Command(BaseCommand):
    help = (
        "Record or show China's public holidays and adjusted workdays for a year. "
        "Example: luoshi holidays load docs/holidays-2027.example.yaml; luoshi holidays show 2027. "
        "The file format is described in docs/holidays.md."
    )

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True, metavar="{load,show}")
        load = sub.add_parser(
            "load",
            help="Record one year's arrangement from a YAML file, replacing what was recorded for that year.",
        )
        load.add_argument("file", type=Path)
        show = sub.add_parser("show", help="Print the holidays and adjusted workdays of a year and their source.")
        show.add_argument("year", type=int)

    def handle(self, *args, action, **options):
        if action == "load":
            self._load(options["file"])
        else:
            self._show(options["year"])

    def _load(self, path: Path) -> None:
        try:
            text = path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            raise CommandError(f"无法读取 {path}：{exc}") from exc
        try:
            calendar_year = workdays.calendar_year_load(text=text)
        except workdays.CalendarDataError as exc:
            raise CommandError(f"{path} 未载入，数据库未改动：\n" + "\n".join(exc.problems)) from exc
        days = calendar_year_days(calendar_year.year)
        holidays = sum(1 for _d, is_workday, _n in days if not is_workday)
        self.stdout.write(
            f"已载入{calendar_year.year}年节假日安排：放假 {holidays} 天，调休上班 {len(days) - holidays} 天。"
        )

    def _show(self, year: int) -> None:
        self.stdout.write(f"{year}年：{_SOURCES[workdays.calendar_source(year)]}")
        warning = workdays.calendar_warning(year)
        if warning:
            self.stdout.write(self.style.WARNING(warning))
            return
        for d, is_workday, name in calendar_year_days(year):
            kind = "调休上班" if is_workday else "放假"
            self.stdout.write(f"{d.isoformat()} 周{'一二三四五六日'[d.weekday()]} {kind} {name}")


def calendar_year_days(year: int) -> list[tuple[date, bool, str]]:
    """The days of a year that differ from a plain Monday-to-Friday week, or are named holidays."""
    days = []
    d = date(year, 1, 1)
    while d.year == year:
        name = workdays.day_name(d)
        is_workday = workdays.is_workday(d)
        if name or is_workday != (d.weekday() < 5):
            days.append((d, is_workday, name))
        d += timedelta(days=1)
    return days
