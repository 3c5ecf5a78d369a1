"""The cache as a speed-up only: every read and write here survives a dead or slow Redis.

Pages keep working when Redis is down (DESIGN §6); what was cached is then counted again. A
failed read is a miss, a failed write is forgotten, a failed claim is granted (the caller does
the work itself). Each failure is logged once per call at WARNING.
"""

import logging

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
