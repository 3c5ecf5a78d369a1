"""partnerships.cache: the cache as a speed-up only. A dead Redis is a miss, never an error."""

from partnerships import cache

DEAD_REDIS = {
    "default": {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        # Port 9 (discard): nothing listens, connections are refused at once.
        "LOCATION": "redis://127.0.0.1:9/0",
        "OPTIONS": {"socket_connect_timeout": 0.2, "socket_timeout": 0.2},
    }
}


def test_every_call_survives_a_dead_redis(settings, caplog):
    settings.CACHES = DEAD_REDIS
    assert cache.get("k", "default") == "default"
    assert cache.get_many(["a", "b"]) == {}
    cache.set("k", 1, 60)  # forgotten, not raised
    cache.set_many({"a": 1}, 60)
    assert cache.add("claim", 1, 60) is True  # cannot tell: the caller does the work
    assert sum("cache unavailable" in r.getMessage() for r in caplog.records) == 5


def test_the_configured_cache_keeps_values_and_claims():  # locmem, or Redis in CI
    assert cache.get("k") is None
    cache.set("k", {"n": 1}, 60)
    cache.set_many({"a": 1, "b": 2}, 60)
    assert cache.get("k") == {"n": 1}
    assert cache.get_many(["a", "b", "c"]) == {"a": 1, "b": 2}
    assert cache.add("claim", 1, 60) is True
    assert cache.add("claim", 1, 60) is False  # the second claim loses
