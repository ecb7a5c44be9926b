"""The consultation lifecycle and call-back requests.

    booked ──complete──▶ completed
       │ ────no-show───▶ no_show
       └─────cancel────▶ cancelled (by the patient, or by staff with a reason)
    call-back: new ──▶ contacted ──▶ scheduled | closed   (new ──▶ closed for spam)

Each function checks the current status under a row lock, saves with ``update_fields``
and writes an audit entry, all in one transaction.  Places are taken by
``_take_seat``: the database refuses an overbooking (see ``booking.models``), so two
patients racing for the last place get one booking and one clear error, whatever the
timing.  Staff may book outside opening hours or inside the notice period (recorded in
the audit log), never beyond capacity.  Each booking, move and cancellation queues its
emails (``booking.tasks``); they reach the worker only once the transaction commits.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Mapping
from typing import Any

from django.db import IntegrityError, connection, transaction
from django.utils import timezone

from audit import log as audit

from . import availability, schedule, tasks
from .availability import Slot
from .models import CallbackRequest, Consultation, ConsultationType, Location

OVERBOOKING = {"consultation_no_overbooking", "consultation_seat_within_capacity"}
CONTACT_FIELDS = (
    "first_name",
    "last_name",
    "email",
    "phone",
    "contact_method",
    "topic",
    "message",
    "consent_version",
    "crisis_flag",
    "source_article",
)


class BookingError(Exception):
    """The action cannot be done; the message is written for the person who tried."""


class SlotUnavailable(BookingError):
    """The time was taken meanwhile (or is full); ``alternatives`` are the nearest free ones."""

    def __init__(self, message: str, alternatives: list[Slot] | None = None):
        super().__init__(message)
        self.alternatives = alternatives or []


class NotOffered(BookingError):
    """The schedule does not offer that time: past, outside hours, tampered with."""


class OutsideSchedule(NotOffered):
    """Not a time the schedule offers (hours, step, notice, closures, horizon); staff may
    override it.  ``too_soon``: it is in opening hours but inside the notice period."""

    def __init__(self, message: str, *, too_soon: bool = False):
        super().__init__(message)
        self.too_soon = too_soon


class TooLate(BookingError):
    """Past the clinic's cut-off for changing online."""


def _constraint(error: IntegrityError) -> str:
    diag = getattr(error.__cause__, "diag", None)
    return getattr(diag, "constraint_name", "") or ""


LOCATION_LOCK = 7_301  # namespace of our advisory locks: (LOCATION_LOCK, location id)


def _take_seat(consultation: Consultation, update_fields: list[str] | None = None) -> None:
    """Save ``consultation`` on the lowest seat the database accepts, or raise SlotUnavailable.

    The exclusion constraint is what guarantees no overbooking.  Two transactions that
    insert conflicting rows at the same moment can deadlock inside that constraint's check
    (PostgreSQL then aborts one of them), so bookings at one location first queue on a
    transaction-level advisory lock: they take seats one after another, and a patient who
    lost the race gets a clear "just taken" rather than a database error.  Each seat is
    tried in a savepoint, so a refused seat leaves the transaction usable.
    """
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT pg_advisory_xact_lock(%s, %s)", [LOCATION_LOCK, consultation.location_id]
        )
    for seat in range(consultation.location.capacity):
        consultation.seat = seat
        try:
            with transaction.atomic():
                if update_fields is None:
                    consultation.save(force_insert=True)
                else:
                    consultation.save(update_fields=[*update_fields, "seat", "updated_at"])
            return
        except IntegrityError as error:
            if _constraint(error) not in OVERBOOKING:
                raise
    raise SlotUnavailable("That time has just been taken.")


def _unavailable(location, consultation_type, start, now, exclude=None) -> SlotUnavailable:
    return SlotUnavailable(
        "Sorry, that time has just been taken.",
        schedule.nearest_slots(location, consultation_type, start, now=now, exclude=exclude),
    )


def _check_time(
    location: Location,
    consultation_type: ConsultationType,
    start: dt.datetime,
    *,
    now: dt.datetime,
    override_schedule: bool,
    exclude: Consultation | None = None,
) -> None:
    if start.tzinfo is None:
        raise NotOffered("That time is not one we offer.")
    if start <= now:
        raise NotOffered("That time has already passed.")
    if override_schedule:
        return
    plan = schedule.schedule_for(location, consultation_type, now)
    if start.astimezone(dt.UTC) not in set(availability.candidate_starts(plan, now)):
        too_soon = start < now + plan.min_notice and start.astimezone(dt.UTC) in set(
            availability.candidate_starts(plan, now - plan.min_notice)
        )
        raise OutsideSchedule(
            "That time is not one we offer. Please choose one from the list.", too_soon=too_soon
        )
    busy = schedule.busy_for(location, plan, now, exclude)
    if availability.free_seat(plan, busy, start) is None:
        raise _unavailable(location, consultation_type, start, now, exclude)


def consultation_with_key(idempotency_key: uuid.UUID | None) -> Consultation | None:
    """The consultation booked by the form that carried ``idempotency_key``, if any."""
    if idempotency_key is None:
        return None
    return (
        Consultation.objects.select_related("location", "consultation_type")
        .filter(idempotency_key=idempotency_key)
        .first()
    )


@transaction.atomic
def consultation_book(
    *,
    location: Location,
    consultation_type: ConsultationType,
    starts_at: dt.datetime,
    details: Mapping[str, Any],
    idempotency_key: uuid.UUID | None = None,
    by=None,
    override_schedule: bool = False,
    now: dt.datetime | None = None,
) -> Consultation:
    """Book a consultation at once (status ``booked``), holding its place.

    ``by`` is the staff member booking for a patient, or None when the patient books.
    A repeated ``idempotency_key`` (double click, replayed POST) returns the first booking,
    even when both requests arrive at once.
    """
    now = now or timezone.now()
    if idempotency_key is not None:
        existing = Consultation.objects.filter(idempotency_key=idempotency_key).first()
        if existing is not None:
            return existing
    if not schedule.is_offered_pair(location, consultation_type):
        raise NotOffered("That kind of consultation is not offered at this location.")
    if override_schedule and by is None:
        raise NotOffered("Only staff can book outside the offered times.")
    try:
        consultation = _book(
            location,
            consultation_type,
            starts_at,
            details,
            idempotency_key,
            by,
            override_schedule,
            now,
        )
    except (SlotUnavailable, IntegrityError):
        # The same form submitted twice at once: the other request may have booked it
        # (and holds the place, or the key).  PostgreSQL made us wait for it to commit,
        # so it is visible now.
        if idempotency_key is not None:
            existing = Consultation.objects.filter(idempotency_key=idempotency_key).first()
            if existing is not None:
                return existing
        raise
    audit.record(
        by,
        "consultation_booked",
        consultation,
        {"by": "staff" if by else "patient", "schedule_override": override_schedule},
    )
    tasks.queue_for_change(consultation, "consultation_booked", by_staff=by is not None)
    return consultation


def _book(
    location, consultation_type, starts_at, details, idempotency_key, by, override_schedule, now
) -> Consultation:
    _check_time(
        location, consultation_type, starts_at, now=now, override_schedule=override_schedule
    )
    ends_at = starts_at + consultation_type.duration
    consultation = Consultation(
        location=location,
        consultation_type=consultation_type,
        starts_at=starts_at,
        ends_at=ends_at,
        blocked_until=ends_at + location.buffer,
        idempotency_key=idempotency_key,
        booked_by_staff=by is not None,
        **{field: details[field] for field in CONTACT_FIELDS if field in details},
    )
    try:
        _take_seat(consultation)
    except SlotUnavailable:
        raise _unavailable(location, consultation_type, starts_at, now) from None
    return consultation


def _locked(consultation: Consultation) -> Consultation:
    return (
        Consultation.objects.select_for_update(of=("self",))
        .select_related("location", "consultation_type")
        .get(pk=consultation.pk)
    )


def _require_booked(consultation: Consultation) -> None:
    if consultation.status != Consultation.Status.BOOKED:
        raise BookingError(
            f"This consultation is {consultation.get_status_display().lower()}, not booked."
        )


def _require_patient_window(consultation: Consultation, by, now: dt.datetime) -> None:
    if by is None and not consultation.patient_can_change(now):
        raise TooLate("It is too close to the consultation to change it online. Please call us.")


@transaction.atomic
def consultation_reschedule(
    *,
    consultation: Consultation,
    starts_at: dt.datetime,
    by=None,
    override_schedule: bool = False,
    now: dt.datetime | None = None,
) -> Consultation:
    """Move a booking in one transaction: the old place is released only if the new one
    is taken; if the new time is gone, nothing changes."""
    now = now or timezone.now()
    consultation = _locked(consultation)
    _require_booked(consultation)
    _require_patient_window(consultation, by, now)
    if override_schedule and by is None:
        raise NotOffered("Only staff can book outside the offered times.")
    if starts_at == consultation.starts_at:
        raise NotOffered("That is already the time of this consultation.")
    location, consultation_type = consultation.location, consultation.consultation_type
    _check_time(
        location,
        consultation_type,
        starts_at,
        now=now,
        override_schedule=override_schedule,
        exclude=consultation,
    )
    consultation.starts_at = starts_at
    consultation.ends_at = starts_at + consultation_type.duration
    consultation.blocked_until = consultation.ends_at + location.buffer
    consultation.calendar_sequence += 1
    try:
        _take_seat(consultation, ["starts_at", "ends_at", "blocked_until", "calendar_sequence"])
    except SlotUnavailable:
        raise _unavailable(location, consultation_type, starts_at, now, consultation) from None
    audit.record(
        by,
        "consultation_rescheduled",
        consultation,
        {"by": "staff" if by else "patient", "schedule_override": override_schedule},
    )
    tasks.queue_for_change(consultation, "consultation_rescheduled", by_staff=by is not None)
    return consultation


@transaction.atomic
def consultation_cancel(
    *, consultation: Consultation, by=None, reason: str = "", now: dt.datetime | None = None
) -> Consultation:
    """Cancel (frees the place).  Staff must give a reason; patients may."""
    now = now or timezone.now()
    consultation = _locked(consultation)
    _require_booked(consultation)
    _require_patient_window(consultation, by, now)
    if by is not None and not reason.strip():
        raise BookingError("Give a reason for cancelling.")
    consultation.status = Consultation.Status.CANCELLED
    consultation.cancelled_by = (
        Consultation.CancelledBy.STAFF if by else Consultation.CancelledBy.PATIENT
    )
    consultation.cancel_reason = reason.strip()[:200]
    consultation.calendar_sequence += 1
    consultation.save(
        update_fields=[
            "status",
            "cancelled_by",
            "cancel_reason",
            "calendar_sequence",
            "updated_at",
        ]
    )
    audit.record(by, "consultation_cancelled", consultation, {"by": "staff" if by else "patient"})
    tasks.queue_for_change(consultation, "consultation_cancelled", by_staff=by is not None)
    return consultation


def _close(consultation: Consultation, by, status: str, action: str, now) -> Consultation:
    consultation = _locked(consultation)
    _require_booked(consultation)
    if (now or timezone.now()) < consultation.starts_at:
        raise BookingError("This consultation has not started yet.")
    consultation.status = status
    consultation.save(update_fields=["status", "updated_at"])
    audit.record(by, action, consultation)
    return consultation


@transaction.atomic
def consultation_complete(*, consultation: Consultation, by, now=None) -> Consultation:
    return _close(consultation, by, Consultation.Status.COMPLETED, "consultation_completed", now)


@transaction.atomic
def consultation_mark_no_show(*, consultation: Consultation, by, now=None) -> Consultation:
    return _close(consultation, by, Consultation.Status.NO_SHOW, "consultation_no_show", now)


@transaction.atomic
def crisis_flag_acknowledge(*, record: Consultation | CallbackRequest, by):
    """A staff member confirms they have seen (and acted on) a message with crisis wording."""
    record = type(record).objects.select_for_update().get(pk=record.pk)
    if not record.crisis_needs_attention:
        raise BookingError("There is no crisis flag waiting here.")
    record.crisis_seen_by = by
    record.crisis_seen_at = timezone.now()
    record.save(update_fields=["crisis_seen_by", "crisis_seen_at", "updated_at"])
    audit.record(by, "crisis_flag_acknowledged", record)
    return record


@transaction.atomic
def callback_request_create(
    *,
    details: Mapping[str, Any],
    location: Location | None,
    preferred_days: list[int],
    preferred_times: list[str],
    idempotency_key: uuid.UUID | None = None,
) -> CallbackRequest:
    if idempotency_key is not None:
        existing = CallbackRequest.objects.filter(idempotency_key=idempotency_key).first()
        if existing is not None:
            return existing
    callback = CallbackRequest(
        location=location,
        preferred_days=sorted(preferred_days),
        preferred_times=preferred_times,
        idempotency_key=idempotency_key,
        **{field: details[field] for field in CONTACT_FIELDS if field in details},
    )
    try:
        with transaction.atomic():
            callback.save(force_insert=True)
    except IntegrityError:
        existing = CallbackRequest.objects.filter(idempotency_key=idempotency_key).first()
        if existing is None:
            raise
        return existing
    audit.record(None, "callback_requested", callback)
    return callback


CALLBACK_TRANSITIONS = {
    CallbackRequest.Status.NEW: {CallbackRequest.Status.CONTACTED, CallbackRequest.Status.CLOSED},
    CallbackRequest.Status.CONTACTED: {
        CallbackRequest.Status.SCHEDULED,
        CallbackRequest.Status.CLOSED,
    },
}


@transaction.atomic
def callback_set_status(*, callback: CallbackRequest, status: str, by) -> CallbackRequest:
    callback = CallbackRequest.objects.select_for_update().get(pk=callback.pk)
    if status not in CALLBACK_TRANSITIONS.get(callback.status, set()):
        raise BookingError(
            f"A call-back that is {callback.get_status_display().lower()} cannot become "
            f"{CallbackRequest.Status(status).label.lower()}."
        )
    previous = callback.status
    callback.status = status
    callback.save(update_fields=["status", "updated_at"])
    audit.record(by, "callback_status_changed", callback, {"from": previous, "to": status})
    return callback


def other_active_bookings(consultation: Consultation):
    """The same person's other upcoming bookings (same email or phone), for a staff warning."""
    from django.db.models import Q

    return (
        Consultation.objects.filter(status=Consultation.Status.BOOKED, ends_at__gt=timezone.now())
        .filter(Q(email__iexact=consultation.email) | Q(phone=consultation.phone))
        .exclude(pk=consultation.pk)
    )
