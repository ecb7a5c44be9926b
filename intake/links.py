"""The screening form's private links: the booking's link to a new form, and resume links.

**The booking's link** (``/intake/?c=<signed consultation number>``) is shown on the
booking's confirmation and manage pages and in its emails, through the
``{% screening_url %}`` tag (``templatetags/screening_link.py``): booking imports nothing of
intake.  It opens only a new, empty form linked to the consultation; it never opens health
data (a draft is reopened with its own resume link and the date of birth).

**A resume link** alone never opens health data: the patient must also confirm their date of
birth.  Only a SHA-256 hash of the token is stored; the link dies on submission, on
expiry (``INTAKE_RESUME_HOURS``), and after ``MAX_FAILURES`` wrong dates of birth (the
patient can start again or call us).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import secrets

from django.conf import settings
from django.core import signing
from django.db.models import F
from django.urls import reverse
from django.utils import timezone

from booking.models import Consultation

from .models import Screening

MAX_FAILURES = 5

# --- The booking's link to a new form ----------------------------------------------------------

BOOKING_SALT = "mindscape.screening-link"  # unchanged: links already sent keep working
BOOKING_MAX_AGE = 60 * 60 * 24 * 120  # seconds: comfortably past the booking horizon


def booking_path(consultation_id: int) -> str:
    """The path of a new form linked to this consultation, or "" while the form is off."""
    if not getattr(settings, "INTAKE_FORM_ENABLED", False):
        return ""
    token = signing.dumps(consultation_id, salt=BOOKING_SALT)
    return f"{reverse('intake:start')}?c={token}"


def consultation_id_from(token: str | None) -> int | None:
    """The consultation number a booking's link carries (None: no link, or not ours)."""
    if not token:
        return None
    try:
        value = signing.loads(token, salt=BOOKING_SALT, max_age=BOOKING_MAX_AGE)
    except signing.BadSignature:
        return None
    return value if isinstance(value, int) else None


def consultation_from(token: str | None) -> Consultation | None:
    """The consultation a booking's link names, if it still exists (a link outlives a
    booking deleted meanwhile: the form then starts unlinked)."""
    consultation_id = consultation_id_from(token)
    if consultation_id is None:
        return None
    return Consultation.objects.filter(pk=consultation_id).first()


# --- Resume links --------------------------------------------------------------------------


class ResumeRefused(Exception):
    """The link cannot open a draft; ``reason`` is a code the page explains."""

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason  # "invalid", "expired", "locked", "wrong_date_of_birth"


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def resume_link_create(*, screening: Screening, now: dt.datetime | None = None) -> str:
    """A new resume token for a draft (any earlier link stops working)."""
    now = now or timezone.now()
    token = secrets.token_urlsafe(32)
    hours = getattr(settings, "INTAKE_RESUME_HOURS", 72)
    Screening.objects.filter(pk=screening.pk, status=Screening.Status.DRAFT).update(
        resume_token_hash=_hash(token),
        resume_expires_at=now + dt.timedelta(hours=hours),
        resume_failures=0,
    )
    return token


def draft_for(token: str, *, now: dt.datetime | None = None) -> Screening:
    """The draft a link belongs to, before the date of birth is checked."""
    now = now or timezone.now()
    screening = Screening.objects.filter(resume_token_hash=_hash(token or "")).first()
    if screening is None or screening.status != Screening.Status.DRAFT:
        raise ResumeRefused("invalid")
    if screening.resume_expires_at is None or screening.resume_expires_at <= now:
        raise ResumeRefused("expired")
    if screening.resume_failures >= MAX_FAILURES:
        raise ResumeRefused("locked")
    return screening


def resume(token: str, date_of_birth: dt.date, *, now: dt.datetime | None = None) -> Screening:
    """Open the draft when the date of birth matches the one the patient gave.

    Each try is counted before the dates are compared, in one conditional UPDATE (``SET
    resume_failures = resume_failures + 1 WHERE resume_failures < MAX_FAILURES``): PostgreSQL
    locks the row, so of any number of tries at once only ``MAX_FAILURES`` get as far as a
    comparison, and the rest find the link locked.  A right date then clears the count.
    Not one transaction on purpose: a wrong date must count even though we then refuse.
    """
    screening = draft_for(token, now=now)
    counted = Screening.objects.filter(
        pk=screening.pk,
        status=Screening.Status.DRAFT,
        resume_token_hash=_hash(token),
        resume_failures__lt=MAX_FAILURES,
    ).update(resume_failures=F("resume_failures") + 1)
    if not counted:  # locked, replaced or sent since draft_for read it: say which
        draft_for(token, now=now)
        raise ResumeRefused("locked")
    given = str((screening.identity or {}).get("date_of_birth", ""))
    if not given or not hmac.compare_digest(given, date_of_birth.isoformat()):
        raise ResumeRefused("wrong_date_of_birth")
    Screening.objects.filter(pk=screening.pk).update(resume_failures=0)
    return screening


def revoke(screening: Screening) -> None:
    Screening.objects.filter(pk=screening.pk).update(resume_token_hash=None, resume_expires_at=None)
