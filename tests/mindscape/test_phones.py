"""One phone-number check for every form: booking, its admin and the screening form."""

import pytest
from django import forms

from booking.forms import PatientDetailsForm
from intake.forms import AboutForm
from mindscape import phones


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("(207) 555-0123", "+12075550123"),
        ("207.555.0123", "+12075550123"),
        ("+1 212 555 0199", "+12125550199"),
        ("+44 20 7946 0018", "+442079460018"),
    ],
)
def test_a_valid_number_is_stored_in_e164(typed, stored):
    assert phones.parse(typed) == stored


@pytest.mark.parametrize("typed", ["12", "not a phone", "555-0199", "", "+1 000 000 0000"])
def test_anything_else_is_refused_saying_what_to_type(typed):
    with pytest.raises(forms.ValidationError) as refused:
        phones.parse(typed)
    assert refused.value.messages == [phones.MESSAGE]
    assert refused.value.code == "invalid_phone"


@pytest.mark.parametrize(
    ("stored", "shown"),
    [
        ("+12125550199", "(212) 555-0199"),
        ("+442079460018", "+44 20 7946 0018"),
        ("12", "12"),
        ("", ""),
    ],
)
def test_a_stored_number_is_shown_as_people_write_it(stored, shown):
    assert phones.display(stored) == shown


@pytest.mark.django_db
def test_the_booking_and_screening_forms_say_the_same():
    """(The booking admin's form: tests/booking/test_admin.py.)"""
    bad = "555-0199"
    booking = PatientDetailsForm({"phone": bad})
    about = AboutForm(
        {"phone": bad, "emergency_contact_phone": bad}, draft={"identity": {}, "answers": {}}
    )
    for form, field in [
        (booking, "phone"),
        (about, "phone"),
        (about, "emergency_contact_phone"),
    ]:
        assert not form.is_valid()
        assert form.errors[field] == [phones.MESSAGE], (type(form).__name__, field)
