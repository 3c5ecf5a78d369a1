"""Migrations: the models and the migration files agree, and a database built before the kernel
redesign (meetings moved out of ``partnerships``, municipalities into it) migrates to today's
schema keeping every row.

``tests/data/demo-before-kernel.sql.gz`` is ``manage.py migrate`` + ``manage.py load_demo`` on
SQLite at commit 6bd0cd2 (the last main before the redesign), dumped with ``iterdump``.
"""

import gzip
import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import call_command

BASE_DIR = Path(__file__).resolve().parent.parent
BEFORE = BASE_DIR / "tests" / "data" / "demo-before-kernel.sql.gz"
# Django's own bookkeeping grows when models move app (new content types and permissions, the
# new migration names recorded beside the replaced ones), and SQLite's own counters of
# AUTOINCREMENT tables gain a row (seq 0) when a migration rebuilds an empty table (adding a
# column with a default does); nothing else may change.
BOOKKEEPING = {"django_migrations", "django_content_type", "auth_permission", "sqlite_sequence"}


def _migrate(path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if k not in ("REDIS_URL", "DATABASE_URL")}
    env |= {"DATABASE_URL": f"sqlite:///{path}", "DJANGO_SETTINGS_MODULE": "config.settings"}
    subprocess.run(
        [sys.executable, "manage.py", "migrate", "--noinput", "-v", "0"],
        cwd=BASE_DIR,
        env=env,
        check=True,
        timeout=300,
    )


def _counts(db: sqlite3.Connection) -> dict[str, int]:
    tables = [r[0] for r in db.execute("SELECT name FROM sqlite_master WHERE type = 'table'")]
    return {t: db.execute(f'SELECT COUNT(*) FROM "{t}"').fetchone()[0] for t in tables}


def _columns(db: sqlite3.Connection) -> dict[str, set[str]]:
    tables = [
        r[0]
        for r in db.execute("SELECT name FROM sqlite_master WHERE type = 'table'")
        if not r[0].startswith("sqlite_")
    ]
    return {t: {c[1] for c in db.execute(f'PRAGMA table_info("{t}")')} for t in tables}


@pytest.fixture(scope="module")
def migrated_from_before(tmp_path_factory):
    path = tmp_path_factory.mktemp("before") / "db.sqlite3"
    with sqlite3.connect(path) as db, gzip.open(BEFORE, "rt", encoding="utf-8") as dump:
        db.executescript(dump.read())
        before = _counts(db)
    _migrate(path)
    return path, before


@pytest.mark.django_db
def test_models_and_migrations_agree():
    call_command("makemigrations", "--check", "--dry-run", verbosity=0)


def test_migrating_a_database_from_before_the_redesign_keeps_every_row(migrated_from_before):
    path, before = migrated_from_before
    with sqlite3.connect(path) as db:
        after = _counts(db)
    assert before["partnerships_meeting"] > 0 and before["measures_measure"] > 0
    changed = {
        table: (count, after.get(table))
        for table, count in before.items()
        if table not in BOOKKEEPING and after.get(table) != count
    }
    assert changed == {}
    # Tables of models added since start empty: a migration invents no rows.
    added = {table: after[table] for table in set(after) - set(before) - BOOKKEEPING}
    assert added == dict.fromkeys(added, 0)


def test_migrated_schema_equals_a_fresh_one(migrated_from_before, tmp_path):
    path, _ = migrated_from_before
    fresh = tmp_path / "fresh.sqlite3"
    _migrate(fresh)
    with sqlite3.connect(path) as old, sqlite3.connect(fresh) as new:
        assert _columns(old) == _columns(new)


def test_moved_models_keep_their_audit_entries_and_content_types(migrated_from_before):
    path, _ = migrated_from_before
    with sqlite3.connect(path) as db:
        labels = {r[0] for r in db.execute("SELECT model_label FROM partnerships_auditentry")}
        types = set(db.execute("SELECT app_label, model FROM django_content_type"))
    assert {"meetings.Meeting", "meetings.Decision"} <= labels
    assert not {label for label in labels if label.startswith("partnerships.Meeting")}
    assert ("meetings", "meeting") in types and ("partnerships", "meeting") not in types
    assert ("partnerships", "municipality") in types and ("platser", "municipality") not in types
