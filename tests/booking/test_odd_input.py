"""Inputs that once answered 500 (and lost what was typed) now get an ordinary answer: the
search with a NUL or a page past any bigint, a call-back with a "digit" that is not 0-9,
and a slot at the very edge of the calendar."""

import pytest
from django.urls import reverse

from booking import links
from booking.models import CallbackRequest, Consultation
from tests.booking.conftest import at
from tests.builders.booking import book_url, form_data
from tests.factories import ArticleFactory, book

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen")]
SEARCH = reverse("blog:search")
EDGE_SLOTS = ["9999-12-31T23:59:59-23:59", "0001-01-01T00:00:00+23:59"]


@pytest.mark.parametrize(
    "query", ["q=%00", "q=ketamine%00", "q=ketamine&page=99999999999999999999"]
)
def test_odd_searches_answer_normally(client, query):
    ArticleFactory(title="What is ketamine therapy?")
    response = client.get(f"{SEARCH}?{query}")
    assert response.status_code == 200


def test_a_page_far_past_the_end_shows_the_last_page(client):
    for n in range(12):
        ArticleFactory(title=f"Ketamine article {n}")
    response = client.get(f"{SEARCH}?q=ketamine&page=99999999999999999999")
    assert response.status_code == 200
    assert response.context["results"].page.number == 2


def test_a_call_back_with_a_superscript_digit_for_location(client, location):
    url = reverse("booking:callback") + "?location=%C2%B2"
    assert client.get(url).status_code == 200
    response = client.post(url, form_data(at(2, 10)))
    assert response.status_code == 302
    assert CallbackRequest.objects.get().location is None


@pytest.mark.parametrize("slot", EDGE_SLOTS)
def test_a_booking_with_a_slot_at_the_calendar_edge_keeps_everything(
    client, location, phone_call, slot
):
    response = client.post(
        book_url(location, phone_call), form_data(at(2, 10), slot=slot, message="Hello there")
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "That time is not one we offer" in html
    for kept in ("Avery", "Quinn", "avery.quinn@example.org", "Hello there"):
        assert kept in html
    assert not Consultation.objects.exists()


@pytest.mark.parametrize("slot", EDGE_SLOTS)
def test_a_move_with_a_slot_at_the_calendar_edge(client, location, phone_call, slot):
    booked = book(location, phone_call, at(3, 10))
    move = reverse("booking:move", kwargs={"token": links.manage_token(booked)})
    response = client.post(move, {"slot": slot})
    assert response.status_code == 200
    assert "That time is not one we offer" in response.content.decode()
    booked.refresh_from_db()
    assert booked.starts_at == at(3, 10)
