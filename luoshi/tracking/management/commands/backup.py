"""``luoshi backup OUTPUT``: the database and the stored files in one archive (luoshi/backup.py)."""
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from luoshi.backup import backup_create


class Command(BaseCommand):
    help = (
        "Write the whole database (through dumpdata, so it restores on SQLite or PostgreSQL) and every "
        "stored file (evidence, circulars) into one .tar.gz with a manifest of row counts and file "
        "checksums. Safe while the site runs. "
        "Example: luoshi backup /backups/luoshi-2026-05-08.tar.gz"
    )

    def add_arguments(self, parser):
        parser.add_argument("output", help="The archive to write (.tar.gz); an existing file is refused.")

    def handle(self, *args, output, **options):
        path = Path(output)
        if path.exists():
            raise CommandError(f"{path} already exists; choose a new name so that no backup is overwritten")
        result = backup_create(output=path)
        self.stdout.write(
            f"已备份到 {path}：数据 {result.rows} 行，文件 {result.files} 个（{result.bytes} 字节）"
        )
