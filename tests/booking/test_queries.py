"""Booking pages run a bounded number of queries, however many bookings there are."""

import pytest

from booking import links
from tests.booking.conftest import at
from tests.factories import ConsultationTypeFactory, book

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen")]


@pytest.fixture
def busy_location(location, phone_call):
    location.capacity = 3
    location.save()
    ConsultationTypeFactory(name="Video", kind="video", locations=[location])
    bookings = [
        book(location, phone_call, at(day, hour), details={"email": f"p{day}{hour}@example.org"})
        for day in range(2, 12)
        for hour in (10, 11, 13, 14, 15)
    ]
    return bookings[-1]


def test_query_bounds(client, location, phone_call, busy_location, django_assert_max_num_queries):
    """50 bookings over ten days at capacity 3; the bounds are today's counts."""
    token = links.manage_token(busy_location)
    client.get("/about/")  # clinic facts cached, as on a running site
    pages = {
        "/consultation/": 4,
        f"/consultation/?type={phone_call.pk}&location={location.pk}": 6,
        "/consultation/call-me-back/": 0,
        f"/consultation/manage/{token}/": 1,
        f"/consultation/manage/{token}/move/": 4,
        f"/consultation/manage/{token}/calendar.ics": 1,
    }
    for url, bound in pages.items():
        with django_assert_max_num_queries(bound, info=url):
            response = client.get(url)
        assert response.status_code == 200, url
