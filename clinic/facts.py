"""The clinic's facts as one cached, immutable snapshot, and its opening-hours logic.

``facts()`` returns a ``ClinicFacts`` built from the admin-edited ``Clinic``,
``OfficeHours`` and ``ClinicClosure`` rows; it is cached and rebuilt whenever staff save
any of them, and each process keeps its copy for a second (every page reads it).
``is_open(at)`` and ``next_open(at)`` answer in the clinic's own time zone, so they stay
right across daylight-saving changes whatever zone the server runs in.
Intake uses them to tell a patient when answers will be read; triage to time escalations.
"""

from __future__ import annotations

import datetime as dt
import time
import zoneinfo
from dataclasses import dataclass
from itertools import groupby

from django.conf import settings
from django.core.cache import cache
from django.db.models.signals import post_delete, post_save
from django.utils import timezone

# v2: the class moved out of mindscape/, so an older pickle would no longer load.
CACHE_KEY = "clinic:facts:v2"
SEARCH_DAYS = 400  # how far next_open() looks ahead before giving up


@dataclass(frozen=True)
class Window:
    weekday: int  # Monday = 0
    opens: dt.time
    closes: dt.time


@dataclass(frozen=True)
class Closure:
    first_day: dt.date
    last_day: dt.date
    reason: str


@dataclass(frozen=True)
class ClinicFacts:
    name: str
    phone: str
    phone_href: str
    email: str
    address_lines: tuple[str, ...]
    time_zone: str
    windows: tuple[Window, ...]
    closures: tuple[Closure, ...]

    @property
    def short_name(self) -> str:
        """The name on a phone's one-row header: its first word when the name is long."""
        return self.name if len(self.name) <= 16 else self.name.split()[0]

    @property
    def tz(self) -> zoneinfo.ZoneInfo:
        return zoneinfo.ZoneInfo(self.time_zone)

    def closure_on(self, day: dt.date) -> Closure | None:
        return next((c for c in self.closures if c.first_day <= day <= c.last_day), None)

    def windows_on(self, day: dt.date) -> list[Window]:
        if self.closure_on(day):
            return []
        return sorted(
            (w for w in self.windows if w.weekday == day.weekday()), key=lambda w: w.opens
        )

    def is_open(self, at: dt.datetime) -> bool:
        local = at.astimezone(self.tz)
        return any(w.opens <= local.time() < w.closes for w in self.windows_on(local.date()))

    def next_open(self, at: dt.datetime) -> dt.datetime | None:
        """``at`` itself when open, else the start of the next opening window (clinic time).

        None when no opening is scheduled within a year (no office hours entered).
        """
        if self.is_open(at):
            return at.astimezone(self.tz)
        local = at.astimezone(self.tz)
        for offset in range(SEARCH_DAYS):
            day = local.date() + dt.timedelta(days=offset)
            for window in self.windows_on(day):
                start = dt.datetime.combine(day, window.opens, tzinfo=self.tz)
                if start > local:
                    return start
        return None

    def open_seconds_between(self, start: dt.datetime, end: dt.datetime) -> float:
        """How long the clinic is open between ``start`` and ``end`` (closures excluded).

        Windows are wall-clock times on each local date, so a day that changes the clock
        counts its real length.
        """
        if end <= start:
            return 0.0
        total = 0.0
        day = start.astimezone(self.tz).date()
        last = end.astimezone(self.tz).date()
        while day <= last:
            for window in self.windows_on(day):
                opens = dt.datetime.combine(day, window.opens, tzinfo=self.tz)
                closes = dt.datetime.combine(day, window.closes, tzinfo=self.tz)
                overlap = min(closes, end) - max(opens, start)
                total += max(overlap.total_seconds(), 0.0)
            day += dt.timedelta(days=1)
        return total

    def hours_summary(self) -> list[tuple[str, str]]:
        """Office hours for display: consecutive days with the same windows grouped."""
        names = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"]
        per_day = []
        for weekday in range(7):
            windows = sorted(
                (w for w in self.windows if w.weekday == weekday), key=lambda w: w.opens
            )
            per_day.append(
                (weekday, ", ".join(f"{clock(w.opens)}–{clock(w.closes)}" for w in windows))
            )
        lines = []
        for times, group in groupby(per_day, key=lambda item: item[1]):
            days = [names[weekday] for weekday, _ in group]
            label = days[0] if len(days) == 1 else f"{days[0]}–{days[-1]}"
            lines.append((label, times or "Closed"))
        return lines


def clock(value: dt.time) -> str:
    """9 am, 12:30 pm: the way the clinic writes times."""
    hour = value.hour % 12 or 12
    suffix = "am" if value.hour < 12 else "pm"
    return f"{hour}:{value:%M} {suffix}" if value.minute else f"{hour} {suffix}"


def facts_of(clinic, windows=(), closures=()) -> ClinicFacts:
    """The snapshot of ``clinic`` (a ``Clinic``, saved or not) with these hours and closures."""
    return ClinicFacts(
        name=clinic.name,
        phone=clinic.phone,
        phone_href=clinic.phone_href,
        email=clinic.email,
        address_lines=tuple(clinic.address_lines),
        time_zone=clinic.time_zone,
        windows=tuple(windows),
        closures=tuple(closures),
    )


def build_facts() -> ClinicFacts:
    from .models import Clinic

    clinic = Clinic.load()
    return facts_of(
        clinic,
        windows=(
            Window(h.weekday, h.opens, h.closes) for h in clinic.hours.order_by("weekday", "opens")
        ),
        closures=(
            Closure(c.first_day, c.last_day, c.reason)
            for c in clinic.closures.filter(
                last_day__gte=timezone.localdate() - dt.timedelta(days=1)
            )
        ),
    )


# This process's copy of the facts and when it was read (``_clock``), kept for
# ``PAGE_CACHE_CHECK_SECONDS`` (1 s) as a process trusts the page generation: a staff edit
# saved on another server reaches this one's pages within that second, as the pages
# themselves do; one saved here drops the copy at once (``_forget``).  One tuple, replaced
# whole, so a thread never sees one copy's time with another's facts.
_kept: tuple[float, ClinicFacts] | None = None
_clock = time.monotonic  # tests move it


def facts() -> ClinicFacts:
    """The current facts: this process's copy if read less than a second ago, else from
    the cache (one query set when not there either)."""
    global _kept
    kept = _kept
    if kept is not None and _clock() - kept[0] < settings.PAGE_CACHE_CHECK_SECONDS:
        return kept[1]
    cached = cache.get(CACHE_KEY)
    if cached is None:
        cached = build_facts()
        cache.set(CACHE_KEY, cached, timeout=60 * 60)
    _kept = (_clock(), cached)
    return cached


def facts_for(request) -> ClinicFacts:
    """``facts()`` read once per request: the template's context processor and the page's
    JSON-LD share one cache round trip (a query with the database cache)."""
    try:
        return request._clinic_facts
    except AttributeError:
        request._clinic_facts = facts()
        return request._clinic_facts


def is_open(at: dt.datetime | None = None) -> bool:
    return facts().is_open(at or timezone.now())


def next_open(at: dt.datetime | None = None) -> dt.datetime | None:
    return facts().next_open(at or timezone.now())


def forget() -> None:
    """Drop this process's copy (tests; and every save, below)."""
    global _kept
    _kept = None


def _forget(**kwargs) -> None:
    forget()
    cache.delete(CACHE_KEY)


def connect_cache_invalidation() -> None:
    from .models import Clinic, ClinicClosure, OfficeHours

    for model in (Clinic, OfficeHours, ClinicClosure):
        post_save.connect(_forget, sender=model, dispatch_uid=f"clinic-facts-save-{model.__name__}")
        post_delete.connect(
            _forget, sender=model, dispatch_uid=f"clinic-facts-del-{model.__name__}"
        )
