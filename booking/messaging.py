"""Emails about consultations: what each one says, to whom, and whether it is still true.

What a message may hold.  The patient's own emails give the time, the place or video
link, and the private manage link: never the topic, their message, or anything clinical,
and the subject names only "MindScape" (an inbox preview is not private).  Staff alerts
say what happened and link to the admin: nothing about the patient.

What is still true.  ``still_true()`` says whether a message may still go out when the
worker picks it up: a reminder for a booking that was cancelled or moved, or a confirmation
overtaken by a later change, is dropped instead.

Queueing, sending and retrying are ``booking/tasks.py``'s; this module imports nothing of it.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.urls import reverse

from clinic.facts import facts

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


def still_true(delivery: MessageDelivery, now: dt.datetime) -> bool:
    """Whether the message may still go out: False for a reminder of a booking cancelled,
    moved or past, and for a message overtaken by a later change of the booking."""
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
