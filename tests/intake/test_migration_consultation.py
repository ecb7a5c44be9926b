"""Migration 0011: a screening's consultation number becomes a foreign key.  A number whose
consultation no longer exists is cleared first (or the constraint could not be added); a
number that still names a consultation is kept."""

import pytest
import time_machine
from django.db import IntegrityError, connection, transaction

from tests.booking.conftest import at
from tests.builders.intake import latest, migrate, model
from tests.factories import ConsultationTypeFactory, LocationFactory, book

pytestmark = pytest.mark.django_db(transaction=True)

BEFORE = ("intake", "0010_recompute_urgency")
AFTER = ("intake", "0011_consultation_foreign_key")


def consultation_ids() -> dict[int, int | None]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT id, consultation_id FROM intake_screening")
        return dict(cursor.fetchall())


def test_dangling_numbers_are_cleared_and_the_others_kept():
    location = LocationFactory()
    with time_machine.travel(at(1, 8), tick=False):
        consultation = book(location, ConsultationTypeFactory(locations=[location]), at(3, 10))
    migrate(BEFORE)
    try:
        linked = model().objects.create(consultation_id=consultation.pk)
        dangling = model().objects.create(consultation_id=consultation.pk + 1000)
        unlinked = model().objects.create()

        migrate(AFTER)
        assert consultation_ids() == {
            linked.pk: consultation.pk,
            dangling.pk: None,
            unlinked.pk: None,
        }
        # From now on the database refuses a number that names no consultation.
        with pytest.raises(IntegrityError), transaction.atomic():
            model().objects.create(consultation_id=consultation.pk + 1000)
    finally:
        migrate(latest())
