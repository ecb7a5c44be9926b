"""Alerts to clinical staff about screenings: "a screening needs review" and a link to the
admin, nothing else (no name, no score, no answer), sent by the task worker.

Queued in the same transaction as the change that calls for them, task included: the task
queue is a table of the same database (django-tasks-db), so the alert row and its task
commit together or not at all.  Enqueued on commit instead, a process that died between
the commit and the enqueue left an alert "queued" for ever, which escalation counted as
sent.  Retried with doubling waits, then marked failed for good (visible in the admin).
"""

from __future__ import annotations

import datetime as dt
import logging

from django.conf import settings
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from mindscape import delivery

from .models import Screening, StaffAlert

logger = logging.getLogger(__name__)
SUBJECT = "A screening needs review"
# Levels 1-2 (clinical-reference 2.3: item 9 = 2 or 3, mark the alert urgent; 7.4 D: a
# priority alert).  Still nothing about the patient: the level is not named either.
PRIORITY_SUBJECT = "Priority: a screening needs review now"


def subject(alert: StaffAlert) -> str:
    """The alert's subject, read when it is sent: priority while the screening's effective
    urgency is 1-2; the hourly summary of left forms has its own."""
    from .services import is_priority  # services queues alerts: imported when sending

    if alert.kind == StaffAlert.Kind.LEFT_FORMS_SUMMARY:
        return "Forms left after a risk answer need review"
    return PRIORITY_SUBJECT if is_priority(alert.screening) else SUBJECT


def recipients(kind: str) -> list[str]:
    """Submissions alert INTAKE_ALERT_EMAILS; escalations and left forms the escalation list."""
    if kind == StaffAlert.Kind.URGENT_SUBMISSION:
        return list(settings.INTAKE_ALERT_EMAILS)
    return list(settings.INTAKE_ESCALATION_EMAILS)


def queue(screening: Screening, kind: str) -> StaffAlert | None:
    """Queue one alert of ``kind`` for ``screening`` (at most one per kind)."""
    if not recipients(kind):
        logger.warning("No addresses configured for screening alert %s: not sent", kind)
        return None
    try:
        with transaction.atomic():
            alert = StaffAlert.objects.create(screening=screening, kind=kind)
            # Not on_commit: see the module's docstring.  A worker cannot pick the task up
            # before the alert row is visible: both appear at the same commit.
            _enqueue(alert.pk)
    except IntegrityError:
        return None
    return alert


def hold(screening: Screening, kind: str) -> StaffAlert | None:
    """Record an alert of ``kind`` that is not sent on its own (over the hourly limit of
    left-form alerts): the next summary alert counts it.  Once per kind, like ``queue``."""
    try:
        with transaction.atomic():
            return StaffAlert.objects.create(
                screening=screening, kind=kind, status=StaffAlert.Status.SUMMARISED
            )
    except IntegrityError:
        return None


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


def _enqueue(alert_id: int, run_after: dt.datetime | None = None) -> None:
    from .tasks import send_staff_alert

    task = send_staff_alert.using(run_after=run_after) if run_after else send_staff_alert
    task.enqueue(alert_id)


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


def send(alert_id: int, *, now: dt.datetime | None = None) -> str:
    """Send one queued alert (or drop it if acknowledged since); returns the new status.

    The try is counted and committed before the send (``mindscape.delivery``)."""
    now = now or timezone.now()
    with transaction.atomic():
        alert = (
            StaffAlert.objects.select_for_update()
            .filter(pk=alert_id, status=StaffAlert.Status.QUEUED)
            .first()
        )
        if alert is None:
            return "gone"
        if alert.kind not in (
            StaffAlert.Kind.URGENT_SUBMISSION,
            StaffAlert.Kind.LEFT_FORMS_SUMMARY,
        ):
            screening = alert.screening
            if not screening.awaits_acknowledgement:
                # A clinician acknowledged it since: the reminder is no longer true.
                alert.status = StaffAlert.Status.DROPPED
                alert.save(update_fields=["status"])
                return alert.status
        if not delivery.begin(alert):
            return alert.status
    try:
        send_mail(subject(alert), body(alert), settings.DEFAULT_FROM_EMAIL, recipients(alert.kind))
    except Exception as error:  # any backend failure: count it, retry later or give up
        return delivery.failed(alert, error, now=now, requeue=_enqueue)
    return delivery.sent(alert, now=now)
