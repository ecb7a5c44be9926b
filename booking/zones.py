"""Time zones as people say them: "Eastern Time (New York)", never "America/New_York".

A small table of the zones the clinic's locations use; any other zone falls back to its
own city name from the zone database ("Europe/London" → "London time").  No dependency:
Babel's names would cover every zone, but a clinic with a handful of locations needs a
handful of names, and this table is checked in tests.
"""

from __future__ import annotations

GENERIC_NAMES = {
    "America/New_York": "Eastern Time",
    "America/Detroit": "Eastern Time",
    "America/Chicago": "Central Time",
    "America/Denver": "Mountain Time",
    "America/Phoenix": "Mountain Time",  # Arizona: no daylight saving time
    "America/Los_Angeles": "Pacific Time",
    "America/Anchorage": "Alaska Time",
    "Pacific/Honolulu": "Hawaii Time",
}


def city(key: str) -> str:
    """The zone database's city: "America/Los_Angeles" → "Los Angeles"."""
    return key.rsplit("/", 1)[-1].replace("_", " ")


def short_name(key: str) -> str:
    """ "Eastern Time"; a zone outside the table: "London time"."""
    return GENERIC_NAMES.get(key) or f"{city(key)} time"


def long_name(key: str) -> str:
    """ "Eastern Time (New York)"; a zone outside the table: "London time"."""
    generic = GENERIC_NAMES.get(key)
    return f"{generic} ({city(key)})" if generic else f"{city(key)} time"
