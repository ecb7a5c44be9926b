"""Many patients at once against real PostgreSQL: the database decides, and never overbooks.

Each thread has its own database connection (closed afterwards); a barrier releases them
together so their transactions really overlap.
"""

import threading
import uuid

import pytest
from django.db import connection

from booking import services
from booking.models import Consultation
from tests.booking.conftest import at
from tests.factories import book

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("frozen")]
THREADS = 12


def race(*jobs):
    """Run each job in its own thread at the same moment; return (results, errors)."""
    barrier = threading.Barrier(len(jobs))
    results, errors = [], []
    lock = threading.Lock()

    def run(job):
        try:
            barrier.wait(timeout=10)
            result = job()
            with lock:
                results.append(result)
        except Exception as error:  # noqa: BLE001 — collected and asserted on
            with lock:
                errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(job,)) for job in jobs]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return results, errors


def patient(n):
    return {"email": f"patient{n}@example.org", "phone": f"+120755501{n:02d}"}


@pytest.mark.parametrize("capacity", [1, 2])
def test_one_slot_yields_exactly_capacity_bookings(location, phone_call, capacity):
    location.capacity = capacity
    location.save()
    jobs = [
        (lambda n=n: book(location, phone_call, at(2, 10), details=patient(n)))
        for n in range(THREADS)
    ]
    results, errors = race(*jobs)
    assert len(results) == capacity
    assert len(errors) == THREADS - capacity
    assert all(isinstance(error, services.SlotUnavailable) for error in errors), errors
    assert all("just been taken" in str(error) for error in errors)
    assert Consultation.objects.active().filter(starts_at=at(2, 10)).count() == capacity
    assert sorted(c.seat for c in Consultation.objects.all()) == list(range(capacity))


def test_a_reschedule_racing_new_bookings_for_the_same_slot(location, phone_call):
    mine = book(location, phone_call, at(3, 10), details=patient(99))
    jobs = [
        lambda: services.consultation_reschedule(consultation=mine, starts_at=at(3, 14)),
        *[
            (lambda n=n: book(location, phone_call, at(3, 14), details=patient(n)))
            for n in range(THREADS - 1)
        ],
    ]
    results, errors = race(*jobs)
    assert len(results) == 1, errors
    assert all(isinstance(error, services.SlotUnavailable) for error in errors), errors
    assert Consultation.objects.active().filter(starts_at=at(3, 14)).count() == 1
    mine.refresh_from_db()
    # Either the move won (every new booking was refused and the old place is free) or a
    # new booking won and the move changed nothing.
    if mine.starts_at == at(3, 14):
        assert Consultation.objects.active().count() == 1
    else:
        assert mine.starts_at == at(3, 10)
        assert Consultation.objects.active().count() == 2


def test_an_idempotent_replay_at_once_makes_one_booking(location, phone_call):
    key = uuid.uuid4()
    jobs = [lambda: book(location, phone_call, at(2, 10), idempotency_key=key)] * THREADS
    results, errors = race(*jobs)
    assert not errors, errors
    assert len({consultation.pk for consultation in results}) == 1
    assert Consultation.objects.count() == 1
