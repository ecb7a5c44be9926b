"""The database cache (no Redis): writes commit without waiting for the disk, and never
change how a surrounding transaction commits."""

import pytest
from django.core.management import call_command
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from mindscape.dbcache import DatabaseCache

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
