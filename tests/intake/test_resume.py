"""Resume links: the link alone opens nothing; a date of birth is needed; the link dies
on submission, on expiry, and after repeated wrong dates of birth."""

import datetime as dt

import pytest
import time_machine

from intake import links, services
from intake.models import Screening
from tests.builders.intake import CALM

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


@pytest.mark.django_db(transaction=True)
def test_parallel_wrong_dates_get_no_more_comparisons_than_the_limit(draft, monkeypatch):
    """Each try is counted before the comparison, atomically: of many tries at once, only
    MAX_FAILURES compare a date of birth; the others find the link locked."""
    import threading

    from django.db import connection

    token = links.resume_link_create(screening=draft)
    compared = []
    real_compare = links.hmac.compare_digest

    def counting_compare(a, b):
        compared.append(1)
        return real_compare(a, b)

    monkeypatch.setattr(links.hmac, "compare_digest", counting_compare)
    tries = 20
    barrier = threading.Barrier(tries)
    reasons, lock = [], threading.Lock()

    def attempt():
        try:
            barrier.wait(timeout=10)
            links.resume(token, dt.date(1990, 6, 16))
        except links.ResumeRefused as refusal:
            with lock:
                reasons.append(refusal.reason)
        finally:
            connection.close()

    threads = [threading.Thread(target=attempt) for _ in range(tries)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert len(reasons) == tries
    assert len(compared) <= links.MAX_FAILURES
    assert reasons.count("wrong_date_of_birth") == len(compared)
    assert set(reasons) <= {"wrong_date_of_birth", "locked"}
    assert Screening.objects.get().resume_failures == links.MAX_FAILURES
    refused("locked", token, BORN)  # even the right date, once locked


def test_the_right_date_clears_earlier_wrong_tries(draft):
    token = links.resume_link_create(screening=draft)
    for _ in range(links.MAX_FAILURES - 1):
        refused("wrong_date_of_birth", token, dt.date(1990, 6, 16))
    assert links.resume(token, BORN) == draft
    assert Screening.objects.get().resume_failures == 0
