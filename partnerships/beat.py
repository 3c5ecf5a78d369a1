"""Exactly one Celery beat, however many are started: a scheduler that works only while it holds
a lock in Redis.

Two beats would send every scheduled task twice (the tasks are safe to run twice, but digests
and reports would still be queued twice). ``celery beat`` uses :class:`SingleBeatScheduler`
(``CELERY_BEAT_SCHEDULER``): before it sends anything it takes the lock ``BEAT_LOCK_KEY`` with
a time-to-live of ``BEAT_LOCK_TTL`` seconds, and renews it (a heartbeat) at every tick, at least
every third of that time. A second beat waits, as a standby, until the lock is free: when the
first stops it releases the lock, and when it dies the lock expires after the TTL. A beat that
finds its lock gone or taken (Redis flushed, or it could not renew in time) stops at once
rather than risk running beside another; its supervisor (docker-compose's restart policy,
systemd) starts it again as a standby.
"""

import logging
import os
import socket
import time
import uuid

import redis
from celery.beat import PersistentScheduler
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from redis.exceptions import LockError, RedisError

logger = logging.getLogger(__name__)


def lock_redis_url() -> str:
    """The Redis that holds the lock: the broker when it is Redis, else REDIS_URL."""
    for url in (settings.CELERY_BROKER_URL, settings.REDIS_URL):
        if url and url.startswith(("redis://", "rediss://", "unix://")):
            return url
    raise ImproperlyConfigured("Celery beat needs Redis (REDIS_URL) for its single-beat lock")


class SingleBeatScheduler(PersistentScheduler):
    """celery beat's own persistent scheduler, run only by the holder of the beat lock."""

    def __init__(self, *args, **kwargs):
        self.lock_ttl = max(settings.BEAT_LOCK_TTL, 3)
        self.heartbeat = self.lock_ttl / 3
        self.token = f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:8]}"
        self.redis = redis.Redis.from_url(
            lock_redis_url(), socket_connect_timeout=2, socket_timeout=2
        )
        self.lock = self.redis.lock(
            settings.BEAT_LOCK_KEY, timeout=self.lock_ttl, thread_local=False
        )
        self.renewed_at = 0.0
        super().__init__(*args, **kwargs)

    def setup_schedule(self):
        self._wait_for_the_lock()
        super().setup_schedule()

    def _wait_for_the_lock(self) -> None:
        waiting_logged = False
        while True:
            try:
                if self.lock.acquire(blocking=False, token=self.token):
                    self.renewed_at = time.monotonic()
                    logger.info("Celery beat %s took the beat lock", self.token)
                    return
                if not waiting_logged:
                    holder = self.redis.get(settings.BEAT_LOCK_KEY)
                    logger.warning(
                        "Another celery beat holds the beat lock (%s): waiting as a standby",
                        holder.decode() if holder else "?",
                    )
                    waiting_logged = True
            except RedisError as exc:
                logger.warning("Celery beat cannot reach Redis for its lock: %s", exc)
            time.sleep(min(self.heartbeat, 5))

    def tick(self, *args, **kwargs):
        try:
            self.lock.reacquire()  # back to the full TTL, if the lock is still ours
        except LockError:
            logger.error("Celery beat %s lost the beat lock: stopping", self.token)
            raise SystemExit(1) from None
        except RedisError as exc:
            if time.monotonic() - self.renewed_at > self.lock_ttl:
                logger.error("Celery beat could not renew its lock in time (%s): stopping", exc)
                raise SystemExit(1) from None
            # Nothing can be sent while Redis is away anyway; try again shortly.
            return min(self.heartbeat, 1.0)
        self.renewed_at = time.monotonic()
        return min(super().tick(*args, **kwargs), self.heartbeat)

    def close(self):
        super().close()
        try:
            self.lock.release()
            logger.info("Celery beat %s released the beat lock", self.token)
        except (LockError, RedisError):
            pass  # expired or unreachable: it frees itself after the TTL
