"""The patient's slot picker: open times grouped by local day, as the booking and move pages
show them (``templates/booking/_slot_days.html``).

Rendering some 200 radio buttons was most of the booking page's time, so the booking page's
days are kept per process (``open_days``), keyed by the cached open times they come from
(``booking.opentimes``) and by what the clock makes of them.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import NamedTuple

from django.template.loader import render_to_string
from django.utils import timezone

from . import opentimes
from .availability import Slot
from .models import Location

DAYS_SHOWN = 14  # days with open times shown at once; "later times" pages on


class SlotChoice(NamedTuple):
    value: str  # the instant in UTC, as the form sends it back
    label: str  # "10:00 AM": the zone is said once, above the times
    fixed: bool  # inside the change cut-off: can't be moved or cancelled online once booked


@dataclass
class SlotDay:
    day: dt.date
    choices: list[SlotChoice]

    @property
    def id(self) -> str:
        return f"day-{self.day.isoformat()}"


def slot_value(slot: Slot) -> str:
    return slot.start.astimezone(dt.UTC).isoformat()


def slot_label(start: dt.datetime, location: Location) -> str:
    return f"{start.astimezone(location.zone):%-I:%M %p}"


def group_by_day(
    slots: list[Slot],
    location: Location,
    days: int = DAYS_SHOWN,
    *,
    fixed_before: dt.datetime | None = None,
) -> list[SlotDay]:
    """Slots by local day; those starting before ``fixed_before`` (now plus the change
    cut-off) are marked: once booked they can't be changed online."""
    grouped: list[SlotDay] = []
    for slot in slots:
        day = slot.start.astimezone(location.zone).date()
        if not grouped or grouped[-1].day != day:
            if len(grouped) == days:
                break
            grouped.append(SlotDay(day, []))
        fixed = fixed_before is not None and slot.start < fixed_before
        grouped[-1].choices.append(
            SlotChoice(slot_value(slot), slot_label(slot.start, location), fixed)
        )
    return grouped


def change_cutoff(location: Location, now: dt.datetime | None = None) -> dt.datetime:
    """Times starting before this can't be moved or cancelled online once booked."""
    return (now or timezone.now()) + dt.timedelta(hours=location.change_cutoff_hours)


# Rendered days of open times, by what they show (see ``open_days``).  Per process, bounded;
# the keys carry the location's generation token, so an entry is never shown after the times
# changed.
_days_rendered: dict[tuple, str] = {}
DAYS_RENDERED_KEPT = 64  # some 70 KB each: a few MB per worker at most


def forget_days() -> None:
    """Empty this process's days (a template changed under the development server)."""
    _days_rendered.clear()


def slot_days(
    slots: list[Slot], location: Location, fixed_before: dt.datetime, checked: str | None
) -> str:
    """The slot picker's days as HTML.  The form's widget is never given them as choices:
    the picker is this HTML, and a time sent back is checked by the booking service."""
    days = group_by_day(slots, location, fixed_before=fixed_before)
    return render_to_string(
        "booking/_slot_days.html", {"days": days, "slot_name": "slot", "checked": checked}
    )


def open_days(location, consultation_type, now, fixed_before, checked, token):
    """The booking page's days, from the cached open times (``booking.opentimes``); the
    same days shown at the same moment keep their HTML."""
    times, begin, end = opentimes.open_slots(location, consultation_type, now, token)
    fixed_end = max(begin, times.bounds(fixed_before, fixed_before)[0])
    memo_key = (times.key, begin, end, fixed_end, location.time_zone)
    kept = _days_rendered.get(memo_key) if checked is None and times.key else None
    if kept is not None:
        return kept
    shown = slot_days(times.slots(begin, end), location, fixed_before, checked)
    if checked is None and times.key:
        if len(_days_rendered) >= DAYS_RENDERED_KEPT:
            _days_rendered.clear()
        _days_rendered[memo_key] = shown
    return shown
