"""Settings for the Celery worker that tests/test_celery_worker.py starts: real broker, e-mail to
files so the test can read what was sent."""

import os

from .settings import *  # noqa: F403

CELERY_TASK_ALWAYS_EAGER = False
MAILERS = {
    "default": {
        "BACKEND": "django.core.mail.backends.filebased.EmailBackend",
        "OPTIONS": {"file_path": os.environ["EMAIL_FILE_PATH"]},
    }
}

# The test's own cache key prefix (tests/conftest.py gives every test one), so that what the
# worker keeps in the cache is what the test reads.
if os.environ.get("CACHE_KEY_PREFIX"):
    CACHES["default"]["KEY_PREFIX"] = os.environ["CACHE_KEY_PREFIX"]  # noqa: F405
