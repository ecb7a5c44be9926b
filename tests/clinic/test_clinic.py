"""The clinic's facts: opening hours in the clinic's own zone, across DST, with closures."""

import dataclasses
import datetime as dt
import zoneinfo

import pytest

from clinic import facts as clinic
from clinic.facts import ClinicFacts, Closure, Window
from clinic.models import Clinic, ClinicClosure, OfficeHours

NY = zoneinfo.ZoneInfo("America/New_York")
UTC = dt.UTC


def facts(windows=(), closures=(), tz="America/New_York"):
    return ClinicFacts(
        name="Clinic",
        phone="(555) 010-0199",
        phone_href="tel:5550100199",
        email="a@b.example",
        address_lines=("1 Main St",),
        time_zone=tz,
        windows=tuple(windows),
        closures=tuple(closures),
    )


WEEKDAYS_9_TO_5 = [Window(d, dt.time(9), dt.time(17)) for d in range(5)]


@pytest.mark.parametrize(
    ("local", "expected"),
    [
        (dt.datetime(2026, 11, 23, 8, 59, tzinfo=NY), False),  # Monday before opening
        (dt.datetime(2026, 11, 23, 9, 0, tzinfo=NY), True),  # opening minute
        (dt.datetime(2026, 11, 23, 16, 59, tzinfo=NY), True),
        (dt.datetime(2026, 11, 23, 17, 0, tzinfo=NY), False),  # closing time is closed
        (dt.datetime(2026, 11, 28, 12, 0, tzinfo=NY), False),  # Saturday
    ],
)
def test_is_open_at_the_edges(local, expected):
    assert facts(WEEKDAYS_9_TO_5).is_open(local) is expected


def test_is_open_reads_utc_in_the_clinics_zone():
    # 14:30 UTC on Monday 23 Nov is 09:30 in New York (EST, UTC-5).
    assert facts(WEEKDAYS_9_TO_5).is_open(dt.datetime(2026, 11, 23, 14, 30, tzinfo=UTC))
    # 13:30 UTC is 08:30 in New York: closed.
    assert not facts(WEEKDAYS_9_TO_5).is_open(dt.datetime(2026, 11, 23, 13, 30, tzinfo=UTC))


@pytest.mark.parametrize(
    ("utc_time", "expected_utc"),
    [
        # Friday 6 March 2026, 18:00 EST → next open Monday 9 March 09:00 EDT = 13:00 UTC
        (dt.datetime(2026, 3, 6, 23, 0, tzinfo=UTC), dt.datetime(2026, 3, 9, 13, 0, tzinfo=UTC)),
        # Friday 30 October, 18:00 EDT → Monday 2 November 09:00 EST = 14:00 UTC
        (dt.datetime(2026, 10, 30, 22, 0, tzinfo=UTC), dt.datetime(2026, 11, 2, 14, 0, tzinfo=UTC)),
    ],
)
def test_next_open_across_daylight_saving_changes(utc_time, expected_utc):
    assert facts(WEEKDAYS_9_TO_5).next_open(utc_time) == expected_utc


def test_next_open_is_now_when_open():
    now = dt.datetime(2026, 11, 24, 10, 0, tzinfo=NY)
    assert facts(WEEKDAYS_9_TO_5).next_open(now) == now


def test_next_open_skips_closures_and_uses_split_days():
    windows = [Window(0, dt.time(9), dt.time(12)), Window(0, dt.time(13), dt.time(17))]
    windows += [Window(d, dt.time(9), dt.time(17)) for d in range(1, 5)]
    thanksgiving = Closure(dt.date(2026, 11, 26), dt.date(2026, 11, 27), "Thanksgiving")
    f = facts(windows, [thanksgiving])
    # Monday lunch → reopens at 13:00 the same day.
    assert f.next_open(dt.datetime(2026, 11, 23, 12, 15, tzinfo=NY)) == dt.datetime(
        2026, 11, 23, 13, 0, tzinfo=NY
    )
    # Wednesday evening before Thanksgiving → the following Monday.
    assert f.next_open(dt.datetime(2026, 11, 25, 18, 0, tzinfo=NY)) == dt.datetime(
        2026, 11, 30, 9, 0, tzinfo=NY
    )
    assert not f.is_open(dt.datetime(2026, 11, 27, 10, 0, tzinfo=NY))


def test_next_open_is_none_without_any_hours():
    assert facts().next_open(dt.datetime(2026, 11, 24, tzinfo=UTC)) is None


def test_another_time_zone():
    f = facts([Window(0, dt.time(9), dt.time(17))], tz="America/Los_Angeles")
    monday_9_pacific = dt.datetime(2026, 11, 23, 17, 0, tzinfo=UTC)
    assert f.is_open(monday_9_pacific)
    assert not f.is_open(monday_9_pacific - dt.timedelta(minutes=1))


def test_hours_summary_groups_days():
    windows = WEEKDAYS_9_TO_5 + [Window(5, dt.time(9), dt.time(13, 30))]
    assert facts(windows).hours_summary() == [
        ("Mon–Fri", "9 am–5 pm"),
        ("Sat", "9 am–1:30 pm"),
        ("Sun", "Closed"),
    ]


@pytest.mark.django_db
def test_facts_come_from_the_admin_rows_and_refresh_on_save(django_assert_num_queries):
    row = Clinic.load()
    OfficeHours.objects.create(clinic=row, weekday=0, opens=dt.time(9), closes=dt.time(17))
    first = clinic.facts()
    assert first.windows == (Window(0, dt.time(9), dt.time(17)),)
    with django_assert_num_queries(0):
        clinic.facts()  # cached
    row.phone = "(555) 010-0123"
    row.save()
    assert clinic.facts().phone == "(555) 010-0123"
    ClinicClosure.objects.create(
        clinic=row, first_day=dt.date(2099, 1, 1), last_day=dt.date(2099, 1, 2)
    )
    assert len(clinic.facts().closures) == 1


@pytest.mark.django_db
def test_clinic_is_a_single_row():
    Clinic.load()
    other = Clinic(name="Second")
    other.save()  # save() pins the primary key: it updates the one row
    assert Clinic.objects.count() == 1
    assert Clinic.load().name == "Second"


@pytest.mark.django_db
def test_module_helpers_use_now_by_default():
    row = Clinic.load()
    for day in range(7):
        OfficeHours.objects.create(
            clinic=row, weekday=day, opens=dt.time(0), closes=dt.time(23, 59)
        )
    assert clinic.next_open() is not None
    assert isinstance(clinic.is_open(), bool)


def test_phone_href_keeps_only_digits():
    assert Clinic(phone="(555) 010-0199").phone_href == "tel:5550100199"
    assert Clinic(phone="+1 555 010 0199").phone_href == "tel:+15550100199"


@pytest.mark.django_db
def test_a_process_keeps_the_facts_for_a_second_then_reads_them_again(monkeypatch):
    """An edit saved on another server (here: the shared copy replaced behind this
    process's back) reaches this process within PAGE_CACHE_CHECK_SECONDS, as pages do."""
    now = [1000.0]
    monkeypatch.setattr(clinic, "_clock", lambda: now[0])
    first = clinic.facts()
    from django.core.cache import cache

    cache.set(clinic.CACHE_KEY, dataclasses.replace(first, phone="(555) 010-0777"), 3600)
    assert clinic.facts() is first  # no round trip for a second
    now[0] += 0.9
    assert clinic.facts() is first
    now[0] += 0.2
    assert clinic.facts().phone == "(555) 010-0777"
