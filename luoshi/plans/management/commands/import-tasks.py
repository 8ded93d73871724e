"""``luoshi import-tasks PLAN_ID FILE.xlsx [--dry-run]``."""
from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from luoshi.plans.models import Plan
from luoshi.plans.sheets import sheet_size_error, task_sheet_import


class Command(BaseCommand):
    help = (
        "Apply an edited task sheet (任务分解表, .xlsx as export-tasks wrote it) to a plan: all rows or "
        "none. Prints the changes, or every bad cell by row and column and exits non-zero. "
        "Example: luoshi import-tasks 1 任务分解表.xlsx --dry-run"
    )

    def add_arguments(self, parser):
        parser.add_argument("plan_id", type=int, help="The plan's id.")
        parser.add_argument("file", type=Path, help="The edited .xlsx file.")
        parser.add_argument("--dry-run", action="store_true", help="Check and list the changes; apply nothing.")
        parser.add_argument("--user", help="Username to record in the audit log as the one who made the changes.")

    def handle(self, *args, plan_id, file, dry_run, user, **options):
        plan = Plan.objects.filter(pk=plan_id).first()
        if plan is None:
            raise CommandError(f"没有编号为 {plan_id} 的规划")
        actor = None
        if user:
            actor = get_user_model().objects.filter(username=user).first()
            if actor is None:
                raise CommandError(f"没有用户名为 {user} 的用户")
        try:
            too_big = sheet_size_error(file.stat().st_size)
            if too_big:
                raise CommandError(f"{file}：{too_big}")
            data = file.read_bytes()
        except OSError as exc:
            raise CommandError(f"无法读取 {file}：{exc}") from exc

        result = task_sheet_import(plan=plan, data=data, actor=actor, dry_run=dry_run)
        for warning in result.warnings:
            self.stdout.write(self.style.WARNING(f"注意：{warning}"))
        if result.errors:
            lines = "\n".join(str(error) for error in result.errors)
            raise CommandError(f"{file} 有 {len(result.errors)} 处错误，未导入任何内容：\n{lines}")
        for change in result.changes:
            self.stdout.write(change)
        if not result.changes:
            self.stdout.write(f"没有改动：{file} 与系统中的 {result.rows} 项任务一致。")
        elif dry_run:
            self.stdout.write(f"试运行：{len(result.changes)} 项任务将被修改，未写入数据库。")
        else:
            self.stdout.write(self.style.SUCCESS(f"已导入：{len(result.changes)} 项任务已修改。"))
