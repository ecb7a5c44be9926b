"""What the screening pages share: who may do what, and the urgency and consultation in
words."""

from __future__ import annotations

from django.contrib.admin.templatetags.admin_urls import admin_urlname
from django.urls import reverse

from ..flagging import reason_text
from ..flags import Urgency
from ..models import Screening

CONTENTS_PERMISSION = "intake.view_screening_contents"
TRIAGE_PERMISSION = "intake.triage_screening"
EXPORT_PERMISSION = "intake.export_screening"


def urgency_label(level: int | None) -> str:
    """The level in the one label table (``flags.URGENCY_LABELS``), for those who may open a
    screening's contents."""
    return Urgency(level).label if level is not None else "not scored yet"


def urgency_band(level: int | None) -> str:
    """The neutral band the front desk sees instead ("Priority", "Urgent", "Soon",
    "Routine"): nothing clinical."""
    return Urgency(level).band if level is not None else "Not scored yet"


def urgency_reasons(screening: Screening) -> list[tuple[str, str]]:
    """What set the urgency: (code, plain words), for those who may open the contents."""
    return [(code, reason_text(code)) for code in screening.urgency_reasons or ()]


def consultation_facts(screening: Screening) -> dict | None:
    """Reference, time, kind, place, status and admin address of the linked consultation
    (None: none linked, or it was deleted since)."""
    consultation = screening.consultation
    if consultation is None:
        return None
    return {
        "reference": consultation.reference,
        "starts_at": consultation.starts_at,
        "status": consultation.get_status_display(),
        "kind": consultation.consultation_type.name,
        "location": consultation.location.name,
        "url": reverse(admin_urlname(consultation._meta, "change"), args=[consultation.pk]),
    }
