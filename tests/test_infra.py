"""The build and run infrastructure: docker-compose.yml, .env.example and the health endpoint."""

import ast
import re
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parent.parent
SERVICES = {"proxy", "web", "worker", "beat", "pgbouncer", "db", "redis", "minio"}
ONE_SHOT = {"migrate", "storage-init"}
APP = ("web", "worker", "beat")
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
    for name in APP:
        depends_on = compose["services"][name]["depends_on"]
        for dependency in ("db", "redis", "pgbouncer"):
            assert depends_on[dependency]["condition"] == "service_healthy", (name, dependency)
        for dependency in ONE_SHOT:
            assert depends_on[dependency]["condition"] == "service_completed_successfully"


def test_compose_app_services_scale_out(compose):
    """web, worker and beat keep nothing on their own disk and bind no fixed host port, so
    `--scale web=3 --scale worker=3` works: files in the bucket, the database through PgBouncer,
    one migration run before them all."""
    services = compose["services"]
    for name in APP:
        service = services[name]
        assert not service.get("volumes"), f"{name} keeps files on a volume of its own"
        assert not service.get("ports"), f"{name} binds a host port: it cannot scale"
        env = service["environment"]
        assert "@pgbouncer:6432/" in env["DATABASE_URL"]
        assert env["DATABASE_TRANSACTION_POOLING"] == "true"
        assert env["AWS_STORAGE_BUCKET_NAME"] and env["AWS_S3_ENDPOINT_URL"]
    for name in ONE_SHOT:
        assert services[name]["restart"] == "no"
    assert services["migrate"]["command"] == ["migrate"]
    assert "@db:5432/" in services["migrate"]["environment"]["DATABASE_URL"]
    assert services["proxy"]["ports"] and "web" in services["proxy"]["depends_on"]
    nginx = (ROOT / "deploy" / "nginx.conf").read_text(encoding="utf-8")
    assert "set $web http://web:8000;" in nginx and "resolver 127.0.0.11" in nginx
    pgbouncer = (ROOT / "deploy" / "pgbouncer" / "entrypoint.sh").read_text(encoding="utf-8")
    assert "pool_mode = transaction" in pgbouncer
    assert "apt-get install" in (ROOT / "deploy" / "pgbouncer" / "Dockerfile").read_text()
    assert "mc anonymous set none" in " ".join(services["storage-init"]["entrypoint"])


def test_beat_runs_the_single_beat_scheduler(settings):
    from celery.utils.imports import symbol_by_name

    from partnerships.beat import SingleBeatScheduler

    assert symbol_by_name(settings.CELERY_BEAT_SCHEDULER) is SingleBeatScheduler


def test_compose_commands_and_volumes(compose):
    services = compose["services"]
    assert services["web"]["command"] == ["web"]
    assert services["worker"]["command"] == ["worker"]
    assert services["beat"]["command"] == ["beat"]
    assert services["db"]["image"].startswith("postgres:15")
    assert services["redis"]["image"].startswith("redis:7")
    assert {"postgres-data", "s3-data"} <= set(compose["volumes"])
    assert any(v.startswith("s3-data:") for v in services["minio"]["volumes"])
    assert any(v.startswith("postgres-data:") for v in services["db"]["volumes"])
    assert "health" in " ".join(services["web"]["healthcheck"]["test"])
    env = services["web"]["environment"]
    for name in ("DATABASE_URL", "REDIS_URL", "DJANGO_SECRET_KEY", "DJANGO_ALLOWED_HOSTS"):
        assert env.get(name), f"web does not set {name}"
    assert env["REDIS_URL"].startswith("redis://redis:")


def test_entrypoint_knows_the_compose_commands():
    entrypoint = (ROOT / "scripts" / "docker-entrypoint.sh").read_text(encoding="utf-8")
    assert "gunicorn config.wsgi" in entrypoint
    assert "collectstatic" in entrypoint and "manage.py migrate" in entrypoint
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
    for name in (*APP, "migrate"):
        unknown = set(compose["services"][name]["environment"]) - known
        assert not unknown, f"{name} sets variables settings.py never reads: {sorted(unknown)}"


def test_axe_core_is_vendored_at_the_pinned_version():
    import json

    pinned = json.loads((ROOT / "package.json").read_text())["devDependencies"]["axe-core"]
    assert re.fullmatch(r"\d+\.\d+\.\d+", pinned), "pin an exact version"
    vendored = ROOT / "static" / "vendor" / "axe-core"
    assert (vendored / "LICENSE").exists()
    assert f"axe v{pinned}" in (vendored / "axe.min.js").read_text(encoding="utf-8")[:200]


def test_compose_connects_the_app_as_the_role_rls_binds(compose):
    """web, worker, beat and PgBouncer log in as the application role (row-level security binds
    it); only migrate, straight to db, is the owner. The role is made by the db's init script."""
    services = compose["services"]
    owner = services["db"]["environment"]["POSTGRES_USER"]
    app_role = services["db"]["environment"]["DATABASE_APP_ROLE"]
    assert app_role != owner
    for name in APP:
        env = services[name]["environment"]
        assert env["DATABASE_URL"].startswith(f"postgres://{app_role}:"), name
        assert env["DATABASE_APP_ROLE"] == app_role
    assert services["pgbouncer"]["environment"]["DB_USER"] == app_role
    assert services["migrate"]["environment"]["DATABASE_URL"].startswith(f"postgres://{owner}:")
    assert services["migrate"]["environment"]["DATABASE_APP_ROLE"] == app_role  # it grants
    assert "./deploy/postgres:/docker-entrypoint-initdb.d:ro" in services["db"]["volumes"]
    script = (ROOT / "deploy" / "postgres" / "10-app-role.sh").read_text(encoding="utf-8")
    assert "NOSUPERUSER NOBYPASSRLS" in script
