"""A report rendered by a real Celery worker against Redis (CI sets REDIS_URL and DATABASE_URL).

The worker (tests/worker.py) reads the same, committed test database and writes into this test's
MEDIA_ROOT, so the PDF it renders is where the test looks.
"""

import time
from pathlib import Path

import pytest
from django.conf import settings
from django_scopes import scope, scopes_disabled

from reports import services
from reports.models import Report
from tests.factories import PlaceFactory, ProgramFactory, UserFactory
from tests.reports.conftest import Q1, build_quarter

pytestmark = [pytest.mark.worker]


def test_a_requested_report_is_rendered_by_a_real_worker(real_worker):
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
