"""The steps built from the clinical tables: the questionnaires (``instruments.py``), the
C-SSRS screener, and the medical pre-screen (``flags.py``), with how an instrument is laid
out on the page (``Section``: groups under a time-frame header or behind a gate question,
for ``templates/intake/_instrument.html``).

Each is a ``forms.StepForm`` (see ``forms.py`` for how a step's form is built and saved).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django import forms

from . import flags, instruments
from .forms import (
    CALM,
    STRONG,
    StepForm,
    answer_message,
    as_int,
    has_chronic_pain,
    item_field,
)

# --- How an instrument is laid out on the page --------------------------------------------


@dataclass(frozen=True)
class Row:
    item: instruments.Item
    field: forms.BoundField


@dataclass(frozen=True)
class Group:
    """Questions shown together: under a time-frame header (``column``, the fieldset's
    legend), or behind a gate question (``gate``, the field whose YES reveals them)."""

    rows: tuple[Row, ...]
    column: str = ""
    gate: str = ""
    shown: bool = True
    shown_field: str = ""  # the hidden field that records whether the group was shown
    dropped_message: str = ""  # said (by static/js/intake.js) when a NO clears its answers


@dataclass(frozen=True)
class Section:
    """One instrument as the patient reads it: instructions, examples, the questions in
    their groups (stems, details, options) and the attribution line."""

    instrument: instruments.Instrument
    groups: tuple[Group, ...]


def _column_groups(rows: Iterable[Row]) -> list[Group]:
    """Consecutive questions sharing a column header become one group."""
    groups: list[Group] = []
    for row in rows:
        if groups and groups[-1].column == row.item.column and not groups[-1].gate:
            groups[-1] = Group(rows=(*groups[-1].rows, row), column=row.item.column)
        else:
            groups.append(Group(rows=(row,), column=row.item.column))
    return groups


# --- 3. Questionnaires -----------------------------------------------------------------------

PHQ9_ITEM9_CRISIS = {"1": CALM, "2": CALM, "3": CALM}
PCPTSD5_SYMPTOMS = ("q1", "q2", "q3", "q4", "q5")
PCPTSD5_SHOWN = "pcptsd5_follow_up_shown"  # "yes" once the five questions were on the page
PCPTSD5_GATE = instruments.PCPTSD5.item("trauma").text
PCPTSD5_ASK_MESSAGE = (
    f"Because you answered YES to “{PCPTSD5_GATE}”, please answer the five questions that "
    "follow it."
)
PCPTSD5_DROPPED_MESSAGE = (
    f"Because you answered NO to “{PCPTSD5_GATE}”, the five questions that followed it are "
    "not asked, and the answers you gave to them have been removed."
)


def field_name(instrument_code: str, item_code: str) -> str:
    return f"{instrument_code}_{item_code}"


class QuestionnairesForm(StepForm):
    """PHQ-9, GAD-7, PC-PTSD-5, and the pain scale when chronic pain was chosen.

    The five PC-PTSD-5 symptom questions are asked only after a YES to the trauma question.
    With JavaScript they appear in place (``static/js/intake.js``, which also sets the hidden
    ``pcptsd5_follow_up_shown``); without it a YES makes the form valid but not complete,
    and the view shows the same step again with them.  They are required only once they
    were shown.  Answers to them after a NO are removed, never stored, and never silently:
    the step is shown again once, saying so (with JavaScript the page says so at once).
    """

    def __init__(self, data=None, *, draft):
        self.instrument_codes = ("phq9", "gad7", "pcptsd5") + (
            ("pain",) if has_chronic_pain(draft) else ()
        )
        stored_trauma = (self.answers_of(draft).get("pcptsd5") or {}).get("trauma")
        if data is not None:
            trauma = as_int(data.get(field_name("pcptsd5", "trauma")))
            self.follow_up_was_shown = data.get(PCPTSD5_SHOWN) == "yes"
            names = [field_name("pcptsd5", code) for code in PCPTSD5_SYMPTOMS]
            self.symptoms_given = any(str(data.get(name) or "").strip() for name in names)
            # The page shown again records what it now shows.
            data = data.copy()
            data[PCPTSD5_SHOWN] = "yes" if trauma == 1 else ""
        else:
            trauma = as_int(stored_trauma)
            self.follow_up_was_shown = trauma == 1
            self.symptoms_given = False
        self.trauma_yes = trauma == 1
        super().__init__(data, draft=draft)
        self.fields[PCPTSD5_SHOWN] = forms.CharField(
            required=False,
            widget=forms.HiddenInput,
            initial="yes" if self.trauma_yes else "",
        )
        for code in self.instrument_codes:
            for item in instruments.INSTRUMENTS[code].items:
                gated = code == "pcptsd5" and item.code in PCPTSD5_SYMPTOMS
                # Required once shown after a YES (after a NO their answers are removed).
                shown_after_yes = self.trauma_yes and self.follow_up_was_shown
                required = item.required and (not gated or shown_after_yes)
                crisis = PHQ9_ITEM9_CRISIS if (code, item.code) == ("phq9", "q9") else None
                self.fields[field_name(code, item.code)] = item_field(
                    item, required=required, crisis=crisis
                )

    def initial_from(self, draft):
        initial = {}
        answers = self.answers_of(draft)
        for code in self.instrument_codes:
            for item_code, value in (answers.get(code) or {}).items():
                initial[field_name(code, item_code)] = value
        return initial

    @property
    def sections(self) -> list[Section]:
        """Each instrument with its questions, laid out for ``intake/_instrument.html``."""
        result = []
        for code in self.instrument_codes:
            instrument = instruments.INSTRUMENTS[code]
            rows = [Row(item, self[field_name(code, item.code)]) for item in instrument.items]
            if code == "pcptsd5":
                gate, follow_up = rows[:1], rows[1:]
                groups = [
                    *_column_groups(gate),
                    Group(
                        rows=tuple(follow_up),
                        gate=field_name(code, "trauma"),
                        shown=self.trauma_yes,
                        shown_field=PCPTSD5_SHOWN,
                        dropped_message=PCPTSD5_DROPPED_MESSAGE,
                    ),
                ]
            else:
                groups = _column_groups(rows)
            result.append(Section(instrument, tuple(groups)))
        return result

    def instrument_answers(self, code: str) -> dict[str, int]:
        given = {
            item_code: self.cleaned_data.get(field_name(code, item_code))
            for item_code in instruments.INSTRUMENTS[code].item_codes
        }
        asked = instruments.asked_items(code, given)
        return {c: v for c, v in given.items() if c in asked and v is not None}

    def clean(self):
        cleaned = super().clean()
        given = {c: cleaned.get(field_name("pcptsd5", c)) for c in instruments.PCPTSD5.item_codes}
        asked = instruments.asked_items("pcptsd5", given)
        for item in instruments.PCPTSD5.items:
            name = field_name("pcptsd5", item.code)
            if item.code not in asked:
                cleaned.pop(name, None)  # not asked: removed, never stored
            elif (
                given[item.code] is None
                and name not in self.errors
                and (item.code == "trauma" or self.follow_up_was_shown)
            ):
                self.add_error(name, answer_message(item.text))
        return cleaned

    @property
    def incomplete_message(self) -> str:
        """Why the step is shown again (empty when it is complete)."""
        if self.trauma_yes and not self.follow_up_was_shown:
            return PCPTSD5_ASK_MESSAGE
        if not self.trauma_yes and self.symptoms_given:
            return PCPTSD5_DROPPED_MESSAGE
        return ""

    @property
    def is_complete(self) -> bool:
        return not self.incomplete_message

    def crisis_levels(self):
        yield from super().crisis_levels()
        item9 = as_int(self.raw(field_name("phq9", "q9")))
        if item9 is not None and 1 <= item9 <= 3:
            yield CALM

    def risk_answers(self):
        item9 = as_int(self.raw(field_name("phq9", "q9")))
        return {"phq9": {"q9": item9}} if item9 is not None and 0 <= item9 <= 3 else {}

    def save_into(self, draft):
        answers = self._answers(draft)
        for code in self.instrument_codes:
            if code == "pcptsd5" and self.trauma_yes and not self.follow_up_was_shown:
                answers[code] = {"trauma": 1}  # the five questions are asked next
            else:
                answers[code] = instruments.validate(code, self.instrument_answers(code))
        if "pain" not in self.instrument_codes:
            answers.pop("pain", None)


# --- 4. C-SSRS screener ----------------------------------------------------------------------

CSSRS_CRISIS = {
    "q1": CALM,
    "q2": CALM,
    "q3": CALM,
    "q4": STRONG,
    "q5": STRONG,
    "q6": CALM,
    "q6_recent": STRONG,
}
CSSRS_ALWAYS = ("q1", "q2", "q6")
CSSRS_MORE_MESSAGE = "Thank you. Because of your answers, there are more questions below."


class CssrsForm(StepForm):
    """The C-SSRS screener, asked progressively.

    Only the questions asked given the answers so far (``instruments.asked_items``) are
    fields.  A hidden ``shown`` field records which questions the patient was shown: a
    missing answer to one of them is an error, while a question that has only just become
    necessary makes the form valid but not complete, so the view shows the step again.
    """

    shown = forms.CharField(required=False, widget=forms.HiddenInput)

    def __init__(self, data=None, *, draft):
        stored = dict((draft.get("answers") or {}).get("cssrs") or {})
        if data is not None:
            so_far = {code: as_int(data.get(code)) for code in instruments.CSSRS.item_codes}
            raw_shown = str(data.get("shown") or "")
            previously = {c for c in raw_shown.split(",") if c} or set(CSSRS_ALWAYS)
        else:
            so_far = stored
            previously = set(instruments.asked_items("cssrs", so_far))
        self.asked = instruments.asked_items("cssrs", so_far)
        self.previously_shown = previously
        if data is not None:
            # The page shown again must list every question it now shows.
            data = data.copy()
            data["shown"] = ",".join(self.asked)
        super().__init__(data, draft=draft)
        self.fields["shown"].initial = ",".join(self.asked)
        for code in self.asked:
            item = instruments.CSSRS.item(code)
            crisis = {"1": CSSRS_CRISIS[code]}
            self.fields[code] = item_field(
                item, required=code in self.previously_shown, crisis=crisis
            )

    def initial_from(self, draft):
        stored = self.answers_of(draft).get("cssrs") or {}
        return {code: value for code, value in stored.items() if code in self.asked}

    @property
    def sections(self) -> list[Section]:
        """The screener under its column headers, for ``intake/_instrument.html``."""
        rows = [Row(instruments.CSSRS.item(code), self[code]) for code in self.asked]
        return [Section(instruments.CSSRS, tuple(_column_groups(rows)))]

    @property
    def incomplete_message(self) -> str:
        return "" if self.is_complete else CSSRS_MORE_MESSAGE

    def answers(self) -> dict[str, int]:
        given = {code: self.cleaned_data.get(code) for code in self.asked}
        asked = instruments.asked_items("cssrs", given)
        return {code: value for code, value in given.items() if code in asked and value is not None}

    @property
    def is_complete(self) -> bool:
        given = self.answers()
        return all(code in given for code in instruments.required_items("cssrs", given))

    def crisis_levels(self):
        yield from super().crisis_levels()
        for code in self.asked:
            if as_int(self.raw(code)) == 1:
                yield CSSRS_CRISIS[code]

    def risk_answers(self):
        given = {code: as_int(self.raw(code)) for code in self.asked}
        given = {code: value for code, value in given.items() if value in (0, 1)}
        return {"cssrs": given} if given else {}

    def save_into(self, draft):
        """Stores the answers given to asked questions (all of them once complete)."""
        self._answers(draft)["cssrs"] = self.answers()


# --- 5. Medical history and medicines ---------------------------------------------------------

YES_NO_CHOICES = (("yes", "Yes"), ("no", "No"))


def _prescreen_field(question: flags.Question) -> forms.Field:
    kind = question.answer_type
    message = answer_message(question.text)
    if kind is flags.AnswerType.YES_NO:
        return forms.TypedChoiceField(
            label=question.text,
            choices=YES_NO_CHOICES,
            coerce=lambda value: value == "yes",
            widget=forms.RadioSelect,
            error_messages={"required": message, "invalid_choice": message},
        )
    if kind is flags.AnswerType.CHOICE:
        return forms.ChoiceField(
            label=question.text,
            choices=question.choices,
            widget=forms.RadioSelect,
            error_messages={"required": message, "invalid_choice": message},
        )
    if kind is flags.AnswerType.NUMBER:
        sane = (
            f"Please enter a number between {question.min_value} and {question.max_value}, "
            "or leave this empty."
        )
        return forms.IntegerField(
            label=question.text,
            required=False,
            min_value=question.min_value,
            max_value=question.max_value,
            widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
            error_messages={"invalid": sane, "min_value": sane, "max_value": sane},
        )
    if kind is flags.AnswerType.MULTI_CHOICE:
        return forms.MultipleChoiceField(
            label=question.text,
            choices=question.choices,
            required=False,  # ticking nothing is an answer: "none of these"
            widget=forms.CheckboxSelectMultiple,
        )
    return forms.CharField(
        label=question.text,
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 4}),
    )


class MedicalForm(StepForm):
    """Medical history and the contraindication pre-screen; medicines, with the notice."""

    notice = flags.MEDICATION_NOTICE
    free_text_fields = tuple(
        q.code for q in flags.PRESCREEN_QUESTIONS if q.answer_type is flags.AnswerType.TEXT
    )

    def __init__(self, data=None, *, draft):
        super().__init__(data, draft=draft)
        for question in flags.PRESCREEN_QUESTIONS:
            self.fields[question.code] = _prescreen_field(question)

    def initial_from(self, draft):
        stored = self.answers_of(draft).get("prescreen") or {}
        initial = {}
        for question in flags.PRESCREEN_QUESTIONS:
            value = stored.get(question.code)
            if value is None:
                continue
            if question.answer_type is flags.AnswerType.YES_NO:
                value = "yes" if value else "no"
            initial[question.code] = value
        return initial

    def save_into(self, draft):
        answers = self._answers(draft)
        prescreen: dict[str, Any] = {}
        for question in flags.PRESCREEN_QUESTIONS:
            value = self.cleaned_data.get(question.code)
            kind = question.answer_type
            if kind is flags.AnswerType.MULTI_CHOICE:
                value = list(value or [])
            elif kind is flags.AnswerType.TEXT:
                value = (value or "").strip()
            prescreen[question.code] = value
        answers["prescreen"] = prescreen
