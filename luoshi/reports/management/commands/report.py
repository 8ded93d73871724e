"""``luoshi report monthly|stratml|tasks|history PLAN_ID --output FILE``: the reports app's files from the command line."""
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from luoshi.plans.models import Plan
from luoshi.reports import exports
from luoshi.reports.circular import CircularError, circular_file, circular_period, office_reader
from luoshi.reports.stratml import plan_stratml


class Command(BaseCommand):
    help = (
        "Write a plan's reports to files. "
        "monthly: the monthly circular (通报) as .docx, or .pdf where LibreOffice is installed; "
        "stratml: the plan as StratML (ISO 17469-1) XML; "
        "tasks / history: the task list / progress history as .xlsx. "
        "Example: luoshi report monthly 1 --period latest --output 通报.docx"
    )

    def add_arguments(self, parser):
        kinds = parser.add_subparsers(dest="kind", required=True, metavar="{monthly,stratml,tasks,history}")
        monthly = kinds.add_parser(
            "monthly", help="The monthly circular. Example: luoshi report monthly 1 --period 2018-06 --output 通报.docx"
        )
        monthly.add_argument("--period", default="latest", help="A month, YYYY-MM, or 'latest' (the default).")
        monthly.add_argument("--format", choices=["docx", "pdf"], default="docx", help="Default: docx.")
        for name, text in (
            ("stratml", "The plan as StratML. Example: luoshi report stratml 1 --output plan.xml"),
            ("tasks", "The task list. Example: luoshi report tasks 1 --output 任务清单.xlsx"),
            ("history", "Every progress report. Example: luoshi report history 1 --output 报送记录.xlsx"),
        ):
            kinds.add_parser(name, help=text)
        for sub in kinds.choices.values():
            sub.add_argument("plan_id", type=int, help="The plan's id, as import-plan printed it.")
            sub.add_argument("--output", type=Path, required=True, help="The file to write.")

    def handle(self, *args, kind, plan_id, output, **options):
        plan = Plan.objects.filter(pk=plan_id).first()
        if plan is None:
            raise CommandError(f"没有编号为 {plan_id} 的规划")
        if kind == "monthly":
            try:
                period = circular_period(plan=plan, spec=options["period"])
                _name, content = circular_file(plan=plan, period=period, format=options["format"])
            except CircularError as error:
                raise CommandError(str(error)) from error
            done = f"已生成“{plan.name}”{period.label}通报"
        elif kind == "stratml":
            content = plan_stratml(plan=plan)
            done = f"已导出“{plan.name}”的 StratML"
        elif kind == "tasks":
            content = exports.task_list_xlsx(plan=plan, visible_to=office_reader())
            done = f"已导出“{plan.name}”的任务清单"
        else:
            content = exports.progress_history_xlsx(plan=plan, visible_to=office_reader())
            done = f"已导出“{plan.name}”的进度报送记录"
        try:
            output.write_bytes(content)
        except OSError as error:
            raise CommandError(f"无法写入 {output}：{error}") from error
        self.stdout.write(f"{done}到 {output}")
