"""The shared cache in Redis, made so that Redis being away slows nothing and breaks nothing.

Django's ``RedisCache`` raises when Redis is stopped and, with no socket timeout, waits as
long as the kernel does when Redis is frozen: every page then fails or hangs.  This backend
is Django's (its client, behind a backend on the public ``BaseCache``), with three
changes:

* **Short timeouts.**  Every connect and every reply waits at most
  ``REDIS_TIMEOUT_SECONDS`` (default 0.5; the settings pass it as the pool's
  ``socket_timeout`` and ``socket_connect_timeout``).
* **Fail soft, as a cache may.**  When Redis does not answer, a read is a miss and a write
  is lost, exactly as if the entry had been evicted, which every caller of a cache already
  handles: sessions (``cached_db``) read and write PostgreSQL, clinic facts are built from
  the database, pages are rendered.  Counters cannot pretend: ``add``, ``incr`` and
  ``clear`` raise ``CacheUnavailable`` and their callers decide (the rate limits count in
  PostgreSQL instead, the page cache renders without caching).
* **Fail fast.**  After a failure this process does not ask Redis again for
  ``RETRY_SECONDS``: a frozen Redis costs each process one timeout every few seconds, not
  one per cache call.  The first call after that tries again.

A write that did not reach Redis may leave an older value there (a session changed, a
signed-out session, clinic facts, the page generation).  So the keys of failed writes are
remembered by the process and deleted from Redis as soon as it answers again, before
anything else is asked: a later read finds a miss and goes to the database, never the old
value.  A long outage remembers at most ``PENDING_MAX`` keys; past that the process
empties the whole Redis database once it answers (as a Redis restart would, which the site
already survives): give the site a Redis database of its own.
"""

from __future__ import annotations

import logging
import re
import threading
import time

from django.core.cache.backends.base import DEFAULT_TIMEOUT, BaseCache
from django.core.cache.backends.redis import RedisCacheClient
from django.utils.functional import cached_property
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError

logger = logging.getLogger(__name__)

RETRY_SECONDS = 5.0  # how long a process leaves Redis alone after it failed to answer
PENDING_MAX = 10_000  # keys of failed writes remembered per process
UNREACHABLE = (RedisConnectionError, RedisTimeoutError)


class CacheUnavailable(Exception):
    """Redis did not answer (or failed a moment ago and was not asked again)."""


class _Outage:
    """One process's view of one Redis server: since when to ask again, and which keys
    must be deleted there once it answers."""

    def __init__(self):
        self.retry_at = 0.0
        self.down = False
        self.pending: set[str] = set()
        self.flush_all = False
        self.lock = threading.Lock()

    def skipping(self) -> bool:
        return self.down and time.monotonic() < self.retry_at

    def failed(self, error: BaseException) -> None:
        with self.lock:
            if not self.down:
                logger.warning(
                    "Redis did not answer (%s): the cache is bypassed, asked again every %s s",
                    type(error).__name__,
                    RETRY_SECONDS,
                )
            self.down = True
            self.retry_at = time.monotonic() + RETRY_SECONDS

    def answered(self) -> None:
        if self.down:
            with self.lock:
                if self.down:
                    self.down = False
                    logger.warning("Redis answers again: the cache is used again")

    def remember(self, keys) -> None:
        if not keys:
            return
        with self.lock:
            if self.flush_all:
                return
            self.pending.update(keys)
            if len(self.pending) > PENDING_MAX:
                self.pending.clear()
                self.flush_all = True

    def repair(self, client: RedisCacheClient) -> None:
        """Delete what failed writes may have left stale (raises if Redis does not answer)."""
        if not (self.pending or self.flush_all):
            return
        with self.lock:
            keys, flush_all = list(self.pending), self.flush_all
        if flush_all:
            RedisCacheClient.clear(client)
            logger.warning("Redis: emptied after a long outage (stale entries possible)")
        elif keys:
            RedisCacheClient.delete_many(client, keys)
        with self.lock:
            self.pending.difference_update(keys)
            self.flush_all = self.flush_all and not flush_all


_outages: dict[tuple[str, ...], _Outage] = {}
_outages_lock = threading.Lock()


def _outage_for(servers) -> _Outage:
    key = tuple(servers)
    with _outages_lock:
        return _outages.setdefault(key, _Outage())


_RAISE = object()


class FailSoftClient(RedisCacheClient):
    """Django's Redis client (keys arrive already made), guarded as the module says."""

    def __init__(self, servers, **options):
        super().__init__(servers, **options)
        self.outage = _outage_for(servers)

    def _guarded(self, call, *args, written=(), fallback=_RAISE):
        outage = self.outage
        if outage.skipping():
            outage.remember(written)
            if fallback is _RAISE:
                raise CacheUnavailable("Redis failed a moment ago")
            return fallback
        try:
            outage.repair(self)
            result = call(*args)
        except UNREACHABLE as error:
            outage.failed(error)
            outage.remember(written)
            if fallback is _RAISE:
                raise CacheUnavailable(type(error).__name__) from error
            return fallback
        outage.answered()
        return result

    def get(self, key, default):
        return self._guarded(super().get, key, default, fallback=default)

    def get_many(self, keys):
        return self._guarded(super().get_many, keys, fallback={})

    def has_key(self, key):
        return self._guarded(super().has_key, key, fallback=False)

    def set(self, key, value, timeout):
        return self._guarded(super().set, key, value, timeout, written=(key,), fallback=None)

    def set_many(self, data, timeout):
        return self._guarded(super().set_many, data, timeout, written=list(data), fallback=None)

    def touch(self, key, timeout):
        return self._guarded(super().touch, key, timeout, fallback=False)

    def delete(self, key):
        return self._guarded(super().delete, key, written=(key,), fallback=False)

    def delete_many(self, keys):
        return self._guarded(super().delete_many, keys, written=list(keys), fallback=None)

    def add(self, key, value, timeout):
        return self._guarded(super().add, key, value, timeout)

    def incr(self, key, delta):
        return self._guarded(super().incr, key, delta, written=(key,))

    def clear(self):
        return self._guarded(super().clear)


class RedisCache(BaseCache):
    """Django's ``RedisCache`` backend with the ``FailSoftClient``: the same methods, made
    on the public ``BaseCache`` so that no private attribute of Django's is replaced."""

    def __init__(self, server, params):
        super().__init__(params)
        self.servers = re.split("[;,]", server) if isinstance(server, str) else server
        self.options = params.get("OPTIONS", {})

    @cached_property
    def client(self) -> FailSoftClient:
        return FailSoftClient(self.servers, **self.options)

    def get_backend_timeout(self, timeout=DEFAULT_TIMEOUT):
        if timeout == DEFAULT_TIMEOUT:
            timeout = self.default_timeout
        # None keeps the key for ever; zero or less deletes it.
        return None if timeout is None else max(0, int(timeout))

    def add(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        key = self.make_and_validate_key(key, version=version)
        return self.client.add(key, value, self.get_backend_timeout(timeout))

    def get(self, key, default=None, version=None):
        key = self.make_and_validate_key(key, version=version)
        return self.client.get(key, default)

    def set(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        key = self.make_and_validate_key(key, version=version)
        self.client.set(key, value, self.get_backend_timeout(timeout))

    def touch(self, key, timeout=DEFAULT_TIMEOUT, version=None):
        key = self.make_and_validate_key(key, version=version)
        return self.client.touch(key, self.get_backend_timeout(timeout))

    def delete(self, key, version=None):
        key = self.make_and_validate_key(key, version=version)
        return self.client.delete(key)

    def get_many(self, keys, version=None):
        key_map = {self.make_and_validate_key(key, version=version): key for key in keys}
        found = self.client.get_many(list(key_map))
        return {key_map[key]: value for key, value in found.items()}

    def has_key(self, key, version=None):
        key = self.make_and_validate_key(key, version=version)
        return self.client.has_key(key)

    def incr(self, key, delta=1, version=None):
        key = self.make_and_validate_key(key, version=version)
        return self.client.incr(key, delta)

    def set_many(self, data, timeout=DEFAULT_TIMEOUT, version=None):
        if not data:
            return []
        made = {
            self.make_and_validate_key(key, version=version): value for key, value in data.items()
        }
        self.client.set_many(made, self.get_backend_timeout(timeout))
        return []

    def delete_many(self, keys, version=None):
        if not keys:
            return
        self.client.delete_many([self.make_and_validate_key(key, version=version) for key in keys])

    def clear(self):
        return self.client.clear()
