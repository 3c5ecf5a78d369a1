"""A report rendered by a real Celery worker against Redis (CI sets REDIS_URL and DATABASE_URL).

Same approach as tests/test_celery_worker.py: the data is committed (``transactional_db``) and a
worker process reads the same test database; it also gets this test's MEDIA_ROOT, so the PDF it
writes is where the test looks.
"""

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection
from django_scopes import scope, scopes_disabled

from config.celery import app as celery_app
from reports import services
from reports.models import Report
from tests.factories import PlaceFactory, ProgramFactory, UserFactory
from tests.reports.conftest import Q1, build_quarter
from tests.test_celery_worker import _database_url

pytestmark = [pytest.mark.worker]

BASE_DIR = Path(__file__).resolve().parent.parent.parent


@pytest.fixture
def report_worker(transactional_db, tmp_path):
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
        "MEDIA_ROOT": str(settings.MEDIA_ROOT),
    }
    queue = f"test-reports-{os.getpid()}"
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
    old_queue = celery_app.conf.task_default_queue
    celery_app.conf.task_always_eager = False
    celery_app.conf.task_default_queue = queue
    try:
        yield mail_dir
    finally:
        celery_app.conf.task_always_eager = old_eager
        celery_app.conf.task_default_queue = old_queue
        proc.terminate()
        proc.wait(timeout=20)


def test_a_requested_report_is_rendered_by_a_real_worker(report_worker):
    program = ProgramFactory(name="Arbetarprov", slug="arbetarprov")
    place = PlaceFactory(program=program, name="Torget")
    build_quarter(program, place)
    coordinator = UserFactory()
    with scope(program=program):
        report = services.request_report(
            actor=coordinator,
            program=program,
            kind="program",
            period_start=Q1[0],
            period_end=Q1[1],
        )

    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        with scopes_disabled():  # polling the row the worker updates
            report = Report.objects.get(pk=report.pk)
        if report.is_finished:
            break
        time.sleep(0.3)

    assert report.status == Report.Status.READY, report.failure_reason or report.status
    path = Path(settings.MEDIA_ROOT) / report.pdf.name
    assert path.is_file()
    assert path.read_bytes().startswith(b"%PDF")
    assert report.attempts == 1
