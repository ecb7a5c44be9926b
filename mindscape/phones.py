"""Phone numbers as patients and staff type them, checked one way for every form.

A number typed without "+country code" is read as one of the clinic's country
(``REGION``); a valid one is stored in E.164 (``+12075550123``), anything else is refused
with the same message on the booking forms, their admin and the screening form.
"""

from __future__ import annotations

import phonenumbers
from django import forms

REGION = "US"  # the clinic's country
MESSAGE = "Enter a phone number we can call or text, with its area code, e.g. (207) 555-0123."


def parse(value: str) -> str:
    """A valid phone number in E.164 form, or a ValidationError that says what to type."""
    try:
        number = phonenumbers.parse(value, REGION)
    except phonenumbers.NumberParseException:
        number = None
    if number is None or not phonenumbers.is_valid_number(number):
        raise forms.ValidationError(MESSAGE, code="invalid_phone")
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def display(value: str) -> str:
    """A stored (E.164) phone number as people write it: "(212) 555-0199" for one in the
    clinic's country, "+44 20 7946 0018" for one abroad; anything else as it is."""
    try:
        number = phonenumbers.parse(value, REGION)
    except phonenumbers.NumberParseException:
        return value
    if not phonenumbers.is_valid_number(number):
        return value
    style = (
        phonenumbers.PhoneNumberFormat.NATIONAL
        if phonenumbers.region_code_for_number(number) == REGION
        else phonenumbers.PhoneNumberFormat.INTERNATIONAL
    )
    return phonenumbers.format_number(number, style)
