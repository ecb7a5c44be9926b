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


def _enqueue(alert_id: int, run_after: dt.datetime | None = None) -> None:
    from .tasks import send_staff_alert

    task = send_staff_alert.using(run_after=run_after) if run_after else send_staff_alert
    task.enqueue(alert_id)


def body(alert: StaffAlert) -> str:
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
        if alert.kind != StaffAlert.Kind.URGENT_SUBMISSION:
            screening = alert.screening
            if not screening.awaits_acknowledgement:
                # A clinician acknowledged it since: the reminder is no longer true.
                alert.status = StaffAlert.Status.DROPPED
                alert.save(update_fields=["status"])
                return alert.status
        if not delivery.begin(alert):
            return alert.status
    try:
        send_mail(SUBJECT, body(alert), settings.DEFAULT_FROM_EMAIL, recipients(alert.kind))
    except Exception as error:  # any backend failure: count it, retry later or give up
        return delivery.failed(alert, error, now=now, requeue=_enqueue)
    return delivery.sent(alert, now=now)
