"""The move of the clinic's models and the audit log out of mindscape (clinic 0001, audit
0001, mindscape 0005) on a database that has rows: the tables and their rows stay, the
content types follow the models (same ids), so every role and person keeps their rights and
every audit entry about a clinic record still shows in its history and the log's filters."""

import pytest
from django.contrib.auth.models import Group, Permission
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.urls import reverse

from audit import words
from audit.models import AuditEntry
from clinic.models import Clinic, Page
from mindscape import roles

pytestmark = pytest.mark.django_db

# Undoing the two apps' 0001 undoes mindscape 0005 too (it depends on them).
BEFORE = [("clinic", None), ("audit", None)]
BEFORE_STATE = [("mindscape", "0004_ratelimitcount")]
AFTER = [
    ("mindscape", "0005_clinic_and_audit_moved_out"),
    ("clinic", "0001_initial"),
    ("audit", "0001_initial"),
]
MOVED = {
    "clinic": {"clinic", "officehours", "clinicclosure", "page"},
    "audit": {"auditentry"},
}


def migrate(targets, state):
    """Migrate to ``targets``; return ``state``'s models (rows are made through them)."""
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    ContentType.objects.clear_cache()  # the ids stay, the labels change under the cache
    return executor.loader.project_state(state).apps


def labels(app_label):
    return set(ContentType.objects.filter(app_label=app_label).values_list("model", flat=True))


def test_rows_rights_and_audit_history_survive_the_move(staff_client):
    old = migrate(BEFORE, BEFORE_STATE)
    assert MOVED["clinic"] | MOVED["audit"] <= labels("mindscape")
    assert not labels("clinic") and not labels("audit")

    OldContentType = old.get_model("contenttypes", "ContentType")
    page_type = OldContentType.objects.get(app_label="mindscape", model="page")
    clinic_type = OldContentType.objects.get(app_label="mindscape", model="clinic")
    old.get_model("mindscape", "Clinic").objects.update_or_create(
        pk=1, defaults={"name": "Harbor Clinic"}
    )
    page = old.get_model("mindscape", "Page").objects.create(
        slug="about-us", title="About us", summary="Who we are.", body="Hello."
    )
    entry = old.get_model("mindscape", "AuditEntry").objects.create(
        actor_username="dana",
        action="changed",
        content_type=page_type,
        object_pk=str(page.pk),
        object_label=f"Page #{page.pk}",
        detail={"fields": ["title"]},
    )
    change_page = Permission.objects.get(content_type_id=page_type.pk, codename="change_page")
    export = Permission.objects.get(codename="export_auditentry")
    grants = {
        name: set(Group.objects.get(name=name).permissions.values_list("pk", flat=True))
        for name in roles.ROLES
    }
    assert change_page.pk in grants[roles.CONTENT_EDITOR]

    migrate(AFTER, AFTER)

    # The same content type rows under the new labels, nothing left behind.
    assert MOVED["clinic"] == labels("clinic")
    assert MOVED["audit"] == labels("audit")
    assert not (MOVED["clinic"] | MOVED["audit"]) & labels("mindscape")
    assert ContentType.objects.get_for_model(Page).pk == page_type.pk
    assert ContentType.objects.get_for_model(Clinic).pk == clinic_type.pk
    # The rows, read through today's models.
    assert Clinic.load().name == "Harbor Clinic"
    assert Page.objects.get(pk=page.pk).title == "About us"
    # Permissions keep their ids; every role keeps exactly what it had, under the new names.
    assert Permission.objects.get(pk=change_page.pk).content_type.app_label == "clinic"
    assert Permission.objects.get(pk=export.pk).content_type.app_label == "audit"
    for name, had in grants.items():
        group = Group.objects.get(name=name)
        assert set(group.permissions.values_list("pk", flat=True)) == had, name
    editor = staff_client(roles.CONTENT_EDITOR).user
    assert editor.has_perm("clinic.change_page")
    # The old entry is the page's history and is found by the log's record-type filter.
    moved = AuditEntry.objects.get(pk=entry.pk)
    page_now = Page.objects.get(pk=page.pk)
    assert [sentence for _, sentence in words.history(page_now)] == [
        "dana changed page “About us” (title)"
    ]
    admin = staff_client(roles.ADMINISTRATOR)
    response = admin.get(
        reverse("admin:audit_auditentry_changelist"), {"record_type": page_type.pk}
    )
    assert [e.pk for e in response.context["cl"].result_list] == [moved.pk]
    assert ("Page", str(page_type.pk)) in {
        (label, value) for value, label in response.context["cl"].filter_specs[1].lookup_choices
    }
    history = admin.get(reverse("admin:clinic_page_history", args=[page.pk]))
    assert "dana changed page “About us” (title)" in history.content.decode()


def test_the_move_is_undone_on_the_way_back():
    page_type = ContentType.objects.get_for_model(Page)
    migrate(BEFORE, BEFORE_STATE)
    assert ContentType.objects.get(pk=page_type.pk).app_label == "mindscape"
    migrate(AFTER, AFTER)
    assert ContentType.objects.get(pk=page_type.pk).app_label == "clinic"
