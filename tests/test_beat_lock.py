"""Only one celery beat sends the schedule (partnerships/beat.py): real ``celery beat`` processes
against Redis, with a short lock TTL. A second beat waits as a standby, takes over when the
first stops or dies, and a beat whose lock is taken from it stops."""

import os
import sys
import time
import uuid

import pytest
import redis
from django.conf import settings

from tests.processes import spawn, stop

pytestmark = pytest.mark.worker

TTL = 3


@pytest.fixture
def beats(tmp_path):
    """``start(name)`` runs a celery beat sharing this test's own lock key; yields the helpers."""
    if not settings.REDIS_URL:
        pytest.fail("The beat tests need REDIS_URL (make test deselects them without it)")
    key = f"test-beat-lock-{uuid.uuid4().hex[:12]}"
    client = redis.Redis.from_url(settings.REDIS_URL)
    started = []

    def start(name):
        log = tmp_path / f"{name}.log"
        env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "config.settings_worker_test",
            "REDIS_URL": settings.REDIS_URL,
            "EMAIL_FILE_PATH": str(tmp_path / "mail"),
            "BEAT_LOCK_KEY": key,
            "BEAT_LOCK_TTL": str(TTL),
        }
        command = [sys.executable, "-m", "celery", "-A", "config", "beat", "-l", "info"]
        command += ["--schedule", str(tmp_path / f"{name}-schedule")]
        proc = spawn(command, env=env, log=log)
        proc.log_path = log
        started.append(proc)
        return proc

    def holder():
        value = client.get(key)
        return value.decode() if value else None

    def wait_until(condition, timeout=20.0):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if condition():
                return True
            time.sleep(0.1)
        return False

    try:
        yield start, holder, wait_until, client, key
    finally:
        for proc in started:
            stop(proc)
        client.delete(key)


def holds(proc, holder) -> bool:
    value = holder()
    return value is not None and f":{proc.pid}:" in value


def test_a_second_beat_waits_and_takes_over_when_the_first_stops(beats):
    start, holder, wait_until, _, _ = beats
    first = start("first")
    assert wait_until(lambda: holds(first, holder)), first.log_path.read_text()

    second = start("second")
    assert wait_until(lambda: "waiting as a standby" in second.log_path.read_text())
    time.sleep(TTL + 1)  # longer than the TTL: the first renews, the second keeps waiting
    assert holds(first, holder)
    assert second.poll() is None and "took the beat lock" not in second.log_path.read_text()

    stop(first)  # SIGTERM: the first releases the lock at once
    assert "released the beat lock" in first.log_path.read_text()
    assert wait_until(lambda: holds(second, holder), timeout=10), second.log_path.read_text()


def test_the_lock_of_a_killed_beat_expires_and_the_standby_takes_over(beats):
    start, holder, wait_until, _, _ = beats
    first = start("first")
    assert wait_until(lambda: holds(first, holder))
    second = start("second")
    assert wait_until(lambda: "waiting as a standby" in second.log_path.read_text())

    first.kill()  # no release: the lock stays until its TTL runs out
    first.wait(timeout=5)
    killed_at = time.monotonic()

    assert wait_until(lambda: holds(second, holder), timeout=TTL + 10)
    assert time.monotonic() - killed_at > 0.5  # it waited for the expiry, not the release


def test_a_beat_whose_lock_was_taken_stops(beats):
    start, holder, wait_until, client, key = beats
    first = start("first")
    assert wait_until(lambda: holds(first, holder))

    client.set(key, "another-host:1:intruder", px=60_000)

    assert wait_until(lambda: first.poll() is not None, timeout=TTL + 10)
    assert "lost the beat lock" in first.log_path.read_text()
    assert holder() == "another-host:1:intruder"
