"""Emails about consultations, queued with the change that causes them and sent by the task
worker (django-tasks, database backend).  Arguments are ids, never personal data: the task
table is stored in plain text.  What a message says is ``booking/messaging.py``'s.

Queued in one transaction.  ``queue()`` writes a ``MessageDelivery`` row and enqueues its id
together: the task queue is a table of the same database (django-tasks-db), so the row and
its task commit together or not at all, and no worker sees the task before the change is
committed.  (Enqueued on commit instead, a process that died between the commit and the
enqueue would leave a confirmation "queued" for ever.)

Sent by ``deliver()``, which re-reads the consultation: a message no longer true is dropped.
The try is counted and committed before the send; a failed send is queued again after
doubling waits, up to ``MESSAGE_MAX_ATTEMPTS``, then failed for good, where staff see it in
the admin (Consultations › Messages) and can send it again (``mindscape.delivery``).
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Exists, F, OuterRef
from django.utils import timezone
from django_tasks import task

from audit import log as audit

from . import messaging
from .models import Consultation, ConsultationType, MessageDelivery

Kind = MessageDelivery.Kind

# The messages each change of a booking calls for: the patient's, and the front desk's.
KINDS_FOR = {
    "consultation_booked": (Kind.CONFIRMATION, Kind.STAFF_BOOKED),
    "consultation_rescheduled": (Kind.RESCHEDULED, Kind.STAFF_MOVED),
    "consultation_cancelled": (Kind.CANCELLED, Kind.STAFF_CANCELLED),
}

REMINDER_RULES = [
    # kind, how long before, which consultation types (None: all)
    (Kind.REMINDER_24H, dt.timedelta(hours=24), None),
    (
        Kind.REMINDER_2H,
        dt.timedelta(hours=2),
        (ConsultationType.Kind.PHONE, ConsultationType.Kind.VIDEO),
    ),
]


@task()
def deliver_message(delivery_id: int) -> str:
    return deliver(delivery_id)


def _enqueue(delivery_id: int, run_after: dt.datetime | None = None) -> None:
    job = deliver_message.using(run_after=run_after) if run_after else deliver_message
    job.enqueue(delivery_id)


def queue(consultation: Consultation, kind: str) -> MessageDelivery:
    """Record a message to send and hand its id to the worker, in one transaction."""
    with transaction.atomic():
        delivery = MessageDelivery.objects.create(
            consultation=consultation,
            kind=kind,
            starts_at=consultation.starts_at,
            sequence=consultation.calendar_sequence,
        )
        _enqueue(delivery.pk)
    return delivery


def queue_for_change(consultation: Consultation, event: str, *, by_staff: bool) -> None:
    """The patient always hears of a change; staff are alerted when the patient made it."""
    patient_kind, staff_kind = KINDS_FOR[event]
    queue(consultation, patient_kind)
    if not by_staff and settings.BOOKING_STAFF_ALERT_EMAILS:
        queue(consultation, staff_kind)


def send_again(delivery: MessageDelivery, *, by) -> None:
    """Staff try a message that failed for good once more (e.g. after fixing the address)."""
    with transaction.atomic():
        updated = MessageDelivery.objects.filter(
            pk=delivery.pk, status=MessageDelivery.Status.FAILED
        ).update(status=MessageDelivery.Status.QUEUED, attempts=0, updated_at=timezone.now())
        if updated:
            audit.record(by, "message_requeued", delivery)
            _enqueue(delivery.pk)


def deliver(delivery_id: int, *, now: dt.datetime | None = None) -> str:
    """Send one queued message (or drop it if no longer true); returns the new status.

    The try is counted and committed before the send (``OutboundMessage.record_attempt``):
    a worker lost mid-send leaves a row that says so, and its task is run again by
    ``run_periodic``.
    """
    now = now or timezone.now()
    with transaction.atomic():
        delivery = (
            MessageDelivery.objects.select_for_update(of=("self",))
            .select_related("consultation__location", "consultation__consultation_type")
            .filter(pk=delivery_id, status=MessageDelivery.Status.QUEUED)
            .first()
        )
        if delivery is None:
            return "gone"
        if not messaging.still_true(delivery, now):
            delivery.record_dropped()
            return delivery.status
        if not delivery.record_attempt():
            return delivery.status
    retry_at = delivery.send_with(lambda: messaging.build(delivery).send(), now=now)
    if retry_at is not None:
        _enqueue(delivery.pk, retry_at)
    return delivery.status


def queue_due_reminders(now: dt.datetime | None = None) -> int:
    """Queue the reminders that are due: 24 hours before every consultation, and 2 hours
    before phone and video ones.  Safe to run as often as you like (one per booking time,
    enforced by the database); skipped when the booking was made inside the window."""
    now = now or timezone.now()
    queued = 0
    for kind, before, only in REMINDER_RULES:
        already = MessageDelivery.objects.filter(
            consultation=OuterRef("pk"), kind=kind, starts_at=OuterRef("starts_at")
        )
        due = Consultation.objects.filter(
            status=Consultation.Status.BOOKED,
            starts_at__gt=now,
            starts_at__lte=now + before,
            created_at__lte=F("starts_at") - before,
        ).exclude(Exists(already))
        if only:
            due = due.filter(consultation_type__kind__in=only)
        for consultation in due:
            try:
                with transaction.atomic():
                    queue(consultation, kind)
            except IntegrityError:  # another run queued it a moment ago
                continue
            queued += 1
    return queued
