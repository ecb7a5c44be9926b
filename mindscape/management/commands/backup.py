"""``manage.py backup``: one pg_dump file of the database (see mindscape/ops/backup.py)."""

from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from mindscape.ops.backup import BackupError, backup


class Command(BaseCommand):
    help = (
        "Dump the database (pg_dump custom format, mode 0600) into BACKUP_DIR under a "
        "timestamped name, or into --output."
    )

    def add_arguments(self, parser):
        parser.add_argument("--output", type=Path, help="the file to write (must not exist)")
        parser.add_argument("--directory", type=Path, help="default: the BACKUP_DIR setting")

    def handle(self, *args, output=None, directory=None, **options):
        try:
            path = backup(
                settings.DATABASES["default"],
                directory=directory or Path(settings.BACKUP_DIR),
                output=output,
            )
        except BackupError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(f"Backup written: {path} ({path.stat().st_size:,} bytes)")
