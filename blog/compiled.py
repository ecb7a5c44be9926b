"""Queries of public pages compiled to SQL once per process, run with each use's values.

The ORM took as long to compile an article's query, or a search's, as PostgreSQL took to
run it.  Such a query is compiled once with stand-ins where each use's values go (the
clock, a slug, the words searched, a page of ids) and ``bind`` puts the values in their
place in the compiled parameters.  A text stand-in starts with a NUL character, which no
real value holds (PostgreSQL refuses it in text).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Hashable, Sequence

NOW = dt.datetime(1, 1, 1, tzinfo=dt.UTC)  # the clock: published() is given it


def stand_in(name: str) -> str:
    return f"\x00{name}"


def bind(params: Sequence, values: dict) -> list:
    """``params`` with each stand-in that is a key of ``values`` replaced by its value."""
    return [values.get(each, each) if isinstance(each, Hashable) else each for each in params]
