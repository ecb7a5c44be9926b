"""Booking pages run a bounded number of queries, however many bookings there are."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from booking import links, staff_feed, views
from tests.booking.conftest import at
from tests.factories import ConsultationTypeFactory, book

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen")]


def add_bookings(location, consultation_type, days):
    """Five bookings a day (10:00 to 15:00) on each of ``days``."""
    return [
        book(location, consultation_type, at(day, hour), details={"email": f"p{day}{hour}@x.org"})
        for day in days
        for hour in (10, 11, 13, 14, 15)
    ]


@pytest.fixture
def busy_location(location, phone_call):
    location.capacity = 3
    location.save()
    ConsultationTypeFactory(name="Video", kind="video", locations=[location])
    return add_bookings(location, phone_call, range(2, 12))[-1]


def pages(location, phone_call, consultation, feed_token) -> dict[str, int]:
    """url → the most queries it may run (today's counts).  The pages that read what the
    form before them left in the session come last (see ``arrive``)."""
    token = links.manage_token(consultation)
    return {
        "/consultation/": 4,
        # The generation token, the type and location asked (checked once per token), then
        # (times not cached yet) closures, windows, bookings.
        f"/consultation/?type={phone_call.pk}&location={location.pk}": 7,
        "/consultation/call-me-back/": 0,
        f"/consultation/manage/{token}/": 1,
        f"/consultation/manage/{token}/move/": 4,
        f"/consultation/manage/{token}/cancel/": 1,
        f"/consultation/manage/{token}/calendar.ics": 1,
        reverse("booking:staff-calendar", kwargs={"token": feed_token}): 5,
        "/consultation/booked/": 2,  # the session, the consultation
        "/consultation/call-me-back/thanks/": 4,  # the session, read and saved (a savepoint)
    }


def arrive(client, url, consultation):
    """For the thank-you pages: the session as the booking or callback form leaves it."""
    if url in ("/consultation/booked/", "/consultation/call-me-back/thanks/"):
        session = client.session
        session[views.SESSION_KEY] = {"pk": consultation.pk, "once": "just-booked"}
        session["callback_crisis"] = False
        session.save()
        client.cookies[views.ONCE_COOKIE] = "just-booked"


@pytest.fixture
def feed_token(staff_user):
    return staff_feed.feed_create(user=staff_user("Front desk"))


def test_query_bounds(
    client, location, phone_call, busy_location, feed_token, django_assert_max_num_queries
):
    """50 bookings over ten days at capacity 3; the bounds are today's counts."""
    client.get("/about/")  # clinic facts cached, as on a running site
    for url, bound in pages(location, phone_call, busy_location, feed_token).items():
        arrive(client, url, busy_location)
        with django_assert_max_num_queries(bound, info=url):
            response = client.get(url)
        assert response.status_code == 200, url


def count_queries(client, location, phone_call, consultation, feed_token) -> dict[str, int]:
    client.cookies.clear()  # a new visitor each time: the same session reads
    counts = {}
    for url in pages(location, phone_call, consultation, feed_token):
        arrive(client, url, consultation)
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200, url
        # Keyed by page: the manage token changes with the consultation.
        counts[url.replace(links.manage_token(consultation), "[token]")] = len(queries)
    return counts


def test_query_counts_do_not_grow_with_more_bookings(client, location, phone_call, feed_token):
    """The staff feed lists every upcoming booking: one query for them all, at N or 3N."""
    location.capacity = 3
    location.save()
    first = add_bookings(location, phone_call, range(2, 6))[-1]
    client.get("/about/")
    before = count_queries(client, location, phone_call, first, feed_token)
    feed = reverse("booking:staff-calendar", kwargs={"token": feed_token})
    assert client.get(feed).content.count(b"BEGIN:VEVENT") == 20

    last = add_bookings(location, phone_call, range(6, 14))[-1]  # 20 → 60 bookings
    after = count_queries(client, location, phone_call, last, feed_token)
    assert client.get(feed).content.count(b"BEGIN:VEVENT") == 60
    assert after == before


def test_open_times_cached_read_no_schedule(
    client, location, phone_call, busy_location, django_assert_num_queries
):
    """Times cached: the location's generation token, nothing else (the type and location
    asked, and the times, are kept under it)."""
    url = f"/consultation/?type={phone_call.pk}&location={location.pk}"
    client.get("/about/")
    client.get(url)
    with django_assert_num_queries(1):
        assert client.get(url).status_code == 200
