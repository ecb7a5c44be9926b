"""Re-encrypt every screening with the newest key (the first of INTAKE_ENCRYPTION_KEYS)."""

from django.core.management.base import BaseCommand
from django.db import connection, transaction

from intake.crypto import EncryptedJSONField, EncryptedTextField, rotate
from intake.models import Acknowledgement, Screening, ScreeningNote

MODELS = (Screening, ScreeningNote, Acknowledgement)


class Command(BaseCommand):
    help = (
        "Re-encrypt every screening with the newest key. Run after putting a new key first "
        "in INTAKE_ENCRYPTION_KEYS; then the old key can be removed."
    )

    def handle(self, *args, **options):
        with transaction.atomic():
            for model in MODELS:
                count = self.rotate_table(model)
                self.stdout.write(
                    f"Re-encrypted {count} {model._meta.verbose_name_plural} with the newest key."
                )

    def rotate_table(self, model) -> int:
        """Row by row on the raw ciphertext: plaintext never reaches Python objects here."""
        table = model._meta.db_table
        encrypted = [
            f.column
            for f in model._meta.fields
            if isinstance(f, EncryptedJSONField | EncryptedTextField)
        ]
        columns = ", ".join(encrypted)
        assignments = ", ".join(f"{column} = %s" for column in encrypted)
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT id, {columns} FROM {table} ORDER BY id FOR UPDATE")  # noqa: S608
            rows = cursor.fetchall()
            for pk, *tokens in rows:
                fresh = [rotate(token) if token is not None else None for token in tokens]
                cursor.execute(
                    f"UPDATE {table} SET {assignments} WHERE id = %s",  # noqa: S608
                    [*fresh, pk],
                )
        return len(rows)
