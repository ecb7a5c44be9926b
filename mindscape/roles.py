"""Staff roles as Django groups, and what each may do.

The table below is the single source for the groups' permissions (the role matrix in
docs/roles.md is written from it and tests check both agree).  ``sync_groups`` runs after every
``migrate`` and after every test-database flush, so groups always match this table:
permissions added here are granted, permissions removed here are taken away.

Each later issue adds its own models' permissions to the roles that need them.
"""

from __future__ import annotations

from django.apps import apps as global_apps

ADMINISTRATOR = "Administrator"
CLINICIAN = "Clinician"
FRONT_DESK = "Front desk"
CONTENT_EDITOR = "Content editor"
MEDICAL_REVIEWER = "Medical reviewer"

ROLES = (ADMINISTRATOR, CLINICIAN, FRONT_DESK, CONTENT_EDITOR, MEDICAL_REVIEWER)


def _crud(app: str, model: str, *verbs: str) -> set[str]:
    return {f"{app}.{verb}_{model}" for verb in verbs}


# Permission codenames as "app_label.codename".  The Administrator role holds every
# permission except changing or deleting audit entries (nobody can: see audit.py).
ROLE_PERMISSIONS: dict[str, set[str]] = {
    CLINICIAN: {
        "clinic.view_clinic",
        "clinic.view_officehours",
        "clinic.view_clinicclosure",
        *_crud("booking", "consultation", "view"),
        *_crud("booking", "callbackrequest", "view"),
        *_crud("booking", "location", "view"),
        *_crud("booking", "consultationtype", "view"),
        *_crud("booking", "openingwindow", "view"),
        *_crud("booking", "closure", "view"),
        "intake.view_screening",
        "intake.view_screening_contents",
        "intake.triage_screening",
        "intake.export_screening",
        "intake.view_staffalert",
    },
    FRONT_DESK: {
        "clinic.view_clinic",
        "clinic.change_clinic",
        "clinic.view_officehours",
        "clinic.add_officehours",
        "clinic.change_officehours",
        "clinic.delete_officehours",
        "clinic.view_clinicclosure",
        "clinic.add_clinicclosure",
        "clinic.change_clinicclosure",
        "clinic.delete_clinicclosure",
        *_crud("booking", "consultation", "view", "add", "change"),
        "booking.export_consultation",
        *_crud("booking", "messagedelivery", "view", "change"),
        "intake.view_screening",  # that one exists, its status and urgency: never its contents
        "intake.view_staffalert",
        *_crud("booking", "callbackrequest", "view", "change"),
        *_crud("booking", "location", "view", "change"),
        *_crud("booking", "consultationtype", "view"),
        *_crud("booking", "openingwindow", "view", "add", "change", "delete"),
        *_crud("booking", "closure", "view", "add", "change", "delete"),
    },
    CONTENT_EDITOR: {
        "clinic.view_page",
        "clinic.add_page",
        "clinic.change_page",
        *_crud("blog", "article", "view", "add", "change"),
        *_crud("blog", "reference", "view", "add", "change", "delete"),
        *_crud("blog", "articlerevision", "view", "add", "change"),
        *_crud("blog", "category", "view", "add", "change"),
        *_crud("blog", "tag", "view", "add", "change"),
        *_crud("blog", "contributor", "view", "add", "change"),
        "blog.view_zeroresultsearch",
    },
    MEDICAL_REVIEWER: {
        "clinic.view_page",
        "clinic.change_page",
        *_crud("blog", "article", "view", "change"),
        "blog.publish_article",
        *_crud("blog", "reference", "view", "add", "change", "delete"),
        *_crud("blog", "articlerevision", "view", "add", "change"),
        "blog.approve_articlerevision",
        *_crud("blog", "category", "view"),
        *_crud("blog", "tag", "view"),
        *_crud("blog", "contributor", "view"),
        "blog.view_zeroresultsearch",
    },
}

# Nobody may ever hold these: the audit log is append-only.
FORBIDDEN = {
    "audit.add_auditentry",
    "audit.change_auditentry",
    "audit.delete_auditentry",
}


def permissions_for(role: str, all_permissions: set[str]) -> set[str]:
    """The "app_label.codename" names ``role`` should hold, out of ``all_permissions``."""
    if role == ADMINISTRATOR:
        return all_permissions - FORBIDDEN
    return ROLE_PERMISSIONS[role] - FORBIDDEN


def _last_app_label() -> str:
    with_models = [c for c in global_apps.get_app_configs() if c.models_module is not None]
    return with_models[-1].label


def sync_groups(sender=None, using: str = "default", **kwargs) -> None:
    """Create the role groups and set their permissions exactly to the table above.

    post_migrate fires once per app; permissions of later apps do not exist yet when
    earlier apps' signals run, so this acts only on the last app's signal.
    """
    if sender is not None and sender.label != _last_app_label():
        return
    from django.contrib.auth.models import Group, Permission

    by_name = {
        f"{p.content_type.app_label}.{p.codename}": p
        for p in Permission.objects.using(using).select_related("content_type")
    }
    for role in ROLES:
        group, _ = Group.objects.using(using).get_or_create(name=role)
        wanted = permissions_for(role, set(by_name))
        missing = wanted - by_name.keys()
        if missing:
            raise LookupError(f"Role {role!r} names unknown permissions: {sorted(missing)}")
        group.permissions.set([by_name[name] for name in wanted])
