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


def test_the_dashboard_is_counted_again_by_a_real_worker_after_a_change(real_worker, client_for):
    from django.urls import reverse

    from measures.services import change_status
    from partnerships.models import Role
    from tests.factories import MeasureFactory, MembershipFactory

    program = ProgramFactory(name="Arbetarprov", slug="arbetarprov")
    place = PlaceFactory(program=program, name="Torget")
    measure = MeasureFactory(place=place, status="pagaende")
    coordinator = UserFactory()
    MembershipFactory(user=coordinator, program=program, role=Role.COORDINATOR)
    client = client_for(coordinator)
    url = reverse("reports:dashboard", kwargs={"program": program.slug})

    def done():
        response = client.get(url)
        row = response.context["rows"][0]
        return row.summary.measures_done, "Siffrorna räknas om" in response.content.decode()

    assert done() == (0, False)  # nothing cached yet: counted in the request
    with scope(program=program):
        change_status(actor=coordinator, measure=measure, to_status="genomford")
    # The board from before the change, marked, while the worker counts it again …
    assert done() == (0, True)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and done() != (1, False):
        time.sleep(0.3)
    # … and then the new figures, counted by the worker and read from Redis.
    assert done() == (1, False)
