"""The plain inputs write exactly what Django's input templates write."""

import pytest
from django import forms

from booking.forms import BookingForm
from mindscape.widgets import PlainHiddenInput, PlainTextInput

VALUES = [None, "", "plain", 'quote " and <tag> & ampersand', 42]
ATTRS = [
    None,
    {"id": "id_x"},
    {"tabindex": "-1", "autocomplete": "off", "id": "id_website"},
    {"required": True, "disabled": False, "data-x": "a&b"},
]


@pytest.mark.parametrize(
    ("plain", "django"), [(PlainHiddenInput, forms.HiddenInput), (PlainTextInput, forms.TextInput)]
)
@pytest.mark.parametrize("value", VALUES)
@pytest.mark.parametrize("attrs", ATTRS)
def test_the_same_markup_as_the_template(plain, django, value, attrs):
    assert plain().render("field", value, attrs) == django().render("field", value, attrs)
    built = {"class": "c", "required": True}  # attributes given to the widget itself
    assert plain(built).render("f", value, attrs) == django(built).render("f", value, attrs)


def test_the_booking_forms_inputs_for_each_visitor(db):
    """Unbound and sent back: the fields made for each visitor render as Django's widgets
    would render them (the idempotency key kept, the honeypot never echoed)."""
    for form in (
        BookingForm(initial={"topic": "other"}),
        BookingForm({"idempotency_key": "b1b25044-18f2-4d02-84d1-5bcb48c7f73f", "website": "x"}),
    ):
        for name, stock in (
            ("idempotency_key", forms.HiddenInput),
            ("form_started", forms.HiddenInput),
            ("website", forms.TextInput),
        ):
            field = form[name]
            assert type(field.field.widget) is not stock
            expected = stock(field.field.widget.attrs).render(
                field.html_name, field.value(), {"id": field.auto_id}
            )
            assert str(field) == expected
