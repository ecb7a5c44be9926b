"""The audit log as a reviewer uses it: filters, CSV export for the Administrator, the
events it records, and no way to change or delete an entry through the admin."""

import csv
import datetime as dt
import io

import pytest
import time_machine
from django.contrib.auth.models import Group
from django.urls import reverse
from django.utils import timezone

from audit import log as audit
from audit.models import AuditEntry
from mindscape import roles
from tests.factories import PageFactory, UserFactory

pytestmark = pytest.mark.django_db

CHANGELIST = reverse("admin:audit_auditentry_changelist")
EXPORT = reverse("admin:audit_auditentry_export")


@pytest.fixture
def log():
    """Three entries by two people on three days."""
    ana, ben = UserFactory(username="ana"), UserFactory(username="ben")
    page = PageFactory()
    start = timezone.make_aware(dt.datetime(2026, 3, 2, 12))
    with time_machine.travel(start):
        audit.record(ana, "published", page)
    with time_machine.travel(start + dt.timedelta(days=1)):
        audit.record(ben, "screening_acknowledged", page)
    with time_machine.travel(start + dt.timedelta(days=2)):
        audit.record(None, "sign_in_failed", ana, {"account": "known", "locked_out": False})
    return {"ana": ana, "ben": ben, "page": page}


def listed(response) -> list[str]:
    """The actions listed, leaving out the role grants that made the test's staff accounts."""
    return [
        entry.action
        for entry in response.context["cl"].result_list
        if entry.action != "role_changed"
    ]


@pytest.fixture
def reviewer(staff_client):
    return staff_client(roles.ADMINISTRATOR)


def test_filter_by_person_includes_entries_about_their_account(reviewer, log):
    response = reviewer.get(CHANGELIST, {"person": log["ana"].pk})
    assert sorted(listed(response)) == ["published", "sign_in_failed"]


def test_filter_by_record_type_and_action(reviewer, log):
    from django.contrib.contenttypes.models import ContentType

    page_type = ContentType.objects.get_for_model(log["page"])
    by_type = reviewer.get(CHANGELIST, {"record_type": page_type.pk})
    assert sorted(listed(by_type)) == ["published", "screening_acknowledged"]
    by_action = reviewer.get(CHANGELIST, {"action": "screening_acknowledged"})
    assert listed(by_action) == ["screening_acknowledged"]
    choices = by_action.content.decode()
    assert "screening_acknowledged" in choices and "published" in choices


def test_filter_by_date_range(reviewer, log):
    response = reviewer.get(CHANGELIST, {"at_from": "2026-03-03", "at_to": "2026-03-03"})
    assert listed(response) == ["screening_acknowledged"]
    response = reviewer.get(CHANGELIST, {"at_from": "2026-03-03"})
    assert sorted(listed(response)) == ["screening_acknowledged", "sign_in_failed"]
    assert b'name="at_from"' in response.content and b'value="2026-03-03"' in response.content
    nonsense = reviewer.get(CHANGELIST, {"at_from": "yesterday"})
    assert nonsense.status_code == 200 and len(listed(nonsense)) >= 3


def test_the_date_range_is_in_the_clinic_time_zone_not_the_server_one(reviewer, settings):
    from clinic.models import Clinic

    assert settings.TIME_ZONE == "America/New_York"
    clinic = Clinic.load()
    clinic.time_zone = "America/Los_Angeles"
    clinic.save()
    # 22:30 on March 2nd at the clinic, already 01:30 on March 3rd in New York.
    late = dt.datetime(2026, 3, 3, 6, 30, tzinfo=dt.UTC)
    with time_machine.travel(late):
        audit.record(None, "published")
    with time_machine.travel(late + dt.timedelta(hours=2)):  # 00:30 March 3rd at the clinic
        audit.record(None, "unpublished")
    march_2 = reviewer.get(CHANGELIST, {"at_from": "2026-03-02", "at_to": "2026-03-02"})
    assert listed(march_2) == ["published"]
    march_3 = reviewer.get(CHANGELIST, {"at_from": "2026-03-03", "at_to": "2026-03-03"})
    assert listed(march_3) == ["unpublished"]
    export = reviewer.get(EXPORT, {"at_to": "2026-03-02"}).content.decode()
    assert [row[2] for row in csv.reader(io.StringIO(export))][1:] == ["published"]


def test_the_administrator_exports_the_filtered_log_as_csv(reviewer, log):
    response = reviewer.get(EXPORT, {"person": log["ana"].pk})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert rows[0][:3] == ["at (UTC)", "person", "action"]
    assert sorted(row[2] for row in rows[1:]) == ["published", "sign_in_failed"]
    entry = AuditEntry.objects.get(action="audit_log_exported")
    assert entry.actor == reviewer.user and entry.detail == {"rows": 2}
    assert b"Export these entries" in reviewer.get(CHANGELIST).content


def test_csv_cells_cannot_become_formulas(reviewer):
    audit.record(UserFactory(username="=evil"), "published")
    rows = list(csv.reader(io.StringIO(reviewer.get(EXPORT).content.decode())))
    assert [row[1] for row in rows[1:] if row[2] == "published"] == ["'=evil"]


def test_a_bad_filter_value_sends_list_and_export_to_the_list_saying_so(reviewer, log):
    query = {"at__year": "not-a-year"}  # the date hierarchy's own parameter
    assert reviewer.get(CHANGELIST, query)["Location"] == f"{CHANGELIST}?e=1"
    response = reviewer.get(EXPORT, query)
    assert (response.status_code, response["Location"]) == (302, f"{CHANGELIST}?e=1")
    assert not AuditEntry.objects.filter(action="audit_log_exported").exists()


def test_a_lookup_the_list_does_not_offer_is_refused_by_list_and_export(reviewer, log):
    query = {"actor__username": "ana"}  # people are chosen through the "person" filter
    assert reviewer.get(CHANGELIST, query).status_code == 400
    assert reviewer.get(EXPORT, query).status_code == 400
    assert not AuditEntry.objects.filter(action="audit_log_exported").exists()


@pytest.mark.parametrize("role", [r for r in roles.ROLES if r != roles.ADMINISTRATOR])
def test_nobody_else_may_export(staff_client, role, log):
    client = staff_client(role)
    assert client.get(EXPORT).status_code == 403
    assert b"Export these entries" not in client.get(CHANGELIST).content
    assert not AuditEntry.objects.filter(action="audit_log_exported").exists()


@pytest.mark.parametrize("superuser", [False, True])
def test_no_admin_request_changes_or_deletes_an_entry(staff_client, log, superuser):
    client = staff_client(roles.ADMINISTRATOR, is_superuser=superuser)
    entry = AuditEntry.objects.get(action="published")
    snapshot = list(AuditEntry.objects.order_by("pk").values())
    change = reverse("admin:audit_auditentry_change", args=[entry.pk])
    delete = reverse("admin:audit_auditentry_delete", args=[entry.pk])
    assert client.post(change, {"action": "tampered", "actor_username": "x"}).status_code == 403
    assert client.post(delete, {"post": "yes"}).status_code == 403
    assert client.post(reverse("admin:audit_auditentry_add"), {"action": "x"}).status_code == 403
    client.post(
        CHANGELIST, {"action": "delete_selected", "_selected_action": [entry.pk], "post": "yes"}
    )
    history = reverse("admin:audit_auditentry_history", args=[entry.pk])
    assert client.get(history).status_code == 200
    assert list(AuditEntry.objects.order_by("pk").values()) == snapshot


def test_the_orm_refuses_every_normal_path(log):
    entry = AuditEntry.objects.get(action="published")
    for attempt in (
        lambda: AuditEntry.objects.filter(pk=entry.pk).update(action="tampered"),
        lambda: AuditEntry.objects.filter(pk=entry.pk).delete(),
        lambda: AuditEntry.objects.all().delete(),
        entry.delete,
    ):
        with pytest.raises(PermissionError):
            attempt()
    entry.action = "tampered"
    with pytest.raises(PermissionError):
        entry.save()
    assert AuditEntry.objects.filter(action="published").count() == 1


# --- Events --------------------------------------------------------------------------------


def test_role_changes_in_the_admin_are_audited_with_codes(staff_client, staff_user):
    colleague = staff_user(roles.FRONT_DESK)
    client = staff_client(roles.ADMINISTRATOR)
    url = reverse("admin:auth_user_change", args=[colleague.pk])
    clinician = Group.objects.get(name=roles.CLINICIAN)
    before = AuditEntry.objects.order_by("pk").values_list("pk", flat=True).last() or 0
    response = client.post(
        url,
        {
            "username": colleague.username,
            "email": colleague.email,
            "is_active": "on",
            "is_staff": "on",
            "is_superuser": "on",
            "groups": [clinician.pk],
            "date_joined_0": "2026-01-01",
            "date_joined_1": "09:00:00",
            "initial-date_joined_0": "2026-01-01",
            "initial-date_joined_1": "09:00:00",
        },
    )
    assert response.status_code == 302, response.content[:2000]
    # One entry, with its actor: the signals that audit changes made elsewhere stay quiet.
    (entry,) = AuditEntry.objects.filter(action="role_changed", pk__gt=before)
    assert entry.actor == client.user and entry.object_pk == str(colleague.pk)
    assert entry.detail == {
        "groups_added": ["clinician"],
        "groups_removed": ["front-desk"],
        "is_superuser": True,
    }


def test_a_password_set_by_an_administrator_is_audited(staff_client, staff_user):
    colleague = staff_user(roles.CLINICIAN)
    client = staff_client(roles.ADMINISTRATOR)
    url = reverse("admin:auth_user_password_change", args=[colleague.pk])
    new = "a-new-and-long-passphrase-91"
    response = client.post(url, {"password1": new, "password2": new})
    assert response.status_code == 302
    assert AuditEntry.objects.get(action="password_set").object_pk == str(colleague.pk)


def test_groups_are_read_only_in_the_admin(staff_client):
    client = staff_client(roles.ADMINISTRATOR, is_superuser=True)
    group = Group.objects.get(name=roles.FRONT_DESK)
    url = reverse("admin:auth_group_change", args=[group.pk])
    assert client.get(url).status_code == 200
    assert client.post(url, {"name": "Everyone", "permissions": []}).status_code == 403
    group.refresh_from_db()
    assert group.name == roles.FRONT_DESK and group.permissions.exists()


def test_sign_in_and_sign_out_are_audited(client, staff_user):
    from tests.conftest import STAFF_PASSWORD
    from tests.signin import code_for, give_device

    user = staff_user(roles.CLINICIAN)
    device = give_device(user)
    client.post(reverse("admin:login"), {"username": user.username, "password": STAFF_PASSWORD})
    client.post(reverse("admin:staff_verify"), {"code": code_for(device)})
    client.post(reverse("admin:logout"))
    mine = AuditEntry.objects.filter(actor=user).order_by("pk")
    assert [(e.action, e.detail) for e in mine] == [
        ("signed_in", {}),
        ("second_factor_passed", {"method": "authenticator"}),
        ("signed_out", {"reason": "signed_out"}),
    ]
