"""The clinical rules as pure functions of the tables in ``flags.py``.

``evaluate``: pre-screen answers -> flags, most severe first.  ``triage`` / ``urgency``: the
risk answers and the flags -> the level in the one urgency order and the reasons that fired.
``is_risk``, ``is_priority``, ``shows_crisis``: what a level or an answer calls for.

No Django and no database: every function reads only its arguments and the tables.  Flags
never decide anything; a clinician does (see ``flags.py``).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from types import MappingProxyType
from typing import Any

from .flags import (
    CONDITION_RULES,
    CSSRS_CODES,
    DEFAULT_THRESHOLDS,
    MEDICATION_CATEGORIES,
    PRESCREEN_QUESTIONS,
    QUESTIONS_BY_CODE,
    REASONS,
    URGENCY_BANDS,
    AnswerType,
    Flag,
    Severity,
    Urgency,
)


def resolve_thresholds(thresholds: Mapping[str, Any] | None = None) -> Mapping[str, int]:
    """The clinical thresholds to use: ``thresholds`` (the settings block, read by
    ``services.clinical_thresholds``) over ``DEFAULT_THRESHOLDS``; None: the defaults.

    Keys left out fall back to ``DEFAULT_THRESHOLDS``.  An unknown key (a typo in the block)
    or a value that is not a positive number is refused rather than silently ignored.
    """
    if thresholds is None:
        thresholds = {}
    unknown = sorted(set(thresholds) - set(DEFAULT_THRESHOLDS))
    if unknown:
        raise ValueError(f"Unknown clinical threshold(s): {', '.join(unknown)}")
    for key, value in thresholds.items():
        if isinstance(value, bool) or not isinstance(value, int | float) or value <= 0:
            raise ValueError(f"Clinical threshold {key} must be a positive number, not {value!r}")
    return MappingProxyType({**DEFAULT_THRESHOLDS, **thresholds})


class IncompleteAnswers(ValueError):
    """A required pre-screen question has no answer: the set is refused, not evaluated."""


def _check(answers: Mapping[str, Any]) -> dict[str, Any]:
    unknown = sorted(set(answers) - set(QUESTIONS_BY_CODE))
    if unknown:
        raise ValueError(f"Unknown pre-screen question(s): {', '.join(unknown)}")
    missing = [q.code for q in PRESCREEN_QUESTIONS if q.required and answers.get(q.code) is None]
    if missing:
        raise IncompleteAnswers(f"Unanswered pre-screen question(s): {', '.join(missing)}")
    checked = {}
    for code, value in answers.items():
        if value is None:
            continue
        question = QUESTIONS_BY_CODE[code]
        allowed = {v for v, _ in question.choices}
        kind = question.answer_type
        ok = {
            AnswerType.YES_NO: lambda v: isinstance(v, bool),
            AnswerType.CHOICE: lambda v, a=allowed: isinstance(v, str) and v in a,
            AnswerType.NUMBER: lambda v, q=question: (
                isinstance(v, int) and not isinstance(v, bool) and q.min_value <= v <= q.max_value
            ),
            AnswerType.MULTI_CHOICE: lambda v, a=allowed: (
                isinstance(v, list | tuple | set | frozenset)
                and all(isinstance(x, str) and x in a for x in v)
            ),
            AnswerType.TEXT: lambda v: isinstance(v, str),
        }[kind](value)
        if not ok:
            raise ValueError(f"Not a valid answer to {code} ({kind}): {value!r}")
        checked[code] = value
    return checked


_WORD = re.compile(r"[a-z]+")


def _medication_flags(answers: Mapping[str, Any]) -> list[Flag]:
    ticked = set(answers.get("medication_categories") or ())
    words = _WORD.findall((answers.get("medication_names") or "").casefold())
    flags = []
    for category in MEDICATION_CATEGORIES:
        if category.code in ticked:
            question, answer = "medication_categories", category.code
        else:
            named = next((w for w in words if w in category.keywords), None)
            if named is None:
                continue
            question, answer = "medication_names", named
        flags.append(
            Flag(category.flag_code, question, answer, category.reason, category.severity, True)
        )
    return flags


def evaluate(
    prescreen_answers: Mapping[str, Any], thresholds: Mapping[str, Any] | None = None
) -> list[Flag]:
    """Flags raised by a patient's pre-screen answers, most severe first.

    ``prescreen_answers`` maps the codes of ``PRESCREEN_QUESTIONS`` to answers (bool for
    yes/no, the choice value, an int, a list of medication category codes, free text).
    Every required question must be answered (``IncompleteAnswers`` otherwise); unknown codes
    and answers of the wrong type are refused.  Within a severity, flags keep table order.

    Flags are hints for a clinician; they never decide anything.  The clinician does.
    """
    answers = _check(prescreen_answers)
    limits = resolve_thresholds(thresholds)
    flags = [
        flag
        for rule in CONDITION_RULES
        if rule.question in answers and (flag := rule.flag(answers[rule.question], limits))
    ]
    flags += _medication_flags(answers)
    return sorted(flags, key=lambda f: f.severity.rank)


def levels_in_band(band: str) -> tuple[int, ...]:
    """The levels a neutral band stands for (the front desk's filter)."""
    return tuple(int(level) for level, name in URGENCY_BANDS.items() if name == band)


def reason_text(code: str) -> str:
    reason = REASONS.get(code)
    return reason.text if reason else code.replace("_", " ")


@dataclass(frozen=True)
class Triage:
    level: Urgency
    reasons: tuple[str, ...]  # codes of ``REASONS`` that fired, most urgent first


def _cssrs_answers(value: Any) -> dict[str, int | None]:
    if value is None:
        return {}
    if not isinstance(value, Mapping):
        raise TypeError(f"cssrs must be the C-SSRS answers (a mapping), not {value!r}")
    checked = {}
    for code, answer in value.items():
        if code not in CSSRS_CODES:
            raise ValueError(f"Unknown C-SSRS question: {code!r}")
        if answer is not None and (type(answer) is not int or answer not in (0, 1)):
            raise ValueError(f"C-SSRS {code} must be 0, 1 or None, not {answer!r}")
        checked[code] = answer
    return checked


def _item9(value: Any) -> int | None:
    if value is None or (type(value) is int and 0 <= value <= 3):
        return value
    raise ValueError(f"PHQ-9 item 9 must be None or 0-3, not {value!r}")


def _bool(name: str, value: Any) -> bool:
    if type(value) is not bool:
        raise TypeError(f"{name} must be True or False, not {value!r}")
    return value


def triage(
    *,
    cssrs: Mapping[str, int | None] | None,
    phq9_item9: int | None,
    crisis_wording: bool = False,
    flags: Iterable[Flag] = (),
) -> Triage:
    """The level in the one urgency order and every reason that fired.

    ``cssrs``: the raw C-SSRS answers given so far (question code -> 1 yes, 0 no, None or
    absent: not answered).  A question not answered never lowers the level, and behaviour
    (question 6 yes) whose recency is not answered counts as recent: level 1.
    ``phq9_item9``: 0-3, or None.  Everything is keyword-only and checked; a wrong type is
    refused, never read as "no risk".
    """
    answers = _cssrs_answers(cssrs)
    item9 = _item9(phq9_item9)
    flags = tuple(flags)
    if not all(isinstance(x, Flag) for x in flags):
        raise TypeError("flags must be Flag objects (Flag.from_dict reads stored ones)")

    def yes(code: str) -> bool:
        return answers.get(code) == 1

    behaviour = yes("q6")
    recency = answers.get("q6_recent")
    fired = [
        ("cssrs_q4", yes("q4")),
        ("cssrs_q5", yes("q5")),
        ("cssrs_behaviour_recent", behaviour and recency == 1),
        ("cssrs_behaviour_recency_unknown", behaviour and recency is None),
        ("phq9_item9_3", item9 == 3),
        ("phq9_item9_2", item9 == 2),
        ("cssrs_q3", yes("q3")),
        ("cssrs_behaviour_past", behaviour and recency == 0),
        ("cssrs_q2", yes("q2")),
        ("crisis_wording", _bool("crisis_wording", crisis_wording)),
        ("cssrs_q1", yes("q1")),
        ("phq9_item9_1", item9 == 1),
        (
            "label_contraindication",
            any(x.severity is Severity.CONTRAINDICATION for x in flags),
        ),
        ("caution", any(x.severity is Severity.CAUTION or x.is_medication for x in flags)),
    ]
    reasons = tuple(code for code, hit in fired if hit)
    level = min((REASONS[code].level for code in reasons), default=Urgency.ROUTINE)
    return Triage(Urgency(level), reasons)


def urgency(
    *,
    cssrs: Mapping[str, int | None] | None,
    phq9_item9: int | None,
    crisis_wording: bool = False,
    flags: Iterable[Flag] = (),
) -> Urgency:
    """The screening's place in the one urgency order (1 first … 7 routine): ``triage``'s
    level."""
    return triage(
        cssrs=cssrs, phq9_item9=phq9_item9, crisis_wording=crisis_wording, flags=flags
    ).level


def _level(level: Any) -> Urgency:
    if type(level) is not int and not isinstance(level, Urgency):
        raise TypeError(f"urgency must be an int 1-7, not {level!r}")
    return Urgency(level)


def is_risk(level: int) -> bool:
    """Levels 1-4: a sign of suicide risk (the immediate alert, escalation, acknowledgement)."""
    return _level(level) <= Urgency.PASSIVE_THOUGHTS


def is_priority(level: int) -> bool:
    """Levels 1-2: the alert is marked priority (clinical-reference 2.3 and 7.4 D)."""
    return _level(level) <= Urgency.HIGH_RISK


def shows_crisis(*, phq9_item9: int | None, cssrs_any_yes: bool) -> bool:
    """Whether the patient sees crisis resources at once (clinical-reference §2.3, §7.4 B).

    Any sign of risk: PHQ-9 item 9 above "Not at all" (1, 2 or 3), or any "yes" on C-SSRS
    questions 1-6.  Unanswered (None) is not a sign; the always-visible crisis footer covers it.
    """
    item9 = _item9(phq9_item9)
    return _bool("cssrs_any_yes", cssrs_any_yes) or (item9 is not None and item9 >= 1)
