"""Screening transitions.  ``screening_submit`` scores the answers (``instruments``), raises
the flags and the urgency (``flags``) and stores the results beside the encrypted answers.

Nothing here diagnoses, approves or refuses anyone: a clinician decides.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from mindscape import audit
from mindscape.crisis import is_crisis_text

from . import alerts, flags, instruments
from .crypto import lookup_hash
from .models import Screening, ScreeningNote, StaffAlert

REQUIRED_PARTS = ("phq9", "gad7", "pcptsd5", "cssrs", "prescreen")
URGENT_UP_TO = 3  # urgency 1-3 alerts clinical staff at once (flags.Urgency order)
CRISIS_WORDING_FLAG = "crisis_wording"
NOT_FREE_TEXT = {"consent", "progress", "crisis_level"}


def _texts(value: Any):
    """Every string a patient typed, anywhere in the answers."""
    if isinstance(value, str):
        yield value
    elif isinstance(value, Mapping):
        for key, item in value.items():
            if key not in NOT_FREE_TEXT:
                yield from _texts(item)
    elif isinstance(value, list | tuple):
        for item in value:
            yield from _texts(item)


class ScreeningError(Exception):
    """The action does not fit the screening's state or its answers are incomplete."""


def results(answers: Mapping[str, Any], thresholds: Mapping | None = None) -> dict[str, Any]:
    """The computed fields of a complete answer set (pure: no database).

    Raises ``instruments.AnswerError`` / ``flags``' errors for an incomplete or invalid set:
    an incomplete set is refused, never scored.
    """
    missing = [part for part in REQUIRED_PARTS if part not in answers]
    if missing:
        raise instruments.IncompleteAnswers(missing)
    thresholds = flags.resolve_thresholds(thresholds)
    phq9 = instruments.score("phq9", answers["phq9"])
    gad7 = instruments.score("gad7", answers["gad7"])
    pcptsd5 = instruments.score("pcptsd5", answers["pcptsd5"], cutoff=thresholds["pc_ptsd5_cutoff"])
    pain = instruments.score("pain", answers["pain"]) if answers.get("pain") else None
    cssrs = instruments.score("cssrs", answers["cssrs"])
    raised = flags.evaluate(answers["prescreen"], thresholds)
    cssrs_answers = answers["cssrs"]
    any_yes = any(value == 1 for code, value in cssrs_answers.items() if code != "q6_recent")
    level = flags.urgency(
        cssrs_tier=cssrs.tier,
        cssrs_behaviour_recent=bool(cssrs.recent_behaviour),
        cssrs_q4_or_q5_yes=cssrs_answers.get("q4") == 1 or cssrs_answers.get("q5") == 1,
        phq9_item9=phq9.item9,
        flags=raised,
    )
    versions = {
        code: instruments.INSTRUMENTS[code].version
        for code in ("phq9", "gad7", "pcptsd5", "pain", "cssrs")
        if answers.get(code)
    }
    versions["prescreen"] = flags.PRESCREEN_VERSION
    # Crisis wording typed anywhere shows the crisis resources and flags the screening for
    # a clinician (and the immediate alert), whatever the scores say.
    crisis_wording = any(is_crisis_text(text) for text in _texts(answers))
    flag_codes = [flag.code for flag in raised] + ([CRISIS_WORDING_FLAG] if crisis_wording else [])
    return {
        "instrument_versions": versions,
        "phq9_total": phq9.total,
        "phq9_band": phq9.band,
        "phq9_item9": phq9.item9,
        "gad7_total": gad7.total,
        "gad7_band": gad7.band,
        "pcptsd5_count": pcptsd5.count,
        "pain": pain.value if pain else None,
        "cssrs_tier": str(getattr(cssrs.tier, "value", cssrs.tier)),
        "flag_codes": flag_codes,
        "urgency": int(level),
        "shows_crisis": crisis_wording
        or flags.shows_crisis(phq9_item9=phq9.item9, cssrs_any_yes=any_yes),
    }


@transaction.atomic
def screening_submit(*, screening: Screening, now: dt.datetime | None = None) -> Screening:
    """Score and submit a draft.  The answers stay encrypted; only results are in the clear."""
    screening = Screening.objects.select_for_update().get(pk=screening.pk)
    if screening.status != Screening.Status.DRAFT:
        raise ScreeningError("This screening has already been sent.")
    computed = results(screening.answers, getattr(settings, "INTAKE_CLINICAL_THRESHOLDS", None))
    for field, value in computed.items():
        setattr(screening, field, value)
    email = (screening.identity or {}).get("email", "")
    screening.email_lookup = lookup_hash(email) if email else ""
    screening.status = Screening.Status.SUBMITTED
    screening.submitted_at = now or timezone.now()
    screening.resume_token_hash = None  # the resume link dies on submission
    screening.resume_expires_at = None
    screening.save()
    audit.record(
        None,
        "screening_submitted",
        screening,
        {"urgency": screening.urgency, "risk": flags.is_risk(screening.urgency)},
    )
    if screening.urgency <= URGENT_UP_TO or CRISIS_WORDING_FLAG in screening.flag_codes:
        alerts.queue(screening, StaffAlert.Kind.URGENT_SUBMISSION)
    return screening


@transaction.atomic
def screening_note_add(*, screening: Screening, text: str, by) -> ScreeningNote:
    """A clinician's note on a screening (stored encrypted; audited without its text)."""
    text = text.strip()
    if not text:
        raise ScreeningError("Write the note first.")
    note = ScreeningNote.objects.create(screening=screening, author=by, text=text[:4000])
    audit.record(by, "screening_note_added", screening, {"note": note.pk})
    return note
