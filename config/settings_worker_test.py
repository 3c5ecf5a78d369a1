"""Settings for the Celery worker that tests/test_celery_worker.py starts, and for the gunicorn
nodes and beats of tests/test_two_nodes.py and tests/test_beat_lock.py: real broker, e-mail to
files so the test can read what was sent."""

import os

from django.conf import global_settings

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

# Users made by the tests have MD5 password hashes (config/settings_test.py): a gunicorn node
# must be able to check them at login.
PASSWORD_HASHERS = [
    *global_settings.PASSWORD_HASHERS,
    "django.contrib.auth.hashers.MD5PasswordHasher",
]
# Tasks sent by a gunicorn node go to the queue the test's own worker listens on.
if os.environ.get("TEST_CELERY_QUEUE"):
    CELERY_TASK_DEFAULT_QUEUE = os.environ["TEST_CELERY_QUEUE"]
