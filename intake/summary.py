"""Screenings in plain words (display only, no database).

``summary``: every answer, for the patient's review step.  ``clinician_summary``: what a
clinician triages on, on one screen (scores with bands, item 9, the C-SSRS, flags with the
answers behind them, medicines, history, every answer) for the admin's summary and print.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from django.utils import dateformat

from mindscape import phones

from . import flagging, flags, instruments, services
from . import forms as intake_forms
from .models import Screening

Section = tuple[str, list[tuple[str, str]]]


def _label(choices, value) -> str:
    return {str(k): v for k, v in choices}.get(str(value), str(value))


phone = phones.display  # a stored phone number as people write it


def date_of_birth(value: str) -> str:
    """A stored ISO date as "2 April 1980" (no ambiguous 02/04/1980)."""
    try:
        return dateformat.format(dt.date.fromisoformat(value), "j F Y")
    except (TypeError, ValueError):
        return value


def _instrument(code: str, answers: Mapping[str, Any]) -> Section | None:
    given = answers.get(code)
    if not given:
        return None
    instrument = instruments.INSTRUMENTS[code]
    rows = []
    for item in instrument.items:
        if item.code in given and given[item.code] is not None:
            rows.append(
                (item.text, _label([(o.value, o.label) for o in item.options], given[item.code]))
            )
    return instrument.name, rows


def _prescreen(answers: Mapping[str, Any]) -> Section | None:
    given = answers.get("prescreen")
    if not given:
        return None
    rows = []
    for question in flags.PRESCREEN_QUESTIONS:
        if question.code not in given:
            continue
        value = given[question.code]
        kind = question.answer_type
        if kind is flags.AnswerType.YES_NO:
            shown = "Yes" if value else "No"
        elif kind is flags.AnswerType.CHOICE:
            shown = _label(question.choices, value)
        elif kind is flags.AnswerType.MULTI_CHOICE:
            shown = ", ".join(_label(question.choices, v) for v in value) or "None"
        else:
            shown = "" if value is None else str(value)
        if shown:
            rows.append((question.text, shown))
    return "Health and medicines", rows


def summary(draft: Mapping[str, Any]) -> list[Section]:
    identity = draft.get("identity") or {}
    answers = draft.get("answers") or {}
    history = answers.get("history") or {}
    sections: list[Section | None] = [
        (
            "About you",
            [
                ("Name", f"{identity.get('first_name', '')} {identity.get('last_name', '')}"),
                ("Date of birth", date_of_birth(identity.get("date_of_birth", ""))),
                ("Email", identity.get("email", "")),
                ("Phone", phone(identity.get("phone", ""))),
                ("Emergency contact", identity.get("emergency_contact_name", "")),
                (
                    "Emergency contact's phone",
                    phone(identity.get("emergency_contact_phone", "")),
                ),
            ],
        ),
        (
            "What brings you",
            [
                (
                    "What you would like help with",
                    ", ".join(
                        _label(intake_forms.CONDITION_CHOICES, c)
                        for c in history.get("conditions", [])
                    ),
                ),
                (
                    "For how long",
                    _label(intake_forms.DURATION_CHOICES, history.get("duration", "")),
                ),
                (
                    "Antidepressants tried",
                    _label(intake_forms.TRIAL_CHOICES, history.get("antidepressant_trials", "")),
                ),
                (
                    "Treatments tried",
                    ", ".join(
                        _label(intake_forms.TREATMENT_CHOICES, t)
                        for t in history.get("prior_treatments", [])
                    )
                    or "None",
                ),
            ],
        ),
        *(_instrument(code, answers) for code in ("phq9", "gad7", "pcptsd5", "pain", "cssrs")),
        _prescreen(answers),
    ]
    return [section for section in sections if section]


# --- The clinician's summary -----------------------------------------------------------------


@dataclass
class Score:
    name: str
    value: str
    band: str = ""
    attention: bool = False


@dataclass
class ClinicianSummary:
    identity: dict[str, str]
    scores: list[Score]
    item9: str
    cssrs: list[tuple[str, str]]
    flags: list[dict[str, Any]]
    medications: list[str]
    medication_names: str
    history: list[tuple[str, str]]
    answers: list[Section] = field(default_factory=list)


def _option_label(code: str, item_code: str, value) -> str:
    item = instruments.INSTRUMENTS[code].item(item_code)
    return next((o.label for o in item.options if o.value == value), str(value))


def _out_of(value: int | None, maximum: int) -> str:
    return "not scored" if value is None else f"{value} / {maximum}"


def _scores(screening: Screening) -> list[Score]:
    if screening.status == Screening.Status.DRAFT:
        return []
    cutoff = services.clinical_thresholds()["pc_ptsd5_cutoff"]
    ptsd = screening.pcptsd5_count or 0
    trauma = ((screening.answers or {}).get("pcptsd5") or {}).get("trauma") == 1
    positive = trauma and ptsd >= cutoff
    return [
        Score(
            "PHQ-9 (depression)",
            _out_of(screening.phq9_total, 27),
            _band_label(instruments.PHQ9_BANDS, screening.phq9_band),
        ),
        Score(
            "GAD-7 (anxiety)",
            _out_of(screening.gad7_total, 21),
            _band_label(instruments.GAD7_BANDS, screening.gad7_band),
        ),
        Score(
            "PC-PTSD-5 (trauma)",
            _out_of(ptsd, 5) if trauma else "no trauma reported",
            (f"at or above the cut-off of {cutoff}" if positive else "below the cut-off")
            if trauma
            else "",
            attention=positive,
        ),
        Score(
            "Pain, average past week",
            _out_of(screening.pain, 10) if screening.pain is not None else "not asked",
        ),
        Score(
            "C-SSRS screen",
            screening.get_cssrs_tier_display() or "not answered",
            attention=screening.cssrs_tier in ("moderate", "high"),
        ),
    ]


def _band_label(bands, code: str) -> str:
    return next((band.label for band in bands if band.code == code), code)


def _item9(answers: dict) -> str:
    value = (answers.get("phq9") or {}).get("q9")
    if value is None:
        return "not answered yet"
    return f"{_option_label('phq9', 'q9', value)} ({value})"


def _cssrs(answers: dict) -> list[tuple[str, str]]:
    given = answers.get("cssrs") or {}
    instrument = instruments.INSTRUMENTS["cssrs"]
    rows = []
    for item in instrument.items:
        if item.code in given and given[item.code] is not None:
            rows.append((item.text, _option_label("cssrs", item.code, given[item.code])))
        else:
            rows.append((item.text, "not asked" if given else "not answered yet"))
    return rows


# What each flag code is, for a code stored at submission that today's answers no longer
# raise (answers from an older version of the questions, a changed threshold).
_FLAG_TABLE: dict[str, tuple[str, str, str]] = {
    **{rule.code: (rule.severity, rule.question, rule.reason) for rule in flags.CONDITION_RULES},
    **{
        category.flag_code: (category.severity, "medication_categories", category.reason)
        for category in flags.MEDICATION_CATEGORIES
    },
}


def _stored_flag(code: str, questions: dict[str, str]) -> dict[str, Any]:
    severity, question, reason = _FLAG_TABLE.get(code, ("flag", "", ""))
    if not reason or "{" in reason:  # a reason that quotes the answer: not known here
        reason = "Raised when the form was sent."
    return {
        "code": code,
        "severity": str(severity),
        "reason": reason,
        "question": f"{questions.get(question, 'The answers')} (see every answer below)",
        "answer": "",
    }


def _flags(screening: Screening) -> list[dict[str, Any]]:
    """The flags with the answers behind them.  Never fewer than the codes stored when the
    form was sent: a flag shown as "No flags" would be read as "nothing to see"."""
    answers = screening.answers or {}
    prescreen = answers.get("prescreen")
    questions = {q.code: q.text for q in flags.PRESCREEN_QUESTIONS}
    raised: list[flags.Flag] = []
    if prescreen:
        try:
            raised = flagging.evaluate(prescreen, services.clinical_thresholds())
        except (ValueError, TypeError):  # unfinished, or an older version of the questions
            raised = []
    rows = [
        {
            "code": flag.code,
            "severity": str(flag.severity),
            "reason": flag.reason,
            "question": questions.get(flag.question, flag.question),
            "answer": _answer_text(flag.answer),
        }
        for flag in raised
    ]
    shown = {flag.code for flag in raised} | {services.CRISIS_WORDING_FLAG}
    rows += [
        _stored_flag(code, questions) for code in screening.flag_codes or () if code not in shown
    ]
    # Flag codes are stored on submission; a draft's crisis wording is looked for here.
    crisis = services.CRISIS_WORDING_FLAG in (screening.flag_codes or ()) or (
        screening.status == Screening.Status.DRAFT and services.has_crisis_wording(answers)
    )
    if crisis:
        rows.insert(
            0,
            {
                "code": services.CRISIS_WORDING_FLAG,
                "severity": "risk",
                "reason": "Crisis wording was typed in a free-text answer.",
                "question": "Free-text answers (see every answer below)",
                "answer": "",
            },
        )
    return rows


def _answer_text(value) -> str:
    if value is True:
        return "Yes"
    if value is False:
        return "No"
    return str(value)


def clinician_summary(screening: Screening) -> ClinicianSummary:
    """Everything a clinician triages on, on one screen (decrypts: audit the caller)."""
    identity = dict(screening.identity or {})
    answers = dict(screening.answers or {})
    prescreen = answers.get("prescreen") or {}
    categories = dict(
        next(q.choices for q in flags.PRESCREEN_QUESTIONS if q.code == "medication_categories")
    )
    sections = summary({"identity": {}, "answers": answers})
    name = " ".join(
        part for part in (identity.get("first_name"), identity.get("last_name")) if part
    )
    return ClinicianSummary(
        identity={
            "Name": name or identity.get("name", ""),
            "Date of birth": identity.get("date_of_birth", ""),
            "Phone": identity.get("phone", ""),
            "Email": identity.get("email", ""),
            "Emergency contact": " · ".join(
                part
                for part in (
                    identity.get("emergency_contact_name"),
                    identity.get("emergency_contact_phone"),
                )
                if part
            ),
        },
        scores=_scores(screening),
        item9=_item9(answers),
        cssrs=_cssrs(answers),
        flags=_flags(screening),
        medications=[categories.get(c, c) for c in prescreen.get("medication_categories") or ()],
        medication_names=prescreen.get("medication_names") or "",
        history=dict(sections).get("What brings you", []),
        answers=[
            section for section in sections if section[0] not in ("About you", "What brings you")
        ],
    )
