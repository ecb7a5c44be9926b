"""The shared cache when there is no Redis: Django's database cache, written without
waiting for the disk.

Each cache write is its own transaction, and PostgreSQL normally waits for the write-ahead
log to reach the disk before it confirms a commit: milliseconds per cached page on a busy
disk.  A cache write needs none of that durability: after a database crash a lost entry is
only a miss (a page rendered again; a rate-limit count a few hundred milliseconds short).
So a cache write made on its own commits with ``synchronous_commit`` off, for that
transaction only.  A cache write inside a larger transaction (a booking, say) is left
alone: that transaction keeps its full durability.
"""

from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.core.cache.backends.db import DatabaseCache as DjangoDatabaseCache
from django.db import connections, router, transaction


class DatabaseCache(DjangoDatabaseCache):
    def _base_set(self, mode, key, value, timeout=DEFAULT_TIMEOUT):
        db = router.db_for_write(self.cache_model_class)
        connection = connections[db]
        if connection.in_atomic_block or connection.vendor != "postgresql":
            return super()._base_set(mode, key, value, timeout)
        with transaction.atomic(using=db):
            with connection.cursor() as cursor:
                cursor.execute("SET LOCAL synchronous_commit TO OFF")
            return super()._base_set(mode, key, value, timeout)
