"""The Redis cache with a fallback in this process's memory while Redis is down or hung.

Most of our own code reaches the cache through ``partnerships.cache``, which turns a failure into a
miss. Code we do not own calls ``django.core.cache.cache`` directly and does not expect it to
raise: allauth's rate limits (login, password reset, the two-factor step) answered 500 while
Redis was away. This backend is the default cache when ``REDIS_URL`` is set, so that every
caller keeps working: on a Redis error the call is answered from a local-memory cache instead,
and for ``FAILOVER_SECONDS`` after that Redis is not asked at all (a hung Redis costs one socket
timeout per process and period, not one per call). Then Redis is tried again.

What is written during an outage stays in the process that wrote it: a rate limit counts per
process for those seconds (a local fallback rather than no limit), a cached page figure is
counted again by the next process. Deletes go to both, so nothing the fallback holds outlives a
delete made after Redis came back.
"""

import logging
import threading
import time

from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.core.cache.backends.locmem import LocMemCache
from django.core.cache.backends.redis import RedisCache
from redis.exceptions import RedisError

logger = logging.getLogger(__name__)

#: Per Redis location: the monotonic time until which Redis is not asked (shared by the
#: threads of a process, each of which has its own backend instance).
_down_until: dict[str, float] = {}
_lock = threading.Lock()


class FailoverRedisCache(RedisCache):
    """``RedisCache`` that answers from local memory while Redis fails (see module docstring).

    ``OPTIONS["FAILOVER_SECONDS"]`` (default 10) is how long Redis is left alone after an error;
    the other options go to redis-py as usual.
    """

    def __init__(self, server, params):
        params = {**params, "OPTIONS": dict(params.get("OPTIONS", {}))}
        self._failover_seconds = float(params["OPTIONS"].pop("FAILOVER_SECONDS", 10))
        super().__init__(server, params)
        self._location = server if isinstance(server, str) else ",".join(server)
        fallback_params = {k: v for k, v in params.items() if k not in ("BACKEND", "OPTIONS")}
        # One fallback per location and process: LocMemCache keeps its data under its name.
        self._fallback = LocMemCache(f"redis-fallback:{self._location}", fallback_params)

    def _redis_is_down(self) -> bool:
        return time.monotonic() < _down_until.get(self._location, 0.0)

    def _mark_down(self, operation: str) -> None:
        with _lock:
            was_up = not self._redis_is_down()
            _down_until[self._location] = time.monotonic() + self._failover_seconds
        if was_up:
            logger.warning(
                "Redis cache unavailable (%s): local memory for %ss",
                operation,
                self._failover_seconds,
                exc_info=True,
            )

    def _call(self, operation: str, *args, **kwargs):
        if not self._redis_is_down():
            try:
                return getattr(super(), operation)(*args, **kwargs)
            except RedisError:
                self._mark_down(operation)
        return getattr(self._fallback, operation)(*args, **kwargs)

    def add(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        return self._call("add", key, value, timeout, version)

    def get(self, key, default=None, version=None):
        return self._call("get", key, default, version)

    def set(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        return self._call("set", key, value, timeout, version)

    def touch(self, key, timeout=DEFAULT_TIMEOUT, version=None):
        return self._call("touch", key, timeout, version)

    def get_many(self, keys, version=None):
        return self._call("get_many", keys, version)

    def has_key(self, key, version=None):
        return self._call("has_key", key, version)

    def incr(self, key, delta=1, version=None):
        return self._call("incr", key, delta, version)

    def set_many(self, data, timeout=DEFAULT_TIMEOUT, version=None):
        return self._call("set_many", data, timeout, version)

    def delete(self, key, version=None):
        deleted_locally = self._fallback.delete(key, version)
        return self._call("delete", key, version) or deleted_locally

    def delete_many(self, keys, version=None):
        self._fallback.delete_many(keys, version)
        return self._call("delete_many", keys, version)

    def clear(self):
        self._fallback.clear()
        return self._call("clear")
