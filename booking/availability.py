"""Open consultation slots: a pure function of a schedule, existing bookings and now.

No Django models here, so every rule can be tested without a database.

Times: opening windows are wall-clock times in the location's own time zone; every
instant that leaves this module is an aware datetime in UTC.  A day's candidate start
times are built on the local calendar and converted one by one, so a window of
09:00–17:00 stays 09:00–17:00 local on the days either side of a daylight-saving change.
A wall time that does not exist that day (the hour skipped in spring) offers nothing; a
wall time that happens twice (the hour repeated in autumn) is offered once, at its first
occurrence.  Lengths are real elapsed time, computed in UTC.

Capacity: a location holds ``capacity`` consultations at once, shared by every type.  Each
booking occupies one numbered seat from its start until its end plus the buffer; a new
booking needs a seat with no overlapping booking.  The database enforces the same rule
(an exclusion constraint per seat, see ``booking.models.Consultation``), and the booking
service takes seats in the same order, so what is shown here is what can be booked.
"""

from __future__ import annotations

import datetime as dt
from bisect import bisect_left
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from zoneinfo import ZoneInfo

UTC = dt.UTC


@dataclass(frozen=True)
class Window:
    """Open from ``start`` to ``end`` (local wall clock) on ``weekday`` (0 = Monday)."""

    weekday: int
    start: dt.time
    end: dt.time


@dataclass(frozen=True)
class Schedule:
    """What one consultation type at one location offers."""

    time_zone: ZoneInfo
    windows: tuple[Window, ...]
    duration: dt.timedelta
    capacity: int = 1
    buffer: dt.timedelta = dt.timedelta(0)  # kept free after each consultation
    step: dt.timedelta = dt.timedelta(minutes=30)  # distance between offered start times
    min_notice: dt.timedelta = dt.timedelta(0)
    horizon: dt.timedelta = dt.timedelta(days=30)
    closed_dates: frozenset[dt.date] = frozenset()  # local dates with no consultations


@dataclass(frozen=True)
class Busy:
    """An existing booking: its seat is taken from ``start`` until ``until`` (end + buffer)."""

    start: dt.datetime
    until: dt.datetime
    seat: int = 0


@dataclass(frozen=True)
class Slot:
    start: dt.datetime  # aware, UTC
    end: dt.datetime

    def local(self, time_zone: ZoneInfo) -> dt.datetime:
        return self.start.astimezone(time_zone)


def to_utc(local_day: dt.date, wall: dt.time, time_zone: ZoneInfo) -> dt.datetime | None:
    """The instant at ``wall`` on ``local_day`` in ``time_zone``; None if it does not exist."""
    local = dt.datetime.combine(local_day, wall, tzinfo=time_zone)  # fold=0: first occurrence
    instant = local.astimezone(UTC)
    back = instant.astimezone(time_zone)
    if (back.date(), back.time()) != (local_day, wall):
        return None  # skipped by a spring-forward change
    return instant


def _window_starts(schedule: Schedule, day: dt.date, window: Window) -> Iterator[dt.datetime]:
    window_end = to_utc(day, window.end, schedule.time_zone)
    if window_end is None:  # the window ends inside a skipped hour: it closes at the change,
        # the first minute the local clock reads window.end or later (fold=1 is just before it)
        local = dt.datetime.combine(day, window.end.replace(fold=1), tzinfo=schedule.time_zone)
        window_end = local.astimezone(UTC).replace(second=0, microsecond=0)
        while window_end.astimezone(schedule.time_zone).time() < window.end:
            window_end += dt.timedelta(minutes=1)
    wall = dt.datetime.combine(day, window.start)
    limit = dt.datetime.combine(day, window.end)
    while wall < limit:
        start = to_utc(day, wall.time(), schedule.time_zone)
        if start is not None and start + schedule.duration <= window_end:
            yield start
        wall += schedule.step


def day_starts(schedule: Schedule, day: dt.date) -> list[dt.datetime]:
    """Start times the schedule offers on the local ``day``, ignoring bookings, notice and
    horizon, in order (UTC)."""
    if day in schedule.closed_dates:
        return []
    starts = set()
    for window in schedule.windows:
        if window.weekday == day.weekday():
            starts.update(_window_starts(schedule, day, window))
    return sorted(starts)


def candidate_starts(schedule: Schedule, now: dt.datetime) -> Iterator[dt.datetime]:
    """Start times the schedule offers, ignoring bookings, in order (UTC)."""
    earliest = now + schedule.min_notice
    latest = now + schedule.horizon
    day = now.astimezone(schedule.time_zone).date()
    last_day = latest.astimezone(schedule.time_zone).date()
    while day <= last_day:
        for start in day_starts(schedule, day):
            if earliest <= start <= latest:
                yield start
        day += dt.timedelta(days=1)


def free_seat(schedule: Schedule, busy: Iterable[Busy], start: dt.datetime) -> int | None:
    """The lowest seat free for a consultation starting at ``start``, or None when full."""
    until = start + schedule.duration + schedule.buffer
    taken = {b.seat for b in busy if b.start < until and start < b.until}
    for seat in range(schedule.capacity):
        if seat not in taken:
            return seat
    return None


def _seat_finder(schedule: Schedule, busy: Sequence[Busy]) -> Callable[[dt.datetime], bool]:
    """A test of whether a start has a free seat, looking only at bookings near it."""
    # Only bookings near a start can overlap it: sorted by start, each candidate looks at
    # those starting within the longest booking before it and before its own end, rather
    # than at every booking in the horizon (hundreds of each on a busy schedule).
    ordered = sorted(busy, key=lambda b: b.start)
    starts = [b.start for b in ordered]
    longest = max((b.until - b.start for b in ordered), default=dt.timedelta(0))
    reach = schedule.duration + schedule.buffer

    def has_seat(start: dt.datetime) -> bool:
        near = ordered[bisect_left(starts, start - longest) : bisect_left(starts, start + reach)]
        return free_seat(schedule, near, start) is not None

    return has_seat


def open_slots(
    schedule: Schedule,
    busy: Sequence[Busy],
    now: dt.datetime,
    *,
    limit: int | None = None,
) -> list[Slot]:
    """Slots a patient may book now, soonest first (at most ``limit``)."""
    has_seat = _seat_finder(schedule, busy)
    slots = []
    for start in candidate_starts(schedule, now):
        if has_seat(start):
            slots.append(Slot(start, start + schedule.duration))
            if limit is not None and len(slots) >= limit:
                break
    return slots


# The clock's part apart: open times change with bookings and the schedule, and also as the
# clock moves (notice, horizon, the day rolling over).  ``open_starts`` is the first part,
# for whole local days, and can be kept until a booking or the schedule changes; those
# from ``now + min_notice`` to ``now + horizon`` are what ``open_slots`` gives at ``now``.


def open_starts(
    schedule: Schedule, busy: Sequence[Busy], first_day: dt.date, last_day: dt.date
) -> list[dt.datetime]:
    """Start times with a free seat on the local days ``first_day`` to ``last_day``,
    before notice and horizon are applied, in order (UTC).  ``busy`` must hold every
    booking that overlaps those days."""
    has_seat = _seat_finder(schedule, busy)
    found = []
    day = first_day
    while day <= last_day:
        found += [start for start in day_starts(schedule, day) if has_seat(start)]
        day += dt.timedelta(days=1)
    return found


def is_offered(
    schedule: Schedule, busy: Sequence[Busy], start: dt.datetime, now: dt.datetime
) -> bool:
    """Whether a patient may book exactly ``start`` now (a tampered value is simply not)."""
    if start.tzinfo is None:
        return False
    start = start.astimezone(UTC)
    if not any(candidate == start for candidate in candidate_starts(schedule, now)):
        return False
    return free_seat(schedule, busy, start) is not None


def nearest(
    schedule: Schedule,
    busy: Sequence[Busy],
    now: dt.datetime,
    around: dt.datetime,
    *,
    count: int = 3,
) -> list[Slot]:
    """The ``count`` open slots closest in time to ``around`` (e.g. a slot just taken)."""
    slots = open_slots(schedule, busy, now)
    slots.sort(key=lambda slot: (abs(slot.start - around), slot.start))
    return sorted(slots[:count], key=lambda slot: slot.start)
