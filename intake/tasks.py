"""Alerts to clinical staff about screenings: queued with the change that calls for them,
sent by the task worker (django-tasks, database backend), retried.  Arguments are ids only:
the task table is plain text.  What an alert says is ``intake/alerts.py``'s.

Queued in the same transaction as the change that calls for them, task included: the task
queue is a table of the same database (django-tasks-db), so the alert row and its task
commit together or not at all.  Enqueued on commit instead, a process that died between
the commit and the enqueue left an alert "queued" for ever, which escalation counted as
sent.  Retried with doubling waits, then marked failed for good (visible in the admin;
``mindscape.delivery``).
"""

from __future__ import annotations

import datetime as dt
import logging

from django.conf import settings
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.utils import timezone
from django_tasks import task

from . import alerts
from .models import Screening, StaffAlert

logger = logging.getLogger(__name__)


@task()
def send_staff_alert(alert_id: int) -> str:
    return send(alert_id)


def _enqueue(alert_id: int, run_after: dt.datetime | None = None) -> None:
    job = send_staff_alert.using(run_after=run_after) if run_after else send_staff_alert
    job.enqueue(alert_id)


def queue(screening: Screening, kind: str) -> StaffAlert | None:
    """Queue one alert of ``kind`` for ``screening`` (at most one per kind)."""
    if not alerts.recipients(kind):
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


def send(alert_id: int, *, now: dt.datetime | None = None) -> str:
    """Send one queued alert (or drop it if acknowledged since); returns the new status.

    The try is counted and committed before the send (``OutboundMessage.record_attempt``)."""
    now = now or timezone.now()
    with transaction.atomic():
        alert = (
            StaffAlert.objects.select_for_update()
            .filter(pk=alert_id, status=StaffAlert.Status.QUEUED)
            .first()
        )
        if alert is None:
            return "gone"
        if not alerts.still_true(alert):
            alert.record_dropped()
            return alert.status
        if not alert.record_attempt():
            return alert.status
    retry_at = alert.send_with(
        lambda: send_mail(
            alerts.subject(alert),
            alerts.body(alert),
            settings.DEFAULT_FROM_EMAIL,
            alerts.recipients(alert.kind),
        ),
        now=now,
    )
    if retry_at is not None:
        _enqueue(alert.pk, retry_at)
    return alert.status
