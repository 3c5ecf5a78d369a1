"""The main paths through PgBouncer in transaction pooling mode: login, a program page, a survey
answer, a report request and download, an export that streams rows with ``.iterator()``.

Marked ``pgbouncer``: run with DATABASE_URL pointing at a PgBouncer (``pool_mode =
transaction``) in front of PostgreSQL and DATABASE_TRANSACTION_POOLING=true, as ``.ci/run``
does (its own PgBouncer on port 6432, ``admin_users`` including the database user, so that the
first test can prove the connection really goes through it). ``make test`` deselects them
otherwise. Run with ``--reuse-db``: PostgreSQL cannot drop the test database while PgBouncer
keeps server connections to it, so ``.ci/run`` drops it after stopping PgBouncer.
"""

import datetime
import uuid

import psycopg
import pytest
from allauth.account.models import EmailAddress
from django.conf import settings
from django.db import connection, transaction
from django.urls import reverse
from django.utils import timezone
from django_scopes import scope, scopes_disabled

from reports.models import Report
from surveys.models import Answer, Response
from tests.factories import SurveyFactory
from tests.surveys.helpers import field, option

pytestmark = [pytest.mark.pgbouncer, pytest.mark.django_db]


def admin_console(sql: str) -> list[tuple]:
    """Ask PgBouncer's admin console (the ``pgbouncer`` database) on the same host and port."""
    db = connection.settings_dict
    with psycopg.connect(
        host=db["HOST"],
        port=db["PORT"],
        user=db["USER"],
        password=db["PASSWORD"],
        dbname="pgbouncer",
        autocommit=True,
        prepare_threshold=None,
    ) as console:
        return console.execute(sql).fetchall()


def test_the_connection_goes_through_pgbouncer_in_transaction_mode():
    assert connection.vendor == "postgresql"
    config = {row[0]: row[1] for row in admin_console("SHOW CONFIG")}
    assert config["pool_mode"] == "transaction"
    connection.ensure_connection()
    databases = {row[2] for row in admin_console("SHOW CLIENTS")}  # (type, user, database, …)
    assert connection.settings_dict["NAME"] in databases
    # The settings transaction pooling needs (config/settings.py).
    assert settings.DATABASE_TRANSACTION_POOLING is True
    assert connection.settings_dict["DISABLE_SERVER_SIDE_CURSORS"] is True
    assert connection.settings_dict["OPTIONS"]["prepare_threshold"] is None


def test_repeated_queries_and_time_zone_hold_across_transactions(program):
    """A prepared statement or a session SET would break once a later transaction lands on
    another server connection; the same query in many transactions must keep working."""
    created = timezone.make_aware(datetime.datetime(2026, 3, 14, 23, 30))
    for _ in range(12):
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute("SELECT current_setting('TimeZone'), %s::timestamptz", [created])
            zone, value = cursor.fetchone()
            assert zone == "UTC" and value == created


def test_login_then_a_program_page(program, place, coordinator, client):
    EmailAddress.objects.create(
        user=coordinator, email=coordinator.email, verified=True, primary=True
    )
    response = client.post(reverse("account_login"), {"login": coordinator.email, "password": "pw"})
    assert response.status_code == 302

    page = client.get(reverse("platser:overview", kwargs={"program": program.slug}))

    assert page.status_code == 200
    assert place.name in page.content.decode()


def test_a_survey_answer_is_stored(program, place, client):
    survey = SurveyFactory(program=program, places=[place], codes=["plats-trygg-kvall"])
    submission = uuid.uuid4()
    response = client.post(
        reverse("surveys_public:answer", kwargs={"token": survey.token}),
        {
            "submission_id": str(submission),
            field("plats-trygg-kvall"): option("plats-trygg-kvall", 2),
        },
    )
    assert response.status_code == 302
    with scopes_disabled():  # test inspection of the stored rows
        stored = Response.objects.get(client_submission_id=submission)
        assert Answer.objects.filter(response=stored).count() == 1


def test_a_report_request_is_rendered_and_downloaded(
    program, place, coordinator, client_for, django_capture_on_commit_callbacks
):
    client = client_for(coordinator)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("reports:create", kwargs={"program": program.slug}),
            {
                "kind": "program",
                "place": "",
                "period_start": "2026-01-01",
                "period_end": "2026-03-31",
                "purpose": "Syftet.",
            },
        )
    assert response.status_code == 302
    with scope(program=program):
        report = Report.objects.get()
    assert report.status == Report.Status.READY
    download = client.get(
        reverse("reports:download", kwargs={"program": program.slug, "pk": report.pk})
    )
    assert b"".join(download.streaming_content).startswith(b"%PDF")


def test_iterator_reads_rows_without_a_server_side_cursor(program, place):
    survey = SurveyFactory(program=program, places=[place], codes=["plats-trygg-kvall"])
    with scopes_disabled():  # test set-up: anonymous responses of an explicit program
        Response.objects.bulk_create(
            Response(
                program=program,
                survey=survey,
                place=place,
                submitted_on=survey.opens_on,
                client_submission_id=uuid.uuid4(),
            )
            for _ in range(25)
        )
        # Outside a transaction a named cursor would be gone by the second chunk.
        ids = [r.pk for r in Response.objects.filter(survey=survey).iterator(chunk_size=10)]
    assert len(ids) == 25


def _pooled_connection() -> psycopg.Connection:
    """A connection of our own through the same PgBouncer to the test database."""
    db = connection.settings_dict
    return psycopg.connect(
        host=db["HOST"],
        port=db["PORT"],
        user=db["USER"],
        password=db["PASSWORD"],
        dbname=db["NAME"],
        autocommit=True,
        prepare_threshold=None,
    )


def _on_server(client: psycopg.Connection, pid: int, sql: str):
    """Run ``sql`` in a transaction of ``client`` that PgBouncer gives the server ``pid``."""
    for _ in range(50):
        with client.transaction():
            if client.execute("SELECT pg_backend_pid()").fetchone()[0] == pid:
                return client.execute(sql).fetchone()[0]
    pytest.fail(f"PgBouncer never gave the server connection {pid} back")


def test_the_program_context_ends_with_its_transaction_on_a_pooled_server():
    """Row-level security's program context is transaction-local (``set_config(…, true)``, what
    config/postgresql sends): another client's next transaction on the same server connection
    starts without it. A session-level setting would outlive the transaction; that is shown for
    contrast, so the test can tell the two apart."""
    ask = "SELECT coalesce(current_setting('app.programs', true), '')"
    with _pooled_connection() as first, _pooled_connection() as second:
        with first.transaction():
            pid = first.execute("SELECT pg_backend_pid()").fetchone()[0]
            first.execute("SELECT set_config('app.programs', '42', true)")
            assert first.execute(ask).fetchone()[0] == "42"
        assert _on_server(second, pid, ask) == ""
        # What a session-level SET would do behind PgBouncer: the next client inherits it.
        with first.transaction():
            pid = first.execute("SELECT pg_backend_pid()").fetchone()[0]
            first.execute("SELECT set_config('app.programs', '42', false)")
        try:
            assert _on_server(second, pid, ask) == "42"
        finally:
            _on_server(second, pid, "SELECT set_config('app.programs', '', false)")
