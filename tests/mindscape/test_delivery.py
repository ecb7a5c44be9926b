"""``mindscape.delivery.OutboundMessage``: the one set of rules for every durable message,
booking emails and screening alerts alike — a try counted before it is made, doubling
waits between tries, failed for good after the last, and a lost last try said so."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
import time_machine

from booking.models import MessageDelivery
from intake.models import Screening, StaffAlert
from mindscape.delivery import INTERRUPTED
from tests.factories import ConsultationTypeFactory, LocationFactory, book

pytestmark = pytest.mark.django_db
NEW_YORK = ZoneInfo("America/New_York")
NOW = dt.datetime(2026, 12, 1, 8, 0, tzinfo=NEW_YORK)


def booking_email() -> MessageDelivery:
    location = LocationFactory()
    book(
        location, ConsultationTypeFactory(locations=[location]), NOW + dt.timedelta(days=2, hours=2)
    )
    return MessageDelivery.objects.filter(kind=MessageDelivery.Kind.CONFIRMATION).get()


def screening_alert() -> StaffAlert:
    screening = Screening.objects.create(answers={}, draft_urgency=2)
    return StaffAlert.objects.create(screening=screening, kind=StaffAlert.Kind.URGENT_SUBMISSION)


@pytest.fixture(params=[booking_email, screening_alert], ids=["booking email", "staff alert"])
def message(request, settings):
    settings.MESSAGE_MAX_ATTEMPTS = 3
    settings.MESSAGE_RETRY_SECONDS = 60
    with time_machine.travel(NOW, tick=False):
        yield request.param()


def test_failures_are_retried_after_doubling_waits_then_failed_for_good(message):
    waits = []
    for _ in range(3):
        assert message.record_attempt()
        retry_at = message.record_failure(ConnectionRefusedError("smtp.example: refused"), now=NOW)
        waits.append(retry_at and retry_at - NOW)
    assert waits == [dt.timedelta(seconds=60), dt.timedelta(seconds=120), None]
    message.refresh_from_db()
    assert (message.status, message.attempts) == ("failed", 3)
    assert message.last_error == "ConnectionRefusedError"  # the kind only, never the text
    assert message.get_status_display() == "Failed for good"


def test_a_try_that_never_reported_back_is_the_last_one_it_gets(message):
    for _ in range(3):
        assert message.record_attempt()  # each cut short: no failure recorded
    assert not message.record_attempt()
    message.refresh_from_db()
    assert (message.status, message.attempts, message.last_error) == ("failed", 3, INTERRUPTED)


def test_sent_and_dropped_are_recorded_with_the_time_of_the_change(message):
    later = NOW + dt.timedelta(minutes=5)
    with time_machine.travel(later, tick=False):
        message.record_attempt()
        message.record_sent(now=later)
    message.refresh_from_db()
    assert (message.status, message.sent_at, message.updated_at) == ("sent", later, later)
    with time_machine.travel(later + dt.timedelta(minutes=1), tick=False):
        message.record_dropped()
    message.refresh_from_db()
    assert message.updated_at == later + dt.timedelta(minutes=1)
