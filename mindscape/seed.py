"""Demo logins: one per staff role (``manage.py seed_demo``).

Idempotent: running it again never resets a password unless asked to.
"""

from __future__ import annotations

import secrets

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group

from . import roles

DEMO_USERS = [
    ("admin", roles.ADMINISTRATOR),
    ("clinician", roles.CLINICIAN),
    ("frontdesk", roles.FRONT_DESK),
    ("editor", roles.CONTENT_EDITOR),
    ("reviewer", roles.MEDICAL_REVIEWER),
]


def seed_users(*, reset_passwords: bool = False) -> list[tuple[str, str, str]]:
    """Create one login per role; return (username, role, password) for new or reset ones."""
    User = get_user_model()
    printed = []
    for username, role in DEMO_USERS:
        user, created = User.objects.get_or_create(
            username=username,
            defaults={"is_staff": True, "is_superuser": role == roles.ADMINISTRATOR},
        )
        user.groups.add(Group.objects.get(name=role))
        if created or reset_passwords:
            password = secrets.token_urlsafe(12)
            user.set_password(password)
            user.save()
            printed.append((username, role, password))
    return printed
