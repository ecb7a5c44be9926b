"""The role matrix, enforced: every role × every admin page and action → allowed or 403.

Generated from the admin registry and the admin's URL patterns, so a new model admin,
custom page or action cannot slip in untested: the tables below must name it.  What each
role may do comes from mindscape/roles.py (which the README's matrix is checked against in
test_roles.py); what nobody may do in the admin, whatever their permissions, is NEVER.
"""

from __future__ import annotations

import pytest
from django.contrib import admin
from django.contrib.auth.models import Permission
from django.test import RequestFactory
from django.urls import reverse

from mindscape import roles

pytestmark = pytest.mark.django_db

MISSING = 987654321  # object pages are asked for a record that does not exist: the admin
# checks the model-level permission first, then says "not found" (a redirect)

# (model, page) pages the admin refuses to everyone, Administrators included.
NEVER = {
    ("mindscape.clinic", "add"),
    ("mindscape.clinic", "delete"),
    ("mindscape.auditentry", "add"),
    ("mindscape.auditentry", "change_post"),
    ("mindscape.auditentry", "delete"),
    ("booking.consultation", "delete"),
    ("booking.callbackrequest", "add"),
    ("booking.callbackrequest", "delete"),
    ("intake.screening", "add"),
    ("intake.screening", "change_post"),
    ("intake.screening", "delete"),
    ("intake.staffalert", "add"),
    ("intake.staffalert", "change_post"),
    ("intake.staffalert", "delete"),
    ("blog.zeroresultsearch", "add"),
    ("blog.zeroresultsearch", "change_post"),
    ("booking.messagedelivery", "add"),
    ("booking.messagedelivery", "delete"),
    ("booking.staffcalendarfeed", "add"),
    ("booking.staffcalendarfeed", "change_post"),
    ("django_tasks_database.dbtaskresult", "add"),
    ("django_tasks_database.dbtaskresult", "change_post"),
    ("django_tasks_database.dbtaskresult", "delete"),
    ("auth.group", "add"),
    ("auth.group", "change_post"),
    ("auth.group", "delete"),
    ("axes.accessattempt", "add"),
    ("axes.accessattempt", "change_post"),
    ("axes.accessattempt", "delete"),
}

# Opening one record needs more than the list: a screening's page shows its contents.
OPEN_RECORD = {"intake.screening": "intake.view_screening_contents"}

# Pages beyond the standard five, by URL name → the permission that opens them ("staff":
# any signed-in staff member; "verified": any staff member past the second factor).
CUSTOM_PAGES = {
    "booking_consultation_book": ("get", "booking.add_consultation"),
    "booking_consultation_export": ("get", "booking.export_consultation"),
    "booking_consultation_feed": ("get", "booking.view_consultation"),
    "booking_consultation_move": ("get", "booking.change_consultation"),
    "booking_consultation_cancel": ("get", "booking.change_consultation"),
    "intake_screening_note": ("post", "intake.view_screening_contents"),
    "intake_screening_print": ("get", "intake.view_screening_contents"),
    "intake_screening_export": ("get", "intake.export_screening"),
    "intake_screening_acknowledge": ("post", "intake.triage_screening"),
    "intake_screening_review": ("post", "intake.triage_screening"),
    "mindscape_auditentry_export": ("get", "mindscape.export_auditentry"),
    "auth_user_password_change": ("get", "auth.change_user"),
}
# Site-wide pages every staff member may open (sign-in steps, password change, index…).
SITE_PAGES = {
    "index",
    "login",
    "logout",
    "password_change",
    "password_change_done",
    "autocomplete",
    "jsi18n",
    "app_list",
    "view_on_site",
    "staff_verify",
    "staff_verify_recovery",
    "staff_enrol",
    "staff_recovery_codes",
    "staff_recovery_codes_new",
}

# Actions (besides "delete selected", which follows the delete page) → the permission that
# offers them.
ACTIONS = {
    ("blog.article", "submit_for_review"): "blog.change_article",
    ("blog.article", "return_to_draft"): "blog.change_article",
    ("blog.article", "publish"): "blog.publish_article",
    ("blog.article", "mark_reviewed"): "blog.publish_article",
    ("blog.article", "unpublish"): "blog.publish_article",
    ("blog.articlerevision", "approve"): "blog.approve_articlerevision",
    ("blog.articlerevision", "reject"): "blog.approve_articlerevision",
    ("booking.callbackrequest", "mark_contacted"): "booking.change_callbackrequest",
    ("booking.callbackrequest", "mark_scheduled"): "booking.change_callbackrequest",
    ("booking.callbackrequest", "mark_closed"): "booking.change_callbackrequest",
    ("booking.callbackrequest", "acknowledge_crisis"): "booking.change_callbackrequest",
    ("booking.consultation", "complete"): "booking.change_consultation",
    ("booking.consultation", "mark_no_show"): "booking.change_consultation",
    ("booking.consultation", "acknowledge_crisis"): "booking.change_consultation",
    ("booking.messagedelivery", "send_again"): "booking.change_messagedelivery",
    ("auth.user", "reset_two_factor"): "otp_totp.delete_totpdevice",
    ("auth.user", "unlock_sign_in"): "axes.delete_accessattempt",
    ("axes.accessattempt", "unlock"): "axes.delete_accessattempt",
}

STANDARD = ("changelist", "add", "history", "delete", "change")
REGISTRY = sorted(admin.site._registry.items(), key=lambda item: item[0]._meta.label_lower)
MODELS = [model._meta.label_lower for model, _ in REGISTRY]


def granted(role: str) -> set[str]:
    everything = {
        f"{p.content_type.app_label}.{p.codename}"
        for p in Permission.objects.select_related("content_type")
    }
    return roles.permissions_for(role, everything)


def expected_pages(role: str, label: str) -> dict[str, bool]:
    app, model = label.split(".")
    has = granted(role)

    def may(verb):
        return f"{app}.{verb}_{model}" in has

    rules = {
        "changelist": may("view") or may("change"),
        "add": may("add"),
        "change_get": OPEN_RECORD[label] in has
        if label in OPEN_RECORD
        else may("view") or may("change"),
        "change_post": may("change"),
        "delete": may("delete"),
    }
    return {page: allowed and (label, page) not in NEVER for page, allowed in rules.items()}


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
    client = staff_client(role)
    url = {
        page: f"admin:{app}_{model}_{page}" for page in ("changelist", "add", "change", "delete")
    }
    actual = {
        "changelist": outcome(client.get(reverse(url["changelist"]), follow=True)),
        "add": outcome(client.get(reverse(url["add"]), follow=True)),
        "change_get": outcome(client.get(reverse(url["change"], args=[MISSING]), follow=True)),
        "change_post": outcome(client.post(reverse(url["change"], args=[MISSING]), {})),
        "delete": outcome(client.post(reverse(url["delete"], args=[MISSING]), {"post": "yes"})),
    }
    expected = expected_pages(role, label)
    assert actual == expected, {
        page: actual[page] for page in actual if actual[page] != expected[page]
    }


@pytest.mark.parametrize("label", MODELS)
@pytest.mark.parametrize("role", roles.ROLES)
def test_model_actions(staff_client, role, label):
    model, model_admin = next((m, a) for m, a in REGISTRY if m._meta.label_lower == label)
    client = staff_client(role)
    request = RequestFactory().get("/")
    request.user = client.user
    offered = (
        set(model_admin.get_actions(request))
        if model_admin.has_view_or_change_permission(request)
        else set()
    )
    has = granted(role)
    expected = {name for (m, name), perm in ACTIONS.items() if m == label and perm in has}
    if expected_pages(role, label)["delete"]:
        expected.add("delete_selected")
    assert offered == expected, (offered, expected)


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
    }.get(name)
    response = getattr(client, method)(reverse(f"admin:{name}", args=args))
    allowed = response.status_code != 403
    assert allowed == (permission in granted(role)), response.status_code


@pytest.mark.parametrize("role", roles.ROLES)
def test_every_role_reaches_the_index(staff_client, role):
    assert staff_client(role).get(reverse("admin:index")).status_code == 200
