"""Contact details are kept only as long as they are needed.

Consultations (once their time is past) and call-back requests older than
``BOOKING_ANONYMISE_AFTER_DAYS`` lose every detail that identifies the person — name,
email, phone, message, cancellation reason — and their manage link; what is left (time,
place, type, status) still counts for the clinic's statistics.  Their emails' delivery
rows hold no contact details and stay.  One audit entry keeps the counts.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import transaction
from django.db.models.expressions import RawSQL
from django.utils import timezone

from audit import log as audit

from .models import CallbackRequest, Consultation

ERASED = {
    "first_name": "",
    "last_name": "",
    "email": "",
    "phone": "",
    "message": "",
    "source_article": "",
}

# A fresh random nonce per row: any manage link ever sent stops working.
NEW_NONCE = RawSQL("substr(md5(random()::text || id::text), 1, 32)", [])


@transaction.atomic
def apply(now: dt.datetime | None = None) -> dict[str, int]:
    now = now or timezone.now()
    cutoff = now - dt.timedelta(days=settings.BOOKING_ANONYMISE_AFTER_DAYS)
    consultations = Consultation.objects.filter(anonymised_at=None, ends_at__lt=cutoff).update(
        **ERASED,
        cancel_reason="",
        manage_nonce=NEW_NONCE,
        anonymised_at=now,
        updated_at=now,
    )
    callbacks = CallbackRequest.objects.filter(anonymised_at=None, created_at__lt=cutoff).update(
        **ERASED, anonymised_at=now, updated_at=now
    )
    if consultations or callbacks:
        audit.record(
            None,
            "contacts_anonymised_by_retention",
            None,
            {"consultations": consultations, "callbacks": callbacks},
        )
    return {"consultations": consultations, "callbacks": callbacks}
