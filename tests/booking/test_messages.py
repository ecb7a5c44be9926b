"""Emails about consultations, sent by the real db_worker (run in this process, in batch
mode, so time-machine's clock applies): delivered, retried, dropped when no longer true,
and never carrying anything clinical."""

import contextlib
import datetime as dt

import pytest
from django.core import mail
from django.core.management import call_command
from django.db import transaction
from django_tasks_db.models import DBTaskResult

from booking import services, tasks
from booking.models import MessageDelivery
from tests.booking.conftest import at
from tests.factories import ConsultationTypeFactory, book

# The worker closes database connections between tasks, as it should: that needs real
# transactions, so changes commit (and queue their messages) as they do on the site.
pytestmark = [pytest.mark.django_db(transaction=True)]
Kind = MessageDelivery.Kind
PRIVATE = {"depression": "topic", "My private words": "message", "ketamine": "treatment"}


def run_worker():
    call_command("db_worker", batch=True, startup_delay=False, verbosity=0)


@pytest.fixture
def commit():
    """Marks where a change commits (each service call commits at once here)."""
    return contextlib.nullcontext


def booked(location, consultation_type, commit, start=None, **details):
    with commit():
        return book(
            location,
            consultation_type,
            start or at(3, 10),
            details={"topic": "depression", "message": "My private words", **details},
        )


def text_of(message) -> str:
    parts = [message.subject, message.body, *(body for body, _ in message.alternatives)]
    parts += [
        content.decode() if isinstance(content, bytes) else content
        for _, content, _ in message.attachments
    ]
    return "\n".join(parts)


def assert_nothing_clinical(message):
    text = text_of(message).lower()
    for secret, what in PRIVATE.items():
        assert secret.lower() not in text, f"{what} leaked into {message.subject!r}"


def test_a_booking_delivers_a_confirmation_and_a_detail_free_staff_alert(
    frozen, location, phone_call, commit
):
    consultation = booked(location, phone_call, commit)
    assert mail.outbox == []  # nothing is sent in the request
    run_worker()
    patient, staff = sorted(mail.outbox, key=lambda m: m.to != [consultation.email])
    assert patient.to == [consultation.email]
    assert patient.subject == "Your consultation with MindScape is booked"
    assert "Thursday, December 3, 2026 at 10:00 AM EST" in patient.body
    assert "/consultation/manage/" in patient.body
    name, calendar, mimetype = patient.attachments[0]
    assert name.endswith(".ics") and mimetype.startswith("text/calendar")
    assert f"UID:consultation-{consultation.reference}@mindscape" in calendar
    assert "DTSTART;TZID=America/New_York:20261203T100000" in calendar
    assert_nothing_clinical(patient)
    assert staff.to == ["frontdesk@mindscape.example"]
    assert f"/admin/booking/consultation/{consultation.pk}/change/" in staff.body
    for detail in ("Avery", "Quinn", "avery.quinn", "2075550123", "10:00", "December"):
        assert detail not in text_of(staff)
    assert set(MessageDelivery.objects.values_list("status", flat=True)) == {"sent"}


def test_staff_changes_tell_the_patient_but_raise_no_staff_alert(
    frozen, location, phone_call, commit, staff_user
):
    staff = staff_user("Front desk")
    with commit():
        book(location, phone_call, at(3, 10), by=staff)
    run_worker()
    assert [m.subject for m in mail.outbox] == ["Your consultation with MindScape is booked"]


def test_move_and_cancel_keep_the_calendar_uid(frozen, location, phone_call, commit):
    consultation = booked(location, phone_call, commit)
    run_worker()
    services.consultation_reschedule(consultation=consultation, starts_at=at(3, 14))
    run_worker()
    services.consultation_cancel(consultation=consultation)
    run_worker()
    patient = {m.subject: m for m in mail.outbox if m.to == [consultation.email]}
    uid = f"UID:consultation-{consultation.reference}@mindscape"
    moved = patient["Your consultation with MindScape has moved"]
    assert "2:00 PM EST" in moved.body
    assert uid in moved.attachments[0][1] and "SEQUENCE:1" in moved.attachments[0][1]
    cancelled = patient["Your consultation with MindScape is cancelled"].attachments[0][1]
    assert uid in cancelled and "METHOD:CANCEL" in cancelled and "SEQUENCE:2" in cancelled
    for message in mail.outbox:
        assert_nothing_clinical(message)


def test_a_message_overtaken_by_a_later_change_is_dropped(frozen, location, phone_call, commit):
    consultation = booked(location, phone_call, commit)
    services.consultation_reschedule(consultation=consultation, starts_at=at(3, 14))
    run_worker()
    statuses = dict(
        MessageDelivery.objects.filter(kind__in=[Kind.CONFIRMATION, Kind.RESCHEDULED]).values_list(
            "kind", "status"
        )
    )
    assert statuses == {Kind.CONFIRMATION: "dropped", Kind.RESCHEDULED: "sent"}


def test_a_failing_backend_is_retried_with_backoff_then_listed_as_failed(
    frozen, location, phone_call, commit, settings
):
    settings.EMAIL_BACKEND = "tests.booking.backends.AlwaysFails"
    settings.MESSAGE_MAX_ATTEMPTS = 3
    settings.BOOKING_STAFF_ALERT_EMAILS = []
    booked(location, phone_call, commit)
    delivery = MessageDelivery.objects.get()
    run_worker()
    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts) == ("queued", 1)
    assert delivery.last_error == "ConnectionRefusedError"
    run_worker()  # the retry waits a minute: nothing yet
    delivery.refresh_from_db()
    assert delivery.attempts == 1
    frozen.shift(dt.timedelta(seconds=61))
    run_worker()
    delivery.refresh_from_db()
    assert delivery.attempts == 2
    frozen.shift(dt.timedelta(seconds=119))  # the second wait is two minutes
    run_worker()
    delivery.refresh_from_db()
    assert delivery.attempts == 2
    frozen.shift(dt.timedelta(seconds=2))
    run_worker()
    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts) == ("failed", 3)


def test_a_passing_hiccup_is_retried_and_delivered(frozen, location, phone_call, commit, settings):
    from tests.booking.backends import FailsTwice

    FailsTwice.calls = 0
    settings.EMAIL_BACKEND = "tests.booking.backends.FailsTwice"
    settings.BOOKING_STAFF_ALERT_EMAILS = []
    booked(location, phone_call, commit)
    for _ in range(3):
        run_worker()
        frozen.shift(dt.timedelta(minutes=5))
    delivery = MessageDelivery.objects.get()
    assert (delivery.status, delivery.attempts) == ("sent", 3)
    assert len(mail.outbox) == 1


def test_reminders_fire_at_the_right_time(frozen, location, commit):
    phone = ConsultationTypeFactory(name="Phone", kind="phone", locations=[location])
    in_person = ConsultationTypeFactory(name="Visit", kind="in_person", locations=[location])
    call = booked(location, phone, commit, start=at(5, 10))
    visit = booked(location, in_person, commit, start=at(5, 14))
    frozen.move_to(at(4, 9, 59))
    assert tasks.queue_due_reminders() == 0
    frozen.move_to(at(4, 10))
    with commit():
        assert tasks.queue_due_reminders() == 1  # the call's 24-hour reminder
    with commit():
        assert tasks.queue_due_reminders() == 0  # once only
    frozen.move_to(at(4, 14))
    with commit():
        assert tasks.queue_due_reminders() == 1  # the visit's
    frozen.move_to(at(5, 8))
    with commit():
        assert tasks.queue_due_reminders() == 1  # the call's 2-hour reminder only
    run_worker()
    reminders = [m for m in mail.outbox if "Reminder" in m.subject]
    assert sorted((m.subject, m.to[0]) for m in reminders) == sorted(
        [
            ("Reminder: your consultation with MindScape tomorrow", call.email),
            ("Reminder: your consultation with MindScape tomorrow", visit.email),
            ("Reminder: your consultation with MindScape is soon", call.email),
        ]
    )
    assert all("10:00 AM EST" in m.body or "2:00 PM EST" in m.body for m in reminders)
    for message in reminders:
        assert_nothing_clinical(message)


def test_a_reminder_for_a_cancelled_or_moved_booking_is_dropped(
    frozen, location, phone_call, commit, staff_user
):
    staff = staff_user("Front desk")
    cancelled = booked(location, phone_call, commit, start=at(5, 10))
    moved = booked(location, phone_call, commit, start=at(5, 11), email="b@example.org")
    frozen.move_to(at(4, 11))
    with commit():
        assert tasks.queue_due_reminders() == 2
    with commit():
        services.consultation_cancel(consultation=cancelled, by=staff, reason="Patient called")
        services.consultation_reschedule(consultation=moved, starts_at=at(6, 15), by=staff)
    mail.outbox.clear()
    run_worker()
    reminders = MessageDelivery.objects.filter(kind=Kind.REMINDER_24H)
    assert set(reminders.values_list("status", flat=True)) == {"dropped"}
    assert not [m for m in mail.outbox if "Reminder" in m.subject]


def test_task_arguments_are_ids_only(frozen, location, phone_call, commit):
    from django_tasks_db.models import DBTaskResult

    booked(location, phone_call, commit)
    for result in DBTaskResult.objects.all():
        assert result.args_kwargs == {"args": [result.args_kwargs["args"][0]], "kwargs": {}}
        assert isinstance(result.args_kwargs["args"][0], int)


def test_the_periodic_command_queues_due_reminders(frozen, location, phone_call, commit):
    from io import StringIO

    booked(location, phone_call, commit, start=at(5, 10))
    frozen.move_to(at(4, 10, 5))
    out = StringIO()
    call_command("run_periodic", stdout=out)
    assert out.getvalue().startswith("1 reminders queued, ")
    run_worker()
    assert any(m.subject.startswith("Reminder") for m in mail.outbox)


def test_a_confirmation_is_sent_even_if_the_process_dies_right_after_the_commit(
    frozen, location, phone_call, commit, monkeypatch
):
    # Dying between the commit and the on-commit hooks: the hooks never run.
    monkeypatch.setattr(transaction, "on_commit", lambda *args, **kwargs: None)
    consultation = booked(location, phone_call, commit)
    run_worker()
    assert consultation.email in [message.to[0] for message in mail.outbox]
    assert set(MessageDelivery.objects.values_list("status", flat=True)) == {"sent"}


def test_a_booking_rolled_back_leaves_no_message_or_task_behind(frozen, location, phone_call):
    with pytest.raises(RuntimeError), transaction.atomic():
        book(location, phone_call, at(3, 10))
        raise RuntimeError("the request failed after the booking was made")
    assert not MessageDelivery.objects.exists()
    assert not DBTaskResult.objects.exists()
    run_worker()
    assert mail.outbox == []
