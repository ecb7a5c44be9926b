"""Fixtures the browser tests share (the browser itself is set up in tests/conftest.py)."""

import pytest

from clinic.seed import seed_clinic
from tests.factories import ConsultationTypeFactory, LocationFactory


@pytest.fixture
def clinic_schedule():
    """Two New York locations open every day: both offer a phone call (so the patient is
    asked which clinic's team), only Portland a video call (so nothing is asked).

    Two hours' notice, and online changes allowed until an hour before, so even the
    earliest open time can still be moved and cancelled by the patient.
    """
    seed_clinic()
    portland = LocationFactory(
        name="Portland clinic", position=1, min_notice_hours=2, change_cutoff_hours=1
    )
    boston = LocationFactory(name="Boston clinic", position=2, locality="Boston", region="MA")
    phone_call = ConsultationTypeFactory(
        name="Phone call", kind="phone", position=1, locations=[portland, boston]
    )
    ConsultationTypeFactory(name="Video call", kind="video", position=2, locations=[portland])
    return portland, phone_call
