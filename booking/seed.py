"""A demo schedule so a fresh ``make run`` offers open times (idempotent)."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from .models import Closure, ConsultationType, Location, OpeningWindow

TYPES = [
    ("Phone call", ConsultationType.Kind.PHONE, 20, "We call you at the time you choose."),
    ("Video call", ConsultationType.Kind.VIDEO, 30, "We send you a private video link."),
    ("In person", ConsultationType.Kind.IN_PERSON, 45, "Meet the team and see the clinic."),
]
WEEKDAY_WINDOWS = [(dt.time(9), dt.time(12)), (dt.time(13), dt.time(17))]
SATURDAY_WINDOWS = [(dt.time(9), dt.time(12))]


def _holidays(year: int) -> list[tuple[dt.date, dt.date, str]]:
    november = dt.date(year, 11, 1)
    thanksgiving = november + dt.timedelta(days=(3 - november.weekday()) % 7 + 21)
    return [
        (thanksgiving, thanksgiving + dt.timedelta(days=1), "Thanksgiving"),
        (dt.date(year, 12, 24), dt.date(year, 12, 25), "Christmas"),
        (dt.date(year + 1, 1, 1), dt.date(year + 1, 1, 1), "New Year's Day"),
    ]


def seed_booking() -> int:
    """Returns how many locations were created (0 when the demo schedule already exists)."""
    location, created = Location.objects.get_or_create(
        name="Portland clinic",
        defaults={
            "street_address": "200 Harbor View Drive, Suite 310",
            "locality": "Portland",
            "region": "ME",
            "postal_code": "04101",
            "phone": "(555) 010-0199",
            "time_zone": "America/New_York",
            "capacity": 2,
            "buffer_minutes": 10,
            "slot_step_minutes": 30,
            "min_notice_hours": 12,
            "horizon_days": 60,
            "change_cutoff_hours": 24,
        },
    )
    for position, (name, kind, minutes, description) in enumerate(TYPES):
        consultation_type, _ = ConsultationType.objects.get_or_create(
            name=name,
            defaults={
                "kind": kind,
                "duration_minutes": minutes,
                "description": description,
                "position": position,
            },
        )
        consultation_type.locations.add(location)
    if created:
        OpeningWindow.objects.bulk_create(
            [
                OpeningWindow(location=location, weekday=day, start=start, end=end)
                for day in range(5)
                for start, end in WEEKDAY_WINDOWS
            ]
            + [
                OpeningWindow(location=location, weekday=5, start=start, end=end)
                for start, end in SATURDAY_WINDOWS
            ]
        )
    year = timezone.localdate().year
    for first_day, last_day, reason in _holidays(year):
        Closure.objects.get_or_create(
            location=None, first_day=first_day, last_day=last_day, defaults={"reason": reason}
        )
    return int(created)
