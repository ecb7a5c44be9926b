"""The audit log: append-only in the database, no patient data, outlives its subjects."""

import pytest
from django.contrib.auth import get_user_model
from django.db import InternalError, ProgrammingError, connection, transaction
from django.urls import reverse

from audit import log as audit
from audit.models import AuditEntry
from clinic.models import Page
from mindscape import roles
from tests.factories import PageFactory, UserFactory

pytestmark = pytest.mark.django_db

REFUSED = (InternalError, ProgrammingError)


@pytest.fixture
def entry():
    actor = UserFactory(username="jdoe")
    return audit.record(
        actor, "published", PageFactory(title="Jane Roe's story"), {"fields": ["title"]}
    )


def test_record_stores_codes_and_a_neutral_label(entry):
    assert entry.actor_username == "jdoe"
    assert entry.action == "published"
    assert entry.object_label == f"Page #{entry.object_pk}"
    assert "Roe" not in entry.object_label  # never the object's __str__
    assert entry.detail == {"fields": ["title"]}
    assert entry.content_type.model == "page"


@pytest.mark.parametrize(
    "detail",
    [
        {"note": "Patient Jane called back"},
        {"email": "jane@example.com"},
        {"fields": ["name", "Jane Roe"]},
        {"Free Text Key": 1},
        {"when": 1.5},
    ],
)
def test_record_refuses_free_text_and_values(detail):
    with pytest.raises(audit.NotACode):
        audit.record(None, "changed", None, detail)
    assert not AuditEntry.objects.exists()


def test_record_refuses_a_free_text_action():
    with pytest.raises(audit.NotACode):
        audit.record(None, "Called Jane about her results")


def test_orm_cannot_change_or_delete_an_entry(entry):
    entry.action = "tampered"
    with pytest.raises(PermissionError):
        entry.save()
    with pytest.raises(PermissionError):
        entry.delete()
    with pytest.raises(PermissionError):
        AuditEntry.objects.filter(pk=entry.pk).update(action="tampered")
    with pytest.raises(PermissionError):
        AuditEntry.objects.all().delete()


@pytest.mark.parametrize(
    "sql",
    [
        "UPDATE mindscape_auditentry SET action = 'tampered'",
        "UPDATE mindscape_auditentry SET actor_id = NULL, action = 'tampered'",
        "DELETE FROM mindscape_auditentry",
    ],
)
def test_database_refuses_update_and_delete(entry, sql):
    with (
        pytest.raises(REFUSED, match="append-only"),
        transaction.atomic(),
        connection.cursor() as cur,
    ):
        cur.execute(sql)
    entry.refresh_from_db()
    assert entry.action == "published"


def test_entries_outlive_the_object_and_the_actor(entry):
    page = Page.objects.get(pk=entry.object_pk)
    page.delete()
    get_user_model().objects.filter(username="jdoe").delete()  # SET_NULL is the one allowed update
    entry.refresh_from_db()
    assert entry.actor is None
    assert entry.actor_username == "jdoe"
    assert entry.action == "published"
    assert entry.object_label.startswith("Page #")


def test_system_and_anonymous_actors_are_recorded_as_empty():
    from django.contrib.auth.models import AnonymousUser

    assert audit.record(None, "task_ran").actor_username == ""
    assert audit.record(AnonymousUser(), "patient_cancelled").actor is None


def test_admin_shows_the_log_read_only_even_to_a_superuser(staff_client, entry):
    client = staff_client(roles.ADMINISTRATOR, is_superuser=True)
    entries_before = AuditEntry.objects.count()  # the entry and the sign-in
    changelist = client.get(reverse("admin:audit_auditentry_changelist"))
    assert changelist.status_code == 200
    assert b"published" in changelist.content
    assert client.get(reverse("admin:audit_auditentry_add")).status_code == 403
    detail_url = reverse("admin:audit_auditentry_change", args=[entry.pk])
    assert client.post(detail_url, {"action": "tampered"}).status_code == 403
    delete_url = reverse("admin:audit_auditentry_delete", args=[entry.pk])
    assert client.post(delete_url, {"post": "yes"}).status_code == 403
    bulk = client.post(
        reverse("admin:audit_auditentry_changelist"),
        {"action": "delete_selected", "_selected_action": [entry.pk], "post": "yes"},
    )
    assert bulk.status_code in (200, 302)
    entry.refresh_from_db()
    assert entry.action == "published"
    assert AuditEntry.objects.count() == entries_before


def test_admin_edits_are_audited_with_field_names_only(staff_client):
    client = staff_client(roles.CONTENT_EDITOR)
    page = PageFactory(title="FAQ")
    url = reverse("admin:clinic_page_change", args=[page.pk])
    response = client.post(
        url,
        {
            "slug": page.slug,
            "title": "Questions",
            "summary": "s",
            "body": "b",
            "is_published": "on",
        },
    )
    assert response.status_code == 302
    entry = AuditEntry.objects.get(action="changed")
    assert entry.actor_username == client.user.username
    assert entry.detail == {"fields": ["body", "summary", "title"]}
    assert "Questions" not in str(entry.detail)


def test_the_audit_app_owns_the_triggers_that_protect_its_table(db):
    with connection.cursor() as cur:
        cur.execute(
            "SELECT tgname FROM pg_trigger "
            "WHERE tgrelid = 'mindscape_auditentry'::regclass AND NOT tgisinternal ORDER BY 1"
        )
        assert [name for (name,) in cur.fetchall()] == [
            "audit_entry_no_delete",
            "audit_entry_no_update",
        ]
