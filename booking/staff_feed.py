"""Private calendar feeds for staff: upcoming consultations as "Consultation" and a
reference, never a name.

Each staff member may have one secret feed address.  Only a SHA-256 hash of its token is
stored; making a new address or deleting the feed revokes the old one at once.  The feed
also dies with the account, or when the account loses permission to see consultations.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets

from django.db import transaction
from django.utils import timezone
from icalendar import Calendar, Event

from audit import log as audit

from .models import Consultation, StaffCalendarFeed

PAST_DAYS = 7  # recent consultations stay in the calendar for a week


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


@transaction.atomic
def feed_create(*, user) -> str:
    """A new secret feed token for ``user`` (shown once); any older one stops working."""
    token = secrets.token_urlsafe(32)
    StaffCalendarFeed.objects.filter(user=user).delete()
    feed = StaffCalendarFeed.objects.create(user=user, token_hash=_hash(token))
    audit.record(user, "calendar_feed_created", feed)
    return token


@transaction.atomic
def feed_revoke(*, user, by) -> bool:
    feed = StaffCalendarFeed.objects.filter(user=user).first()
    if feed is None:
        return False
    audit.record(by, "calendar_feed_revoked", feed)
    feed.delete()
    return True


def feed_for(token: str) -> StaffCalendarFeed | None:
    feed = (
        StaffCalendarFeed.objects.select_related("user")
        .filter(token_hash=_hash(token or ""))
        .first()
    )
    if feed is None:
        return None
    user = feed.user
    if not (user.is_active and user.is_staff and user.has_perm("booking.view_consultation")):
        return None
    return feed


def feed_calendar(*, now: dt.datetime | None = None) -> bytes:
    now = now or timezone.now()
    calendar = Calendar()
    calendar.add("prodid", "-//MindScape//Staff consultations//EN")
    calendar.add("version", "2.0")
    calendar.add("x-wr-calname", "MindScape consultations")
    consultations = Consultation.objects.filter(
        status=Consultation.Status.BOOKED, starts_at__gte=now - dt.timedelta(days=PAST_DAYS)
    ).select_related("location", "consultation_type")
    for consultation in consultations:
        event = Event()
        event.add("uid", f"staff-consultation-{consultation.reference}@mindscape")
        event.add("dtstamp", now)
        event.add("dtstart", consultation.local_start)
        event.add("dtend", consultation.local_end)
        event.add("summary", "Consultation")
        event.add(
            "description",
            f"Reference {consultation.reference} ({consultation.consultation_type.name})",
        )
        event.add("location", consultation.location.name)
        calendar.add_component(event)
    calendar.add_missing_timezones()
    return calendar.to_ical()
