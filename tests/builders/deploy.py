"""Builders for the deploy tests: shared data and helpers test modules import."""

from __future__ import annotations

import datetime as dt


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
