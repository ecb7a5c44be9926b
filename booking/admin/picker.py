"""The free-time picker of the staff book and move pages.

The times are the patient's own (``booking.schedule.open_slots``: the same hours, notice,
closures and capacity), the soonest first, or the soonest from a date the caller asks for.
Each time is a submit button named ``pick``: one click puts it into the date and time
fields (the page comes back with them filled, nothing is booked yet).  Typing a time
stays possible, for the override.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.utils import timezone

from .. import schedule
from ..availability import Slot
from ..models import Consultation, ConsultationType, Location

DAYS_SHOWN = 3


@dataclass
class PickerDay:
    day: dt.date
    times: list[tuple[str, str]] = field(default_factory=list)  # (value, "10:30 AM")


def slot_value(slot: Slot) -> str:
    return slot.start.isoformat()


def time_label(start: dt.datetime, location: Location) -> str:
    return f"{start.astimezone(location.zone):%-I:%M %p}"


def days(
    location: Location,
    consultation_type: ConsultationType,
    *,
    from_day: dt.date | None = None,
    exclude: Consultation | None = None,
) -> list[PickerDay]:
    """Open times on the first ``DAYS_SHOWN`` days that have any, from ``from_day`` on."""
    result: list[PickerDay] = []
    for slot in schedule.open_slots(location, consultation_type, exclude=exclude):
        local_day = slot.local(location.zone).date()
        if from_day is not None and local_day < from_day:
            continue
        if not result or result[-1].day != local_day:
            if len(result) == DAYS_SHOWN:
                break
            result.append(PickerDay(local_day))
        result[-1].times.append((slot_value(slot), time_label(slot.start, location)))
    return result


def nearest(
    location: Location,
    consultation_type: ConsultationType,
    around: dt.datetime,
    *,
    exclude: Consultation | None = None,
) -> list[tuple[str, str]]:
    slots = schedule.nearest_slots(location, consultation_type, around, exclude=exclude)
    return [
        (slot_value(slot), f"{slot.local(location.zone):%a %b %-d, %-I:%M %p}") for slot in slots
    ]


def picked(value: str, location: Location) -> dt.datetime | None:
    """The local start of a picked time, or None for anything that is not an instant."""
    if not value or len(value) > 40:
        return None
    try:
        start = dt.datetime.fromisoformat(value)
    except ValueError:
        return None
    if start.tzinfo is None:
        return None
    return start.astimezone(location.zone)


def from_day(value: str | None) -> dt.date | None:
    """The date typed on the form, if it is one from today on."""
    if not value:
        return None
    try:
        day = dt.date.fromisoformat(str(value))
    except ValueError:
        return None
    return day if day >= timezone.localdate() else None
