"""A real Celery worker process for the tests marked ``worker`` (CI sets REDIS_URL and a
PostgreSQL DATABASE_URL; ``make test`` deselects them otherwise).

The worker is a separate process reading the same test database, so the tests' data must be
committed (``transactional_db``); it gets the test database's name through DATABASE_URL, writes
e-mail to files the test can read and media into the test's MEDIA_ROOT, and listens on a queue of
its own so that nothing else on the broker interferes.
"""

import os
import subprocess
import sys
from pathlib import Path
from urllib.parse import quote

import pytest
from django.conf import settings
from django.db import connection

from config.celery import app as celery_app

BASE_DIR = Path(__file__).resolve().parent.parent


def database_url() -> str:
    """The test database as a DATABASE_URL for the worker process."""
    db = connection.settings_dict
    user = quote(db.get("USER") or "postgres", safe="")
    password = db.get("PASSWORD")
    credentials = f"{user}:{quote(password, safe='')}" if password else user
    host = db.get("HOST") or "127.0.0.1"
    port = db.get("PORT") or 5432
    return f"postgres://{credentials}@{host}:{port}/{db['NAME']}"


@pytest.fixture
def start_worker(transactional_db, tmp_path):
    """``start_worker(settings_module=…, pool=…, **env)``: start a worker on this test's queue and
    return its process; every worker started is stopped when the test ends. They all write
    e-mail into the same directory, ``start_worker.mail_dir``."""
    if not settings.REDIS_URL:
        pytest.fail("The worker tests need REDIS_URL (make test deselects them without it)")
    if connection.vendor != "postgresql":
        pytest.fail("The worker tests need DATABASE_URL pointing at PostgreSQL")
    mail_dir = tmp_path / "mail"
    queue = f"test-{os.getpid()}"
    procs = []

    def start(settings_module="config.settings_worker_test", pool="solo", **extra_env):
        env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": settings_module,
            "DATABASE_URL": database_url(),
            "REDIS_URL": settings.REDIS_URL,
            "EMAIL_FILE_PATH": str(mail_dir),
            "MEDIA_ROOT": str(settings.MEDIA_ROOT),
            "CACHE_KEY_PREFIX": settings.CACHES["default"].get("KEY_PREFIX", ""),
            **extra_env,
        }
        proc = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "celery",
                "-A",
                "config",
                "worker",
                f"--pool={pool}",
                "--concurrency=1",
                "--loglevel=warning",
                "-Q",
                queue,
                "--without-heartbeat",
                "--without-gossip",
                "--without-mingle",
            ],
            cwd=BASE_DIR,
            env=env,
        )
        procs.append(proc)
        return proc

    start.mail_dir = mail_dir
    old_eager = celery_app.conf.task_always_eager
    old_queue = celery_app.conf.task_default_queue
    celery_app.conf.task_always_eager = False
    celery_app.conf.task_default_queue = queue
    try:
        yield start
    finally:
        celery_app.conf.task_always_eager = old_eager
        celery_app.conf.task_default_queue = old_queue
        for proc in procs:
            if proc.poll() is None:
                proc.terminate()
                proc.wait(timeout=20)


@pytest.fixture
def real_worker(start_worker):
    """Start a worker, route this test's tasks to it, yield the directory its e-mail goes to."""
    start_worker()
    return start_worker.mail_dir
