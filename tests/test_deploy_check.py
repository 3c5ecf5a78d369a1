"""`manage.py check --deploy` is clean with production settings (DESIGN §6, Security)."""

import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest
from django.db import connection

BASE_DIR = Path(__file__).resolve().parent.parent


def _check(extra_env: dict) -> subprocess.CompletedProcess:
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("DJANGO_", "EMAIL_", "MAP_", "STATIC_"))
    }
    env.update(
        {
            "DJANGO_SETTINGS_MODULE": "config.settings",
            "DJANGO_SECURE": "true",
            "DJANGO_SECRET_KEY": secrets.token_urlsafe(50),
            "DJANGO_ALLOWED_HOSTS": "trygga.example.org",
            "EMAIL_BACKEND": "smtp",
            **extra_env,
        }
    )
    return subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def _database_as(user: str, password: str) -> dict:
    """DATABASE_URL of the (migrated) test database as ``user``; {} on SQLite."""
    if connection.vendor != "postgresql":
        return {}
    settings = connection.settings_dict
    return {
        "DATABASE_URL": (
            f"postgres://{user}:{password}@{settings['HOST'] or '127.0.0.1'}:"
            f"{settings['PORT'] or 5432}/{settings['NAME']}"
        )
    }


def test_deploy_check_is_clean_with_production_settings(db):
    # Production connects as the application role (docker-compose.yml); CI makes it, .ci/run.
    result = _check(_database_as("trygga_app", "trygga_app"))
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_deploy_check_fails_without_secret_key():
    result = _check({"DJANGO_SECRET_KEY": ""})
    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY" in result.stderr


def test_deploy_check_flags_console_email_in_production():
    result = _check({"EMAIL_BACKEND": "console"})
    assert result.returncode != 0
    assert "mail.E001" in result.stdout + result.stderr


@pytest.mark.postgres
def test_deploy_check_refuses_the_owner_role(db):
    """Connected as the role that owns the tables, row-level security would not bind: an error."""
    assert connection.vendor == "postgresql", "needs DATABASE_URL=postgres://… (marker postgres)"
    settings = connection.settings_dict
    result = _check(_database_as(settings["USER"], settings["PASSWORD"]))
    assert result.returncode != 0
    assert "rls.E001" in result.stdout + result.stderr
    assert "owns" in result.stdout + result.stderr or "superuser" in result.stdout + result.stderr
