"""Open times cached in Redis and in each worker (booking/opentimes.py, booking/views.py):
a time never shows as free once it is taken, on either server, and with Redis stopped or
frozen the booking page still answers quickly and nothing kept is served afterwards.

Servers are real gunicorn processes (two workers each) with production settings, one
PostgreSQL (the test database) and one private redis-server (see ``conftest``).
"""

import datetime as dt
import time

import pytest

from booking.models import Closure, Consultation
from clinic.models import Clinic
from clinic.seed import seed_pages
from mindscape import rediscache
from tests.builders.deploy import book_path, filled_form, open_for_a_while
from tests.deploy.conftest import MIN_FILL_SECONDS, server_env
from tests.deploy.servers import AppServer
from tests.factories import ConsultationTypeFactory, LocationFactory, book

pytestmark = pytest.mark.django_db(transaction=True)
QUICK = 2.0  # seconds: the most the booking page may take while Redis is away
READS = 4  # page loads per server after each change: both workers, more than once


@pytest.fixture
def clinic():
    Clinic.load()
    seed_pages()
    location = LocationFactory(capacity=1)
    phone_call = ConsultationTypeFactory(name="Phone call", locations=[location])
    return location, phone_call


def shown(page, start: dt.datetime) -> bool:
    return f'value="{start.astimezone(dt.UTC).isoformat()}"' in page.text


def pages(servers, path: str):
    """The booking page from every server, ``READS`` times each, as different visitors."""
    loaded = [server.client().get(path) for server in servers for _ in range(READS)]
    assert all(page.status == 200 for page in loaded)
    return loaded


def test_a_time_booked_on_one_server_is_gone_from_both_at_once(two_servers, clinic):
    location, phone_call = clinic
    path = book_path(location, phone_call)
    # An hour apart: a booking holds its place for its 30 minutes and a 10-minute buffer.
    starts = open_for_a_while(location, phone_call, 8)[::2]
    assert all(shown(page, starts[0]) for page in pages(two_servers, path))  # kept everywhere

    for n, start in enumerate(starts[:3]):
        server = two_servers[n % 2]  # A, B, A
        patient = server.client(forwarded_for=f"198.51.100.{n + 1}")
        form = patient.get(path)
        assert shown(form, start)
        time.sleep(MIN_FILL_SECONDS + 0.2)
        sent = patient.post(path, filled_form(form, start, n))
        assert sent.status == 302, sent.text[:500]
        after = pages(two_servers, path)
        assert not any(shown(page, start) for page in after), f"{start} still shown"
        assert all(shown(page, starts[3]) for page in after)

    # Writes behind the site's back: a cancellation by QuerySet.update(), a clinic-wide
    # closure made in the ORM.  Both reach every server's next page.
    Consultation.objects.filter(starts_at=starts[0]).update(status="cancelled")
    assert all(shown(page, starts[0]) for page in pages(two_servers, path))
    day = starts[3].astimezone(location.zone).date()
    Closure.objects.create(first_day=day, last_day=day, reason="Training")
    assert not any(shown(page, starts[3]) for page in pages(two_servers, path))


@pytest.fixture
def server(transactional_db, tmp_path, redis, settings):
    instance = AppServer("A", tmp_path, server_env(settings, redis.url))
    yield instance
    instance.stop()


@pytest.mark.parametrize("fault", ["stopped", "frozen"])
def test_with_redis_away_open_times_are_made_live_and_never_served_stale(
    server, redis, clinic, fault
):
    location, phone_call = clinic
    path = book_path(location, phone_call)
    first, _, second = open_for_a_while(location, phone_call, 3)
    assert all(shown(page, first) for page in pages([server], path))  # in Redis and workers

    redis.stop() if fault == "stopped" else redis.freeze()
    book(location, phone_call, first)
    for _ in range(READS):
        started = time.monotonic()
        page = server.client().get(path)
        assert page.status == 200 and time.monotonic() - started < QUICK
        assert not shown(page, first) and shown(page, second)

    if fault == "frozen":  # back, holding what it had before the booking: never served
        redis.thaw()
        time.sleep(rediscache.RETRY_SECONDS + 0.5)  # the workers ask Redis again
        assert all(not shown(page, first) and shown(page, second) for page in pages([server], path))
        book(location, phone_call, second)
        assert not any(shown(page, second) for page in pages([server], path))


def test_the_times_a_deploy_test_books_stay_open_while_it_runs():
    """At 13:59:55 New York time the first open time (16:00) closes five seconds later:
    two hours' notice.  A suite run reached the booking test there and saw every booking
    refused; ``open_for_a_while`` gives a time that outlasts a slow test."""
    import time_machine
    from django.utils import timezone

    from booking import schedule

    location = LocationFactory()
    phone_call = ConsultationTypeFactory(locations=[location])
    just_before = dt.datetime(2027, 1, 5, 18, 59, 55, tzinfo=dt.UTC)  # 13:59:55 there
    with time_machine.travel(just_before, tick=False) as clock:
        first = schedule.open_slots(location, phone_call, limit=1)[0].start
        chosen = open_for_a_while(location, phone_call, 1)[0]
        clock.shift(dt.timedelta(seconds=30))
        still_open = [slot.start for slot in schedule.open_slots(location, phone_call)]
    assert timezone.localtime(first, location.zone).hour == 16
    assert first not in still_open  # what the tests booked until now
    assert chosen in still_open
