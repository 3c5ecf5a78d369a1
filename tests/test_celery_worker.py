"""A real Celery worker against Redis, end to end (CI sets REDIS_URL and DATABASE_URL).

The worker is a separate process reading the same test database, so the data is committed
(``transactional_db``) and the worker gets the test database's name through DATABASE_URL.
"""

import os
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import quote

import pytest
from django.conf import settings
from django.db import connection
from django_scopes import scopes_disabled

from config.celery import app as celery_app
from partnerships import services
from partnerships.models import Invitation, Program, Role, User

pytestmark = [pytest.mark.worker]

BASE_DIR = Path(__file__).resolve().parent.parent


def _database_url() -> str:
    db = connection.settings_dict
    if db["ENGINE"].endswith("postgresql"):
        user = quote(db.get("USER") or "postgres", safe="")
        password = db.get("PASSWORD")
        credentials = f"{user}:{quote(password, safe='')}" if password else user
        host = db.get("HOST") or "127.0.0.1"
        port = db.get("PORT") or 5432
        return f"postgres://{credentials}@{host}:{port}/{db['NAME']}"
    return f"sqlite:///{db['NAME']}"


@pytest.fixture
def worker(transactional_db, tmp_path):
    if not settings.REDIS_URL:
        pytest.fail("The worker tests need REDIS_URL (make test deselects them without it)")
    if connection.vendor != "postgresql":
        pytest.fail("The worker tests need DATABASE_URL pointing at PostgreSQL")
    mail_dir = tmp_path / "mail"
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings_worker_test",
        "DATABASE_URL": _database_url(),
        "REDIS_URL": settings.REDIS_URL,
        "EMAIL_FILE_PATH": str(mail_dir),
    }
    queue = f"test-{os.getpid()}"
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "config",
            "worker",
            "--pool=solo",
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
    old_eager = celery_app.conf.task_always_eager
    old_routes = celery_app.conf.task_default_queue
    celery_app.conf.task_always_eager = False
    celery_app.conf.task_default_queue = queue
    try:
        yield mail_dir
    finally:
        celery_app.conf.task_always_eager = old_eager
        celery_app.conf.task_default_queue = old_routes
        proc.terminate()
        proc.wait(timeout=20)


def test_invitation_email_is_sent_by_a_real_worker(worker):
    with scopes_disabled():  # test setup outside a request
        program = Program.objects.create(name="Worker", slug="worker", coordinator_name="X")
        coordinator = User.objects.create_user("samordnare@example.com", "pw")
        invitation = services.invite_member(
            actor=coordinator, program=program, email="ny@example.com", role=Role.OBSERVER
        )
    deadline = time.monotonic() + 30
    sent_at = None
    while time.monotonic() < deadline:
        with scopes_disabled():  # polling the row the worker updates
            sent_at = Invitation.objects.get(pk=invitation.pk).email_sent_at
        if sent_at:
            break
        time.sleep(0.2)
    assert sent_at is not None, "the worker did not send the invitation within 30 s"
    messages = list(worker.glob("*.log"))
    assert len(messages) == 1
    body = messages[0].read_text()
    assert "ny@example.com" in body
    assert f"/inbjudan/{invitation.token}/" in body
