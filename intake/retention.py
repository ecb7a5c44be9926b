"""Screenings are kept only as long as they are needed.

A screening of someone who never became a patient is deleted ``INTAKE_RETENTION_DAYS``
after it last changed — never one awaiting a clinician's acknowledgement and never one
sent but not yet reviewed.  Its notes, acknowledgements and alerts go with it; the audit
log keeps its entries (they hold a number and codes, nothing about the person) and one
entry with the count deleted.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from audit import log as audit

from .models import Screening


def expired(now: dt.datetime | None = None):
    now = now or timezone.now()
    cutoff = now - dt.timedelta(days=settings.INTAKE_RETENTION_DAYS)
    return (
        Screening.objects.filter(became_patient_at=None, updated_at__lt=cutoff)
        .filter(status__in=[Screening.Status.DRAFT, Screening.Status.REVIEWED])
        .exclude(Q(needs_acknowledgement=True, acknowledged_at=None))
    )


@transaction.atomic
def apply(now: dt.datetime | None = None) -> int:
    """Delete the expired screenings; returns the count (also audited)."""
    count = 0
    for screening in expired(now).select_for_update(skip_locked=True).only("pk"):
        screening.delete()
        count += 1
    if count:
        audit.record(None, "screenings_deleted_by_retention", None, {"count": count})
    return count
