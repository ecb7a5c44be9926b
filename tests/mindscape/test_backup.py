"""A backup restores into a new database with every record, screenings still readable with
the configured keys (manage.py backup / restore, mindscape/ops/backup.py)."""

import re
import stat

import pytest
import time_machine
from django.apps import apps
from django.core.management import CommandError, call_command
from django.db import connection

from audit.models import AuditEntry
from intake import services as intake_services
from intake.models import Acknowledgement, Screening, ScreeningNote
from mindscape.ops import backup
from tests.booking.conftest import NOW, at
from tests.builders.intake import questionnaire_data, through
from tests.factories import ArticleFactory, ConsultationTypeFactory, LocationFactory, book

pytestmark = pytest.mark.django_db(transaction=True)  # pg_dump sees committed rows only


def server(name):
    """A plain connection to database ``name`` on the test server."""
    return backup._connect(connection.settings_dict, name)


def drop(name):
    admin = server(connection.settings_dict["NAME"])
    with admin.cursor() as cursor:
        cursor.execute(f'DROP DATABASE IF EXISTS "{name}"')
    admin.close()


@pytest.fixture
def target():
    """The name of a database to restore into (dropped afterwards)."""
    name = connection.settings_dict["NAME"] + "_restored"
    drop(name)
    yield name
    drop(name)


def every_record(cursor):
    """Every model's table → its primary keys, read with plain SQL (many-to-many tables
    included: an article's categories, a user's groups)."""
    found = {}
    for model in apps.get_models(include_auto_created=True):
        meta = model._meta
        # Names from our own models, not from input.
        cursor.execute(f'SELECT "{meta.pk.column}" FROM "{meta.db_table}" ORDER BY 1')  # noqa: S608
        found[meta.label] = [row[0] for row in cursor.fetchall()]
    return found


def decrypted(cursor, model, field_name, pk):
    """A column read from the restored database and decrypted by the model's own field."""
    field = model._meta.get_field(field_name)
    query = f'SELECT "{field.column}" FROM "{model._meta.db_table}" WHERE id = %s'  # noqa: S608
    cursor.execute(query, [pk])
    raw = cursor.fetchone()[0]
    return raw, field.from_db_value(raw, None, connection)


def test_a_backup_restores_every_record_with_screenings_readable(
    client, target, tmp_path, staff_user
):
    location = LocationFactory()
    with time_machine.travel(NOW, tick=False):
        consultation = book(location, ConsultationTypeFactory(locations=[location]), at(2, 10))
    # A screening with a sign of risk (PHQ-9 item 9), acknowledged, with a clinician's note.
    through(client, questionnaires=questionnaire_data(item9="1"), upto="end")
    article = ArticleFactory()
    screening = Screening.objects.get(status=Screening.Status.SUBMITTED)
    clinician = staff_user("Clinician")
    acknowledgement = intake_services.screening_acknowledge(
        screening=screening,
        action=Acknowledgement.Action.CALLED_PATIENT,
        note="Called Ada Lovelace; safe at home with her sister",
        by=clinician,
    )
    note = intake_services.screening_note_add(
        screening=screening, text="Ada Lovelace asked for an evening call", by=clinician
    )
    assert AuditEntry.objects.filter(action="consultation_booked").exists()
    assert AuditEntry.objects.count() >= 2

    call_command("backup", directory=tmp_path / "backups")
    (dump,) = (tmp_path / "backups").iterdir()
    assert re.fullmatch(r"test_\w+-\d{8}T\d{6}Z\.dump", dump.name)
    assert stat.S_IMODE(dump.stat().st_mode) == 0o600
    assert stat.S_IMODE(dump.parent.stat().st_mode) == 0o700
    assert b"Lovelace" not in dump.read_bytes()  # screenings stay encrypted in the file

    call_command("restore", str(dump), into=target)

    restored = server(target)
    with restored.cursor() as cursor, connection.cursor() as original:
        records = every_record(cursor)
        assert records == every_record(original)
        assert records["booking.Consultation"] == [consultation.pk]
        assert records["blog.Article"] == [article.pk]
        assert records["intake.Screening"] == [screening.pk]
        assert records["intake.Acknowledgement"] == [acknowledgement.pk]
        assert records["intake.ScreeningNote"] == [note.pk]
        assert len(records["audit.AuditEntry"]) == AuditEntry.objects.count()
        # Many-to-many rows too.
        assert len(records["blog.Article_categories"]) == article.categories.count() == 1
        assert len(records["auth.User_groups"]) == 1

        raw, identity = decrypted(cursor, Screening, "identity", screening.pk)
        assert "Lovelace" not in raw  # ciphertext in the database…
        assert identity["last_name"] == "Lovelace"  # …read with the configured key
        assert identity == screening.identity
        assert decrypted(cursor, Screening, "answers", screening.pk)[1] == screening.answers
        for model, field, pk in (
            (Acknowledgement, "note", acknowledgement.pk),
            (ScreeningNote, "text", note.pk),
        ):
            raw, text = decrypted(cursor, model, field, pk)
            assert "Lovelace" not in raw
            assert text == getattr(model.objects.get(pk=pk), field)
            assert text.startswith(("Called Ada Lovelace", "Ada Lovelace asked"))
        cursor.execute("SELECT email FROM booking_consultation")
        assert cursor.fetchone()[0] == consultation.email
        cursor.execute("SELECT action FROM mindscape_auditentry ORDER BY id")
        assert [row[0] for row in cursor.fetchall()] == list(
            AuditEntry.objects.order_by("id").values_list("action", flat=True)
        )
    restored.close()


def test_restore_refuses_a_database_that_holds_tables(target, tmp_path):
    ArticleFactory()
    dump = tmp_path / "site.dump"
    call_command("backup", output=dump)
    call_command("restore", str(dump), into=target)
    with pytest.raises(CommandError, match="is not empty"):
        call_command("restore", str(dump), into=target)
    with pytest.raises(CommandError, match="is the database this site uses"):
        call_command("restore", str(dump), into=connection.settings_dict["NAME"])
    call_command("restore", str(dump), into=target, replace=True)  # when told
    with pytest.raises(CommandError, match="never overwrites"):
        call_command("backup", output=dump)


def test_restore_refuses_a_file_that_is_not_a_backup(target, tmp_path):
    junk = tmp_path / "junk.dump"
    junk.write_text("not a backup")
    with pytest.raises(CommandError, match="pg_restore failed"):
        call_command("restore", str(junk), into=target)
    admin = server(connection.settings_dict["NAME"])
    with admin.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [target])
        assert cursor.fetchone() is None  # nothing was created
    admin.close()


def test_the_tools_match_the_server():
    server = backup.server_major_version(connection.settings_dict)
    pg_dump = backup.find_tool("pg_dump", server)
    assert backup.tool_major_version(pg_dump) >= server
    if backup.embedded_bindir():  # preferred when new enough
        assert pg_dump.parent == backup.embedded_bindir() or server > 18
    with pytest.raises(backup.BackupError, match="No pg_dump for PostgreSQL 99"):
        backup.find_tool("pg_dump", 99)


def test_the_password_goes_in_the_environment():
    env = backup.libpq_environment(
        {
            "NAME": "clinic",
            "HOST": "db.internal",
            "PORT": 5432,
            "USER": "site",
            "PASSWORD": "s3cret",
            "OPTIONS": {"sslmode": "verify-full"},
        }
    )
    assert env == {
        "PGHOST": "db.internal",
        "PGPORT": "5432",
        "PGUSER": "site",
        "PGPASSWORD": "s3cret",
        "PGDATABASE": "clinic",
        "PGSSLMODE": "verify-full",
    }
