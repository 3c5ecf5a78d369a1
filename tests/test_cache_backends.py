"""config.cache_backends.FailoverRedisCache: local memory while Redis is away, Redis again after."""

import logging
import time

import pytest

from config import cache_backends
from config.cache_backends import FailoverRedisCache

DEAD = "redis://127.0.0.1:1/0"  # nothing listens: connections are refused at once


@pytest.fixture
def dead_cache():
    cache_backends._down_until.pop(DEAD, None)
    backend = FailoverRedisCache(
        DEAD, {"KEY_PREFIX": "t-backend", "OPTIONS": {"FAILOVER_SECONDS": 0.3}}
    )
    backend._fallback.clear()
    yield backend
    backend._fallback.clear()
    cache_backends._down_until.pop(DEAD, None)


def test_every_operation_answers_from_memory_while_redis_is_down(dead_cache, caplog):
    caplog.set_level(logging.WARNING, logger="config.cache_backends")
    assert dead_cache.get("k") is None
    dead_cache.set("k", {"n": 1}, 60)
    assert dead_cache.get("k") == {"n": 1}
    assert dead_cache.add("claim", 1, 60) is True
    assert dead_cache.add("claim", 1, 60) is False  # claims still exclude each other
    assert dead_cache.incr("claim") == 2
    dead_cache.set_many({"a": 1, "b": 2}, 60)
    assert dead_cache.get_many(["a", "b", "c"]) == {"a": 1, "b": 2}
    assert dead_cache.has_key("a")
    dead_cache.delete("a")
    assert dead_cache.get("a") is None
    # One warning for the outage, not one per call.
    warnings = [r for r in caplog.records if "Redis cache unavailable" in r.getMessage()]
    assert len(warnings) == 1


def test_redis_is_asked_again_after_the_failover_period(dead_cache, caplog):
    caplog.set_level(logging.WARNING, logger="config.cache_backends")
    dead_cache.get("k")
    assert dead_cache._redis_is_down()
    time.sleep(0.35)
    assert not dead_cache._redis_is_down()
    dead_cache.get("k")  # tries Redis, which is still dead: a second outage period
    warnings = [r for r in caplog.records if "Redis cache unavailable" in r.getMessage()]
    assert len(warnings) == 2


def test_other_options_still_reach_redis_py(dead_cache):
    backend = FailoverRedisCache(DEAD, {"OPTIONS": {"socket_timeout": 0.2, "FAILOVER_SECONDS": 5}})
    assert backend._failover_seconds == 5
    assert backend._cache._pool_options["socket_timeout"] == 0.2
    assert "FAILOVER_SECONDS" not in backend._cache._pool_options
