"""The shared cache when there is no Redis: Django's database cache, written without
waiting for the disk, in one statement.

Each cache write is its own transaction, and PostgreSQL normally waits for the write-ahead
log to reach the disk before it confirms a commit: milliseconds per cached page on a busy
disk.  A cache write needs none of that durability: after a database crash a lost entry is
only a miss (a page rendered again; a rate-limit count a few hundred milliseconds short).
So a cache write made on its own commits with ``synchronous_commit`` off, for that
transaction only.  A cache write inside a larger transaction (a booking, say) is left
alone: that transaction keeps its full durability.

``set`` is one ``INSERT … ON CONFLICT DO UPDATE``, sent together with the ``SET LOCAL`` in
one query string, which PostgreSQL runs as one transaction (no BEGIN or COMMIT round trip):
Django's own takes five statements (a count of the whole table, a savepoint, a select of
the key, the insert or update, the release), 1.5 ms of a page stored on the bench against
0.7.  The table's size is counted, and culled as Django culls it, on every
``CULL_CHECK_EVERY``-th write of this process instead of every one: it may pass
``MAX_ENTRIES`` by that many writes per process before it is cut back.  ``add`` and
``touch`` (rare: first generations, unannounced changes) keep Django's way; ``set_many``
and ``incr`` write through ``set``.  A failed write is a miss, as in Django's.
"""

import base64
import contextlib
import datetime as dt
import pickle
from contextlib import contextmanager

from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.core.cache.backends.db import DatabaseCache as DjangoDatabaseCache
from django.db import DatabaseError, connections, router, transaction
from django.utils import timezone

CULL_CHECK_EVERY = 20  # writes of one process between two counts of the table
ASYNC_COMMIT = "SET LOCAL synchronous_commit TO OFF"


def write_unsynced(using: str, statement: str, params) -> None:
    """Run one write that may be lost in a database crash (a cache's), on ``using``.

    On its own: with the setting, in one round trip.  PostgreSQL runs the statements of one
    query string as one transaction, so the setting holds for the write and ends with it,
    with no BEGIN and COMMIT to wait for.  Inside a larger transaction: in a savepoint, so
    a failed write cannot break it, and that transaction's durability is left alone.
    A failed write raises its ``DatabaseError``."""
    connection = connections[using]
    if transaction.get_autocommit(using=using):
        with connection.cursor() as cursor:
            cursor.execute(f"{ASYNC_COMMIT}; {statement}", params)
    else:
        with transaction.atomic(using=using), connection.cursor() as cursor:
            cursor.execute(statement, params)


class DatabaseCache(DjangoDatabaseCache):
    def __init__(self, table, params):
        super().__init__(table, params)
        self._writes = 0

    @contextmanager
    def _without_waiting_for_disk(self):
        db = router.db_for_write(self.cache_model_class)
        if not transaction.get_autocommit(using=db):
            yield  # inside a larger transaction: it keeps its durability
            return
        with transaction.atomic(using=db), connections[db].cursor() as cursor:
            cursor.execute(ASYNC_COMMIT)
            yield

    def set(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        key = self.make_and_validate_key(key, version=version)
        db = router.db_for_write(self.cache_model_class)
        connection = connections[db]
        timeout = self.get_backend_timeout(timeout)
        expires = (
            dt.datetime.max.replace(tzinfo=dt.UTC)
            if timeout is None
            else dt.datetime.fromtimestamp(timeout, tz=dt.UTC)
        ).replace(microsecond=0)
        encoded = base64.b64encode(pickle.dumps(value, self.pickle_protocol)).decode("latin1")
        self._writes += 1
        if self._writes % CULL_CHECK_EVERY == 0:
            self._cull_if_full(db)
        table = connection.ops.quote_name(self._table)
        upsert = (
            f"INSERT INTO {table} (cache_key, value, expires) VALUES (%s, %s, %s) "  # noqa: S608
            "ON CONFLICT (cache_key) DO UPDATE "
            "SET value = EXCLUDED.value, expires = EXCLUDED.expires"
        )
        params = [key, encoded, connection.ops.adapt_datetimefield_value(expires)]
        # As Django's: a write that fails is a later miss, never an error.
        with contextlib.suppress(DatabaseError):
            write_unsynced(db, upsert, params)

    def _cull_if_full(self, db) -> None:
        connection = connections[db]
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT COUNT(*) FROM {connection.ops.quote_name(self._table)}")  # noqa: S608
            count = cursor.fetchone()[0]
            if count > self._max_entries:
                self._cull(db, cursor, timezone.now().replace(microsecond=0), count)

    def add(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        with self._without_waiting_for_disk():
            return super().add(key, value, timeout, version)

    def touch(self, key, timeout=DEFAULT_TIMEOUT, version=None):
        with self._without_waiting_for_disk():
            return super().touch(key, timeout, version)
