"""The booking service: what it refuses, what it records, and the database behind it."""

import datetime as dt
import uuid

import pytest
from django.db import IntegrityError, transaction

from audit.models import AuditEntry
from booking import services
from booking.models import CallbackRequest, Consultation
from tests.booking.conftest import at
from tests.factories import ConsultationTypeFactory, LocationFactory, book

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen")]


def test_a_booking_is_booked_at_once_and_audited_without_personal_data(location, phone_call):
    consultation = book(location, phone_call, at(2, 10))
    assert consultation.status == Consultation.Status.BOOKED
    assert consultation.ends_at - consultation.starts_at == dt.timedelta(minutes=30)
    assert consultation.blocked_until == consultation.ends_at + dt.timedelta(minutes=10)
    entry = AuditEntry.objects.get(action="consultation_booked")
    assert entry.object_label == f"Consultation #{consultation.pk}"
    assert entry.detail == {"by": "patient", "schedule_override": False}
    assert "Avery" not in str(entry.detail) + entry.object_label


@pytest.mark.parametrize(
    ("start", "message"),
    [
        (at(1, 7), "already passed"),
        (at(1, 9), "not one we offer"),  # inside the two hours' notice
        (at(2, 10, 15), "not one we offer"),  # off the half-hour step
        (at(2, 8), "not one we offer"),  # before opening
        (at(2, 16, 45), "not one we offer"),  # would end after closing
        (at(5, 10, month=1).replace(year=2027), "not one we offer"),  # beyond the horizon
        (dt.datetime(2026, 12, 2, 10), "not one we offer"),  # naive: no time zone
    ],
)
def test_times_the_schedule_does_not_offer_are_refused(location, phone_call, start, message):
    with pytest.raises(services.NotOffered, match=message):
        book(location, phone_call, start)
    assert not Consultation.objects.exists()


def test_a_type_not_offered_at_the_location_is_refused(location, phone_call):
    elsewhere = LocationFactory()
    video = ConsultationTypeFactory(name="Video", locations=[elsewhere])
    with pytest.raises(services.NotOffered, match="not offered at this location"):
        book(location, video, at(2, 10))


def test_a_closure_removes_its_days(location, phone_call):
    from booking.models import Closure

    Closure.objects.create(first_day=at(2, 0).date(), last_day=at(2, 0).date(), reason="Training")
    with pytest.raises(services.NotOffered):
        book(location, phone_call, at(2, 10))
    book(location, phone_call, at(3, 10))


def test_a_full_slot_offers_the_nearest_free_times(location, phone_call):
    book(location, phone_call, at(2, 11))
    with pytest.raises(services.SlotUnavailable) as excinfo:
        book(location, phone_call, at(2, 11), details={"email": "second@example.org"})
    nearest = [slot.start for slot in excinfo.value.alternatives]
    # 10:30 would run into 11:00 and 11:30 is inside its buffer; of the two free times 90
    # minutes away (9:30 and 12:30) the earlier wins.
    assert nearest == [at(2, 9, 30), at(2, 10), at(2, 12)]


def test_capacity_two_takes_two_then_refuses(phone_call, location):
    location.capacity = 2
    location.save()
    first = book(location, phone_call, at(2, 10))
    second = book(location, phone_call, at(2, 10), details={"email": "b@example.org"})
    assert {first.seat, second.seat} == {0, 1}
    with pytest.raises(services.SlotUnavailable):
        book(location, phone_call, at(2, 10), details={"email": "c@example.org"})


def test_capacity_is_shared_by_every_type_at_the_location(location, phone_call):
    video = ConsultationTypeFactory(name="Video", kind="video", locations=[location])
    book(location, phone_call, at(2, 10))
    with pytest.raises(services.SlotUnavailable):
        book(location, video, at(2, 10))


def test_the_same_idempotency_key_makes_one_booking(location, phone_call):
    key = uuid.uuid4()
    first = book(location, phone_call, at(2, 10), idempotency_key=key)
    again = book(location, phone_call, at(2, 10), idempotency_key=key)
    assert again.pk == first.pk
    assert Consultation.objects.count() == 1


# --- The database itself refuses overbooking ------------------------------------------------


def insert(location, consultation_type, start, seat=0, **fields):
    end = start + consultation_type.duration
    return Consultation.objects.create(
        location=location,
        consultation_type=consultation_type,
        starts_at=start,
        ends_at=end,
        blocked_until=end + location.buffer,
        seat=seat,
        first_name="A",
        last_name="B",
        email="a@example.org",
        phone="+12075550123",
        contact_method="phone",
        consent_version="x",
        **fields,
    )


def test_the_database_refuses_an_overlapping_booking_on_the_same_seat(location, phone_call):
    insert(location, phone_call, at(2, 10))
    with pytest.raises(IntegrityError, match="consultation_no_overbooking"), transaction.atomic():
        insert(location, phone_call, at(2, 10, 35))  # inside the buffer


def test_the_database_refuses_a_seat_beyond_capacity(location, phone_call):
    with pytest.raises(IntegrityError, match="seat beyond location capacity"), transaction.atomic():
        insert(location, phone_call, at(2, 10), seat=1)  # capacity is 1


def test_cancelled_bookings_free_their_place_in_the_database(location, phone_call):
    insert(location, phone_call, at(2, 10), status=Consultation.Status.CANCELLED)
    insert(location, phone_call, at(2, 10))


# --- Rescheduling ---------------------------------------------------------------------------


def test_reschedule_moves_in_one_step_and_updates_the_calendar_sequence(location, phone_call):
    consultation = book(location, phone_call, at(3, 10))
    moved = services.consultation_reschedule(consultation=consultation, starts_at=at(3, 14))
    assert moved.starts_at == at(3, 14)
    assert moved.calendar_sequence == 1
    assert AuditEntry.objects.filter(action="consultation_rescheduled").count() == 1
    book(location, phone_call, at(3, 10), details={"email": "next@example.org"})  # old slot free


def test_a_failed_reschedule_keeps_the_old_time(location, phone_call):
    mine = book(location, phone_call, at(3, 10))
    book(location, phone_call, at(3, 14), details={"email": "other@example.org"})
    with pytest.raises(services.SlotUnavailable):
        services.consultation_reschedule(consultation=mine, starts_at=at(3, 14))
    mine.refresh_from_db()
    assert mine.starts_at == at(3, 10)
    assert mine.calendar_sequence == 0


def test_reschedule_may_overlap_its_own_old_time(location, phone_call):
    mine = book(location, phone_call, at(3, 10))
    moved = services.consultation_reschedule(consultation=mine, starts_at=at(3, 10, 30))
    assert moved.starts_at == at(3, 10, 30)


def test_patients_cannot_change_inside_the_cut_off_but_staff_can(location, phone_call, staff_user):
    soon = book(location, phone_call, at(1, 16))  # eight hours away; cut-off is 24
    with pytest.raises(services.TooLate, match="call us"):
        services.consultation_cancel(consultation=soon)
    with pytest.raises(services.TooLate):
        services.consultation_reschedule(consultation=soon, starts_at=at(3, 10))
    staff = staff_user("Front desk")
    services.consultation_reschedule(consultation=soon, starts_at=at(3, 10), by=staff)


# --- Lifecycle guards -----------------------------------------------------------------------


def test_cancel_by_patient_and_by_staff_with_a_reason(location, phone_call, staff_user):
    staff = staff_user("Front desk")
    mine = book(location, phone_call, at(3, 10))
    cancelled = services.consultation_cancel(consultation=mine, reason="Feeling better")
    assert cancelled.cancelled_by == Consultation.CancelledBy.PATIENT
    with pytest.raises(services.BookingError, match="cancelled, not booked"):
        services.consultation_cancel(consultation=mine)
    other = book(location, phone_call, at(3, 12), details={"email": "o@example.org"})
    with pytest.raises(services.BookingError, match="reason"):
        services.consultation_cancel(consultation=other, by=staff)
    services.consultation_cancel(consultation=other, by=staff, reason="Clinic closed")
    assert AuditEntry.objects.filter(action="consultation_cancelled").count() == 2


def test_complete_and_no_show_only_once_started_and_only_from_booked(
    location, phone_call, staff_user, frozen
):
    staff = staff_user("Front desk")
    consultation = book(location, phone_call, at(2, 10))
    with pytest.raises(services.BookingError, match="not started"):
        services.consultation_complete(consultation=consultation, by=staff)
    frozen.move_to(at(2, 10, 5))
    services.consultation_complete(consultation=consultation, by=staff)
    with pytest.raises(services.BookingError, match="completed, not booked"):
        services.consultation_mark_no_show(consultation=consultation, by=staff)
    with pytest.raises(services.BookingError):
        services.consultation_reschedule(consultation=consultation, starts_at=at(3, 10), by=staff)


def test_staff_may_override_hours_and_notice_but_never_capacity(location, phone_call, staff_user):
    staff = staff_user("Front desk")
    evening = book(location, phone_call, at(2, 19), by=staff, override_schedule=True)
    entry = AuditEntry.objects.get(action="consultation_booked")
    assert entry.detail == {"by": "staff", "schedule_override": True}
    assert entry.actor == staff
    with pytest.raises(services.SlotUnavailable):
        book(location, phone_call, at(2, 19), by=staff, override_schedule=True)
    assert evening.booked_by_staff
    with pytest.raises(services.NotOffered, match="Only staff"):
        book(location, phone_call, at(2, 20), override_schedule=True)


def test_callback_lifecycle(staff_user):
    staff = staff_user("Front desk")
    callback = services.callback_request_create(
        details={
            "first_name": "A",
            "last_name": "B",
            "email": "a@example.org",
            "phone": "+12075550123",
            "contact_method": "phone",
            "consent_version": "v",
        },
        location=None,
        preferred_days=[2, 0],
        preferred_times=["morning"],
    )
    assert callback.preferred_days == [0, 2]
    with pytest.raises(services.BookingError, match="new cannot become scheduled"):
        services.callback_set_status(
            callback=callback, status=CallbackRequest.Status.SCHEDULED, by=staff
        )
    services.callback_set_status(callback=callback, status="contacted", by=staff)
    services.callback_set_status(callback=callback, status="scheduled", by=staff)
    entries = AuditEntry.objects.filter(action="callback_status_changed")
    assert [e.detail for e in entries.order_by("at")] == [
        {"from": "new", "to": "contacted"},
        {"from": "contacted", "to": "scheduled"},
    ]


def test_crisis_flag_acknowledgement_is_recorded(location, phone_call, staff_user):
    staff = staff_user("Front desk")
    consultation = book(location, phone_call, at(2, 10), details={"crisis_flag": True})
    assert consultation.crisis_needs_attention
    services.crisis_flag_acknowledge(record=consultation, by=staff)
    consultation.refresh_from_db()
    assert not consultation.crisis_needs_attention
    assert consultation.crisis_seen_by == staff
    with pytest.raises(services.BookingError):
        services.crisis_flag_acknowledge(record=consultation, by=staff)


def test_capacity_cannot_drop_below_places_already_in_use(location, phone_call):
    from django.core.exceptions import ValidationError

    location.capacity = 2
    location.save()
    book(location, phone_call, at(2, 10))
    book(location, phone_call, at(2, 10), details={"email": "second@example.org"})
    location.capacity = 1
    with pytest.raises(ValidationError, match="Move or cancel them first"):
        location.full_clean()
