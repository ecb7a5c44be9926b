"""``manage.py restore FILE --into NAME``: a backup into a database (mindscape/ops/backup.py)."""

from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from mindscape.ops.backup import BackupError, restore


class Command(BaseCommand):
    help = (
        "Restore a backup into database NAME on the configured server (created if missing). "
        "A database that holds tables is refused unless --replace."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path)
        parser.add_argument("--into", required=True, metavar="NAME", help="target database")
        parser.add_argument(
            "--replace",
            action="store_true",
            help="drop and recreate NAME if it already holds tables",
        )

    def handle(self, *args, file, into, replace, **options):
        try:
            restore(settings.DATABASES["default"], file=file, into=into, replace=replace)
        except BackupError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(
            f"Restored {file} into database {into!r}. To serve it, point DATABASE_URL at it."
        )
