"""Test settings: the real settings with faster hashing, no tiles and plain static storage.

DATABASE_URL / REDIS_URL still decide the database and broker (PostgreSQL + Redis in CI).
"""

import os

os.environ.setdefault("MAP_TILE_UPSTREAM", "")
os.environ.setdefault("STATIC_MANIFEST", "false")

from .settings import *  # noqa: E402,F403
from .settings import BASE_DIR  # noqa: E402

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
MAILERS = {"default": {"BACKEND": "django.core.mail.backends.locmem.EmailBackend"}}
MEDIA_ROOT = BASE_DIR / "var" / "test-media"
ALLOWED_HOSTS = ["*"]
ACCOUNT_RATE_LIMITS = {}

# Tests run tasks inline unless a test starts a real worker (tests/test_celery_worker.py), so a
# REDIS_URL in the environment selects the Redis cache but does not leave tasks unconsumed.
CELERY_TASK_ALWAYS_EAGER = True
