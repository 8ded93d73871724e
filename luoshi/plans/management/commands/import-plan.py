from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from luoshi.plans.services import PlanImportError, plan_import


class Command(BaseCommand):
    help = (
        "Import a plan document (.txt in UTF-8 or GB18030, .docx or .pdf): parse it, propose one task "
        "per measure with suggested units and due dates, and save everything in one transaction. "
        "Prints only the new plan's id, so scripts can capture it.\n\n"
        "Example: luoshi import-plan 2018工作要点.txt --name 南湖全力争当弘扬红船精神排头兵 --year 2018 "
        "--issuing-body 中共嘉兴市南湖区委"
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="the plan document")
        parser.add_argument("--name", required=True, help="the plan's name as it should appear in lists")
        parser.add_argument("--year", required=True, type=int, help="the plan year; default due dates fall in it")
        parser.add_argument("--issuing-body", default="", help="who issued it, e.g. 南湖区人民政府")

    def handle(self, *args, **options):
        path = Path(options["file"])
        try:
            content = path.read_bytes()
        except OSError as exc:
            raise CommandError(f"cannot read {path}: {exc.strerror}") from None
        try:
            plan = plan_import(
                name=options["name"],
                year=options["year"],
                filename=path.name,
                content=content,
                actor=None,
                issuing_body=options["issuing_body"],
            )
        except PlanImportError as exc:
            raise CommandError(str(exc)) from None
        self.stdout.write(str(plan.pk))
