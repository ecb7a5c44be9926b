"""Builders for the deploy tests: shared data and helpers test modules import."""

from __future__ import annotations

import datetime as dt

# How long a time chosen by a test stays open (``open_for_a_while``).
A_WHILE = dt.timedelta(minutes=10)


def book_path(location, consultation_type) -> str:
    return f"/consultation/?type={consultation_type.pk}&location={location.pk}"


def filled_form(page, start: dt.datetime, n: int) -> dict:
    """What a patient sends: the page's own hidden fields, the honeypot left empty."""
    return {
        "csrfmiddlewaretoken": page.field("csrfmiddlewaretoken"),
        "form_started": page.field("form_started"),
        "idempotency_key": page.field("idempotency_key"),
        "website": "",
        "slot": start.astimezone(dt.UTC).isoformat(),
        "first_name": "Avery",
        "last_name": f"Quinn{n}",
        "email": f"patient{n}@example.org",
        "phone": "(207) 555-0123",
        "contact_method": "phone",
        "topic": "anxiety",
        "message": "",
        "consent": "on",
    }


def open_for_a_while(location, consultation_type, limit: int) -> list[dt.datetime]:
    """The first ``limit`` open times that stay bookable for ``A_WHILE``.  The very first
    open time passes the location's notice cutoff every half hour (its slot step), and a
    test that chose it just before then saw all its bookings refused: on a busy machine a
    deploy test takes half a minute."""
    from django.utils import timezone

    from booking import schedule

    later = timezone.now() + A_WHILE
    return [
        s.start for s in schedule.open_slots(location, consultation_type, now=later, limit=limit)
    ]
