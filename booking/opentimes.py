"""The booking page's open times, kept in the shared cache until what they are made of changes.

Open times depend on the bookings and the schedule (windows, closures, the location's and
the type's settings) and on the clock (notice, horizon, the day rolling over).  The first
part is cached: the open start times of whole local days, from today through the last day
the horizon can reach, keyed by the location's generation token
(``AvailabilityGeneration``, given a new value by a database trigger in the same transaction
as any write to those tables, whatever wrote it).  The clock is applied on every request.

The token is read before the data: a value stored under a token was made from data at
least as new as that token, and the first booking after it gives the location a new token,
so a time taken never shows as free once the booking has committed, on any server.

The cache is the default one (Redis in production), and each process keeps the times it
last read or made (``KEPT``), under the same key: a key's times never change, as a write
gives the location a new token.  With Redis away a read misses and a write is lost, so each
process makes the times from the database once per token, and as keys carry the token,
nothing kept from before can be served afterwards.  Only the patient's booking page reads
from here; the move page (which leaves out the patient's own booking), the staff picker and
the check when a time is booked compute live (``booking.schedule``).
"""

from __future__ import annotations

import datetime as dt
import uuid
from bisect import bisect_left, bisect_right
from dataclasses import dataclass

from django.core.cache import cache
from django.db import connection

from . import availability, schedule
from .availability import Slot
from .models import Consultation, ConsultationType, Location

CACHE_SECONDS = 26 * 3600  # a local day and a little: the key changes with the day anyway
# Times read or made by this process, by cache key: a few KB each, a few locations and types.
_kept: dict[str, tuple[int, ...]] = {}
KEPT = 64
READ = object()  # open_times(token=READ): read the location's token first


@dataclass(frozen=True)
class OpenTimes:
    """Open start times (POSIX seconds, ascending) before notice and horizon."""

    key: str  # what they were made from; "" when made live (no generation row yet)
    starts: tuple[int, ...]
    duration: dt.timedelta

    def bounds(self, first: dt.datetime, last: dt.datetime) -> tuple[int, int]:
        """Indexes of ``starts`` from ``first`` to ``last`` inclusive, as a slice."""
        return bisect_left(self.starts, first.timestamp()), bisect_right(
            self.starts, last.timestamp()
        )

    def slots(self, begin: int, end: int) -> list[Slot]:
        return [
            Slot(start, start + self.duration)
            for start in (
                dt.datetime.fromtimestamp(stamp, dt.UTC) for stamp in self.starts[begin:end]
            )
        ]


def generation(location_id: int) -> str | None:
    """The location's token (``AvailabilityGeneration``) now, or None when it has none.

    The booking page's one query on a GET, so written out: the ORM took ten times as long
    to build and compile it as PostgreSQL to answer it."""
    with connection.cursor() as cursor:
        # The table as the triggers that write it name it (migration 0006).
        cursor.execute(
            "SELECT token FROM booking_availabilitygeneration WHERE location_id = %s",
            [location_id],
        )
        row = cursor.fetchone()
    return None if row is None else uuid.UUID(str(row[0])).hex


def cache_key(
    location: Location, consultation_type: ConsultationType, token: str, today: dt.date
) -> str:
    # The settings read from the objects in hand are in the key too: they were read before
    # the token, and must be the ones the times are made from.
    made_of = (
        location.time_zone,
        location.capacity,
        location.buffer_minutes,
        location.slot_step_minutes,
        location.horizon_days,
        consultation_type.duration_minutes,
    )
    settings = ":".join(str(part) for part in made_of)
    return (
        f"booking:open-times:{location.pk}:{consultation_type.pk}:{token}:"
        f"{today.isoformat()}:{settings}"
    )


def open_times(
    location: Location, consultation_type: ConsultationType, now: dt.datetime, token=READ
) -> OpenTimes:
    """Open start times from ``now``'s local day on, cached when the location has a token.

    ``token``: the location's token (``generation``) when the caller read it before it read
    ``location`` and ``consultation_type`` (the booking page does); else it is read here."""
    today = now.astimezone(location.zone).date()
    if token is READ:
        token = generation(location.pk)  # first: see the module's docstring
    if token is None:
        return OpenTimes("", _made(location, consultation_type, today), consultation_type.duration)
    key = cache_key(location, consultation_type, token, today)
    starts = _kept.get(key)
    if starts is None:
        starts = cache.get(key)
        if starts is None:
            starts = _made(location, consultation_type, today)
            cache.set(key, starts, CACHE_SECONDS)
        if len(_kept) >= KEPT:
            _kept.clear()
        _kept[key] = starts
    return OpenTimes(key, starts, consultation_type.duration)


def open_slots(
    location: Location, consultation_type: ConsultationType, now: dt.datetime, token=READ
) -> tuple[OpenTimes, int, int]:
    """The open times and the slice of them a patient may book at ``now``: from the
    minimum notice to the horizon (as ``schedule.schedule_for`` sets them)."""
    times = open_times(location, consultation_type, now, token)
    begin, end = times.bounds(
        now + dt.timedelta(hours=location.min_notice_hours),
        now + dt.timedelta(days=location.horizon_days),
    )
    return times, begin, end


def _made(
    location: Location, consultation_type: ConsultationType, today: dt.date
) -> tuple[int, ...]:
    last_day = today + dt.timedelta(days=location.horizon_days + 1)  # now + horizon, any hour
    plan = schedule.schedule_between(location, consultation_type, today, last_day)
    day_before = dt.datetime.combine(today - dt.timedelta(days=1), dt.time(), tzinfo=plan.time_zone)
    day_after = dt.datetime.combine(
        last_day + dt.timedelta(days=2), dt.time(), tzinfo=plan.time_zone
    )
    busy = Consultation.objects.busy(location, day_before, day_after)
    return tuple(
        int(start.timestamp()) for start in availability.open_starts(plan, busy, today, last_day)
    )
