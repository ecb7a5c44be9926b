"""mindscape.rediscache against a real redis-server, stopped (SIGTERM) or frozen (SIGSTOP)."""

import time

import pytest

from mindscape.rediscache import PENDING_MAX, RETRY_SECONDS, CacheUnavailable, RedisCache

TIMEOUT = 0.5


def cache_for(redis) -> RedisCache:
    options = {"socket_timeout": TIMEOUT, "socket_connect_timeout": TIMEOUT}
    return RedisCache(redis.url, {"OPTIONS": options})


def took(call) -> float:
    started = time.monotonic()
    call()
    return time.monotonic() - started


def until_asked_again() -> None:
    time.sleep(RETRY_SECONDS + 0.2)


@pytest.mark.parametrize("fault", ["stopped", "frozen"])
def test_reads_miss_writes_are_lost_and_counters_raise(redis, fault):
    cache = cache_for(redis)
    cache.set("facts", "cached")
    redis.stop() if fault == "stopped" else redis.freeze()

    assert took(lambda: cache.get("facts")) < TIMEOUT + 0.5  # one wait at most
    assert cache.get("facts", "default") == "default"
    assert cache.get_many(["facts"]) == {}
    assert "facts" not in cache
    cache.set("facts", "new")
    cache.delete("facts")
    with pytest.raises(CacheUnavailable):
        cache.add("count", 0)
    with pytest.raises(CacheUnavailable):
        cache.incr("count")


def test_a_frozen_redis_costs_a_process_one_timeout_every_few_seconds(redis):
    cache = cache_for(redis)
    redis.freeze()
    assert TIMEOUT - 0.1 < took(lambda: cache.get("a")) < TIMEOUT + 0.5
    # Meanwhile every call answers at once, without asking Redis.
    assert took(lambda: [cache.get("a") or cache.set("b", 1) for _ in range(50)]) < 0.2
    until_asked_again()
    assert TIMEOUT - 0.1 < took(lambda: cache.get("a")) < TIMEOUT + 0.5  # asked again


def test_a_write_skipped_while_redis_was_frozen_is_not_read_back_after(redis):
    cache = cache_for(redis)
    cache.set("session", "signed in")
    redis.freeze()
    cache.get("other")  # times out: Redis is left alone from now on
    cache.delete("session")  # signed out meanwhile: never sent to Redis
    redis.thaw()
    until_asked_again()
    assert cache.get("session") is None  # not the session from before
    cache.set("session", "fresh")
    assert cache.get("session") == "fresh"


def test_after_a_long_outage_the_redis_database_is_emptied(redis):
    cache = cache_for(redis)
    cache.set("facts", "from before")
    redis.freeze()
    cache.get("other")
    cache.set_many({f"page{n}": n for n in range(PENDING_MAX + 1)})  # too many to remember
    redis.thaw()
    until_asked_again()
    assert cache.get("facts") is None
