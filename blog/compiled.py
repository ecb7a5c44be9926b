"""Queries of public pages compiled to SQL once per process, run with each use's values.

The ORM took as long to compile an article's query, or a search's, as PostgreSQL took to
run it.  Such a query is compiled once with stand-ins where each use's values go (the
clock, a slug, the words searched, a page of ids) and ``bind`` puts the values in their
place in the compiled parameters.  A text stand-in starts with a NUL character, which no
real value holds (PostgreSQL refuses it in text).

``Prepared`` goes one step further for a query whose best plan does not depend on its
values: PostgreSQL keeps it parsed and planned on each connection that runs it.
"""

from __future__ import annotations

import datetime as dt
import itertools
import re
import weakref
from collections.abc import Callable, Hashable, Sequence
from functools import cached_property

from django.db import DatabaseError, connection, transaction

NOW = dt.datetime(1, 1, 1, tzinfo=dt.UTC)  # the clock: published() is given it


def stand_in(name: str) -> str:
    return f"\x00{name}"


def bind(params: Sequence, values: dict) -> list:
    """``params`` with each stand-in that is a key of ``values`` replaced by its value."""
    return [values.get(each, each) if isinstance(each, Hashable) else each for each in params]


# A generic plan for this run only: SET LOCAL ends with the query string's own transaction.
_GENERIC = "SET LOCAL plan_cache_mode TO force_generic_plan"


def _numbered(sql: str) -> str:
    """``sql``'s placeholders as PREPARE takes them ($1, $2…); a literal "%%" stays as it is
    (the statement still goes through the driver's formatting)."""
    numbers = itertools.count(1)
    return re.sub(r"%([%s])", lambda m: "%%" if m[1] == "%" else f"${next(numbers)}", sql)


class Prepared:
    """A compiled query (``compile()`` gives its SQL and parameters, with stand-ins) run as
    a prepared statement with a generic plan.

    PostgreSQL parses and plans every query string it is sent: 0.33 ms of the 0.64 ms an
    article's query took.  A prepared statement is parsed once per connection, and a generic
    plan is made once (``plan_cache_mode``, set for each run alone; left to itself
    PostgreSQL plans the first five runs afresh).  Only for a query whose best plan does not
    depend on its values: an article by its unique slug, not a search.

    The PREPARE goes with the first run on a connection, in the same query string: no round
    trip of its own.  Inside a transaction the plain SQL runs: a failed run there would
    break the transaction.  A run that fails (the statement dropped by a pooler's DISCARD
    ALL, or its result changed by a migration) drops the statement and runs the plain SQL;
    the next run prepares it again.
    """

    def __init__(self, name: str, compile: Callable[[], tuple[str, Sequence]]):
        self.name = name
        self._compile = compile
        self._prepared_on: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()

    @cached_property
    def _compiled(self) -> tuple[str, tuple, str]:
        sql, params = self._compile()
        return sql, tuple(params), f"PREPARE {self.name} AS {_numbered(sql)}"

    def raw(self, model, values: dict) -> list:
        """``model.objects.raw`` of the query with ``values`` bound (see ``bind``), as a list."""
        sql, params, prepare = self._compiled
        bound = bind(params, values)
        if not transaction.get_autocommit():
            return list(model.objects.raw(sql, bound))
        connection.ensure_connection()
        session = connection.connection
        run = f"{_GENERIC}; EXECUTE {self.name}({', '.join(['%s'] * len(bound))})"
        if session not in self._prepared_on:
            run = f"{prepare}; {run}"
        try:
            found = list(model.objects.raw(run, bound))
        except DatabaseError:
            self._drop(session)
            return list(model.objects.raw(sql, bound))
        self._prepared_on[session] = True
        return found

    def _drop(self, session) -> None:
        self._prepared_on.pop(session, None)
        try:
            with connection.cursor() as cursor:
                cursor.execute(f"DEALLOCATE {self.name}")
        except DatabaseError:
            pass  # not there (never prepared, or dropped already): nothing to drop
