"""Screenings at rest: nothing readable in our tables or the shared stores, rotation,
tampering refused, and who may open one."""

import io

import pytest
import time_machine
from cryptography.fernet import Fernet, InvalidToken
from django.core.management import call_command
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from audit.models import AuditEntry
from intake import crypto
from intake.models import Screening, ScreeningNote
from mindscape import roles
from tests.booking.conftest import at
from tests.factories import ConsultationTypeFactory, LocationFactory, book

pytestmark = pytest.mark.django_db

SECRETS = {
    "name": "Marguerite Oyelaran-Tsai",
    "email": "m.oyelaran.tsai@example.org",
    "phone": "+12075550199",
    "date_of_birth": "1984-03-17",
    "emergency_contact": "Delphine Oyelaran",
    "answer_text": "Sertraline 150mg and lamotrigine",
}
# Tables that may never hold a screening's content (the booking tables are allowed their
# own contact details, so the screening's person differs from the booking's).
SHARED_TABLES = [
    "intake_screening",
    "intake_screeningnote",
    "django_session",
    "django_admin_log",
    "mindscape_auditentry",
    "blog_zeroresultsearch",
    "django_tasks_database_dbtaskresult",
]


def make_screening(**overrides) -> Screening:
    fields = {
        "status": Screening.Status.SUBMITTED,
        "identity": {
            "name": SECRETS["name"],
            "email": SECRETS["email"],
            "phone": SECRETS["phone"],
            "date_of_birth": SECRETS["date_of_birth"],
            "emergency_contact": {"name": SECRETS["emergency_contact"], "phone": "+12075550100"},
        },
        "answers": {
            "phq9": {"version": "x", "items": {"phq9_1": 2, "phq9_9": 1}},
            "medications": {"text": SECRETS["answer_text"]},
        },
        "email_lookup": crypto.lookup_hash(SECRETS["email"]),
        "phq9_total": 12,
        "phq9_item9": 1,
        "urgency": 3,
        "submitted_at": timezone.now(),
        **overrides,
    }
    return Screening.objects.create(**fields)


def raw_text(table: str) -> str:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT * FROM {table}")  # noqa: S608 — our own table names
        return "\n".join(repr(row) for row in cursor.fetchall())


def test_nothing_identifying_is_readable_in_our_tables_or_the_shared_stores(staff_client):
    location = LocationFactory()
    phone_call = ConsultationTypeFactory(locations=[location])
    with time_machine.travel(at(1, 8), tick=False):
        consultation = book(location, phone_call, at(2, 10))
    linked = make_screening(consultation=consultation)
    make_screening()
    client = staff_client(roles.CLINICIAN)
    client.get(reverse("admin:intake_screening_changelist"))
    client.get(reverse("admin:intake_screening_change", args=[linked.pk]))
    client.post(
        reverse("admin:intake_screening_note", args=[linked.pk]),
        {"text": f"Called {SECRETS['name']}, discussed {SECRETS['answer_text']}"},
    )
    assert linked.notes.get().text.startswith("Called Marguerite")
    assert client.session.session_key  # a real session row exists and was scanned
    for table in SHARED_TABLES:
        text = raw_text(table).lower()
        for what, secret in SECRETS.items():
            assert secret.lower() not in text, f"{what} readable in {table}"
    # What the clinician opened was the real content, decrypted.
    linked.refresh_from_db()
    assert linked.identity["name"] == SECRETS["name"]


def test_the_email_lookup_finds_a_screening_without_storing_the_email():
    screening = make_screening()
    found = Screening.objects.get(email_lookup=crypto.lookup_hash("  M.Oyelaran.Tsai@Example.org "))
    assert found == screening
    assert SECRETS["email"] not in screening.email_lookup


def test_lookups_on_encrypted_fields_are_refused():
    from django.core.exceptions import FieldError

    with pytest.raises(FieldError):
        list(Screening.objects.filter(identity__contains="Marguerite"))


def test_tampered_ciphertext_is_refused():
    screening = make_screening()
    with connection.cursor() as cursor:
        cursor.execute("SELECT answers FROM intake_screening WHERE id = %s", [screening.pk])
        token = cursor.fetchone()[0]
        flipped = token[:40] + ("A" if token[40] != "A" else "B") + token[41:]
        cursor.execute(
            "UPDATE intake_screening SET answers = %s WHERE id = %s", [flipped, screening.pk]
        )
    with pytest.raises(InvalidToken):
        Screening.objects.get(pk=screening.pk)


def test_rotation_re_encrypts_every_row_with_the_newest_key(settings):
    old_key = settings.INTAKE_ENCRYPTION_KEYS[0]
    settings.INTAKE_ENCRYPTION_KEYS = [old_key]
    screenings = [make_screening(), make_screening(status=Screening.Status.DRAFT, urgency=None)]
    ScreeningNote.objects.create(screening=screenings[0], text=SECRETS["answer_text"])
    before = raw_text("intake_screening")
    new_key = Fernet.generate_key().decode()
    settings.INTAKE_ENCRYPTION_KEYS = [new_key, old_key]
    call_command("rotate_intake_keys", stdout=io.StringIO())
    assert raw_text("intake_screening") != before
    settings.INTAKE_ENCRYPTION_KEYS = [new_key]  # the old key can now be dropped
    for screening in screenings:
        assert Screening.objects.get(pk=screening.pk).identity["name"] == SECRETS["name"]
    assert ScreeningNote.objects.get().text == SECRETS["answer_text"]
    settings.INTAKE_ENCRYPTION_KEYS = [old_key]  # and the old key alone no longer reads them
    with pytest.raises(InvalidToken):
        Screening.objects.get(pk=screenings[0].pk)


# --- Who may see what ---------------------------------------------------------------------

LIST = reverse("admin:intake_screening_changelist")


@pytest.mark.parametrize(
    ("role", "list_status", "open_status"),
    [
        (roles.ADMINISTRATOR, 200, 200),
        (roles.CLINICIAN, 200, 200),
        (roles.FRONT_DESK, 200, 403),
        (roles.CONTENT_EDITOR, 403, 403),
        (roles.MEDICAL_REVIEWER, 403, 403),
    ],
)
def test_only_clinicians_and_administrators_open_a_screening(
    staff_client, role, list_status, open_status
):
    screening = make_screening()
    client = staff_client(role)
    listing = client.get(LIST)
    assert listing.status_code == list_status
    if list_status == 200:
        html = listing.content.decode()
        if role == roles.FRONT_DESK:  # a neutral band, nothing clinical
            assert '<td class="field-urgency_neutral">Urgent</td>' in html
            assert "C-SSRS question 2" not in html
        else:
            assert "3 · C-SSRS question 2 yes (active thoughts); crisis wording" in html
        for secret in SECRETS.values():
            assert secret not in html
    for url in (
        reverse("admin:intake_screening_change", args=[screening.pk]),
        reverse("admin:intake_screening_history", args=[screening.pk]),
    ):
        assert client.get(url).status_code == open_status
    opened = AuditEntry.objects.filter(action="screening_viewed")
    assert opened.count() == (1 if open_status == 200 else 0)
    if open_status == 200:
        assert opened.get().actor == client.user
        assert opened.get().object_label == f"Screening #{screening.pk}"


def test_the_clinician_sees_the_decrypted_contents(staff_client):
    screening = make_screening()
    page = staff_client(roles.CLINICIAN).get(
        reverse("admin:intake_screening_change", args=[screening.pk])
    )
    html = page.content.decode()
    assert SECRETS["name"] in html
    assert "Awaiting the medical director&#x27;s sign-off: the wording of" in html
    assert "C-SSRS" in html.split("sign-off: the wording of")[1][:200]


def test_only_clinicians_and_administrators_add_notes_and_the_audit_keeps_no_text(staff_client):
    screening = make_screening()
    url = reverse("admin:intake_screening_note", args=[screening.pk])
    assert staff_client(roles.FRONT_DESK).post(url, {"text": "hello"}).status_code == 403
    client = staff_client(roles.CLINICIAN)
    assert client.get(url).status_code == 405  # nothing changes on GET
    client.post(url, {"text": "Left a voicemail"})
    entry = AuditEntry.objects.get(action="screening_note_added")
    assert "voicemail" not in str(entry.detail) + entry.object_label
    page = client.get(reverse("admin:intake_screening_change", args=[screening.pk]))
    assert "Left a voicemail" in page.content.decode()
