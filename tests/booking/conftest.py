import datetime as dt
from zoneinfo import ZoneInfo

import pytest
import time_machine

from tests.factories import ConsultationTypeFactory, LocationFactory

NEW_YORK = ZoneInfo("America/New_York")
# Tuesday 1 December 2026, 08:00 in New York: with two hours' notice the first open
# time is 10:00, and every day is open 09:00–17:00.
NOW = dt.datetime(2026, 12, 1, 8, 0, tzinfo=NEW_YORK)


def at(day: int, hour: int, minute: int = 0, month: int = 12) -> dt.datetime:
    """A local New York time in December 2026 (or ``month``)."""
    return dt.datetime(2026, month, day, hour, minute, tzinfo=NEW_YORK)


@pytest.fixture
def frozen():
    with time_machine.travel(NOW, tick=False) as traveller:
        yield traveller


@pytest.fixture
def location(db):
    return LocationFactory()


@pytest.fixture
def phone_call(location):
    return ConsultationTypeFactory(name="Phone call", locations=[location])
