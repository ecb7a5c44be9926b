"""Private resume links for screening drafts.

The link alone never opens health data: the patient must also confirm their date of
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
from django.db.models import F
from django.utils import timezone

from .models import Screening

MAX_FAILURES = 5


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
