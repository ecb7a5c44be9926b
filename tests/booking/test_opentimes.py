"""The booking page's cached open times (booking/opentimes.py) and the generation token
the database gives a location whenever what its open times are made of changes."""

import datetime as dt
import re

import pytest
from django.core.cache import cache
from django.db import connection

from booking import opentimes, retention, schedule
from booking.models import (
    AvailabilityGeneration,
    Closure,
    Consultation,
    ConsultationType,
    Location,
    OpeningWindow,
)
from tests.booking.conftest import NOW, at
from tests.factories import ConsultationTypeFactory, LocationFactory, book

pytestmark = pytest.mark.django_db
UTC = dt.UTC


def token(location) -> str:
    return str(AvailabilityGeneration.objects.get(location_id=location.pk).token)


@pytest.fixture
def other(phone_call):
    return LocationFactory(name="Other clinic")


@pytest.fixture
def booked(location, phone_call, frozen):
    return book(location, phone_call, at(2, 10))


# --- Every write to what open times are made of gives a new token ----------------------------


def _consultation_update(location, phone_call, booked):
    Consultation.objects.filter(pk=booked.pk).update(status="cancelled")


def _consultation_raw_sql(location, phone_call, booked):
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE booking_consultation SET starts_at = starts_at + interval '1 hour', "
            "ends_at = ends_at + interval '1 hour', "
            "blocked_until = blocked_until + interval '1 hour' WHERE id = %s",
            [booked.pk],
        )


def _consultation_bulk_create(location, phone_call, booked):
    start = at(3, 10).astimezone(UTC)
    copy = Consultation.objects.get(pk=booked.pk)
    copy.pk, copy.reference, copy.idempotency_key = None, "BULKCOPY", None
    copy.starts_at, copy.ends_at = start, start + dt.timedelta(minutes=30)
    copy.blocked_until = copy.ends_at
    Consultation.objects.bulk_create([copy])


def _consultation_delete(location, phone_call, booked):
    Consultation.objects.filter(pk=booked.pk).delete()


def _window_added(location, phone_call, booked):
    OpeningWindow.objects.create(location=location, weekday=6, start=dt.time(7), end=dt.time(8))


def _window_changed(location, phone_call, booked):
    location.windows.update(end=dt.time(16))


def _window_deleted(location, phone_call, booked):
    location.windows.filter(weekday=2).delete()


def _closure_here(location, phone_call, booked):
    Closure.objects.create(location=location, first_day=at(3, 0).date(), last_day=at(3, 0).date())


def _location_changed(location, phone_call, booked):
    Location.objects.filter(pk=location.pk).update(capacity=2)


def _type_changed(location, phone_call, booked):
    ConsultationType.objects.filter(pk=phone_call.pk).update(duration_minutes=45)


def _type_removed_here(location, phone_call, booked):
    phone_call.locations.remove(location)


def _type_added_here(location, phone_call, booked):
    ConsultationTypeFactory(name="Video call", locations=[location])


WRITES = [
    _consultation_update,
    _consultation_raw_sql,
    _consultation_bulk_create,
    _consultation_delete,
    _window_added,
    _window_changed,
    _window_deleted,
    _closure_here,
    _location_changed,
    _type_changed,
    _type_removed_here,
    _type_added_here,
]


@pytest.mark.parametrize("write", WRITES, ids=lambda write: write.__name__.strip("_"))
def test_each_write_gives_the_location_a_new_token(location, phone_call, booked, write):
    before = token(location)
    write(location, phone_call, booked)
    assert token(location) != before


def test_the_booking_service_gives_a_new_token(location, phone_call, frozen):
    before = token(location)
    book(location, phone_call, at(2, 11))
    assert token(location) != before


def test_a_closure_of_one_location_leaves_the_others_alone(location, other, booked):
    before, other_before = token(location), token(other)
    _closure_here(location, None, booked)
    assert token(location) != before
    assert token(other) == other_before


def test_a_clinic_wide_closure_gives_every_location_a_new_token(location, other, booked):
    tokens = {token(location), token(other)}
    closure = Closure.objects.create(first_day=at(3, 0).date(), last_day=at(3, 0).date())
    after_create = {token(location), token(other)}
    assert not tokens & after_create
    Closure.objects.filter(pk=closure.pk).delete()
    assert not after_create & {token(location), token(other)}


def test_a_new_location_has_a_token(location):
    assert AvailabilityGeneration.objects.filter(location_id=location.pk).exists()


def test_writes_that_change_no_open_time_keep_the_token(location, phone_call, booked):
    """The staff's notes on a booking, the retention job erasing contact details."""
    before = token(location)
    Consultation.objects.filter(pk=booked.pk).update(video_link="https://meet.example.org/x")
    retention.apply(now=NOW + dt.timedelta(days=3650))
    assert Consultation.objects.get(pk=booked.pk).anonymised_at is not None
    assert token(location) == before


def test_a_rolled_back_write_leaves_the_token(location, phone_call, booked):
    from django.db import transaction

    before = token(location)
    with pytest.raises(RuntimeError), transaction.atomic():
        Consultation.objects.filter(pk=booked.pk).update(status="cancelled")
        raise RuntimeError
    assert token(location) == before


# --- The cached times are the live times, at every moment ------------------------------------


def _live(location, phone_call, now):
    return schedule.open_slots(location, phone_call, now=now)


def _cached(location, phone_call, now):
    times, begin, end = opentimes.open_slots(location, phone_call, now)
    return times.slots(begin, end)


@pytest.fixture
def busy_schedule(location, phone_call, frozen):
    location.capacity = 2
    location.min_notice_hours = 5
    location.horizon_days = 10
    location.save()
    Closure.objects.create(location=location, first_day=at(4, 0).date(), last_day=at(5, 0).date())
    for day in (1, 2, 3, 8):
        for hour in (13, 14):
            book(location, phone_call, at(day, hour))
            book(location, phone_call, at(day, hour, 30))
    book(location, phone_call, at(2, 15))
    return location


@pytest.mark.parametrize("hours", [0, 1, 4.5, 5, 7.25, 15.99, 16, 23.5, 40, 100, 239.9])
def test_cached_times_are_the_live_times_as_the_clock_moves(busy_schedule, phone_call, hours):
    cache.clear()
    first = _cached(busy_schedule, phone_call, NOW)  # cached at 08:00 on the first day
    assert first == _live(busy_schedule, phone_call, NOW)
    later = NOW + dt.timedelta(hours=hours)
    assert _cached(busy_schedule, phone_call, later) == _live(busy_schedule, phone_call, later)


def test_cached_times_across_a_change_of_clocks(location, phone_call):
    """New York leaves daylight saving time on 1 November 2026."""
    location.horizon_days = 5
    location.save()
    for hours in range(0, 72, 3):
        now = dt.datetime(2026, 10, 30, 0, 0, tzinfo=UTC) + dt.timedelta(hours=hours)
        assert _cached(location, phone_call, now) == _live(location, phone_call, now), now


def test_times_are_cached_under_the_locations_token(location, phone_call, frozen):
    times, _, _ = opentimes.open_slots(location, phone_call, NOW)
    assert token(location).replace("-", "") in times.key
    assert cache.get(times.key) == times.starts


def test_without_a_token_the_times_are_made_live_and_not_kept(location, phone_call, frozen):
    AvailabilityGeneration.objects.filter(location_id=location.pk).delete()
    times, begin, end = opentimes.open_slots(location, phone_call, NOW)
    assert times.key == ""
    assert times.slots(begin, end) == _live(location, phone_call, NOW)


def test_with_the_cache_away_the_times_are_made_live(location, phone_call, frozen, settings):
    settings.CACHES = {
        **settings.CACHES,
        "default": {"BACKEND": "django.core.cache.backends.dummy.DummyCache"},
    }
    book(location, phone_call, at(1, 10))
    assert _cached(location, phone_call, NOW) == _live(location, phone_call, NOW)
    assert at(1, 10) not in [slot.start for slot in _cached(location, phone_call, NOW)]


# --- The booking page ------------------------------------------------------------------------

FIXED = "can't be changed online — call us to change"


def page(client, location, consultation_type) -> str:
    url = f"/consultation/?type={consultation_type.pk}&location={location.pk}"
    response = client.get(url)
    assert response.status_code == 200
    return response.content.decode()


def shown(html: str, start: dt.datetime) -> bool:
    return f'value="{start.astimezone(UTC).isoformat()}"' in html


def day_html(html: str, day: int) -> str:
    return re.search(rf'id="day-2026-12-{day:02d}".*?</fieldset>', html, re.S).group()


def test_a_booking_takes_its_time_off_the_next_page_at_once(client, location, phone_call, frozen):
    for _ in range(2):  # cached, and its days rendered
        assert shown(page(client, location, phone_call), at(2, 10))
    book(location, phone_call, at(2, 10))
    assert not shown(page(client, location, phone_call), at(2, 10))
    assert shown(page(client, location, phone_call), at(2, 11))


def test_writes_behind_the_sites_back_reach_the_next_page(client, location, phone_call, frozen):
    booked = book(location, phone_call, at(2, 10))
    assert not shown(page(client, location, phone_call), at(2, 10))
    Consultation.objects.filter(pk=booked.pk).update(status="cancelled")
    assert shown(page(client, location, phone_call), at(2, 10))
    Closure.objects.create(first_day=at(2, 0).date(), last_day=at(2, 0).date())  # every location
    html = page(client, location, phone_call)
    assert 'id="day-2026-12-02"' not in html and 'id="day-2026-12-03"' in html


def test_the_page_follows_the_clock(client, location, phone_call, frozen):
    """Two hours' notice and a 24-hour cut-off, from Tuesday 08:00 to 09:10."""
    html = page(client, location, phone_call)
    assert shown(html, at(1, 10)) and not shown(html, at(1, 9, 30))
    assert FIXED not in day_html(html, 2)
    frozen.move_to(at(1, 9, 10))
    html = page(client, location, phone_call)
    assert not shown(html, at(1, 11)) and shown(html, at(1, 11, 30))
    tomorrow = day_html(html, 2)
    assert tomorrow.count(FIXED) == 1 and FIXED in tomorrow.split(at(2, 9, 30).isoformat())[0]


def test_the_day_rolls_over(client, location, phone_call, frozen):
    assert 'id="day-2026-12-01"' in page(client, location, phone_call)
    frozen.move_to(at(1, 23, 59))
    html = page(client, location, phone_call)
    assert 'id="day-2026-12-01"' not in html and shown(html, at(2, 9))


def test_without_the_trigger_the_page_would_show_a_taken_time(client, location, phone_call, frozen):
    """What the triggers are for: the same booking, made with the consultation triggers
    dropped (inside this test's transaction), leaves the cached time on the page."""
    assert shown(page(client, location, phone_call), at(2, 10))
    with connection.cursor() as cursor:
        cursor.execute("DROP TRIGGER open_times_consultation_added ON booking_consultation")
    book(location, phone_call, at(2, 10))
    assert shown(page(client, location, phone_call), at(2, 10))  # stale: a taken time


def test_the_cut_off_follows_the_clock_when_nothing_else_moves(
    client, location, phone_call, frozen
):
    """08:50 to 09:10 with ten hours' notice (the first time stays Wednesday 09:00), the
    horizon's end on a closed day, and a 48-hour cut-off that passes Thursday 09:00."""
    location.min_notice_hours, location.change_cutoff_hours = 10, 48
    location.save()
    Closure.objects.create(location=location, first_day=at(31, 0).date(), last_day=at(31, 0).date())
    frozen.move_to(at(1, 8, 50))
    thursday = day_html(page(client, location, phone_call), 3)
    assert FIXED not in thursday
    frozen.move_to(at(1, 9, 10))
    html = page(client, location, phone_call)
    assert day_html(html, 3).count(FIXED) == 1
    assert shown(html, at(2, 9)) and not shown(html, at(1, 16, 30))


def test_the_contact_fields_follow_the_topic_asked(client, location, phone_call, frozen):
    """The unsent form's contact fields are kept per topic: the article's topic is chosen."""
    url = f"/consultation/?type={phone_call.pk}&location={location.pk}"
    for _ in range(2):
        assert 'value="ocd" selected' in client.get(url + "&interest=ocd").content.decode()
        assert 'value="other" selected' in client.get(url).content.decode()


# --- The booking page's choice of type and location, kept under the token -------------------


def test_a_change_to_the_location_reaches_the_next_page(client, location, phone_call, frozen):
    """The type and location of a valid choice are kept per process under the location's
    token: a write to the location's row gives it a new token, so the next page reads it."""
    for _ in range(2):
        assert location.name in page(client, location, phone_call)
    Location.objects.filter(pk=location.pk).update(name="Harbour Street clinic")
    assert "with our Harbour Street clinic team" in page(client, location, phone_call)
    Location.objects.filter(pk=location.pk).update(is_active=False)
    response = client.get(f"/consultation/?type={phone_call.pk}&location={location.pk}")
    assert "Choose a time" not in response.content.decode()


def test_a_change_to_the_offer_or_the_type_reaches_the_next_page(
    client, location, phone_call, frozen
):
    url = f"/consultation/?type={phone_call.pk}&location={location.pk}"
    phone_call.locations.add(LocationFactory(name="Other clinic"))  # still offered somewhere
    for _ in range(2):
        assert "Choose a time" in client.get(url).content.decode()
    ConsultationType.objects.filter(pk=phone_call.pk).update(name="Telephone call")
    assert "Telephone call (30 minutes)" in client.get(url).content.decode()
    phone_call.locations.remove(location)
    assert "Telephone call is not offered at" in client.get(url).content.decode()
    phone_call.locations.add(location)
    assert "Choose a time" in client.get(url).content.decode()
    ConsultationType.objects.filter(pk=phone_call.pk).update(is_active=False)
    assert "Choose a time" not in client.get(url).content.decode()


def test_a_post_shows_the_times_as_they_are_after_its_booking_was_tried(
    client, location, phone_call, frozen, monkeypatch
):
    """The token read before a booking is tried may be old after it: the page sent back
    reads it again.  Here another patient takes the time while this one's POST is served."""
    from booking import services
    from tests.builders.booking import book_url, form_data

    assert shown(page(client, location, phone_call), at(2, 10))  # cached, days rendered

    really_book = services.consultation_book

    def taken_meanwhile(**kwargs):
        with monkeypatch.context() as patched:
            patched.setattr(services, "consultation_book", really_book)
            book(location, phone_call, at(2, 10))
        raise services.SlotUnavailable("Sorry, that time has just been taken.")

    monkeypatch.setattr(services, "consultation_book", taken_meanwhile)
    response = client.post(book_url(location, phone_call), form_data(at(2, 10)))
    html = response.content.decode()
    assert "that time has just been taken" in html
    assert not shown(html, at(2, 10)) and shown(html, at(2, 11))
