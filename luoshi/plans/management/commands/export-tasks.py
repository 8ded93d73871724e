"""``luoshi export-tasks PLAN_ID --format xlsx|docx --output FILE``."""
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from luoshi.plans.documents import task_sheet_docx
from luoshi.plans.models import Plan
from luoshi.plans.sheets import task_sheet_export


class Command(BaseCommand):
    help = (
        "Write a plan's task sheet (任务分解表) as an Excel workbook to edit and import back, "
        "or as a Word attachment laid out to GB/T 9704-2012. "
        "Example: luoshi export-tasks 1 --format xlsx --output 任务分解表.xlsx"
    )

    def add_arguments(self, parser):
        parser.add_argument("plan_id", type=int, help="The plan's id, as import-plan printed it.")
        parser.add_argument("--format", choices=["xlsx", "docx"], default="xlsx", help="Default: xlsx.")
        parser.add_argument("--output", type=Path, required=True, help="The file to write.")

    def handle(self, *args, plan_id, format, output, **options):
        plan = Plan.objects.filter(pk=plan_id).first()
        if plan is None:
            raise CommandError(f"没有编号为 {plan_id} 的规划")
        content = task_sheet_export(plan=plan) if format == "xlsx" else task_sheet_docx(plan=plan)
        try:
            output.write_bytes(content)
        except OSError as exc:
            raise CommandError(f"无法写入 {output}：{exc}") from exc
        self.stdout.write(f"已导出“{plan.name}”的任务分解表（{plan.tasks.count()} 项任务）到 {output}")
