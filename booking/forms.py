"""Forms for requesting a consultation or a call-back.  They validate; services act.

Nothing clinical is asked.  The patient's optional message is checked for crisis wording
(``clinic.crisis.is_crisis_text``) so staff see a flag and the patient sees the crisis
resources at once.  The two patient forms carry the honeypot and minimum fill time of
``mindscape.antispam``; their views add the rate limits.
"""

from __future__ import annotations

import datetime as dt
import uuid

from django import forms

from clinic.crisis import is_crisis_text
from mindscape import phones
from mindscape.antispam import AntiSpamForm
from mindscape.widgets import PlainHiddenInput

from .models import CallbackRequest, ConsultationType, ContactMethod, Location, Topic, Weekday

CONSENT_VERSION = "2026-11-v1"
CONSENT_TEXT = (
    "I agree that MindScape may contact me by email, phone or text about this request. "
    "I understand this form is not monitored in real time and is not for emergencies."
)
# Slot times outside these years are never offered; refusing them early keeps date arithmetic
# (notice periods, day boundaries) far from the calendar's edges.
EARLIEST_YEAR, LATEST_YEAR = 2000, 9000


class ChooseForm(forms.Form):
    """Step one (a GET form): which kind of consultation; then, only when more than one
    location offers it, which location (for a call: which clinic's team, whose seats and
    hours the times are).  ``cleaned_data["location"]`` is None while that is still to ask.
    """

    type = forms.ModelChoiceField(
        queryset=ConsultationType.objects.none(),
        widget=forms.RadioSelect,
        label="How would you like to talk?",
        empty_label=None,
        error_messages={"required": "Choose how you would like to talk."},
    )
    location = forms.ModelChoiceField(
        queryset=Location.objects.none(),
        widget=forms.RadioSelect,
        label="Which clinic would you like to visit?",
        empty_label=None,
        required=False,
    )
    asks_location = False  # the page shows the second question

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["type"].queryset = ConsultationType.objects.filter(
            is_active=True, locations__is_active=True
        ).distinct()
        self.fields["location"].queryset = Location.objects.filter(is_active=True)
        self.fields["type"].label_from_instance = lambda t: (
            f"{t.name} ({t.duration_minutes} minutes)"
        )

    def clean(self):
        data = super().clean()
        chosen_type, location = data.get("type"), data.get("location")
        if chosen_type is None:
            return data
        if location is not None:
            if not chosen_type.locations.filter(pk=location.pk).exists():
                offered = ", ".join(
                    str(t) for t in location.consultation_types.filter(is_active=True)
                )
                self.add_error(
                    "type",
                    f"{chosen_type.name} is not offered at {location.name}. "
                    f"There you can choose: {offered or 'nothing at the moment'}.",
                )
            return data
        offering = list(chosen_type.locations.filter(is_active=True))
        if len(offering) == 1:  # nothing to ask
            data["location"] = offering[0]
            return data
        self._ask_location(chosen_type)
        if self.add_prefix("location") in self.data:  # asked, and sent back unanswered
            self.add_error("location", self.fields["location"].error_messages["required"])
        return data

    def _ask_location(self, chosen_type: ConsultationType) -> None:
        field = self.fields["location"]
        self.asks_location = True
        self.chosen_type = chosen_type
        field.queryset = chosen_type.locations.filter(is_active=True)
        if chosen_type.kind == ConsultationType.Kind.IN_PERSON:
            field.error_messages["required"] = "Choose which clinic you would like to visit."
            field.label_from_instance = lambda place: (
                f"{place.name}, {', '.join(place.address_lines)}"
            )
        else:
            field.label = "Which of our clinics' teams would you like to talk to?"
            field.help_text = "The times you will see are that team's."
            field.error_messages["required"] = "Choose which team you would like to talk to."
            field.label_from_instance = lambda place: (
                f"The {place.name} team ({place.locality}, {place.region})"
            )
        bound = self["location"]  # made before clean(): it copied the label and help text
        bound.label, bound.help_text = field.label, field.help_text


class PatientDetailsForm(forms.Form):
    first_name = forms.CharField(
        max_length=60,
        widget=forms.TextInput({"autocomplete": "given-name"}),
        error_messages={
            "required": "Enter your first name",
            "max_length": "First name must be 60 characters or fewer",
        },
    )
    last_name = forms.CharField(
        max_length=60,
        widget=forms.TextInput({"autocomplete": "family-name"}),
        error_messages={
            "required": "Enter your last name",
            "max_length": "Last name must be 60 characters or fewer",
        },
    )
    email = forms.EmailField(
        widget=forms.EmailInput({"autocomplete": "email"}),
        error_messages={
            "required": "Enter an email address",
            "invalid": "Enter an email address in the correct format, like name@example.com",
        },
    )
    phone = forms.CharField(
        label="Mobile phone",
        max_length=30,
        widget=forms.TextInput({"autocomplete": "tel", "inputmode": "tel", "type": "tel"}),
        help_text="With area code, e.g. (207) 555-0123.",
        error_messages={"required": "Enter a phone number we can call or text"},
    )
    contact_method = forms.ChoiceField(
        label="How should we contact you?",
        choices=ContactMethod.choices,
        widget=forms.RadioSelect,
        initial=ContactMethod.PHONE,
    )
    topic = forms.ChoiceField(
        label="What would you like to talk about?",
        choices=Topic.choices,
        initial=Topic.OTHER,
    )
    message = forms.CharField(
        label="Anything you would like us to know (optional)",
        required=False,
        max_length=500,
        widget=forms.Textarea({"rows": 3}),
        help_text="Please do not include medical details; we will ask about those later, "
        "privately. Up to 500 characters.",
        error_messages={"max_length": "Your message must be 500 characters or fewer"},
    )
    consent = forms.BooleanField(
        label=CONSENT_TEXT,
        error_messages={"required": "Agree to be contacted, so that we can arrange this"},
    )
    idempotency_key = forms.UUIDField(widget=PlainHiddenInput, initial=uuid.uuid4)

    field_order = [
        "first_name",
        "last_name",
        "email",
        "phone",
        "contact_method",
        "topic",
        "message",
        "consent",
    ]

    def clean_phone(self) -> str:
        return phones.parse(self.cleaned_data["phone"])

    @property
    def shows_crisis(self) -> bool:
        """Crisis wording typed into the message, whether or not the form is valid yet."""
        return is_crisis_text(self.data.get(self.add_prefix("message"), "") or "")

    def details(self, *, source_article: str = "") -> dict:
        data = self.cleaned_data
        return {
            "first_name": data["first_name"].strip(),
            "last_name": data["last_name"].strip(),
            "email": data["email"],
            "phone": data["phone"],
            "contact_method": data["contact_method"],
            "topic": data["topic"],
            "message": data["message"].strip(),
            "consent_version": CONSENT_VERSION,
            "crisis_flag": is_crisis_text(data["message"]),
            "source_article": source_article,
        }


class SlotField(forms.Field):
    """A start time as sent by the slot picker: an ISO 8601 instant with its offset."""

    summary_links_to_group = True  # the error summary links to the picker's legend
    default_error_messages = {
        "required": "Choose a time",
        "invalid": "That time is not one we offer. Please choose one from the list.",
    }

    def to_python(self, value):
        value = (value or "").strip()
        if not value:
            return None
        if len(value) > 40:
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid")
        try:
            start = dt.datetime.fromisoformat(value)
            if start.tzinfo is None or not EARLIEST_YEAR <= start.year <= LATEST_YEAR:
                raise ValueError(value)
            # A time at the very edge of the calendar with an offset ("9999-12-31T23:59:59
            # -23:59") has no UTC equivalent: OverflowError, not ValueError.
            return start.astimezone(dt.UTC)
        except (ValueError, OverflowError):
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid") from None


class SlotForm(forms.Form):
    slot = SlotField(label="Choose a time", widget=forms.RadioSelect)


class BookingForm(AntiSpamForm, SlotForm, PatientDetailsForm):
    field_order = ["slot", *PatientDetailsForm.field_order]


class CallbackForm(AntiSpamForm, PatientDetailsForm):
    preferred_days = forms.TypedMultipleChoiceField(
        label="Which days suit you? (optional)",
        choices=[(d.value, d.label) for d in Weekday if d != Weekday.SUNDAY],
        coerce=int,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    preferred_times = forms.MultipleChoiceField(
        label="What times of day? (optional)",
        choices=CallbackRequest.Period.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    field_order = ["preferred_days", "preferred_times", *PatientDetailsForm.field_order]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["contact_method"].label = "How should we reach you?"


class CancelForm(forms.Form):
    reason = forms.CharField(
        label="Would you like to tell us why? (optional)",
        required=False,
        max_length=200,
        help_text="Please do not include medical details.",
    )


class StaffTimeForm(forms.Form):
    """A date and a wall-clock time at the consultation's location, entered by staff."""

    date = forms.DateField(widget=forms.DateInput({"type": "date"}))
    time = forms.TimeField(widget=forms.TimeInput({"type": "time", "step": 300}))
    override_schedule = forms.BooleanField(
        label="Allow a time outside opening hours",
        help_text="Also allows a time inside the notice period. Recorded in the audit log; "
        "a full time stays full.",
        required=False,
    )

    def starts_at(self, location: Location) -> dt.datetime | None:
        """The instant, or None (with a form error) when that wall time does not exist."""
        from .availability import to_utc

        start = to_utc(self.cleaned_data["date"], self.cleaned_data["time"], location.zone)
        if start is None:
            self.add_error("time", "That time does not exist there (the clocks go forward).")
        return start


STAFF_LABELS = {
    "first_name": "Patient's first name",
    "last_name": "Patient's last name",
    "email": "Patient's email",
    "phone": "Patient's mobile phone",
    "contact_method": "How should we contact the patient?",
    "topic": "What would the patient like to talk about?",
    "message": "Anything the patient would like us to know (optional)",
}


class StaffBookingForm(StaffTimeForm, PatientDetailsForm):
    location = forms.ModelChoiceField(queryset=Location.objects.filter(is_active=True))
    consultation_type = forms.ModelChoiceField(
        queryset=ConsultationType.objects.filter(is_active=True)
    )
    field_order = ["location", "consultation_type", "date", "time", "override_schedule"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields[
            "consent"
        ].label = (
            f"The patient agreed to be contacted (consent text {CONSENT_VERSION}: “{CONSENT_TEXT}”)"
        )
        self.fields["date"].help_text = "Local date and time at the location."
        # Staff fill this in on the patient's behalf: the labels speak to them.
        for name, label in STAFF_LABELS.items():
            self.fields[name].label = label
        self.fields["phone"].help_text = "With area code, e.g. (207) 555-0123."
        self.fields["message"].help_text = (
            "What the patient asked us to know. No medical details: the clinician asks "
            "about those later. Up to 500 characters."
        )


class StaffCancelForm(forms.Form):
    reason = forms.CharField(
        max_length=200,
        help_text="Kept on the record for colleagues (e.g. “Patient called to cancel”). "
        "No medical details.",
    )
