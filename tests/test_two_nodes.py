"""Two web nodes: two gunicorn instances on different ports of 127.0.0.1, both through one
PgBouncer (transaction pooling) to the test's PostgreSQL database, one Redis, one S3 bucket (a
real S3 API server) and a real Celery worker. A browser-like client logs in on one node and
goes on on the other, uploads a photo through one and downloads it through the other, requests
a report on one and gets the PDF from the other.

Marked ``worker`` (PostgreSQL, Redis and a worker; needs ``pgbouncer`` installed): CI runs it,
``make test`` on SQLite deselects it.
"""

import io
import json
import os
import re
import shutil
import sys
import time

import psycopg
import pytest
import requests
from allauth.account.models import EmailAddress
from django.conf import settings
from django.contrib.sessions.models import Session
from django.db import connection
from django.urls import reverse
from django_scopes import scope
from PIL import Image

from config.celery import app as celery_app
from platser.models import Finding
from reports.models import Report
from tests.processes import free_port, spawn, start_pgbouncer, stop, wait_for_port
from tests.worker import database_url

pytestmark = pytest.mark.worker

INSIDE = {"type": "Point", "coordinates": [16.169, 60.146]}


def jpeg_with_gps() -> bytes:
    image = Image.new("RGB", (320, 240), (40, 90, 160))
    exif = Image.Exif()
    exif[0x8825] = {1: "N", 2: (60.0, 8.0, 40.0), 3: "E", 4: (16.0, 10.0, 3.0)}
    out = io.BytesIO()
    image.save(out, format="JPEG", exif=exif.tobytes())
    return out.getvalue()


@pytest.fixture
def nodes(s3_bucket, monkeypatch, tmp_path, request):
    """Start PgBouncer, a worker and two gunicorn nodes; yield the nodes' base URLs."""
    # The worker (tests/worker.py) copies this process's environment: it writes to the bucket.
    for name, value in s3_bucket.env.items():
        monkeypatch.setenv(name, value)
    request.getfixturevalue("real_worker")
    db = connection.settings_dict
    pgbouncer, pgbouncer_port = start_pgbouncer(
        host=db["HOST"] or "127.0.0.1",
        port=int(db["PORT"] or 5432),
        user=db["USER"],
        password=db["PASSWORD"],
        log=tmp_path / "pgbouncer.log",
    )
    pooled_url = re.sub(r"@[^/]+/", f"@127.0.0.1:{pgbouncer_port}/", database_url())
    env = {
        **os.environ,
        **s3_bucket.env,
        "DJANGO_SETTINGS_MODULE": "config.settings_worker_test",
        "DATABASE_URL": pooled_url,
        "DATABASE_TRANSACTION_POOLING": "true",
        "REDIS_URL": settings.REDIS_URL,
        "EMAIL_FILE_PATH": str(tmp_path / "mail"),
        # Nothing may land on a node's own disk: each gets a media folder the test checks.
        "CACHE_KEY_PREFIX": settings.CACHES["default"].get("KEY_PREFIX", ""),
        "TEST_CELERY_QUEUE": celery_app.conf.task_default_queue,
    }
    started, urls = [], []
    try:
        for name in ("a", "b"):
            port = free_port()
            log = tmp_path / f"gunicorn-{name}.log"
            node_env = {**env, "MEDIA_ROOT": str(tmp_path / f"media-{name}")}
            proc = spawn(
                [sys.executable, "-m", "gunicorn", "config.wsgi", "--workers", "2"]
                + ["--bind", f"127.0.0.1:{port}", "--access-logfile", "-"],
                env=node_env,
                log=log,
            )
            started.append(proc)
            wait_for_port(port, proc, log=log, timeout=60)
            urls.append(f"http://127.0.0.1:{port}")
        yield urls, tmp_path, pgbouncer_port
    finally:
        for proc in started:
            stop(proc)
        stop(pgbouncer)
        shutil.rmtree(pgbouncer.workdir, ignore_errors=True)


def csrf_post(session, url, data=None, files=None):
    """GET the form page for a CSRF token, then POST to it (no redirects followed)."""
    page = session.get(url, timeout=30)
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text).group(1)
    return session.post(
        url,
        data={**(data or {}), "csrfmiddlewaretoken": token},
        files=files,
        allow_redirects=False,
        timeout=60,
    )


def test_a_user_moves_between_two_web_nodes(
    transactional_db, nodes, s3_bucket, program, place, coordinator
):
    (node_a, node_b), tmp_path, pgbouncer_port = nodes
    EmailAddress.objects.create(
        user=coordinator, email=coordinator.email, verified=True, primary=True
    )
    browser = requests.Session()  # cookies are per host, not per port: both nodes get them

    # Log in on A, go on on B: the session is in the shared database.
    login = csrf_post(
        browser, f"{node_a}/konto/login/", {"login": coordinator.email, "password": "pw"}
    )
    assert login.status_code == 302, login.text[:2000]
    session_key = browser.cookies["sessionid"]
    assert Session.objects.filter(session_key=session_key).exists()
    overview = reverse("platser:overview", kwargs={"program": program.slug})
    page = browser.get(f"{node_b}{overview}", allow_redirects=False, timeout=30)
    assert page.status_code == 200 and place.name in page.text

    # A photo uploaded through A downloads through B, from the bucket, without its GPS.
    create = reverse("platser:finding_create", kwargs={"program": program.slug, "place": place.pk})
    response = csrf_post(
        browser,
        f"{node_a}{create}",
        {
            "point": json.dumps(INSIDE),
            "category": "belysning",
            "description": "Lampan vid cykelstället är trasig.",
            "source": "trygghetsvandring",
            "responsible_organisation": "",
            "walk": "",
        },
        files={"photo": ("IMG_0001.jpg", jpeg_with_gps(), "image/jpeg")},
    )
    assert response.status_code == 302, response.text[:800]
    with scope(program=program):
        finding = Finding.objects.get()
    assert s3_bucket.names() == [finding.photo.name]
    photo_url = reverse(
        "platser:finding_photo",
        kwargs={"program": program.slug, "place": place.pk, "pk": finding.pk},
    )
    photo = browser.get(f"{node_b}{photo_url}", timeout=30)
    assert photo.status_code == 200
    assert photo.content == s3_bucket.read(finding.photo.name)
    with Image.open(io.BytesIO(photo.content)) as image:
        assert dict(image.getexif()) == {}

    # A report requested on A is rendered by the worker and downloaded from B.
    response = csrf_post(
        browser,
        f"{node_a}{reverse('reports:create', kwargs={'program': program.slug})}",
        {
            "kind": "program",
            "place": "",
            "period_start": "2026-01-01",
            "period_end": "2026-03-31",
            "purpose": "Syftet.",
        },
    )
    assert response.status_code == 302, response.text[:800]
    with scope(program=program):
        report = Report.objects.get()
    status_url = reverse("reports:status", kwargs={"program": program.slug, "pk": report.pk})
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        status = browser.get(f"{node_b}{status_url}", timeout=30).json()
        if status["finished"]:
            break
        time.sleep(0.3)
    assert status["status"] == Report.Status.READY, status
    with scope(program=program):
        report.refresh_from_db()
    download_url = reverse("reports:download", kwargs={"program": program.slug, "pk": report.pk})
    pdf = browser.get(f"{node_b}{download_url}", timeout=30)
    assert pdf.content.startswith(b"%PDF")
    assert pdf.content == s3_bucket.read(report.pdf.name)

    # Logging out on B ends the session on A too; neither node kept a file of its own.
    csrf_post(browser, f"{node_b}/konto/logout/")
    after = browser.get(f"{node_a}{overview}", allow_redirects=False, timeout=30)
    assert after.status_code == 302 and "/konto/login/" in after.headers["Location"]
    assert not (tmp_path / "media-a").exists() and not (tmp_path / "media-b").exists()
    # And every query of the nodes went through PgBouncer's transaction pool.
    db = connection.settings_dict
    with psycopg.connect(
        host="127.0.0.1",
        port=pgbouncer_port,
        user=db["USER"],
        password=db["PASSWORD"],
        dbname="pgbouncer",
        autocommit=True,
        prepare_threshold=None,
    ) as console:
        cursor = console.execute("SHOW STATS")
        columns = [c.name for c in cursor.description]
        stats = {row[0]: dict(zip(columns, row, strict=True)) for row in cursor.fetchall()}
    assert stats[db["NAME"]]["total_xact_count"] > 10
