"""The patient's screening form, one Django form per step (no views, templates or models).

Every form is built as ``Form(data=None, *, draft=...)``, where ``draft`` is the whole draft
so far: ``{"identity": {...}, "answers": {...}}``.  It gives the initial values and decides
the conditional questions (pain after chronic pain; the C-SSRS follow-ups).  After
``is_valid()``, ``save_into(draft)`` writes the cleaned values back; ``is_complete`` is False
only when the C-SSRS answers just given make more questions necessary (the view then shows
the same step again, with the new questions).  ``crisis`` ("none", "calm", "strong") is read
from the submitted data even when the form is invalid, so the crisis panel never waits for a
valid form.

Wording: patient-friendly, never "high risk", never a diagnosis, never eligible / not eligible.
Instrument items use the exact wording of :mod:`intake.instruments`.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from django import forms
from django.forms.utils import ErrorDict
from django.utils import timezone
from django.utils.datastructures import MultiValueDict

from clinic.crisis import is_crisis_text
from mindscape import phones
from mindscape.antispam import AntiSpamForm

from . import flags, instruments

CONSENT_VERSION = "intake-2026-11-v1"
CONSENT_TEXT = (
    "I agree that MindScape's clinical team may read and keep the answers in this form to "
    "decide with me what care may help. I understand that this form is not monitored in real "
    "time and is not a way to get urgent help: in a crisis I will call or text 988, or call "
    "911. The answers I have given are true to the best of my knowledge."
)
UNDER_18_MESSAGE = (
    "Thank you for reaching out. This online form is for adults aged 18 and over, so we "
    "can't take your answers here. Please give us a call and we will gladly talk with you "
    "about support that may suit you."
)

NONE, CALM, STRONG = "none", "calm", "strong"
_CRISIS_RANK = {NONE: 0, CALM: 1, STRONG: 2}


def today() -> dt.date:
    """The clinic's date (a function so tests can fix it)."""
    return timezone.localdate()


def _strongest(levels: Iterable[str]) -> str:
    return max(levels, key=_CRISIS_RANK.__getitem__, default=NONE)


def _as_int(value: Any) -> int | None:
    try:
        return int(str(value).strip())
    except (TypeError, ValueError):
        return None


def _answer_message(text: str) -> str:
    return f"Choose an answer for: {text}"


# --- Widgets and fields --------------------------------------------------------------------


class CrisisRadioSelect(forms.RadioSelect):
    """Radio buttons whose risky options carry ``data-crisis="calm"`` or ``"strong"``."""

    def __init__(self, *args: Any, crisis: Mapping[str, str] | None = None, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.crisis = dict(crisis or {})

    def create_option(self, name, value, label, selected, index, subindex=None, attrs=None):
        option = super().create_option(name, value, label, selected, index, subindex, attrs)
        level = self.crisis.get(str(value))
        if level:
            option["attrs"] = {**option["attrs"], "data-crisis": level}
        return option


def _item_field(
    item: instruments.Item, *, required: bool, crisis: Mapping[str, str] | None = None
) -> forms.TypedChoiceField:
    return forms.TypedChoiceField(
        label=item.text,
        choices=[(str(option.value), option.label) for option in item.options],
        coerce=int,
        empty_value=None,
        required=required,
        widget=CrisisRadioSelect(crisis=crisis),
        error_messages={
            "required": _answer_message(item.text),
            "invalid_choice": _answer_message(item.text),
        },
    )


def _text(label: str, message: str, *, max_length: int = 100, **kwargs: Any) -> forms.CharField:
    return forms.CharField(
        label=label, max_length=max_length, error_messages={"required": message}, **kwargs
    )


# --- The base form ---------------------------------------------------------------------------


class StepForm(forms.Form):
    """What every step shares: the draft, ``is_complete``, ``crisis`` and ``save_into``."""

    free_text_fields: tuple[str, ...] = ()

    def __init__(self, data: Mapping[str, Any] | None = None, *, draft: Mapping[str, Any]):
        self.draft = draft
        super().__init__(data=data, initial=self.initial_from(draft))

    # Draft parts, tolerant of a fresh draft.
    @staticmethod
    def identity_of(draft: Mapping[str, Any]) -> Mapping[str, Any]:
        return draft.get("identity") or {}

    @staticmethod
    def answers_of(draft: Mapping[str, Any]) -> Mapping[str, Any]:
        return draft.get("answers") or {}

    def initial_from(self, draft: Mapping[str, Any]) -> dict[str, Any]:
        return {}

    @property
    def is_complete(self) -> bool:
        return True

    incomplete_message = ""  # why the step is shown again, when it is not complete

    @classmethod
    def as_left(cls, values: Mapping[str, list[str]], *, draft: Mapping[str, Any]) -> StepForm:
        """The step as the patient left it: bound to the page's fields saved without being
        sent (``{name: [values]}``, on the way Back or before the form closed), so the same
        questions and answers are shown, but not checked: nothing was sent, so no errors."""
        data = MultiValueDict({name: list(given) for name, given in values.items()})
        form = cls(data, draft=draft)
        form.shown_only = True  # never is_valid()-ed, never saved
        form.cleaned_data = {}
        return form

    shown_only = False  # a step shown as it was left (``as_left``): its answers unchecked

    @property
    def errors(self) -> ErrorDict:
        """Django's errors (checking the answers when first asked), but none for a step
        only shown as it was left."""
        if self.shown_only:
            return ErrorDict(renderer=self.renderer)
        return super().errors

    def raw(self, name: str) -> Any:
        """The submitted value of a field, unchecked (None when unbound or absent)."""
        if not self.is_bound:
            return None
        return self.data.get(self.add_prefix(name))

    def crisis_levels(self) -> Iterable[str]:
        for name in self.free_text_fields:
            value = self.raw(name)
            if isinstance(value, str) and is_crisis_text(value):
                yield CALM

    @property
    def crisis(self) -> str:
        """ "none", "calm" or "strong", from the submitted data (valid or not)."""
        return _strongest(self.crisis_levels())

    def risk_answers(self) -> dict[str, dict[str, int]]:
        """The risk questions on this page as submitted (valid or not), in the draft's
        shape (``{"phq9": {"q9": 2}, "cssrs": {"q1": 1}}``): answers saved without being
        sent still count toward the draft's urgency."""
        return {}

    def save_into(self, draft: dict[str, Any]) -> None:
        raise NotImplementedError

    def _answers(self, draft: dict[str, Any]) -> dict[str, Any]:
        if not hasattr(self, "cleaned_data") or self.errors:
            raise ValueError("save_into needs a valid form")
        return draft.setdefault("answers", {})


# --- 1. About you ----------------------------------------------------------------------------

IDENTITY_FIELDS = (
    "first_name",
    "last_name",
    "date_of_birth",
    "email",
    "phone",
    "emergency_contact_name",
    "emergency_contact_phone",
)


class AboutForm(AntiSpamForm, StepForm):
    """With the honeypot and the signed start time: this step gives a draft its email
    address, and with it a "continue your form" email."""

    first_name = _text("First name", "Please enter your first name.")
    last_name = _text("Last name", "Please enter your last name.")
    date_of_birth = forms.DateField(
        label="Date of birth",
        widget=forms.DateInput(attrs={"type": "date", "autocomplete": "bday"}, format="%Y-%m-%d"),
        error_messages={
            "required": "Please enter your date of birth.",
            "invalid": "Please enter your date of birth as year, month and day.",
        },
    )
    email = forms.EmailField(
        label="Email address",
        error_messages={
            "required": "Please enter your email address.",
            "invalid": "Please enter an email address like name@example.com.",
        },
    )
    phone = _text(
        "Phone number",
        "Please enter your phone number.",
        max_length=40,
        widget=forms.TextInput(attrs={"type": "tel", "autocomplete": "tel"}),
    )
    emergency_contact_name = _text(
        "Name of someone we can contact in an emergency",
        "Please enter the name of someone we can contact in an emergency.",
    )
    emergency_contact_phone = _text(
        "Their phone number",
        "Please enter your emergency contact's phone number.",
        max_length=40,
        widget=forms.TextInput(attrs={"type": "tel"}),
    )

    def initial_from(self, draft):
        identity = self.identity_of(draft)
        return {name: identity[name] for name in IDENTITY_FIELDS if name in identity}

    def clean_first_name(self):
        return " ".join(self.cleaned_data["first_name"].split())

    def clean_last_name(self):
        return " ".join(self.cleaned_data["last_name"].split())

    def clean_emergency_contact_name(self):
        return " ".join(self.cleaned_data["emergency_contact_name"].split())

    def clean_date_of_birth(self):
        born = self.cleaned_data["date_of_birth"]
        now = today()
        if born > now or born.year < now.year - 120:
            raise forms.ValidationError("Please check your date of birth.", code="implausible")
        age = now.year - born.year - ((now.month, now.day) < (born.month, born.day))
        if age < 18:
            raise forms.ValidationError(UNDER_18_MESSAGE, code="under_18")
        return born

    def clean_phone(self):
        return phones.parse(self.cleaned_data["phone"])

    def clean_emergency_contact_phone(self):
        return phones.parse(self.cleaned_data["emergency_contact_phone"])

    @property
    def is_under_18(self) -> bool:
        """True when the date of birth was refused by the age gate (the view adds the phone)."""
        return self.has_error("date_of_birth", code="under_18")

    def save_into(self, draft):
        self._answers(draft)
        identity = draft.setdefault("identity", {})
        for name in IDENTITY_FIELDS:
            identity[name] = self.cleaned_data[name]
        identity["date_of_birth"] = self.cleaned_data["date_of_birth"].isoformat()


# --- 2. What brings you ----------------------------------------------------------------------

CONDITION_CHOICES = (
    ("depression", "Depression or low mood"),
    ("anxiety", "Anxiety or worry"),
    ("ptsd", "PTSD, after a frightening or upsetting event"),
    ("ocd", "OCD (obsessive-compulsive disorder)"),
    ("chronic_pain", "Long-lasting (chronic) pain"),
    ("other", "Something else"),
)
DURATION_CHOICES = (
    ("under_6_months", "Less than 6 months"),
    ("6_to_12_months", "6 months to a year"),
    ("1_to_2_years", "1 to 2 years"),
    ("2_to_5_years", "2 to 5 years"),
    ("over_5_years", "More than 5 years"),
)
TRIAL_CHOICES = (
    ("0", "None"),
    ("1", "1"),
    ("2", "2"),
    ("3+", "3 or more"),
)
TREATMENT_CHOICES = (
    ("therapy", "Talking therapy (counselling or psychotherapy)"),
    ("ect", "ECT (electroconvulsive therapy)"),
    ("tms", "TMS (transcranial magnetic stimulation)"),
    ("esketamine", "Esketamine nasal spray (Spravato)"),
    ("ketamine", "Ketamine"),
)


class HistoryForm(StepForm):
    conditions = forms.MultipleChoiceField(
        label="What would you like help with? Tick all that apply.",
        choices=CONDITION_CHOICES,
        widget=forms.CheckboxSelectMultiple,
        error_messages={
            "required": "Please tick at least one, or choose “Something else”.",
        },
    )
    duration = forms.ChoiceField(
        label="How long have you been living with this?",
        choices=DURATION_CHOICES,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose an answer for: how long you have lived with this."},
    )
    antidepressant_trials = forms.ChoiceField(
        label="How many different antidepressant medicines have you tried?",
        choices=TRIAL_CHOICES,
        widget=forms.RadioSelect,
        error_messages={
            "required": "Choose an answer for: how many antidepressant medicines you have tried."
        },
    )
    prior_treatments = forms.MultipleChoiceField(
        label="Have you had any of these treatments before? Tick all that apply.",
        choices=TREATMENT_CHOICES,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )

    def initial_from(self, draft):
        return dict(self.answers_of(draft).get("history") or {})

    def save_into(self, draft):
        answers = self._answers(draft)
        data = self.cleaned_data
        answers["history"] = {
            "conditions": list(data["conditions"]),
            "duration": data["duration"],
            "antidepressant_trials": data["antidepressant_trials"],
            "prior_treatments": list(data["prior_treatments"]),
        }
        if "chronic_pain" not in data["conditions"]:
            answers.pop("pain", None)  # the pain question is no longer asked


def has_chronic_pain(draft: Mapping[str, Any]) -> bool:
    history = (draft.get("answers") or {}).get("history") or {}
    return "chronic_pain" in (history.get("conditions") or ())


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
            trauma = _as_int(data.get(field_name("pcptsd5", "trauma")))
            self.follow_up_was_shown = data.get(PCPTSD5_SHOWN) == "yes"
            names = [field_name("pcptsd5", code) for code in PCPTSD5_SYMPTOMS]
            self.symptoms_given = any(str(data.get(name) or "").strip() for name in names)
            # The page shown again records what it now shows.
            data = data.copy()
            data[PCPTSD5_SHOWN] = "yes" if trauma == 1 else ""
        else:
            trauma = _as_int(stored_trauma)
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
                self.fields[field_name(code, item.code)] = _item_field(
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
                self.add_error(name, _answer_message(item.text))
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
        item9 = _as_int(self.raw(field_name("phq9", "q9")))
        if item9 is not None and 1 <= item9 <= 3:
            yield CALM

    def risk_answers(self):
        item9 = _as_int(self.raw(field_name("phq9", "q9")))
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
            so_far = {code: _as_int(data.get(code)) for code in instruments.CSSRS.item_codes}
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
            self.fields[code] = _item_field(
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
            if _as_int(self.raw(code)) == 1:
                yield CSSRS_CRISIS[code]

    def risk_answers(self):
        given = {code: _as_int(self.raw(code)) for code in self.asked}
        given = {code: value for code, value in given.items() if value in (0, 1)}
        return {"cssrs": given} if given else {}

    def save_into(self, draft):
        """Stores the answers given to asked questions (all of them once complete)."""
        self._answers(draft)["cssrs"] = self.answers()


# --- 5. Medical history and medicines ---------------------------------------------------------

YES_NO_CHOICES = (("yes", "Yes"), ("no", "No"))


def _prescreen_field(question: flags.Question) -> forms.Field:
    kind = question.answer_type
    message = _answer_message(question.text)
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


# --- 6. Review, consent and signature ---------------------------------------------------------


def _name_key(name: str) -> str:
    return re.sub(r"\s+", "", name or "").casefold()


class ReviewForm(StepForm):
    consent = forms.BooleanField(
        label=CONSENT_TEXT,
        error_messages={
            "required": "Please tick the box to say you agree, so we can send your answers."
        },
    )
    signature = _text(
        "Type your full name to sign",
        "Please type your full name to sign.",
        max_length=200,
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
    )

    consent_version = CONSENT_VERSION

    def expected_name(self) -> str:
        identity = self.identity_of(self.draft)
        return f"{identity.get('first_name', '')} {identity.get('last_name', '')}".strip()

    def clean_signature(self):
        typed = " ".join(self.cleaned_data["signature"].split())
        expected = self.expected_name()
        if not expected or _name_key(typed) != _name_key(expected):
            raise forms.ValidationError(
                f"Please type your name as you gave it on the first page: {expected}.",
                code="signature_mismatch",
            )
        return typed

    def save_into(self, draft):
        self._answers(draft)["consent"] = {
            "version": CONSENT_VERSION,
            "signature": self.cleaned_data["signature"],
            "signed_on": today().isoformat(),
        }


# --- The steps -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Step:
    code: str
    title: str
    form_class: type[forms.Form]


STEPS: tuple[Step, ...] = (
    Step("about", "About you", AboutForm),
    Step("history", "What brings you to us", HistoryForm),
    Step("questionnaires", "How you have been feeling", QuestionnairesForm),
    Step("cssrs", "Difficult thoughts", CssrsForm),
    Step("medical", "Your health and medicines", MedicalForm),
    Step("review", "Check and send", ReviewForm),
)
_BY_CODE = {step.code: step for step in STEPS}


def get_step(code: str) -> Step:
    return _BY_CODE[code]


def next_step(code: str) -> Step | None:
    index = STEPS.index(get_step(code))
    return STEPS[index + 1] if index + 1 < len(STEPS) else None
