"""The role matrix, enforced: every role × every admin page and action → allowed or 403.

Generated from the admin registry and the admin's URL patterns, so a new model admin,
custom page or action cannot slip in untested: the tables in tests/builders/roles.py must
name it.  What each role may do comes from mindscape/roles.py; what nobody may do in the
admin, whatever their permissions, is NEVER (test_roles.py checks docs/roles.md's
matrix against both).

Each role opens every page (list, add, a record, its history), saves and deletes, and posts
every action against a real record made for the test (a refused request must leave it, and
the audit log, as they were); the record pages are also asked for a missing record.
"""

from __future__ import annotations

import pytest
from axes.models import AccessAttempt
from django.apps import apps
from django.contrib import admin
from django.contrib.messages import get_messages
from django.test import RequestFactory
from django.urls import reverse
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from audit.models import AuditEntry
from clinic.models import Clinic
from mindscape import roles
from tests.builders.mindscape import ROWS
from tests.builders.roles import (
    ACTIONS,
    CUSTOM_PAGES,
    MODELS,
    NEVER,
    REGISTRY,
    SITE_PAGES,
    STANDARD,
    expected_pages,
    granted,
)

pytestmark = pytest.mark.django_db

MISSING = 987654321  # object pages are asked for a record that does not exist (the admin
# checks the model-level permission first, then says "not found": a redirect, which must
# not tell a refused role whether the record exists) and for a real one


def make_record(label: str):
    """One saved record of an admin page's model (tests/builders/mindscape.py: ROWS knows how)."""
    model = apps.get_model(label)
    if model is Clinic:
        return Clinic.load()
    before = set(model._base_manager.values_list("pk", flat=True))
    ROWS[model._meta.label](1)
    return model._base_manager.exclude(pk__in=before).get()


def snapshot(record) -> tuple:
    """The record as stored, and what an action on people changes (devices, lockouts), and
    how many audit entries there are: a refused request changes none of it."""
    model = type(record)
    return (
        list(model._base_manager.filter(pk=record.pk).values()),
        TOTPDevice.objects.count(),
        StaticDevice.objects.count(),
        AccessAttempt.objects.count(),
        AuditEntry.objects.count(),
    )


def outcome(response) -> bool:
    """True: the role got in (a page, or "not found" for the missing record); False: 403.
    GETs follow the admin's redirects (a list that forwards to a page judges by that page)."""
    assert response.status_code in (200, 302, 403), response.status_code
    if response.status_code == 302:
        assert reverse("admin:login") not in response["Location"], "signed out?"
    return response.status_code != 403


def test_every_admin_page_and_action_is_in_the_tables():
    custom = set()
    for model, model_admin in REGISTRY:
        prefix = f"{model._meta.app_label}_{model._meta.model_name}_"
        for pattern in model_admin.get_urls():
            name = getattr(pattern, "name", None)
            if name and not any(name == prefix + page for page in STANDARD):
                custom.add(name)
    assert custom == set(CUSTOM_PAGES)
    site = {p.name for p in admin.site.get_urls() if getattr(p, "name", None)}
    assert site == SITE_PAGES
    found = {
        (model._meta.label_lower, name)
        for model, model_admin in REGISTRY
        for _, name, _ in model_admin._get_base_actions()
        if name != "delete_selected"
    }
    assert found == set(ACTIONS)
    assert {label for label, _ in NEVER} <= set(MODELS)


@pytest.mark.parametrize("label", MODELS)
@pytest.mark.parametrize("role", roles.ROLES)
def test_model_pages(staff_client, role, label):
    app, model = label.split(".")
    record = make_record(label)
    client = staff_client(role)

    def url(page, pk=None):
        return reverse(f"admin:{app}_{model}_{page}", args=[pk] if pk else None)

    expected = expected_pages(role, label)
    actual = {
        "changelist": outcome(client.get(url("changelist"), follow=True)),
        "add": outcome(client.get(url("add"), follow=True)),
        "change_get": outcome(client.get(url("change", MISSING), follow=True)),
        "change_post": outcome(client.post(url("change", MISSING), {})),
        "delete": outcome(client.post(url("delete", MISSING), {"post": "yes"})),
        "history": outcome(client.get(url("history", record.pk), follow=True)),
    }
    assert actual == expected, {
        page: actual[page] for page in actual if actual[page] != expected[page]
    }
    # The same pages for the real record: the same answers, and a refused save or delete
    # leaves it as it was.
    assert outcome(client.get(url("change", record.pk), follow=True)) == expected["change_get"]
    for page, data in (("change", {}), ("delete", {"post": "yes"})):
        before = snapshot(record)
        allowed = outcome(client.post(url(page, record.pk), data))
        assert allowed == expected["change_post" if page == "change" else "delete"], page
        if not allowed:
            assert snapshot(record) == before, page


def offered_actions(client, label) -> set[str]:
    model_admin = next(a for m, a in REGISTRY if m._meta.label_lower == label)
    request = RequestFactory().get("/")
    request.user = client.user
    if not model_admin.has_view_or_change_permission(request):
        return set()
    return set(model_admin.get_actions(request))


def expected_actions(role, label) -> set[str]:
    has = granted(role)
    expected = {name for (m, name), perm in ACTIONS.items() if m == label and perm in has}
    if expected_pages(role, label)["delete"]:
        expected.add("delete_selected")
    return expected


@pytest.mark.parametrize("label", MODELS)
@pytest.mark.parametrize("role", roles.ROLES)
def test_model_actions(staff_client, role, label):
    """Each action is offered exactly to the roles allowed it; posting it as any other role
    is refused (403, or it is not offered and does nothing) and leaves the record as it was."""
    app, model = label.split(".")
    client = staff_client(role)
    expected = expected_actions(role, label)
    assert offered_actions(client, label) == expected
    names = {name for (m, name) in ACTIONS if m == label} | {"delete_selected"}
    changelist = reverse(f"admin:{app}_{model}_changelist")
    for name in sorted(names):
        record = make_record(label)
        before = snapshot(record)
        data = {"action": name, "_selected_action": [record.pk], "post": "yes"}
        # Followed: the list shows (and so uses up) what this action said.
        response = client.post(changelist, data, follow=True)
        assert response.status_code in (200, 403), (name, response.status_code)
        said = [str(m) for m in get_messages(response.wsgi_request)]
        if name in expected:
            assert response.status_code != 403 and "No action selected." not in said, name
        else:
            assert snapshot(record) == before, name


@pytest.fixture
def consultation():
    import datetime as dt
    from zoneinfo import ZoneInfo

    import time_machine

    from tests.factories import ConsultationTypeFactory, LocationFactory, book

    new_york = ZoneInfo("America/New_York")
    with time_machine.travel(dt.datetime(2026, 12, 1, 8, tzinfo=new_york), tick=False):
        location = LocationFactory()
        kind = ConsultationTypeFactory(locations=[location])
        yield book(location, kind, dt.datetime(2026, 12, 2, 10, tzinfo=new_york))


@pytest.mark.parametrize("name", sorted(CUSTOM_PAGES))
@pytest.mark.parametrize("role", roles.ROLES)
def test_custom_pages(staff_client, consultation, role, name):
    method, permission = CUSTOM_PAGES[name]
    client = staff_client(role)
    args = {
        "booking_consultation_move": [consultation.pk],
        "booking_consultation_cancel": [consultation.pk],
        "intake_screening_note": [MISSING],
        "intake_screening_print": [MISSING],
        "intake_screening_acknowledge": [MISSING],
        "intake_screening_review": [MISSING],
        "auth_user_password_change": [client.user.pk],
        "auth_user_unlock": [client.user.pk],
        "blog_article_workflow": [MISSING, "publish"],
        "blog_articlerevision_workflow": [MISSING, "approve"],
    }.get(name)
    response = getattr(client, method)(reverse(f"admin:{name}", args=args))
    allowed = response.status_code != 403
    assert allowed == (permission in granted(role)), response.status_code


@pytest.mark.parametrize("role", roles.ROLES)
def test_every_role_reaches_the_index(staff_client, role):
    assert staff_client(role).get(reverse("admin:index")).status_code == 200
