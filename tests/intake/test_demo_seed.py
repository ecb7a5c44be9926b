"""`make run` seeds demo screenings at every urgency level for the demo clinician."""

import pytest

from intake.models import Screening
from intake.seed import seed_screenings

pytestmark = pytest.mark.django_db


def test_demo_screenings_cover_every_urgency_level_and_a_left_form():
    assert seed_screenings() == 8
    sent = Screening.objects.exclude(status=Screening.Status.DRAFT)
    assert sorted(sent.values_list("urgency", flat=True)) == [1, 2, 3, 4, 5, 6, 7]
    # Everything but the routine one awaits the demo clinician; 1-4 alerted at once.
    assert sorted(sent.filter(needs_acknowledgement=True).values_list("urgency", flat=True)) == [
        1,
        2,
        3,
        4,
        5,
        6,
    ]
    assert sorted(sent.filter(alerts__isnull=False).values_list("urgency", flat=True)) == [
        1,
        2,
        3,
        4,
    ]
    routine = sent.get(urgency=7)
    assert routine.flag_codes == ["hypertension_treated"]  # information only: no acknowledgement
    left = Screening.objects.get(status=Screening.Status.DRAFT)
    assert left.draft_urgency == 2
    # The queue starts with the most urgent; the left form sits among level 2.
    assert [s.urgency or s.draft_urgency for s in Screening.objects.queue()][:3] == [1, 2, 2]


def test_seeding_again_adds_nothing():
    seed_screenings()
    assert seed_screenings() == 0
    assert Screening.objects.count() == 8
