"""The cache as a speed-up only: every read and write here survives a dead or slow Redis.

Pages keep working when Redis is down (DESIGN §6); what was cached is then counted again. A
failed read is a miss, a failed write is forgotten, a failed claim is granted (the caller does
the work itself). Each failure is logged once per call at WARNING.
"""

import logging
import time

from django.core.cache import cache

logger = logging.getLogger(__name__)


def get(key: str, default=None):
    try:
        return cache.get(key, default)
    except Exception:  # noqa: BLE001 - any cache trouble is a miss
        logger.warning("cache unavailable: get %s", key, exc_info=True)
        return default


def get_many(keys: list[str]) -> dict:
    try:
        return cache.get_many(keys)
    except Exception:  # noqa: BLE001 - any cache trouble is a miss
        logger.warning("cache unavailable: get_many (%s keys)", len(keys), exc_info=True)
        return {}


def set(key: str, value, timeout: int) -> None:  # noqa: A001 - the cache API's own name
    try:
        cache.set(key, value, timeout)
    except Exception:  # noqa: BLE001 - not kept: counted again next time
        logger.warning("cache unavailable: set %s", key, exc_info=True)


def set_many(values: dict, timeout: int) -> None:
    try:
        cache.set_many(values, timeout)
    except Exception:  # noqa: BLE001 - not kept: counted again next time
        logger.warning("cache unavailable: set_many (%s keys)", len(values), exc_info=True)


def add(key: str, value, timeout: int) -> bool:
    """``cache.add``: True when the key was not there (a claim won); True as well when the cache
    cannot say, so that the caller does the work rather than nobody."""
    try:
        return bool(cache.add(key, value, timeout))
    except Exception:  # noqa: BLE001 - cannot tell: do the work
        logger.warning("cache unavailable: add %s", key, exc_info=True)
        return True


def get_or_compute(key: str, compute, timeout: int):
    """``compute()`` through the cache under ``key``, a key that names the data version it was
    counted at (so a change makes a new key, never a stale hit). A cache outage only costs the
    speed-up. ``compute`` must not return None (None is a miss)."""
    value = get(key)
    if value is None:
        value = compute()
        set(key, value, timeout)
    return value


def keep_versioned(key: str, version: str, value, timeout: int) -> None:
    """Keep ``value`` counted at ``version`` for ``get_versioned``."""
    set(key, (version, value, time.time()), timeout)


def get_versioned(key: str, version: str, compute, *, timeout: int, stale_seconds: int, recount):
    """Stale while recounting: ``(value, stale)`` for data now at ``version``.

    What the cache holds under ``key`` was counted at some version. The same version: that
    value. An older one counted less than ``stale_seconds`` ago: that value with ``stale`` True,
    after ``recount()`` was called (once per new version, for the one caller that wins the
    claim; it queues the recount, which calls ``keep_versioned``; where tasks run eagerly the new
    value is there at once and is returned). Nothing, or older than that: ``compute()`` here and
    now, kept. So nobody waits for a slow count after a change, and a lost recount costs at most
    ``stale_seconds`` of old figures.
    """
    entry = get(key)
    if entry is not None and entry[0] == version:
        return entry[1], False
    if entry is not None and time.time() - entry[2] < stale_seconds:
        if add(f"{key}:recount:{version}", 1, max(1, stale_seconds // 5)):
            recount()
            entry = get(key) or entry
        if entry[0] == version:
            return entry[1], False
        return entry[1], True
    value = compute()
    keep_versioned(key, version, value, timeout)
    return value, False
