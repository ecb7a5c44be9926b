"""Every answer in plain words, for the patient's review step (display only, pure)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from django.utils import dateformat

from mindscape import phones

from . import flags, instruments, steps

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
                        _label(steps.CONDITION_CHOICES, c) for c in history.get("conditions", [])
                    ),
                ),
                ("For how long", _label(steps.DURATION_CHOICES, history.get("duration", ""))),
                (
                    "Antidepressants tried",
                    _label(steps.TRIAL_CHOICES, history.get("antidepressant_trials", "")),
                ),
                (
                    "Treatments tried",
                    ", ".join(
                        _label(steps.TREATMENT_CHOICES, t)
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
