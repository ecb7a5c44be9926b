"""The screening form's pages run a bounded number of queries, however many screenings
there are."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from intake import links, services
from intake.models import Screening
from intake.views import STEP_CODES
from tests.builders.intake import CALM, through, url

pytestmark = pytest.mark.django_db
BORN = dt.date(1990, 6, 15)
REVIEW = {"consent": "on", "signature": "Ada Lovelace"}

# Today's counts.  A step page reads the session and the draft.
BOUNDS = {
    "start": 0,  # a new visitor: no session, no draft
    "start, a draft open": 2,  # the session, the draft (to offer going on with it)
    # The page after "about" shows the resume link once: it leaves the session, which is
    # saved (an update in a savepoint).
    "step, showing the resume link": 5,
    **{f"step {code}": 2 for code in STEP_CODES},
    "thanks": 4,  # the session, read and saved without the form's number
    "resume": 1,  # the link's draft, by the hash of its token
}


def more_screenings(count: int) -> None:
    """``count`` sent screenings and as many drafts with resume links, as on a busy day."""
    for n in range(count):
        identity = {"name": f"Patient {n}", "date_of_birth": BORN.isoformat()}
        services.screening_submit(
            screening=Screening.objects.create(identity=identity, answers=CALM)
        )
        links.resume_link_create(
            screening=Screening.objects.create(identity=identity, answers=CALM)
        )


def count(client, url_, **kwargs) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url_)
    assert response.status_code == 200, (url_, response.get("Location"))
    return len(queries)


def counts(client_factory) -> dict[str, int]:
    """Each page as a patient meets it: the gate as a new visitor, every step of a form
    filled in up to the review, the thank-you page after sending, a resume link."""
    found = {"start": count(client_factory(), reverse("intake:start"))}
    patient = client_factory()
    through(patient, upto="review")
    found["step, showing the resume link"] = count(patient, url("history"))
    found["start, a draft open"] = count(patient, reverse("intake:start"))
    for code in STEP_CODES:
        found[f"step {code}"] = count(patient, url(code))
    assert patient.post(url("review"), REVIEW).status_code == 302
    found["thanks"] = count(patient, reverse("intake:thanks"))
    draft = Screening.objects.create(identity={"date_of_birth": BORN.isoformat()}, answers=CALM)
    token = links.resume_link_create(screening=draft)
    found["resume"] = count(client_factory(), reverse("intake:resume", kwargs={"token": token}))
    return found


@pytest.fixture
def client_factory(client):
    client.get("/about/")  # clinic facts cached, as on a running site
    return type(client)


def test_query_bounds(client_factory):
    more_screenings(10)
    found = counts(client_factory)
    assert found.keys() == BOUNDS.keys()
    over = {page: n for page, n in found.items() if n > BOUNDS[page]}
    assert not over, f"more queries than {BOUNDS}: {over}"


def test_query_counts_do_not_grow_with_more_screenings(client_factory):
    more_screenings(5)
    before = counts(client_factory)
    more_screenings(15)
    assert counts(client_factory) == before
