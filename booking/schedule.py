"""Reads a location's schedule from the database into ``availability``'s pure terms."""

from __future__ import annotations

import datetime as dt

from django.db.models import Q
from django.utils import timezone

from . import availability
from .availability import Slot
from .models import Closure, Consultation, ConsultationType, Location


def offered_types(location: Location | None = None):
    queryset = ConsultationType.objects.filter(is_active=True, locations__is_active=True)
    if location is not None:
        queryset = queryset.filter(locations=location)
    return queryset.distinct()


def is_offered_pair(location: Location, consultation_type: ConsultationType) -> bool:
    return (
        location.is_active
        and consultation_type.is_active
        and consultation_type.locations.filter(pk=location.pk).exists()
    )


def schedule_for(
    location: Location, consultation_type: ConsultationType, now: dt.datetime
) -> availability.Schedule:
    horizon = dt.timedelta(days=location.horizon_days)
    today = now.astimezone(location.zone).date()
    last = (now + horizon).astimezone(location.zone).date()
    return schedule_between(location, consultation_type, today, last)


def schedule_between(
    location: Location, consultation_type: ConsultationType, first: dt.date, last: dt.date
) -> availability.Schedule:
    """The schedule, with the closed dates from local day ``first`` to ``last``."""
    closed = set()
    for first_day, last_day in Closure.objects.filter(
        Q(location=location) | Q(location__isnull=True), first_day__lte=last, last_day__gte=first
    ).values_list("first_day", "last_day"):
        day = max(first_day, first)
        while day <= min(last_day, last):
            closed.add(day)
            day += dt.timedelta(days=1)
    return availability.Schedule(
        time_zone=location.zone,
        windows=tuple(
            availability.Window(w.weekday, w.start, w.end) for w in location.windows.all()
        ),
        duration=consultation_type.duration,
        capacity=location.capacity,
        buffer=location.buffer,
        step=dt.timedelta(minutes=location.slot_step_minutes),
        min_notice=dt.timedelta(hours=location.min_notice_hours),
        horizon=dt.timedelta(days=location.horizon_days),
        closed_dates=frozenset(closed),
    )


def busy_for(
    location: Location,
    schedule: availability.Schedule,
    now: dt.datetime,
    exclude: Consultation | None = None,
) -> list[availability.Busy]:
    return Consultation.objects.busy(
        location,
        now - dt.timedelta(days=1),
        now + schedule.horizon + dt.timedelta(days=1),
        exclude=exclude,
    )


def open_slots(
    location: Location,
    consultation_type: ConsultationType,
    *,
    now: dt.datetime | None = None,
    exclude: Consultation | None = None,
    limit: int | None = None,
) -> list[Slot]:
    """What a patient can book now: the schedule less the bookings (``exclude`` is the
    patient's own booking when moving it)."""
    now = now or timezone.now()
    schedule = schedule_for(location, consultation_type, now)
    return availability.open_slots(
        schedule, busy_for(location, schedule, now, exclude), now, limit=limit
    )


def nearest_slots(
    location: Location,
    consultation_type: ConsultationType,
    around: dt.datetime,
    *,
    now: dt.datetime | None = None,
    exclude: Consultation | None = None,
) -> list[Slot]:
    now = now or timezone.now()
    schedule = schedule_for(location, consultation_type, now)
    return availability.nearest(schedule, busy_for(location, schedule, now, exclude), now, around)


def is_slot_offered(
    location: Location,
    consultation_type: ConsultationType,
    start: dt.datetime,
    *,
    now: dt.datetime | None = None,
    exclude: Consultation | None = None,
) -> bool:
    now = now or timezone.now()
    schedule = schedule_for(location, consultation_type, now)
    return availability.is_offered(schedule, busy_for(location, schedule, now, exclude), start, now)
