"""Zones as people say them, never the database key."""

import zoneinfo

import pytest

from booking import zones


@pytest.mark.parametrize(
    "key, long, short",
    [
        ("America/New_York", "Eastern Time (New York)", "Eastern Time"),
        ("America/Los_Angeles", "Pacific Time (Los Angeles)", "Pacific Time"),
        ("America/Phoenix", "Mountain Time (Phoenix)", "Mountain Time"),
        ("Europe/London", "London time", "London time"),
    ],
)
def test_zone_names(key, long, short):
    assert zones.long_name(key) == long
    assert zones.short_name(key) == short


def test_every_name_in_the_table_is_a_real_zone():
    for key in zones.GENERIC_NAMES:
        zoneinfo.ZoneInfo(key)
