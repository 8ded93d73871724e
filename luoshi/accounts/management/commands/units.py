from django.core.management.base import BaseCommand, CommandError

from luoshi.accounts.services import UnitDirectoryError, unit_directory_load


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

    def handle(self, *args, subcommand, **options):
        if subcommand == "load":
            self.load(options["path"])

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
