"""Open consultation slots (booking.availability): pure functions, no database.

Dates are in 2026: Monday 2 March starts the reference week; America/New_York springs
forward on Sunday 8 March and falls back on Sunday 1 November; Europe/London springs
forward on Sunday 29 March.  ``now`` is always an aware instant, as the server (on UTC)
passes it.
"""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from booking.availability import (
    Busy,
    Schedule,
    Window,
    candidate_starts,
    free_seat,
    is_offered,
    nearest,
    open_slots,
    to_utc,
)

MON, TUE, WED, THU, FRI, SAT, SUN = range(7)
UTC = ZoneInfo("UTC")
NEW_YORK = ZoneInfo("America/New_York")
HOUR = dt.timedelta(hours=1)


def minutes(n):
    return dt.timedelta(minutes=n)


def at(text, tz=UTC):
    """An aware instant from a 2026 wall time such as "03-02 09:00" in ``tz``."""
    return dt.datetime.fromisoformat(f"2026-{text}").replace(tzinfo=tz)


def schedule(*windows, tz=UTC, duration=60, step=30, buffer=0, notice=0, days=30, **rest):
    """A Schedule from (weekday, "HH:MM", "HH:MM") windows; lengths in minutes."""
    return Schedule(
        time_zone=tz,
        windows=tuple(
            Window(day, dt.time.fromisoformat(start), dt.time.fromisoformat(end))
            for day, start, end in windows
        ),
        duration=minutes(duration),
        step=minutes(step),
        buffer=minutes(buffer),
        min_notice=minutes(notice),
        horizon=dt.timedelta(days=days),
        **rest,
    )


def booking(start, duration=60, buffer=0, seat=0):
    return Busy(start, start + minutes(duration + buffer), seat)


def stamps(instants, tz=UTC, fmt="%m-%d %H:%M"):
    """Wall times of slots (or plain instants) in ``tz``."""
    return [getattr(i, "start", i).astimezone(tz).strftime(fmt) for i in instants]


def times(instants, tz=UTC):
    return stamps(instants, tz, "%H:%M")


WEEK = at("03-02 00:00")  # Monday, midnight


# Windows and step -------------------------------------------------------------------


def test_several_windows_per_day_on_different_weekdays_and_none_on_others():
    s = schedule((MON, "09:00", "11:00"), (MON, "14:00", "15:30"), (WED, "10:00", "11:00"), days=7)
    assert stamps(open_slots(s, [], WEEK), fmt="%a %H:%M") == [
        *["Mon 09:00", "Mon 09:30", "Mon 10:00", "Mon 14:00", "Mon 14:30"],
        "Wed 10:00",
    ]  # Tuesday has no window; the following Monday is beyond the 7-day horizon


@pytest.mark.parametrize(
    ("step", "duration", "expected"),
    [
        (20, 20, ["09:00", "09:20", "09:40", "10:00", "10:20", "10:40"]),
        (45, 30, ["09:00", "09:45", "10:30"]),
        (60, 60, ["09:00", "10:00"]),
    ],
)
def test_step_is_the_distance_between_offered_starts(step, duration, expected):
    s = schedule((MON, "09:00", "11:00"), step=step, duration=duration, days=1)
    assert times(open_slots(s, [], WEEK)) == expected


def test_a_slot_must_end_inside_its_window():
    s = schedule((MON, "09:00", "10:45"), step=15, days=1)
    assert times(open_slots(s, [], WEEK)) == ["09:00", "09:15", "09:30", "09:45"]
    assert open_slots(schedule((MON, "09:00", "09:45"), days=1), [], WEEK) == []


def test_overlapping_windows_offer_each_start_once_in_order():
    s = schedule((MON, "09:30", "11:00"), (MON, "09:00", "10:00"), days=1)
    assert times(open_slots(s, [], WEEK)) == ["09:00", "09:30", "10:00"]


def test_limit_keeps_the_soonest():
    s = schedule((MON, "09:00", "17:00"), days=1)
    assert times(open_slots(s, [], WEEK, limit=2)) == ["09:00", "09:30"]


# Buffers ------------------------------------------------------------------------------


def test_a_booking_holds_its_seat_until_its_end_plus_buffer_in_both_directions():
    s = schedule((MON, "08:00", "13:00"), step=15, buffer=15, days=1)
    taken = [booking(at("03-02 10:00"), buffer=15)]  # 10:00–11:00, held until 11:15
    assert times(open_slots(s, taken, WEEK)) == [
        *["08:00", "08:15", "08:30", "08:45"],  # 08:45 + 60 + 15 ends exactly at 10:00
        *["11:15", "11:30", "11:45", "12:00"],  # 11:00 would start inside the buffer
    ]
    assert free_seat(s, taken, at("03-02 09:00")) is None  # its buffer runs into 10:00
    assert free_seat(s, taken, at("03-02 11:00")) is None
    assert free_seat(s, taken, at("03-02 11:15")) == 0


# Notice, horizon, closures ------------------------------------------------------------


def test_now_in_the_middle_of_a_window_offers_only_later_starts():
    s = schedule((MON, "09:00", "12:00"), days=1)
    assert times(open_slots(s, [], at("03-02 10:20"))) == ["10:30", "11:00"]
    assert times(open_slots(s, [], at("03-02 10:30"))) == ["10:30", "11:00"]  # inclusive


def test_minimum_notice_inclusive_edge():
    s = schedule((MON, "09:00", "14:00"), notice=120, days=1)
    assert times(open_slots(s, [], at("03-02 09:00"))) == [
        "11:00",
        "11:30",
        "12:00",
        "12:30",
        "13:00",
    ]
    assert times(open_slots(s, [], at("03-02 09:01"))) == ["11:30", "12:00", "12:30", "13:00"]


def test_horizon_inclusive_edge():
    s = schedule(*[(day, "09:00", "10:00") for day in (MON, TUE, WED)], duration=30, days=2)
    assert stamps(open_slots(s, [], at("03-02 09:00"))) == [
        *["03-02 09:00", "03-02 09:30", "03-03 09:00", "03-03 09:30"],
        "03-04 09:00",  # exactly now + 2 days; 09:30 is beyond
    ]


def test_closed_dates_offer_nothing():
    s = schedule(
        *[(day, "09:00", "10:00") for day in (MON, TUE, WED)],
        days=7,
        closed_dates=frozenset({dt.date(2026, 3, 3)}),
    )
    assert stamps(open_slots(s, [], WEEK)) == ["03-02 09:00", "03-04 09:00"]


def test_closed_dates_are_local_dates():
    # Tuesday 19:00–21:00 in New York is already Wednesday in UTC.
    def local_times(closed):
        s = schedule((TUE, "19:00", "21:00"), tz=NEW_YORK, days=7, closed_dates=frozenset(closed))
        return stamps(open_slots(s, [], WEEK), NEW_YORK)

    assert local_times({dt.date(2026, 3, 4)}) == ["03-03 19:00", "03-03 19:30", "03-03 20:00"]
    assert local_times({dt.date(2026, 3, 3)}) == []


# Capacity -----------------------------------------------------------------------------


def test_capacity_one_a_booking_fills_the_slot():
    s = schedule((MON, "09:00", "11:00"), step=60, days=1)
    taken = [booking(at("03-02 09:00"))]
    assert free_seat(s, taken, at("03-02 09:00")) is None
    assert times(open_slots(s, taken, WEEK)) == ["10:00"]


def test_capacity_two_is_full_only_when_both_seats_overlap():
    s = schedule((MON, "09:00", "11:00"), step=60, capacity=2, days=1)
    nine = at("03-02 09:00")
    assert free_seat(s, [], nine) == 0
    assert free_seat(s, [booking(nine, seat=0)], nine) == 1
    assert free_seat(s, [booking(nine, seat=1)], nine) == 0  # the lowest free seat
    both = [booking(nine, seat=0), booking(nine + minutes(30), seat=1)]
    assert free_seat(s, both, nine) is None
    assert times(open_slots(s, both, WEEK)) == ["10:00"]  # seat 0 is free again at 10:00
    assert free_seat(s, both, nine + HOUR) == 0
    assert times(open_slots(s, both[:1], WEEK)) == ["09:00", "10:00"]


def test_capacity_two_with_bookings_of_different_lengths():
    s = schedule((MON, "09:00", "13:00"), capacity=2, days=1)
    taken = [
        booking(at("03-02 09:00"), duration=180, seat=0),  # 09:00–12:00
        booking(at("03-02 10:00"), duration=30, seat=1),  # 10:00–10:30
    ]
    slots = open_slots(s, taken, WEEK)
    assert times(slots) == ["09:00", "10:30", "11:00", "11:30", "12:00"]
    assert [free_seat(s, taken, slot.start) for slot in slots] == [1, 1, 1, 1, 0]


# Daylight saving and other zones ------------------------------------------------------

AROUND_SUNDAY = [(day, "09:00", "10:00") for day in (SAT, SUN, MON)]


@pytest.mark.parametrize(
    ("zone", "now", "utc_starts"),
    [
        ("America/New_York", "03-06 12:00", ["03-07 14:00", "03-08 13:00", "03-09 13:00"]),
        ("America/New_York", "10-30 12:00", ["10-31 13:00", "11-01 14:00", "11-02 14:00"]),
        ("America/Phoenix", "03-06 12:00", ["03-07 16:00", "03-08 16:00", "03-09 16:00"]),
        ("America/Phoenix", "10-30 12:00", ["10-31 16:00", "11-01 16:00", "11-02 16:00"]),
        ("Europe/London", "03-06 12:00", ["03-07 09:00", "03-08 09:00", "03-09 09:00"]),
        ("Europe/London", "03-27 12:00", ["03-28 09:00", "03-29 08:00", "03-30 08:00"]),
        ("Asia/Kolkata", "03-06 12:00", ["03-07 03:30", "03-08 03:30", "03-09 03:30"]),
    ],
)
def test_nine_oclock_local_stays_nine_oclock_local(zone, now, utc_starts):
    tz = ZoneInfo(zone)
    slots = open_slots(schedule(*AROUND_SUNDAY, tz=tz, days=4), [], at(now))
    assert stamps(slots) == utc_starts
    assert stamps(slots, tz, "%a %H:%M") == ["Sat 09:00", "Sun 09:00", "Mon 09:00"]
    assert all(slot.end - slot.start == HOUR for slot in slots)


@pytest.mark.parametrize(
    ("now", "offsets"), [("03-06 12:00", [-5, -4, -4]), ("10-30 12:00", [-4, -5, -5])]
)
def test_new_york_utc_offsets_either_side_of_the_change(now, offsets):
    slots = open_slots(schedule(*AROUND_SUNDAY, tz=NEW_YORK, days=4), [], at(now))
    assert [slot.local(NEW_YORK).utcoffset() for slot in slots] == [o * HOUR for o in offsets]


def test_spring_forward_skipped_hour_offers_nothing_and_lengths_are_real():
    s = schedule((SUN, "01:00", "04:00"), tz=NEW_YORK, days=2)
    slots = open_slots(s, [], at("03-07 12:00"))
    assert times(slots, NEW_YORK) == ["01:00", "01:30", "03:00"]  # 02:00 and 02:30 do not exist
    assert stamps(slots) == ["03-08 06:00", "03-08 06:30", "03-08 07:00"]
    assert times([slot.end for slot in slots], NEW_YORK) == ["03:00", "03:30", "04:00"]
    assert all(slot.end - slot.start == HOUR for slot in slots)


def test_fall_back_repeated_hour_is_offered_once_at_its_first_occurrence():
    s = schedule((SUN, "01:00", "04:00"), tz=NEW_YORK, days=2)
    slots = open_slots(s, [], at("10-31 12:00"))
    assert times(slots, NEW_YORK) == ["01:00", "01:30", "02:00", "02:30", "03:00"]
    assert stamps(slots) == [
        *["11-01 05:00", "11-01 05:30"],  # EDT, first occurrence
        *["11-01 07:00", "11-01 07:30", "11-01 08:00"],  # EST; 04:00 EST closes at 09:00
    ]
    ends = ["01:00", "01:30", "03:00", "03:30", "04:00"]  # 60 real minutes after each start
    assert times([slot.end for slot in slots], NEW_YORK) == ends


def test_a_window_ending_inside_the_skipped_hour_closes_at_the_change():
    # 01:00–02:30 on 8 March really runs 01:00 EST to 03:00 EDT (06:00–07:00 UTC).
    s = schedule((SUN, "01:00", "02:30"), tz=NEW_YORK, days=2)
    assert stamps(open_slots(s, [], at("03-07 12:00"))) == ["03-08 06:00"]


def test_to_utc():
    assert to_utc(dt.date(2026, 3, 7), dt.time(9), NEW_YORK) == at("03-07 14:00")
    assert to_utc(dt.date(2026, 3, 8), dt.time(2, 30), NEW_YORK) is None
    assert to_utc(dt.date(2026, 11, 1), dt.time(1, 30), NEW_YORK) == at("11-01 05:30")


def test_local_date_decides_the_day_not_the_utc_date():
    # 20:00 UTC on Sunday 1 March is already 01:30 on Monday in Kolkata (UTC+05:30).
    kolkata = ZoneInfo("Asia/Kolkata")
    s = schedule((MON, "09:00", "10:00"), tz=kolkata, duration=30, days=1)
    slots = open_slots(s, [], at("03-01 20:00"))
    assert stamps(slots, kolkata) == ["03-02 09:00", "03-02 09:30"]
    assert stamps(slots) == ["03-02 03:30", "03-02 04:00"]


# is_offered ---------------------------------------------------------------------------

NOW = at("03-02 09:00")  # Monday
DESK = schedule(
    *[(day, "09:00", "12:00") for day in (MON, TUE, WED, THU, FRI)],
    notice=120,
    days=7,
    closed_dates=frozenset({dt.date(2026, 3, 4)}),
)
DESK_BUSY = [booking(at("03-03 10:00"))]  # Tuesday 10:00–11:00


@pytest.mark.parametrize(
    "start",
    [
        pytest.param(at("03-02 11:00"), id="notice-edge"),
        pytest.param(at("03-09 09:00"), id="horizon-edge"),
        pytest.param(at("03-03 09:00"), id="just-before-a-booking"),
        pytest.param(at("03-03 11:00"), id="just-after-a-booking"),
        pytest.param(at("03-05 09:30"), id="open"),
        pytest.param(at("03-05 04:30", NEW_YORK), id="same-instant-in-another-zone"),
    ],
)
def test_is_offered_accepts_open_slots(start):
    assert is_offered(DESK, DESK_BUSY, start, NOW)


@pytest.mark.parametrize(
    "start",
    [
        pytest.param(at("03-05 09:30").replace(tzinfo=None), id="naive"),
        pytest.param(at("03-05 09:10"), id="off-step-minute"),
        pytest.param(at("03-05 09:30:01"), id="off-step-second"),
        pytest.param(at("02-27 09:00"), id="past"),
        pytest.param(at("03-02 10:30"), id="inside-notice"),
        pytest.param(at("03-09 09:30"), id="beyond-horizon"),
        pytest.param(at("03-04 09:00"), id="closed-date"),
        pytest.param(at("03-03 10:00"), id="full"),
        pytest.param(at("03-03 09:30"), id="overlaps-a-booking"),
        pytest.param(at("03-05 11:30"), id="would-end-after-window"),
        pytest.param(at("03-05 13:00"), id="outside-window"),
        pytest.param(at("03-07 09:00"), id="no-window-that-day"),
    ],
)
def test_is_offered_refuses_tampered_values(start):
    assert not is_offered(DESK, DESK_BUSY, start, NOW)


def test_every_open_slot_is_offered():
    slots = open_slots(DESK, DESK_BUSY, NOW)
    assert len(slots) == 14  # Mon 1, Tue 2, Wed closed, Thu 5, Fri 5, next Mon 1
    assert all(is_offered(DESK, DESK_BUSY, slot.start, NOW) for slot in slots)


# nearest ------------------------------------------------------------------------------


def test_nearest_returns_the_closest_open_slots_sorted_by_time():
    s = schedule((MON, "09:00", "13:00"), days=1)
    taken = [booking(at("03-02 11:00"))]  # the slot someone just took
    around = at("03-02 11:00")
    assert times(nearest(s, taken, WEEK, around)) == ["09:30", "10:00", "12:00"]
    assert times(nearest(s, taken, WEEK, around, count=2)) == ["10:00", "12:00"]
    assert times(nearest(s, taken, WEEK, around, count=1)) == ["10:00"]  # tie: earlier
    assert times(nearest(s, taken, WEEK, at("03-02 12:40"), count=2)) == ["10:00", "12:00"]


# Output is aware UTC ------------------------------------------------------------------


def test_every_returned_datetime_is_aware_utc():
    s = schedule((SUN, "00:00", "04:00"), (MON, "09:00", "10:00"), tz=NEW_YORK, days=3)
    now = at("10-31 08:00", NEW_YORK)  # an aware now in another zone is fine too
    slots = open_slots(s, [], now)
    instants = [*candidate_starts(s, now), *(x for slot in slots for x in (slot.start, slot.end))]
    instants += [slot.start for slot in nearest(s, [], now, slots[3].start)]
    instants.append(to_utc(dt.date(2026, 11, 1), dt.time(1, 30), NEW_YORK))
    assert len(slots) == 8  # Sunday 00:00–03:00 local (7, the repeated hour once), Monday 1
    assert all(instant.tzinfo is dt.UTC for instant in instants)


# Speed without a change of answer -----------------------------------------------------


def test_open_slots_answers_as_checking_every_booking_for_every_start():
    """open_slots looks only at bookings near each start; the answer is the same as
    asking free_seat about every booking, for random bookings of mixed lengths."""
    import random

    rng = random.Random(10)
    plan = schedule(
        *[(day, "09:00", "17:00") for day in range(7)], duration=30, buffer=10, capacity=2
    )
    busy = [
        booking(
            WEEK + minutes(rng.randrange(0, 14 * 24 * 60, 5)),
            duration=rng.choice([20, 30, 45, 240]),
            buffer=10,
            seat=rng.randrange(2),
        )
        for _ in range(400)
    ]
    every = [
        start for start in candidate_starts(plan, WEEK) if free_seat(plan, busy, start) is not None
    ]
    assert [slot.start for slot in open_slots(plan, busy, WEEK)] == every
    assert 0 < len(every) < len(list(candidate_starts(plan, WEEK)))
