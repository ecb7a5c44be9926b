"""Roles: groups built from one table, kept in step, documented in docs/roles.md, enforced."""

import re
from pathlib import Path

import pytest
from django.contrib.auth.models import Group, Permission
from django.core.management import call_command
from django.urls import reverse

from mindscape import roles
from mindscape.seed import DEMO_USERS
from tests.builders import roles as matrix

pytestmark = pytest.mark.django_db

ROLES_DOC = Path(__file__).resolve().parents[2] / "docs" / "roles.md"


def group_permissions(role):
    return {
        f"{p.content_type.app_label}.{p.codename}"
        for p in Group.objects.get(name=role).permissions.select_related("content_type")
    }


def test_every_role_exists_with_exactly_its_permissions():
    everything = {
        f"{p.content_type.app_label}.{p.codename}"
        for p in Permission.objects.select_related("content_type")
    }
    for role in roles.ROLES:
        assert group_permissions(role) == roles.permissions_for(role, everything), role


def test_nobody_may_add_change_or_delete_audit_entries():
    for role in roles.ROLES:
        assert not group_permissions(role) & roles.FORBIDDEN


def test_sync_is_idempotent_and_restores_drift():
    editor = Group.objects.get(name=roles.CONTENT_EDITOR)
    editor.permissions.clear()
    editor.permissions.add(Permission.objects.get(codename="delete_auditentry"))
    call_command("migrate", verbosity=0)  # post_migrate runs the sync
    call_command("migrate", verbosity=0)
    assert group_permissions(roles.CONTENT_EDITOR) == roles.ROLE_PERMISSIONS[roles.CONTENT_EDITOR]
    assert Group.objects.filter(name__in=roles.ROLES).count() == len(roles.ROLES)


def doc_matrix():
    """Parse docs/roles.md's role table: {row label: {role: cell text}}."""
    text = ROLES_DOC.read_text()
    section = text.split("## Roles", 1)[1].split("\n## ", 1)[0]
    rows = [line for line in section.splitlines() if line.startswith("|")]
    header = [cell.strip() for cell in rows[0].strip("|").split("|")]
    table = {}
    for line in rows[2:]:
        cells = [cell.strip() for cell in line.strip("|").split("|")]
        table[cells[0]] = dict(zip(header[1:], cells[1:], strict=True))
    return table


DOC_ROWS = {
    "Clinic details": "clinic.{}_clinic",
    "Office hours": "clinic.{}_officehours",
    "Closures": "clinic.{}_clinicclosure",
    "Static pages": "clinic.{}_page",
    "Articles": "blog.{}_article",
    "Publish articles, mark them reviewed": "blog.publish_article",
    "Article revisions": "blog.{}_articlerevision",
    "Approve article revisions": "blog.approve_articlerevision",
    "References": "blog.{}_reference",
    "Categories": "blog.{}_category",
    "Tags": "blog.{}_tag",
    "Contributors": "blog.{}_contributor",
    "Searches that found nothing": "blog.{}_zeroresultsearch",
    "Consultations": "booking.{}_consultation",
    "Export consultations (CSV)": "booking.export_consultation",
    "Call-back requests": "booking.{}_callbackrequest",
    "Consultation messages (emails sent)": "booking.{}_messagedelivery",
    "Staff calendar feeds": "booking.{}_staffcalendarfeed",
    "Locations": "booking.{}_location",
    "Consultation types": "booking.{}_consultationtype",
    "Consultation hours": "booking.{}_openingwindow",
    "Location closures": "booking.{}_closure",
    "Screenings (list: status and urgency)": "intake.{}_screening",
    "Open a screening's contents": "intake.view_screening_contents",
    "Acknowledge screenings, set their review status": "intake.triage_screening",
    "Export the screening queue (CSV, no answers)": "intake.export_screening",
    "Screening alerts to clinical staff": "intake.{}_staffalert",
    "Audit log": "audit.{}_auditentry",
    "Export the audit log (CSV)": "audit.export_auditentry",
    "Staff accounts": "auth.{}_user",
    "Roles (the groups, as in `mindscape/roles.py`)": "auth.{}_group",
    "Reset a colleague's two-factor sign-in": "otp_totp.delete_totpdevice",
    "Access attempts (failed sign-ins being counted)": "axes.{}_accessattempt",
    "Unlock a locked sign-in": "axes.delete_accessattempt",
    "Task results (the worker's queue of emails and jobs)": "django_tasks_database.{}_dbtaskresult",
}
# Rows for records edited inside another admin page (inlines): their page → the host page.
INLINE_ROWS = {
    "clinic.officehours": "clinic.clinic",
    "clinic.clinicclosure": "clinic.clinic",
    "blog.reference": "blog.article",
    "booking.openingwindow": "booking.location",
}
VERBS = {"view": "changelist", "add": "add", "change": "change_post", "delete": "delete"}


def effective_verbs(role: str, label: str) -> set[str]:
    """What ``role`` can do to ``label`` in the admin: its group's permissions less what the
    admin refuses to everyone (NEVER in tests/builders/roles.py, which test_role_matrix.py
    checks page by page as every role).  A record edited inside another page also needs
    that page."""
    if label in INLINE_ROWS:
        app, model = label.split(".")
        has = matrix.granted(role)
        host = effective_verbs(role, INLINE_ROWS[label])
        needs = {"view": "view", "add": "change", "change": "change", "delete": "change"}
        return {v for v in VERBS if f"{app}.{v}_{model}" in has and needs[v] in host}
    pages = matrix.expected_pages(role, label)
    return {verb for verb, page in VERBS.items() if pages[page]}


def test_role_matrix_doc_says_what_each_role_can_do():
    table = doc_matrix()
    assert set(table) == set(DOC_ROWS)
    labels = {p.replace("{}_", "") for p in DOC_ROWS.values() if "{}" in p}
    assert set(matrix.MODELS) | set(INLINE_ROWS) == labels, "every admin page has a row"
    assert not set(matrix.MODELS) & set(INLINE_ROWS)
    wrong = []
    for row, pattern in DOC_ROWS.items():
        for role in roles.ROLES:
            cell = table[row][role]
            if "{}" not in pattern:  # a single permission: "yes" or "—"
                expected = "yes" if pattern in group_permissions(role) else "—"
            else:
                verbs = effective_verbs(role, pattern.replace("{}_", ""))
                expected = ", ".join(v for v in VERBS if v in verbs) or "—"
            if cell != expected:
                wrong.append(f"{role} / {row}: roles.md {cell!r}, the admin allows {expected!r}")
    assert not wrong, "\n".join(wrong)


# Role × admin page → status.  200 = allowed, 403 = refused.
PAGES = {
    "index": ("admin:index", None),
    "clinic": ("admin:clinic_clinic_change", 1),
    "pages": ("admin:clinic_page_changelist", None),
    "add_page": ("admin:clinic_page_add", None),
    "audit": ("admin:audit_auditentry_changelist", None),
    "users": ("admin:auth_user_changelist", None),
}
A, C, F, E, R = (
    roles.ADMINISTRATOR,
    roles.CLINICIAN,
    roles.FRONT_DESK,
    roles.CONTENT_EDITOR,
    roles.MEDICAL_REVIEWER,
)
MATRIX = {
    # page:      A    C    F    E    R
    "index": (200, 200, 200, 200, 200),
    "clinic": (200, 200, 200, 403, 403),
    "pages": (200, 403, 403, 200, 200),
    "add_page": (200, 403, 403, 200, 403),
    "audit": (200, 403, 403, 403, 403),
    "users": (200, 403, 403, 403, 403),
}
CASES = [(role, page, MATRIX[page][i]) for page in MATRIX for i, role in enumerate((A, C, F, E, R))]


@pytest.mark.parametrize(("role", "page", "status"), CASES)
def test_role_matrix_in_the_admin(staff_client, role, page, status):
    from clinic.models import Clinic

    Clinic.load()
    name, arg = PAGES[page]
    client = staff_client(role)
    response = client.get(reverse(name, args=[arg] if arg else None))
    assert response.status_code == status


def test_front_desk_can_change_the_clinic_details_and_clinician_cannot(staff_client, client):
    from clinic.models import Clinic

    clinic = Clinic.load()
    url = reverse("admin:clinic_clinic_change", args=[clinic.pk])
    data = {
        "name": clinic.name,
        "phone": "(555) 010-0777",
        "email": clinic.email,
        "street_address": clinic.street_address,
        "locality": clinic.locality,
        "region": clinic.region,
        "postal_code": clinic.postal_code,
        "time_zone": clinic.time_zone,
        "hours-TOTAL_FORMS": "0",
        "hours-INITIAL_FORMS": "0",
        "closures-TOTAL_FORMS": "0",
        "closures-INITIAL_FORMS": "0",
    }
    assert staff_client(roles.CLINICIAN).post(url, data).status_code == 403
    client.logout()
    assert staff_client(roles.FRONT_DESK).post(url, data).status_code == 302
    clinic.refresh_from_db()
    assert clinic.phone == "(555) 010-0777"


def test_non_staff_cannot_reach_the_admin(client):
    from tests.factories import UserFactory
    from tests.signin import force_login_unverified

    force_login_unverified(client, UserFactory(is_staff=False))  # no second factor to pass
    response = client.get(reverse("admin:index"))
    assert response.status_code == 302 and reverse("admin:login") in response["Location"]


def test_demo_logins_one_per_role_and_only_admin_is_superuser(capsys):
    from django.contrib.auth import get_user_model

    call_command("seed_demo")
    first = capsys.readouterr().out
    call_command("seed_demo")
    second = capsys.readouterr().out
    users = get_user_model().objects.filter(username__in=[name for name, _ in DEMO_USERS])
    assert users.count() == len(roles.ROLES)
    assert [u.username for u in users if u.is_superuser] == ["admin"]
    assert all(u.is_staff and u.groups.count() == 1 for u in users)
    assert len(re.findall(r"password \S{12,}", first)) == len(roles.ROLES)  # printed once…
    assert not re.findall(r"password \S{12,}", second)  # …and never again
