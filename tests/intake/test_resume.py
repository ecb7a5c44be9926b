"""Resume links: the link alone opens nothing; a date of birth is needed; the link dies
on submission, on expiry, and after repeated wrong dates of birth."""

import datetime as dt

import pytest
import time_machine

from intake import links, services
from intake.models import Screening
from tests.intake.test_submit import CALM

pytestmark = pytest.mark.django_db
BORN = dt.date(1990, 6, 15)
NOW = dt.datetime(2026, 12, 1, 15, tzinfo=dt.UTC)


@pytest.fixture
def draft():
    return Screening.objects.create(
        identity={"name": "Tove Lindqvist", "date_of_birth": BORN.isoformat()}, answers=CALM
    )


def refused(reason, *args, **kwargs):
    with pytest.raises(links.ResumeRefused) as excinfo:
        links.resume(*args, **kwargs)
    assert excinfo.value.reason == reason


def test_the_right_date_of_birth_opens_the_draft(draft):
    token = links.resume_link_create(screening=draft)
    assert links.resume(token, BORN) == draft
    assert token not in Screening.objects.get().resume_token_hash  # only a hash is kept


def test_a_wrong_date_of_birth_opens_nothing_and_repeated_tries_lock_the_link(draft):
    token = links.resume_link_create(screening=draft)
    for _ in range(links.MAX_FAILURES):
        refused("wrong_date_of_birth", token, dt.date(1990, 6, 16))
    refused("locked", token, BORN)


@pytest.mark.parametrize("token", ["", "x" * 43, "guess"])
def test_an_unknown_token_is_refused(draft, token):
    links.resume_link_create(screening=draft)
    refused("invalid", token, BORN)


def test_the_link_expires(draft, settings):
    settings.INTAKE_RESUME_HOURS = 2
    with time_machine.travel(NOW, tick=False) as clock:
        token = links.resume_link_create(screening=draft)
        clock.shift(dt.timedelta(hours=2))
        refused("expired", token, BORN)


def test_a_new_link_replaces_the_old_one(draft):
    old = links.resume_link_create(screening=draft)
    new = links.resume_link_create(screening=draft)
    refused("invalid", old, BORN)
    assert links.resume(new, BORN) == draft


def test_the_link_dies_on_submission(draft):
    token = links.resume_link_create(screening=draft)
    services.screening_submit(screening=draft)
    refused("invalid", token, BORN)
