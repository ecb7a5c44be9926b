"""Screening transitions.  ``screening_submit`` scores the answers (``instruments``), raises
the flags and the urgency (``flagging``, over the tables of ``flags``) and stores the results
beside the encrypted answers.

Nothing here diagnoses, approves or refuses anyone: a clinician decides.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from audit import log as audit
from clinic.crisis import is_crisis_text

from . import flagging, flags, instruments, tasks
from .crypto import lookup_hash
from .models import Acknowledgement, Screening, ScreeningNote, StaffAlert

REQUIRED_PARTS = ("phq9", "gad7", "pcptsd5", "cssrs", "prescreen")
# Urgency 1-4 alerts clinical staff at once (flagging.is_risk); escalation filters on it in SQL.
URGENT_UP_TO = int(flags.Urgency.PASSIVE_THOUGHTS)
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


def has_crisis_wording(answers: Mapping[str, Any]) -> bool:
    """Crisis wording typed anywhere in the answers (``clinic.crisis``)."""
    return any(is_crisis_text(text) for text in _texts(answers))


class ScreeningError(Exception):
    """The action does not fit the screening's state or its answers are incomplete."""


class ScreeningGone(ScreeningError):
    """The screening was deleted (retention) while someone was acting on it."""


def clinical_thresholds() -> Mapping[str, int]:
    """The medical director's block, ``settings.INTAKE_CLINICAL_THRESHOLDS``, checked and
    completed with ``flags.DEFAULT_THRESHOLDS`` (``flagging.resolve_thresholds``)."""
    return flagging.resolve_thresholds(getattr(settings, "INTAKE_CLINICAL_THRESHOLDS", {}))


def results(answers: Mapping[str, Any], thresholds: Mapping | None = None) -> dict[str, Any]:
    """The computed fields of a complete answer set (no database); ``thresholds`` None: the
    settings block (``clinical_thresholds``).

    Raises ``instruments.AnswerError`` / ``flagging``' errors for an incomplete or invalid set:
    an incomplete set is refused, never scored.
    """
    missing = [part for part in REQUIRED_PARTS if part not in answers]
    if missing:
        raise instruments.IncompleteAnswers(missing)
    thresholds = (
        clinical_thresholds() if thresholds is None else flagging.resolve_thresholds(thresholds)
    )
    phq9 = instruments.score("phq9", answers["phq9"])
    gad7 = instruments.score("gad7", answers["gad7"])
    pcptsd5 = instruments.score("pcptsd5", answers["pcptsd5"], cutoff=thresholds["pc_ptsd5_cutoff"])
    pain = instruments.score("pain", answers["pain"]) if answers.get("pain") else None
    cssrs = instruments.score("cssrs", answers["cssrs"])
    raised = flagging.evaluate(answers["prescreen"], thresholds)
    cssrs_answers = answers["cssrs"]
    any_yes = any(value == 1 for code, value in cssrs_answers.items() if code != "q6_recent")
    # Crisis wording typed anywhere shows the crisis resources and is level 3 (the immediate
    # alert), whatever the scores say.
    crisis_wording = has_crisis_wording(answers)
    triaged = flagging.triage(
        cssrs=cssrs_answers, phq9_item9=phq9.item9, crisis_wording=crisis_wording, flags=raised
    )
    versions = {
        code: instruments.INSTRUMENTS[code].version
        for code in ("phq9", "gad7", "pcptsd5", "pain", "cssrs")
        if answers.get(code)
    }
    versions["prescreen"] = flags.PRESCREEN_VERSION
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
        "urgency": int(triaged.level),
        "urgency_reasons": list(triaged.reasons),
        "urgency_scale": flags.URGENCY_SCALE,
        "shows_crisis": crisis_wording
        or flagging.shows_crisis(phq9_item9=phq9.item9, cssrs_any_yes=any_yes),
    }


def needs_acknowledgement(computed: Mapping[str, Any]) -> bool:
    """Whether a clinician must acknowledge the sent answers, saying what was done, before
    the screening can be marked reviewed: whenever it is not routine.

    That is urgency 1-6 (a sign of risk, a label contraindication, cautions or medicines to
    review), crisis resources shown, or crisis wording.  Urgency 7 needs none, even with a
    flag of severity "information" (high blood pressure under treatment): the urgency order
    puts it with the routine ones on purpose, and the summary still shows it.  A medicine
    flag, lamotrigine included, is urgency 6 and needs one.  ``screening_submit`` adds the
    one other case: a risk answer changed before sending.
    """
    return (
        flags.Urgency(computed["urgency"]) < flags.Urgency.ROUTINE
        or computed["shows_crisis"]
        or CRISIS_WORDING_FLAG in computed["flag_codes"]
    )


def effective_urgency(screening: Screening) -> int | None:
    """The urgency a screening is triaged by (``Screening.triage_urgency``)."""
    return screening.triage_urgency


def is_urgent(screening: Screening) -> bool:
    """Effective urgency 1-4 (a sign of risk; crisis wording is level 3): alerted at once,
    escalated while unacknowledged.  The stored crisis-wording flag is read as well, for a
    row whose number predates the current scale."""
    level = screening.triage_urgency
    return (level is not None and flagging.is_risk(level)) or CRISIS_WORDING_FLAG in (
        screening.flag_codes or ()
    )


def draft_triage(answers: Mapping[str, Any]) -> flagging.Triage | None:
    """The level and reasons that the risk answers of an unfinished form already call for.

    From PHQ-9 item 9, the C-SSRS answers given so far (a question not answered never
    lowers the level; behaviour whose recency is not answered yet counts as recent) and
    crisis wording typed anywhere.  None unless it is a sign of risk (levels 1-4).
    """
    item9 = (answers.get("phq9") or {}).get("q9")
    item9 = item9 if type(item9) is int and 0 <= item9 <= 3 else None
    cssrs = {
        code: value
        for code, value in (answers.get("cssrs") or {}).items()
        if code in flags.CSSRS_CODES and type(value) is int and value in (0, 1)
    }
    triaged = flagging.triage(
        cssrs=cssrs, phq9_item9=item9, crisis_wording=has_crisis_wording(answers), flags=()
    )
    return triaged if flagging.is_risk(triaged.level) else None


def draft_urgency(answers: Mapping[str, Any]) -> int | None:
    """``draft_triage``'s level, or None."""
    triaged = draft_triage(answers)
    return int(triaged.level) if triaged else None


def draft_risk_update(
    screening: Screening, *, unsent: Mapping[str, Mapping[str, int]] | None = None
) -> None:
    """Keep the strongest risk seen in a draft (call before saving its answers).

    ``unsent``: risk answers on a page saved without being sent (on the way Back, before
    the form closed), laid over the sent ones: a risk answer counts once it was given."""
    answers = dict(screening.answers or {})
    for code, values in (unsent or {}).items():
        answers[code] = {**(answers.get(code) or {}), **values}
    triaged = draft_triage(answers)
    if triaged is None:
        return
    level = int(triaged.level)
    if screening.draft_urgency is None or level < screening.draft_urgency:
        screening.draft_urgency = level
        screening.urgency_reasons = list(triaged.reasons)
        screening.urgency_scale = flags.URGENCY_SCALE


@transaction.atomic
def screening_submit(*, screening: Screening, now: dt.datetime | None = None) -> Screening:
    """Score and submit a draft.  The answers stay encrypted; only results are in the clear."""
    screening = Screening.objects.select_for_update().get(pk=screening.pk)
    if screening.status != Screening.Status.DRAFT:
        raise ScreeningError("This screening has already been sent.")
    computed = results(screening.answers)
    for field, value in computed.items():
        setattr(screening, field, value)
    # The sent answers are new information: an acknowledgement given to the draft does
    # not cover them.  A risk answer given while filling in and changed before sending
    # still needs a clinician's eyes (the summary says so).
    screening.needs_acknowledgement = needs_acknowledgement(computed) or (
        screening.draft_urgency is not None and screening.draft_urgency < computed["urgency"]
    )
    if screening.needs_acknowledgement:
        screening.acknowledged_at = None
    if screening.draft_urgency is not None and screening.draft_urgency < computed["urgency"]:
        screening.urgency_reasons = [*computed["urgency_reasons"], "risk_answer_changed"]
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
        {"urgency": screening.urgency, "risk": flagging.is_risk(screening.urgency)},
    )
    if is_urgent(screening):
        tasks.queue(screening, StaffAlert.Kind.URGENT_SUBMISSION)
    return screening


def _locked(screening: Screening) -> Screening:
    """The screening, locked until the transaction ends (retention skips a locked one), or
    ``ScreeningGone`` if retention deleted it since the page was opened."""
    locked = Screening.objects.select_for_update().filter(pk=screening.pk).first()
    if locked is None:
        raise ScreeningGone(
            f"Screening #{screening.pk} no longer exists: it was deleted under the retention "
            "rules. Nothing was saved."
        )
    return locked


@transaction.atomic
def screening_note_add(*, screening: Screening, text: str, by) -> ScreeningNote:
    """A clinician's note on a screening (stored encrypted; audited without its text)."""
    text = text.strip()
    if not text:
        raise ScreeningError("Write the note first.")
    screening = _locked(screening)
    note = ScreeningNote.objects.create(screening=screening, author=by, text=text[:4000])
    audit.record(by, "screening_note_added", screening, {"note": note.pk})
    return note


@transaction.atomic
def screening_acknowledge(
    *, screening: Screening, action: str, note: str, by, now: dt.datetime | None = None
) -> Acknowledgement:
    """A clinician records what was done about a screening that needs an acknowledgement
    (anything not routine: ``needs_acknowledgement``, or a form left after a risk answer)."""
    screening = _locked(screening)
    if not screening.needs_acknowledgement:
        raise ScreeningError("This screening is routine: there is nothing to acknowledge.")
    if action not in Acknowledgement.Action.values:
        raise ScreeningError("Choose what was done.")
    note = note.strip()
    if not note:
        raise ScreeningError("Say in a few words what was done.")
    acknowledgement = Acknowledgement.objects.create(
        screening=screening,
        by=by,
        action=action,
        note=note[:4000],
        of_draft=screening.status == Screening.Status.DRAFT,
    )
    screening.acknowledged_at = now or timezone.now()
    screening.save(update_fields=["acknowledged_at", "updated_at"])
    audit.record(
        by,
        "screening_acknowledged",
        screening,
        {"action": action, "of_draft": acknowledgement.of_draft, "urgency": screening.urgency},
    )
    return acknowledgement


REVIEW_STEPS = {
    # action: (allowed from, to, audit action)
    "start_review": (
        {Screening.Status.SUBMITTED},
        Screening.Status.IN_REVIEW,
        "screening_review_started",
    ),
    "mark_reviewed": (
        {Screening.Status.SUBMITTED, Screening.Status.IN_REVIEW},
        Screening.Status.REVIEWED,
        "screening_reviewed",
    ),
    "reopen": ({Screening.Status.REVIEWED}, Screening.Status.IN_REVIEW, "screening_reopened"),
}


@transaction.atomic
def screening_review(*, screening: Screening, step: str, by) -> Screening:
    """Move a sent screening through review; one that needs an acknowledgement (anything
    not routine) cannot be marked reviewed until a clinician has given it."""
    screening = _locked(screening)
    try:
        allowed, target, action = REVIEW_STEPS[step]
    except KeyError:
        raise ScreeningError("Unknown review step.") from None
    if screening.status not in allowed:
        raise ScreeningError(
            f"A screening that is {screening.get_status_display().lower()} cannot do that."
        )
    if target == Screening.Status.REVIEWED and screening.awaits_acknowledgement:
        raise ScreeningError(
            "This screening needs an acknowledgement: acknowledge it (say what was done) "
            "before marking it reviewed."
        )
    screening.status = target
    screening.save(update_fields=["status", "updated_at"])
    audit.record(by, action, screening)
    return screening


@transaction.atomic
def screening_patient_set(
    *, screening: Screening, became_patient: bool, by, now: dt.datetime | None = None
) -> Screening:
    """A clinician records that the person became a patient (or corrects it)."""
    screening = _locked(screening)
    if screening.status == Screening.Status.DRAFT:
        raise ScreeningError("A form that was never sent cannot be marked as a patient's.")
    screening.became_patient_at = (now or timezone.now()) if became_patient else None
    screening.save(update_fields=["became_patient_at", "updated_at"])
    audit.record(
        by, "screening_became_patient" if became_patient else "screening_not_patient", screening
    )
    return screening
