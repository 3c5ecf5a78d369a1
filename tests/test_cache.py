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


def test_get_or_compute_counts_once_per_key():
    calls = []
    compute = lambda: calls.append(1) or {"n": len(calls)}  # noqa: E731
    assert cache.get_or_compute("v1", compute, 60) == {"n": 1}
    assert cache.get_or_compute("v1", compute, 60) == {"n": 1}
    assert cache.get_or_compute("v2", compute, 60) == {"n": 2}  # a new version, a new count


def test_get_versioned_shows_the_old_value_while_one_recount_is_queued(monkeypatch):
    recounts = []
    assert cache.get_versioned(
        "board", "v1", lambda: "old", timeout=60, stale_seconds=300, recount=recounts.append
    ) == ("old", False)
    # The data changed: the old value, marked stale, and the recount queued once.
    for _ in range(3):
        value = cache.get_versioned(
            "board",
            "v2",
            lambda: "counted here",
            timeout=60,
            stale_seconds=300,
            recount=lambda: recounts.append("queued"),
        )
        assert value == ("old", True)
    assert recounts == ["queued"]
    cache.keep_versioned("board", "v2", "new", 60)  # what the recount task does
    assert cache.get_versioned(
        "board", "v2", lambda: "x", timeout=60, stale_seconds=300, recount=lambda: None
    ) == ("new", False)


def test_get_versioned_counts_itself_when_the_old_value_is_too_old(monkeypatch):
    cache.keep_versioned("board2", "v1", "old", 60)
    now = cache.time.time()
    monkeypatch.setattr(cache.time, "time", lambda: now + 301)
    queued = []
    assert cache.get_versioned(
        "board2", "v2", lambda: "fresh", timeout=60, stale_seconds=300, recount=queued.append
    ) == ("fresh", False)
    assert queued == []


def test_get_versioned_with_a_dead_redis_counts_every_time(settings):
    settings.CACHES = DEAD_REDIS
    assert cache.get_versioned(
        "k", "v", lambda: "fresh", timeout=60, stale_seconds=300, recount=lambda: None
    ) == ("fresh", False)
