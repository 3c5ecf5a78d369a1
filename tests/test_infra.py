"""The build and run infrastructure: docker-compose.yml, .env.example and the health endpoint."""

import ast
import re
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parent.parent
SERVICES = {"web", "worker", "beat", "db", "redis"}
ENV_READERS = {"env_str", "env_bool", "env_int", "env_list"}


@pytest.fixture(scope="module")
def compose():
    with open(ROOT / "docker-compose.yml", encoding="utf-8") as handle:
        return yaml.safe_load(handle)


def test_compose_has_every_service_with_a_healthcheck(compose):
    services = compose["services"]
    assert set(services) >= SERVICES, f"missing services: {SERVICES - set(services)}"
    for name in SERVICES:
        test = services[name].get("healthcheck", {}).get("test")
        assert test, f"service {name} has no healthcheck"


def test_compose_app_services_wait_for_healthy_db_and_redis(compose):
    for name in ("web", "worker", "beat"):
        depends_on = compose["services"][name]["depends_on"]
        for dependency in ("db", "redis"):
            assert depends_on[dependency]["condition"] == "service_healthy", (name, dependency)


def test_compose_commands_and_volumes(compose):
    services = compose["services"]
    assert services["web"]["command"] == ["web"]
    assert services["worker"]["command"] == ["worker"]
    assert services["beat"]["command"] == ["beat"]
    assert services["db"]["image"].startswith("postgres:15")
    assert services["redis"]["image"].startswith("redis:7")
    assert {"postgres-data", "media"} <= set(compose["volumes"])
    assert any(v.startswith("postgres-data:") for v in services["db"]["volumes"])
    assert "health" in " ".join(services["web"]["healthcheck"]["test"])
    env = services["web"]["environment"]
    for name in ("DATABASE_URL", "REDIS_URL", "DJANGO_SECRET_KEY", "DJANGO_ALLOWED_HOSTS"):
        assert env.get(name), f"web does not set {name}"
    assert env["REDIS_URL"].startswith("redis://redis:")
    assert "@db:5432/" in env["DATABASE_URL"]


def test_entrypoint_knows_the_compose_commands():
    entrypoint = (ROOT / "scripts" / "docker-entrypoint.sh").read_text(encoding="utf-8")
    assert "gunicorn config.wsgi" in entrypoint
    assert "collectstatic" in entrypoint and "migrate" in entrypoint
    assert "celery -A config worker" in entrypoint
    assert "celery -A config beat" in entrypoint


def settings_variables(path: Path) -> set[str]:
    """Names of the environment variables a settings module reads (env_* and os.environ)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names = set()
    for node in ast.walk(tree):
        if not isinstance(node, ast.Call) or not node.args:
            continue
        first = node.args[0]
        if not (isinstance(first, ast.Constant) and isinstance(first.value, str)):
            continue
        func = node.func
        is_env_reader = isinstance(func, ast.Name) and func.id in ENV_READERS
        is_os_environ = isinstance(func, ast.Attribute) and (
            func.attr == "getenv"
            or (func.attr in {"get", "setdefault"} and ast.unparse(func.value) == "os.environ")
        )
        if is_env_reader or is_os_environ:
            names.add(first.value)
    return names


def env_example_variables() -> set[str]:
    text = (ROOT / ".env.example").read_text(encoding="utf-8")
    # Active lines (NAME=value) and documented optional ones (# NAME=value).
    return set(re.findall(r"^#?\s*([A-Z][A-Z0-9_]*)=", text, flags=re.MULTILINE))


def test_settings_parser_finds_the_known_variables():
    names = settings_variables(ROOT / "config" / "settings.py")
    assert {"DATABASE_URL", "REDIS_URL", "DJANGO_SECRET_KEY", "MAP_ATTRIBUTION"} <= names


def test_env_example_lists_every_variable_settings_read():
    missing = settings_variables(ROOT / "config" / "settings.py") - env_example_variables()
    assert not missing, f".env.example does not list: {sorted(missing)}"


@pytest.mark.django_db
def test_health_reports_database_ok(client):
    response = client.get("/health/")
    assert response.status_code == 200
    body = response.json()
    assert body["database"] == "ok"
    assert "broker" in body


def test_compose_passes_only_variables_that_settings_read(compose):
    """A misspelt name in docker-compose.yml would silently leave a setting at its default."""
    known = settings_variables(ROOT / "config" / "settings.py") | {"GUNICORN_WORKERS"}
    for name in ("web", "worker", "beat"):
        unknown = set(compose["services"][name]["environment"]) - known
        assert not unknown, f"{name} sets variables settings.py never reads: {sorted(unknown)}"


def test_axe_core_is_vendored_at_the_pinned_version():
    import json

    pinned = json.loads((ROOT / "package.json").read_text())["devDependencies"]["axe-core"]
    assert re.fullmatch(r"\d+\.\d+\.\d+", pinned), "pin an exact version"
    vendored = ROOT / "static" / "vendor" / "axe-core"
    assert (vendored / "LICENSE").exists()
    assert f"axe v{pinned}" in (vendored / "axe.min.js").read_text(encoding="utf-8")[:200]
