"""Booking ↔ screening: the link from a booking to the screening form
(``/intake/?c=<signed consultation id>``), and a linked consultation's facts and status for
the clinician's screening queue.

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


# --- The other way: a screening shows its consultation ----------------------------------------


def _consultations():
    from django.apps import apps

    return apps.get_model("booking", "Consultation")


def consultation_status_subquery(outer_field: str = "consultation_id"):
    """The linked consultation's status, for annotating a screening queryset (one query)."""
    from django.db.models import OuterRef, Subquery

    model = _consultations()
    return Subquery(model.objects.filter(pk=OuterRef(outer_field)).values("status")[:1])


def consultation_status_label(status: str | None) -> str:
    if not status:
        return "not found"
    return dict(_consultations().Status.choices).get(status, status)


def consultation_facts(consultation_id: int | None) -> dict | None:
    """Number, reference, time, status and admin address of a linked consultation."""
    if consultation_id is None:
        return None
    consultation = (
        _consultations()
        .objects.filter(pk=consultation_id)
        .select_related("location", "consultation_type")
        .first()
    )
    if consultation is None:
        return {"id": consultation_id, "found": False}
    return {
        "id": consultation.pk,
        "found": True,
        "reference": consultation.reference,
        "starts_at": consultation.starts_at,
        "status": consultation.get_status_display(),
        "kind": consultation.consultation_type.name,
        "location": consultation.location.name,
        "url": reverse("admin:booking_consultation_change", args=[consultation.pk]),
    }
