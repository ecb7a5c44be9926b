"""Calendar files for a consultation: one stable UID per booking, so a moved or
cancelled consultation updates the event already in the patient's calendar.

Nothing clinical goes in: the event says "Free consultation" and where or how.
"""

from __future__ import annotations

from django.utils import timezone
from icalendar import Calendar, Event

from .models import Consultation, ConsultationType

PRODID = "-//MindScape//Consultations//EN"


def uid(consultation: Consultation) -> str:
    return f"consultation-{consultation.reference}@mindscape"


def where(consultation: Consultation) -> str:
    kind = consultation.consultation_type.kind
    if kind == ConsultationType.Kind.IN_PERSON:
        return f"{consultation.location.name}, {', '.join(consultation.location.address_lines)}"
    if kind == ConsultationType.Kind.VIDEO:
        return consultation.video_link or "Video call: the link will follow by email"
    return "Phone call: we will call you"


def consultation_calendar(consultation: Consultation, *, clinic_name: str, phone: str) -> bytes:
    cancelled = consultation.status == Consultation.Status.CANCELLED
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("method", "CANCEL" if cancelled else "PUBLISH")
    event = Event()
    event.add("uid", uid(consultation))
    event.add("sequence", consultation.calendar_sequence)
    event.add("dtstamp", timezone.now())
    event.add("dtstart", consultation.local_start)
    event.add("dtend", consultation.local_end)
    event.add("summary", f"Free consultation, {clinic_name}")
    event.add("location", where(consultation))
    event.add(
        "description",
        f"Booking reference {consultation.reference}. To change it, use the link in your "
        f"confirmation or call {phone}.",
    )
    event.add("status", "CANCELLED" if cancelled else "CONFIRMED")
    calendar.add_component(event)
    calendar.add_missing_timezones()
    return calendar.to_ical()
