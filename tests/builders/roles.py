"""The role matrix's tables: what each role may open and do in the admin (from
mindscape/roles.py) and what nobody may.  tests/mindscape/test_role_matrix.py checks every
page and action against them; test_roles.py checks docs/roles.md's matrix against them."""

from __future__ import annotations

from django.contrib import admin
from django.contrib.auth.models import Permission

from mindscape import roles

# (model, page) pages the admin refuses to everyone, Administrators included.
NEVER = {
    ("clinic.clinic", "add"),
    ("clinic.clinic", "delete"),
    ("audit.auditentry", "add"),
    ("audit.auditentry", "change_post"),
    ("audit.auditentry", "delete"),
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
    "audit_auditentry_export": ("get", "audit.export_auditentry"),
    "auth_user_password_change": ("get", "auth.change_user"),
    "auth_user_unlock": ("get", "axes.delete_accessattempt"),
    "blog_article_workflow": ("post", "blog.change_article"),
    "blog_articlerevision_workflow": ("post", "blog.change_articlerevision"),
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
    rules["history"] = rules["change_get"]  # a record's history shows what its page shows
    return {page: allowed and (label, page) not in NEVER for page, allowed in rules.items()}
