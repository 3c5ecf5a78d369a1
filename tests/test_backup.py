"""The backup drill: ``manage.py backup`` of a database with data in every app and files in a
bucket, then ``manage.py restore --check`` into an empty database and an empty bucket (or the
local disk), and the restored row counts and file checksums are proved equal, by the command and
again here, independently.

Marked ``postgres`` (pg_dump and pg_restore against a real PostgreSQL; ``make test`` deselects
it on SQLite, CI runs it); the bucket is the real S3 API server of tests/s3.py.
"""

import hashlib
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.files.base import ContentFile
from django.core.management import call_command
from django.db import connection
from django_scopes import scope, scopes_disabled

from partnerships.backup import Database, table_counts
from reports import services as report_services
from reports import tasks as report_tasks
from tests.factories import FindingFactory, StakeholderFactory, pdf_bytes
from tests.reports.conftest import Q1, build_quarter
from tests.worker import database_url

pytestmark = pytest.mark.postgres

BASE_DIR = Path(__file__).resolve().parent.parent
PDF = pdf_bytes()


@pytest.fixture
def empty_database(transactional_db):
    """A new, empty database beside the test database; dropped afterwards."""
    name = f"{connection.settings_dict['NAME']}_restore"
    with connection.cursor() as cursor:
        cursor.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        cursor.execute(f'CREATE DATABASE "{name}"')
    yield name
    with connection.cursor() as cursor:
        cursor.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture
def installation(transactional_db, s3_bucket, program, place, coordinator):
    """Data in every app, with agreements, photos and a report PDF in the bucket."""
    build_quarter(program, place)
    stakeholder = StakeholderFactory(place=place)
    finding = FindingFactory(place=place, description="Trasig lampa")
    with scopes_disabled():  # test set-up: attach files to rows of an explicit program
        stakeholder.agreement_file.save("avtal.pdf", ContentFile(PDF), save=True)
        finding.photo.save("lampa.jpg", ContentFile(b"\xff\xd8\xff\xe0 inte en riktig bild"))
    with scope(program=program):
        report = report_services.request_report(
            actor=coordinator,
            program=program,
            kind="program",
            period_start=Q1[0],
            period_end=Q1[1],
        )
    report_tasks.render_report(report_id=report.pk)
    return s3_bucket


def manage(*args, env_extra: dict) -> subprocess.CompletedProcess:
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "config.settings", **env_extra}
    for name in ("AWS_STORAGE_BUCKET_NAME", "AWS_S3_ENDPOINT_URL"):
        if name not in env_extra:
            env.pop(name, None)
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )


def restored_counts(name: str) -> dict[str, int]:
    db = connection.settings_dict
    target = Database(
        host=db["HOST"] or "",
        port=str(db["PORT"] or ""),
        user=db["USER"],
        password=db["PASSWORD"] or "",
        name=name,
    )
    with target.connect() as conn:
        return table_counts(conn.cursor())


def source_counts() -> dict[str, int]:
    with connection.cursor() as cursor:
        return table_counts(cursor.cursor)


def test_restore_into_an_empty_database_and_bucket_gives_the_same_rows_and_files(
    installation, empty_database, s3_server, tmp_path
):
    source = installation
    archive = tmp_path / "trygga.tar"
    call_command("backup", output=str(archive))
    expected_counts, expected_files = source_counts(), source.checksums()
    assert len(expected_files) >= 5  # two measure photos, an agreement, a photo, the report
    assert expected_counts["reports_report"] == 1 and expected_counts["surveys_answer"] > 0

    target = s3_server.create_bucket()
    restore_url = re.sub(r"/[^/]+$", f"/{empty_database}", database_url())
    env = {"DATABASE_URL": restore_url, **target.env}
    result = manage("restore", str(archive), "--check", env_extra=env)

    assert result.returncode == 0, result.stderr
    assert "radantalet i" in result.stdout and "stämmer" in result.stdout
    assert restored_counts(empty_database) == expected_counts
    assert target.checksums() == expected_files

    # Once restored, the database is no longer empty: a second restore is refused.
    again = manage("restore", str(archive), env_extra=env)
    assert again.returncode != 0 and "är inte tom" in again.stderr

    # --verify-only notices a file that changed afterwards.
    key = next(name for name in target.names() if name.startswith("findings/"))
    target.client.put_object(Bucket=target.name, Key=key, Body=b"annat innehall")
    changed = manage("restore", str(archive), "--verify-only", env_extra=env)
    assert changed.returncode != 0 and f"fil {key} har en annan kontrollsumma" in changed.stderr


def test_a_backup_from_the_bucket_restores_onto_the_local_disk(
    installation, empty_database, tmp_path
):
    archive = tmp_path / "trygga.tar"
    call_command("backup", output=str(archive))
    expected_files = installation.checksums()

    media = tmp_path / "media-restored"
    restore_url = re.sub(r"/[^/]+$", f"/{empty_database}", database_url())
    result = manage(
        "restore",
        str(archive),
        "--check",
        env_extra={"DATABASE_URL": restore_url, "MEDIA_ROOT": str(media)},
    )

    assert result.returncode == 0, result.stderr
    on_disk = {
        str(path.relative_to(media)): hashlib.sha256(path.read_bytes()).hexdigest()
        for path in media.rglob("*")
        if path.is_file()
    }
    assert on_disk == expected_files
    assert restored_counts(empty_database) == source_counts()


def test_backup_refuses_to_overwrite_an_archive(installation, tmp_path):
    archive = tmp_path / "trygga.tar"
    archive.write_bytes(b"")
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="finns redan"):
        call_command("backup", output=str(archive))
    assert archive.read_bytes() == b""
