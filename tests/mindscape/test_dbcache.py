"""The database cache (no Redis): writes commit without waiting for the disk, and never
change how a surrounding transaction commits."""

import datetime as dt
import warnings

import pytest
import time_machine
from django.core.management import call_command
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from mindscape.dbcache import CULL_CHECK_EVERY, DatabaseCache

TABLE = "dbcache_test_cache"


@pytest.fixture
def db_cache(settings):
    settings.CACHES = {"default": {"BACKEND": "mindscape.dbcache.DatabaseCache", "LOCATION": TABLE}}
    call_command("createcachetable", verbosity=0)
    yield DatabaseCache(TABLE, {})
    with connection.cursor() as cursor:
        cursor.execute(f"DROP TABLE {TABLE}")


def asked_for_async_commit(queries) -> bool:
    return any("synchronous_commit TO OFF" in q["sql"] for q in queries.captured_queries)


def synchronous_commit() -> str:
    with connection.cursor() as cursor:
        cursor.execute("SHOW synchronous_commit")
        return cursor.fetchone()[0]


@pytest.mark.django_db(transaction=True)
def test_writes_on_their_own_are_stored_and_leave_the_session_setting_alone(db_cache):
    with CaptureQueriesContext(connection) as queries:
        db_cache.set("page", {"html": "x" * 40_000}, 60)
    assert asked_for_async_commit(queries)
    assert db_cache.add("page", "other", 60) is False
    assert db_cache.add("fresh", 1, 60) is True
    assert db_cache.touch("page", 120) is True
    assert db_cache.get_many(["page", "fresh"]) == {"page": {"html": "x" * 40_000}, "fresh": 1}
    assert synchronous_commit() == "on"  # SET LOCAL ended with the cache's own transaction


@pytest.mark.django_db(transaction=True)
def test_a_write_inside_a_larger_transaction_keeps_its_durability(db_cache):
    with transaction.atomic(), CaptureQueriesContext(connection) as queries:
        db_cache.set("counter", 1, 60)
        assert synchronous_commit() == "on"
    assert not asked_for_async_commit(queries)
    assert db_cache.get("counter") == 1


def rows() -> int:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT COUNT(*) FROM {TABLE}")  # noqa: S608 — our constant
        return cursor.fetchone()[0]


@pytest.mark.django_db(transaction=True)
def test_a_write_is_one_statement_and_replaces_what_was_there(db_cache, monkeypatch):
    opened = []  # a transaction of Django's own: a BEGIN and a COMMIT to wait for
    monkeypatch.setattr(connection, "set_autocommit", lambda *args, **kw: opened.append(args))
    with CaptureQueriesContext(connection) as queries:
        db_cache.set("page", "first", 60)
    assert len(queries.captured_queries) == 1  # the setting and the upsert, sent together
    assert not opened
    monkeypatch.undo()
    db_cache.set("page", "second", 60)
    db_cache.set("forever", "kept", None)
    assert db_cache.get_many(["page", "forever"]) == {"page": "second", "forever": "kept"}
    assert rows() == 2


@pytest.mark.django_db(transaction=True)
def test_an_entry_expires_when_its_timeout_says(db_cache):
    db_cache.set("short", "x", 30)
    db_cache.set("forever", "y", None)
    with time_machine.travel(dt.datetime.now(dt.UTC) + dt.timedelta(seconds=31)):
        assert db_cache.get("short") is None
        assert db_cache.get("forever") == "y"


@pytest.mark.django_db(transaction=True)
def test_the_table_is_cut_back_once_past_its_maximum(db_cache):
    small = DatabaseCache(TABLE, {"OPTIONS": {"MAX_ENTRIES": 10, "CULL_FREQUENCY": 2}})
    for n in range(5 * CULL_CHECK_EVERY):
        small.set(f"page-{n}", n, 60)
        assert rows() <= 2 * (10 + CULL_CHECK_EVERY)  # Django culls by a fraction


@pytest.mark.django_db(transaction=True)
def test_a_failed_write_inside_a_transaction_is_a_miss_and_the_transaction_goes_on(db_cache):
    with transaction.atomic(), warnings.catch_warnings():
        warnings.simplefilter("ignore")  # Django warns of a key over 250 characters
        db_cache.set("x" * 300, "too long a key for the table's column", 60)
        db_cache.set("counter", 1, 60)
    assert db_cache.get("counter") == 1


@pytest.mark.django_db(transaction=True)
def test_a_failed_write_on_its_own_is_a_miss_and_the_connection_goes_on(db_cache):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # Django warns of a key over 250 characters
        db_cache.set("x" * 300, "too long a key for the table's column", 60)
    db_cache.set("counter", 1, 60)
    assert db_cache.get("counter") == 1
    assert synchronous_commit() == "on"
