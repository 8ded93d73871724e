"""``luoshi restore ARCHIVE [--force]``: put back what ``luoshi backup`` wrote (luoshi/backup.py)."""
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from luoshi.backup import BackupError, backup_restore


class Command(BaseCommand):
    help = (
        "Restore a backup archive into a migrated database: every row and every stored file. "
        "Refuses a database that already holds users, units, plans or audit entries unless --force, "
        "which replaces everything. Checks every file's checksum before changing anything. "
        "Example: luoshi migrate && luoshi restore /backups/luoshi-2026-05-08.tar.gz"
    )

    def add_arguments(self, parser):
        parser.add_argument("archive", help="A .tar.gz written by luoshi backup.")
        parser.add_argument("--force", action="store_true", help="Replace the data already in the database.")

    def handle(self, *args, archive, force=False, **options):
        path = Path(archive)
        if not path.is_file():
            raise CommandError(f"{path} does not exist")
        try:
            result = backup_restore(archive=path, force=force)
        except BackupError as error:
            raise CommandError(str(error)) from None
        for line in result.migrations_differ:
            self.stderr.write(f"注意：迁移版本不同（{line}）")
        self.stdout.write(f"已从 {path} 恢复：数据 {result.rows} 行，文件 {result.files} 个")
