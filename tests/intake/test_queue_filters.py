"""The screening queue's filters: each one narrows the list as it says, only its own choices
are taken (anything else goes back to the list with ?e=1, never a 500), and the front desk
can neither filter by a flag nor see which consultation a screening belongs to."""

import csv
import datetime as dt
import io

import pytest
import time_machine
from django.urls import reverse

from intake.models import Screening
from mindscape import roles
from tests.booking.conftest import at
from tests.builders.intake import LIST, NEW_YORK, left_draft, submitted
from tests.factories import ConsultationTypeFactory, LocationFactory, book

pytestmark = pytest.mark.django_db

EXPORT = reverse("admin:intake_screening_export")
NINE = dt.datetime(2026, 12, 1, 9, tzinfo=NEW_YORK)


@pytest.fixture
def queue():
    """One screening of each kind the filters tell apart, sent an hour apart."""

    def hours(n):
        return NINE + dt.timedelta(hours=n)

    made = {
        "high": submitted(1, now=hours(0)),
        "moderate": submitted(3, now=hours(1)),
        "psychosis": submitted(6, now=hours(2)),
        "calm": submitted(7, now=hours(3)),
        "reviewed": submitted(7, now=hours(4)),
        "left": left_draft(2, last_touched=hours(5), needs_acknowledgement=True),
        "calm draft": left_draft(None, last_touched=hours(6)),
    }
    Screening.objects.filter(pk=made["reviewed"].pk).update(status="reviewed")
    location = LocationFactory()
    with time_machine.travel(at(1, 8), tick=False):
        consultation = book(location, ConsultationTypeFactory(locations=[location]), at(3, 10))
    Screening.objects.filter(pk=made["psychosis"].pk).update(consultation=consultation)
    made["psychosis"].consultation = consultation
    assert made["psychosis"].flag_codes == ["psychosis"]
    return made


def linked(queue) -> str:
    """The consultation column of the linked screening, as the list shows it."""
    return f"#{queue['psychosis'].consultation_id} · Booked"


def shown(response) -> list[int]:
    assert response.status_code == 200
    return [s.pk for s in response.context["cl"].result_list]


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ({}, ["high", "left", "moderate", "psychosis", "calm"]),
        ({"queue": "all"}, ["high", "moderate", "psychosis", "calm", "reviewed"]),
        ({"queue": "unacknowledged"}, ["high", "left", "moderate", "psychosis"]),
        ({"queue": "left"}, ["left"]),
        ({"queue": "reviewed"}, ["reviewed"]),
        ({"queue": "all", "status": "submitted"}, ["high", "moderate", "psychosis", "calm"]),
        ({"queue": "all", "status": "reviewed"}, ["reviewed"]),
        ({"queue": "all", "status": "in_review"}, []),
        ({"urgency": "1"}, ["high"]),
        ({"urgency": "2"}, ["left"]),  # a left form by its risk so far
        ({"queue": "all", "urgency": "7"}, ["calm", "reviewed"]),
        ({"urgency": "7"}, ["calm"]),  # and the default queue still applies
        ({"queue": "all", "flag": "psychosis"}, ["psychosis"]),
        ({"queue": "all", "flag": "crisis_wording"}, []),
    ],
)
def test_each_filter_narrows_the_queue_as_it_says(staff_client, queue, query, expected):
    client = staff_client(roles.CLINICIAN)
    assert shown(client.get(LIST, query)) == [queue[name].pk for name in expected]
    # The export is the list as filtered on screen.
    export = client.get(EXPORT, query)
    rows = list(csv.reader(io.StringIO(export.content.decode())))[1:]
    assert [int(row[0]) for row in rows] == [queue[name].pk for name in expected]


@pytest.mark.parametrize(
    "query",
    [
        {"urgency": "²"},  # str.isdigit() says yes, int() says no
        {"urgency": "8"},
        {"urgency": "\x00"},
        {"flag": "\x00"},  # PostgreSQL cannot hold a NUL in text
        {"flag": "not_a_flag"},
        {"queue": "\x00"},
        {"queue": "everything"},
        {"status": "\x00"},
        {"status": "deleted"},
    ],
)
def test_a_value_no_filter_offers_goes_back_to_the_list_unfiltered(staff_client, queue, query):
    client = staff_client(roles.CLINICIAN)
    response = client.get(LIST, query)
    assert (response.status_code, response["Location"]) == (302, LIST + "?e=1")
    assert len(shown(client.get(response["Location"]))) == 5
    export = client.get(EXPORT, query)
    assert (export.status_code, export["Location"]) == (302, LIST + "?e=1")


def test_the_front_desk_cannot_filter_by_flag_nor_see_the_consultation(staff_client, queue):
    client = staff_client(roles.FRONT_DESK)
    listing = client.get(LIST, {"queue": "all"})
    assert len(shown(listing)) == 5
    html = listing.content.decode()
    assert [spec.title for spec in listing.context["cl"].filter_specs] == [
        "queue",
        "status",
        "urgency",
    ]
    assert "flag=" not in html and "psychosis" not in html
    assert "column-linked_consultation" not in html and linked(queue) not in html
    # Their urgency filter is by neutral band (levels 1-2, 3-4, 5-6, 7), nothing clinical.
    assert "band=priority" in html
    assert "C-SSRS" not in html.split('id="changelist-filter"')[1]
    by_band = {
        band: shown(client.get(LIST, {"band": band}))
        for band in ("priority", "urgent", "soon", "routine")
    }
    assert by_band == {
        "priority": [queue["high"].pk, queue["left"].pk],
        "urgent": [queue["moderate"].pk],
        "soon": [queue["psychosis"].pk],
        "routine": [queue["calm"].pk],
    }
    # The clinical levels are not a filter for them (a field typed into the address: refused).
    assert client.get(LIST, {"urgency": "1"}).status_code == 400

    # A flag typed into the address is not a filter for them: refused.
    crafted = client.get(LIST, {"queue": "all", "flag": "psychosis"})
    assert crafted.status_code == 400
    assert linked(queue) not in crafted.content.decode()


@pytest.mark.parametrize(
    "query",
    [
        {"flag_codes__contains": '["psychosis"]'},
        {"consultation_id": "1"},
        {"consultation__status": "booked"},
        {"phq9_total__gte": "20"},
        {"status__exact": "submitted"},
        {"pk": str(1)},
        # The queue's annotations are no model fields, and Django would filter on them.
        {"consultation_status__isnull": "False"},
        {"consultation_status": "cancelled"},
        {"queue_urgency__lte": "3"},
    ],
)
@pytest.mark.parametrize("role", [roles.FRONT_DESK, roles.CLINICIAN])
def test_no_field_can_be_filtered_on_except_through_the_filters(staff_client, queue, role, query):
    response = staff_client(role).get(LIST, {"queue": "all", **query})
    assert response.status_code == 400
    export = staff_client(role).get(EXPORT, {"queue": "all", **query})
    assert export.status_code in (400, 403)  # the front desk may not export at all


def test_clinicians_filter_by_flag_and_see_the_consultation(staff_client, queue):
    client = staff_client(roles.CLINICIAN)
    listing = client.get(LIST, {"queue": "all", "flag": "psychosis"})
    assert shown(listing) == [queue["psychosis"].pk]
    html = listing.content.decode()
    assert "column-linked_consultation" in html and linked(queue) in html
    assert "flag" in [spec.title for spec in listing.context["cl"].filter_specs]
