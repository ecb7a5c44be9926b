"""Re-encrypt every screening with the newest key (the first of INTAKE_ENCRYPTION_KEYS)."""

from django.core.management.base import BaseCommand
from django.db import connection, transaction

from intake.crypto import rotate
from intake.models import Screening

ENCRYPTED = ("identity", "answers")


class Command(BaseCommand):
    help = (
        "Re-encrypt every screening with the newest key. Run after putting a new key first "
        "in INTAKE_ENCRYPTION_KEYS; then the old key can be removed."
    )

    def handle(self, *args, **options):
        table = Screening._meta.db_table
        columns = ", ".join(ENCRYPTED)
        rotated = 0
        # Row by row on the raw ciphertext: plaintext never leaves the cryptography library.
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(f"SELECT id, {columns} FROM {table} ORDER BY id FOR UPDATE")  # noqa: S608
            for pk, *tokens in cursor.fetchall():
                fresh = [rotate(token) if token is not None else None for token in tokens]
                assignments = ", ".join(f"{column} = %s" for column in ENCRYPTED)
                cursor.execute(
                    f"UPDATE {table} SET {assignments} WHERE id = %s",  # noqa: S608
                    [*fresh, pk],
                )
                rotated += 1
        self.stdout.write(f"Re-encrypted {rotated} screenings with the newest key.")
