from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from luoshi.accounts.services import UnitDirectoryError, unit_directory_load
from luoshi.plans.suggest import unit_table_learn


class Command(BaseCommand):
    help = (
        "Manage the unit directory (bureaus, towns, streets, zones).\n\n"
        "Example: luoshi units load luoshi/accounts/data/nanhu-units.yaml"
    )

    def add_arguments(self, parser):
        subcommands = parser.add_subparsers(dest="subcommand", metavar="SUBCOMMAND", required=True)
        load = subcommands.add_parser(
            "load",
            help="create or update units from a YAML directory file, matched by code",
            description=(
                "Load a unit directory from YAML (format: docs/units.md). Units are matched by "
                "code, so loading the same file again changes nothing. The whole file is "
                "checked first; on any error nothing is written. "
                "Example: luoshi units load luoshi/accounts/data/nanhu-units.yaml"
            ),
        )
        load.add_argument("path", metavar="FILE", help="the YAML file to load")
        learn = subcommands.add_parser(
            "learn",
            help="learn who leads which kind of work from a past task table (.xlsx or .docx)",
            description=(
                "Read last year's 任务分解表 (.xlsx, or .docx with the tasks in a table: task, "
                "牵头单位 and 配合单位 columns) and record each row's task text with its lead and "
                "co-units, so that later suggestions for similar measures favour them. Unit names "
                "are matched to the directory; names that match no unit are listed, never guessed. "
                "Learning the same file again replaces what it taught. "
                "Example: luoshi units learn 2025年任务分解表.xlsx"
            ),
        )
        learn.add_argument("path", metavar="FILE", help="the .xlsx or .docx task table")

    def handle(self, *args, subcommand, **options):
        if subcommand == "load":
            self.load(options["path"])
        elif subcommand == "learn":
            self.learn(options["path"])

    def load(self, path):
        try:
            result = unit_directory_load(path=path)
        except UnitDirectoryError as exc:
            raise CommandError(str(exc)) from None
        self.stdout.write(
            f"Units: {len(result.created)} created, {len(result.updated)} updated, "
            f"{len(result.unchanged)} unchanged."
        )
        if result.updated:
            self.stdout.write(f"Updated: {', '.join(result.updated)}")
        if result.not_in_file:
            self.stdout.write(
                f"Not in the file and left as they are: {', '.join(result.not_in_file)}"
            )

    def learn(self, path):
        path = Path(path)
        try:
            content = path.read_bytes()
        except OSError as exc:
            raise CommandError(f"Cannot read {path}: {exc.strerror}") from None
        try:
            result = unit_table_learn(content=content, filename=path.name, actor=None)
        except ValidationError as exc:
            raise CommandError(" ".join(exc.messages)) from None
        self.stdout.write(
            f"Learned from {path.name}: {result.learned} of {result.rows} rows; units matched: "
            f"{len(result.matched)}, names matching no unit: {len(result.unmatched)}."
        )
        if result.replaced:
            self.stdout.write(f"Replaced {result.replaced} assignments learned from this file before.")
        if result.matched:
            self.stdout.write(f"Units: {'、'.join(result.matched)}")
        if result.unmatched:
            self.stdout.write(f"Matched no unit (left out): {'、'.join(result.unmatched)}")
        if result.placeholders:
            self.stdout.write(f"Placeholders, not units: {'、'.join(result.placeholders)}")
        for note in result.skipped:
            self.stdout.write(f"Skipped {note}")
