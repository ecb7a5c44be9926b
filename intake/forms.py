"""The patient's screening form: the gate, the resume check, and the steps about the person.

``AgeForm`` is the adults-only gate; ``DateOfBirthForm`` checks a resume link's date of
birth.  The steps: about you, what brings you, and the review with consent and signature;
the steps built from the clinical tables are in ``clinical_forms.py``, their order in
``steps.py``.

Every step's form is built as ``Form(data=None, *, draft=...)``, where ``draft`` is the whole
draft so far: ``{"identity": {...}, "answers": {...}}``.  It gives the initial values and
decides the conditional questions (pain after chronic pain; the C-SSRS follow-ups).  After
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
from typing import Any

from django import forms
from django.forms.utils import ErrorDict
from django.utils import timezone
from django.utils.datastructures import MultiValueDict

from clinic.crisis import is_crisis_text
from mindscape import phones
from mindscape.antispam import AntiSpamForm

from . import instruments

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


def as_int(value: Any) -> int | None:
    try:
        return int(str(value).strip())
    except (TypeError, ValueError):
        return None


def answer_message(text: str) -> str:
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


def item_field(
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
            "required": answer_message(item.text),
            "invalid_choice": answer_message(item.text),
        },
    )


def text_field(
    label: str, message: str, *, max_length: int = 100, **kwargs: Any
) -> forms.CharField:
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

    first_name = text_field("First name", "Please enter your first name.")
    last_name = text_field("Last name", "Please enter your last name.")
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
    phone = text_field(
        "Phone number",
        "Please enter your phone number.",
        max_length=40,
        widget=forms.TextInput(attrs={"type": "tel", "autocomplete": "tel"}),
    )
    emergency_contact_name = text_field(
        "Name of someone we can contact in an emergency",
        "Please enter the name of someone we can contact in an emergency.",
    )
    emergency_contact_phone = text_field(
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
    signature = text_field(
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


# --- The gate and the resume check ---------------------------------------------------------


class AgeForm(AntiSpamForm):
    adult = forms.ChoiceField(
        label="Are you 18 or older?",
        choices=[("yes", "Yes"), ("no", "No")],
        widget=forms.RadioSelect,
        error_messages={"required": "Please answer: are you 18 or older?"},
    )


class DateOfBirthForm(forms.Form):
    date_of_birth = forms.DateField(
        label="To open your answers, please confirm your date of birth",
        widget=forms.DateInput({"type": "date", "autocomplete": "bday"}),
        error_messages={"required": "Enter your date of birth.", "invalid": "Enter a date."},
    )
