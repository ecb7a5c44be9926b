"""Emails about consultations: queued with the change that causes them, sent by a worker.

What a message may hold.  The patient's own emails give the time, the place or video
link, and the private manage link: never the topic, their message, or anything clinical,
and the subject names only "MindScape" (an inbox preview is not private).  Staff alerts
say what happened and link to the admin: nothing about the patient.

Delivery.  ``queue()`` writes a ``MessageDelivery`` row and enqueues its id in the same
transaction: the task queue is a table of the same database (django-tasks-db), so the
row and its task commit together or not at all, and no worker sees the task before the
change is committed.  (Enqueued on commit instead, a process that died between the commit
and the enqueue would leave a confirmation "queued" for ever.)  ``deliver()`` (run by the
task) re-reads the consultation: a reminder for a booking that was cancelled or moved,
or a confirmation overtaken by a later change, is dropped.  A failed send is retried with
doubling waits, up to ``MESSAGE_MAX_ATTEMPTS``; then it is marked failed for good,
where staff see it in the admin (Consultations › Messages).
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import IntegrityError, transaction
from django.db.models import Exists, F, OuterRef
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from mindscape import delivery as delivery_outcome
from mindscape.clinic import facts

from . import ics, links
from .models import Consultation, ConsultationType, MessageDelivery

Kind = MessageDelivery.Kind

SUBJECTS = {
    Kind.CONFIRMATION: "Your consultation with MindScape is booked",
    Kind.RESCHEDULED: "Your consultation with MindScape has moved",
    Kind.CANCELLED: "Your consultation with MindScape is cancelled",
    Kind.REMINDER_24H: "Reminder: your consultation with MindScape tomorrow",
    Kind.REMINDER_2H: "Reminder: your consultation with MindScape is soon",
    Kind.STAFF_BOOKED: "A consultation was booked online",
    Kind.STAFF_MOVED: "A consultation was moved online",
    Kind.STAFF_CANCELLED: "A consultation was cancelled online",
}
WITH_CALENDAR = {Kind.CONFIRMATION, Kind.RESCHEDULED, Kind.CANCELLED}
# Superseded by a later change of the same booking: the later message says what is true.
DROP_IF_CHANGED = {Kind.CONFIRMATION, Kind.RESCHEDULED, *MessageDelivery.REMINDERS}
PATIENT_KIND_FOR = {
    "consultation_booked": (Kind.CONFIRMATION, Kind.STAFF_BOOKED),
    "consultation_rescheduled": (Kind.RESCHEDULED, Kind.STAFF_MOVED),
    "consultation_cancelled": (Kind.CANCELLED, Kind.STAFF_CANCELLED),
}


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
    patient_kind, staff_kind = PATIENT_KIND_FOR[event]
    queue(consultation, patient_kind)
    if not by_staff and settings.BOOKING_STAFF_ALERT_EMAILS:
        queue(consultation, staff_kind)


def _enqueue(delivery_id: int, run_after: dt.datetime | None = None) -> None:
    from .tasks import deliver_message

    task = deliver_message.using(run_after=run_after) if run_after else deliver_message
    task.enqueue(delivery_id)


def _still_true(delivery: MessageDelivery, now: dt.datetime) -> bool:
    consultation = delivery.consultation
    if delivery.kind in MessageDelivery.REMINDERS:
        return (
            consultation.status == Consultation.Status.BOOKED
            and consultation.starts_at == delivery.starts_at
            and consultation.starts_at > now
        )
    if delivery.kind in DROP_IF_CHANGED:
        return consultation.calendar_sequence == delivery.sequence
    return True


def _absolute(path: str) -> str:
    return f"{settings.SITE_URL}{path}"


def build(delivery: MessageDelivery) -> EmailMultiAlternatives:
    consultation = delivery.consultation
    clinic = facts()
    local = consultation.local_start
    context = {
        "kind": delivery.kind,
        "clinic": clinic,
        "consultation": consultation,
        "when": f"{local:%A, %B %-d, %Y at %-I:%M %p} {local:%Z}",
        "where": ics.where(consultation),
        "is_video": consultation.consultation_type.kind == ConsultationType.Kind.VIDEO,
        "manage_url": _absolute(links.manage_path(consultation)),
        "admin_url": _absolute(
            reverse("admin:booking_consultation_change", args=[consultation.pk])
        ),
        "phone": consultation.location.phone,
        "site_url": settings.SITE_URL,
    }
    template = "staff_alert" if delivery.to_staff else "patient"
    message = EmailMultiAlternatives(
        subject=SUBJECTS[delivery.kind],
        body=render_to_string(f"emails/booking/{template}.txt", context),
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=list(settings.BOOKING_STAFF_ALERT_EMAILS) if delivery.to_staff else [consultation.email],
    )
    message.attach_alternative(
        render_to_string(f"emails/booking/{template}.html", context), "text/html"
    )
    if delivery.kind in WITH_CALENDAR:
        message.attach(
            "mindscape-consultation.ics",
            ics.consultation_calendar(consultation, clinic_name="MindScape", phone=clinic.phone),
            "text/calendar; charset=utf-8; method="
            + ("CANCEL" if delivery.kind == Kind.CANCELLED else "PUBLISH"),
        )
    return message


def send_again(delivery: MessageDelivery, *, by) -> None:
    """Staff try a message that failed for good once more (e.g. after fixing the address)."""
    from mindscape import audit

    with transaction.atomic():
        updated = MessageDelivery.objects.filter(
            pk=delivery.pk, status=MessageDelivery.Status.FAILED
        ).update(status=MessageDelivery.Status.QUEUED, attempts=0, updated_at=timezone.now())
        if updated:
            audit.record(by, "message_requeued", delivery)
            _enqueue(delivery.pk)


def deliver(delivery_id: int, *, now: dt.datetime | None = None) -> str:
    """Send one queued message (or drop it if no longer true); returns the new status.

    The try is counted and committed before the send (``mindscape.delivery``): a worker
    lost mid-send leaves a row that says so, and its task is run again by ``run_periodic``.
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
        if not _still_true(delivery, now):
            delivery.status = MessageDelivery.Status.DROPPED
            delivery.save(update_fields=["status", "updated_at"])
            return delivery.status
        if not delivery_outcome.begin(delivery):
            return delivery.status
    try:
        build(delivery).send()
    except Exception as error:  # any backend failure: count it, retry later or give up
        return delivery_outcome.failed(delivery, error, now=now, requeue=_enqueue)
    return delivery_outcome.sent(delivery, now=now)


REMINDER_RULES = [
    # kind, how long before, which consultation types (None: all)
    (Kind.REMINDER_24H, dt.timedelta(hours=24), None),
    (
        Kind.REMINDER_2H,
        dt.timedelta(hours=2),
        (ConsultationType.Kind.PHONE, ConsultationType.Kind.VIDEO),
    ),
]


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
