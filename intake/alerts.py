"""Alerts to clinical staff about screenings, as written: "a screening needs review" and a
link to the admin, nothing else (no name, no score, no answer); to whom; and whether one
is still worth sending.

Queueing, sending and retrying are ``intake/tasks.py``'s; this module imports nothing of it.
"""

from __future__ import annotations

from django.conf import settings
from django.urls import reverse

from . import flagging
from .models import StaffAlert

SUBJECT = "A screening needs review"
# Levels 1-2 (clinical-reference 2.3: item 9 = 2 or 3, mark the alert urgent; 7.4 D: a
# priority alert).  Still nothing about the patient: the level is not named either.
PRIORITY_SUBJECT = "Priority: a screening needs review now"
# Sent whatever happens next; every other kind is a reminder about one screening, dropped
# once a clinician has acknowledged it.
ALWAYS_SENT = (StaffAlert.Kind.URGENT_SUBMISSION, StaffAlert.Kind.LEFT_FORMS_SUMMARY)


def subject(alert: StaffAlert) -> str:
    """The alert's subject, read when it is sent: priority while the screening's effective
    urgency is 1-2; the hourly summary of left forms has its own."""
    if alert.kind == StaffAlert.Kind.LEFT_FORMS_SUMMARY:
        return "Forms left after a risk answer need review"
    level = alert.screening.triage_urgency
    return PRIORITY_SUBJECT if level is not None and flagging.is_priority(level) else SUBJECT


def recipients(kind: str) -> list[str]:
    """Submissions alert INTAKE_ALERT_EMAILS; escalations and left forms the escalation list."""
    if kind == StaffAlert.Kind.URGENT_SUBMISSION:
        return list(settings.INTAKE_ALERT_EMAILS)
    return list(settings.INTAKE_ESCALATION_EMAILS)


def still_true(alert: StaffAlert) -> bool:
    """False for a reminder about a screening a clinician has acknowledged since."""
    if alert.kind in ALWAYS_SENT:
        return True
    return alert.screening.awaits_acknowledgement


def held_since_previous_summary(summary: StaffAlert):
    """The left-form alerts a summary alert stands for: those held after the previous
    summary, up to this one."""
    previous = (
        StaffAlert.objects.filter(
            kind=StaffAlert.Kind.LEFT_FORMS_SUMMARY, created_at__lt=summary.created_at
        )
        .order_by("-created_at")
        .values_list("created_at", flat=True)
        .first()
    )
    held = StaffAlert.objects.filter(
        kind=StaffAlert.Kind.ABANDONED_RISK_DRAFT,
        status=StaffAlert.Status.SUMMARISED,
        created_at__lte=summary.created_at,
    )
    return held.filter(created_at__gt=previous) if previous else held


def body(alert: StaffAlert) -> str:
    if alert.kind == StaffAlert.Kind.LEFT_FORMS_SUMMARY:
        count = held_since_previous_summary(alert).count()
        queue_url = settings.SITE_URL + reverse("admin:intake_screening_changelist")
        return (
            f"{count} more {'form was' if count == 1 else 'forms were'} left after a risk "
            "answer, beyond the alerts sent one by one this hour. Each waits in the "
            "screening queue for a clinician's acknowledgement.\n\n"
            f"Open the queue in the staff area (sign-in required):\n{queue_url}\n"
        )
    url = settings.SITE_URL + reverse("admin:intake_screening_change", args=[alert.screening_id])
    return (
        "A screening needs review by a clinician.\n\n"
        f"Open it in the staff area (sign-in required):\n{url}\n"
    )
