"""The link from a booking to the screening form: ``/intake/?c=<signed consultation id>``.

Shared here because both apps need it and neither may import the other's internals.
It opens only a new, empty screening form linked to the consultation by its number; it
never opens health data (a draft is reopened with intake's own resume link and the date
of birth).
"""

from __future__ import annotations

from django.conf import settings
from django.core import signing
from django.urls import reverse

SALT = "mindscape.screening-link"
MAX_AGE = 60 * 60 * 24 * 120  # seconds: comfortably past the booking horizon


def url_for(consultation_id: int) -> str:
    """The path of the form for this consultation, or "" while the form is switched off."""
    if not getattr(settings, "INTAKE_FORM_ENABLED", False):
        return ""
    token = signing.dumps(consultation_id, salt=SALT)
    return f"{reverse('intake:start')}?c={token}"


def consultation_id_from(token: str | None) -> int | None:
    if not token:
        return None
    try:
        value = signing.loads(token, salt=SALT, max_age=MAX_AGE)
    except signing.BadSignature:
        return None
    return value if isinstance(value, int) else None
