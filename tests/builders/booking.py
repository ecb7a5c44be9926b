"""Builders for the booking tests: shared data and helpers test modules import."""

from __future__ import annotations

import datetime as dt
import uuid

from django.urls import reverse

URL = reverse("booking:consultation")


def book_url(location, consultation_type, **extra):
    query = "&".join(
        f"{k}={v}"
        for k, v in {"type": consultation_type.pk, "location": location.pk, **extra}.items()
    )
    return f"{URL}?{query}"


def form_data(start, **overrides):
    return {
        "slot": start.astimezone(dt.UTC).isoformat(),
        "first_name": "Avery",
        "last_name": "Quinn",
        "email": "avery.quinn@example.org",
        "phone": "(207) 555-0123",
        "contact_method": "text",
        "topic": "anxiety",
        "message": "",
        "consent": "on",
        "idempotency_key": str(uuid.uuid4()),
        **overrides,
    }
