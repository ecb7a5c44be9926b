"""Fixtures the intake tests share."""

import datetime as dt

import pytest

from clinic.models import Clinic, OfficeHours


@pytest.fixture
def weekday_hours():
    """The clinic open Monday to Friday, 09:00-17:00 New York time (saving them clears the
    cached clinic facts)."""
    clinic = Clinic.load()
    clinic.time_zone = "America/New_York"
    clinic.save()
    OfficeHours.objects.all().delete()
    for weekday in range(5):
        OfficeHours.objects.create(
            clinic=clinic, weekday=weekday, opens=dt.time(9), closes=dt.time(17)
        )
    return clinic
