"""The shared cache when there is no Redis: Django's database cache, written without
waiting for the disk.

Each cache write is its own transaction, and PostgreSQL normally waits for the write-ahead
log to reach the disk before it confirms a commit: milliseconds per cached page on a busy
disk.  A cache write needs none of that durability: after a database crash a lost entry is
only a miss (a page rendered again; a rate-limit count a few hundred milliseconds short).
So a cache write made on its own commits with ``synchronous_commit`` off, for that
transaction only.  A cache write inside a larger transaction (a booking, say) is left
alone: that transaction keeps its full durability.

Only the backend's public methods are wrapped (``set``, ``add``, ``touch``; ``set_many``
and ``incr`` write through ``set``).
"""

from contextlib import contextmanager

from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.core.cache.backends.db import DatabaseCache as DjangoDatabaseCache
from django.db import connections, router, transaction


class DatabaseCache(DjangoDatabaseCache):
    @contextmanager
    def _without_waiting_for_disk(self):
        db = router.db_for_write(self.cache_model_class)
        connection = connections[db]
        if not transaction.get_autocommit(using=db) or connection.vendor != "postgresql":
            yield  # inside a larger transaction: it keeps its durability
            return
        with transaction.atomic(using=db):
            with connection.cursor() as cursor:
                cursor.execute("SET LOCAL synchronous_commit TO OFF")
            yield

    def set(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        with self._without_waiting_for_disk():
            super().set(key, value, timeout, version)

    def add(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        with self._without_waiting_for_disk():
            return super().add(key, value, timeout, version)

    def touch(self, key, timeout=DEFAULT_TIMEOUT, version=None):
        with self._without_waiting_for_disk():
            return super().touch(key, timeout, version)
