# Trygga platser: the two commands (`make demo`, `make test`) and developer helpers.
# GNU make. Run `make help` for the list.

SHELL := /bin/bash
.SHELLFLAGS := -eu -o pipefail -c
.ONESHELL:
.DEFAULT_GOAL := help

# An interpreter may be given: make demo PYTHON=/path/to/python3.12. Otherwise one is found.
PYTHON ?=
PORT ?= 8000
# Extra arguments for pytest: make test PYTEST_ARGS="tests/test_infra.py -x"
PYTEST_ARGS ?=

VENV := .venv
VENV_PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
REQUIREMENTS := requirements.txt requirements-dev.txt
MANAGE := $(VENV_PY) manage.py

# Debian's Chromium for the browser tests. The binary under /usr/lib starts faster than the
# /usr/bin wrapper script. CHROMIUM_PATH may be set to use another build.
CHROMIUM_PATH ?= $(firstword $(wildcard /usr/lib/chromium/chromium /usr/bin/chromium) \
                             $(shell command -v chromium 2>/dev/null))
export CHROMIUM_PATH

.PHONY: help demo test lint fmt venv worker beat clean distclean

help:
	@echo "make demo    create .venv, migrate, load the demo data, serve on http://127.0.0.1:$(PORT)"
	@echo "             (SQLite, eager tasks; another port: make demo PORT=8001)"
	@echo "make test    create .venv if needed and run the whole suite, browser tests included"
	@echo "             (PostgreSQL/Redis when DATABASE_URL/REDIS_URL are set)"
	@echo "make lint    ruff check"
	@echo "make fmt     ruff format + import sorting"
	@echo "make worker  a Celery worker (needs REDIS_URL)"
	@echo "make beat    Celery beat, the scheduler (needs REDIS_URL)"
	@echo "make clean   remove caches, test output and the local SQLite database"
	@echo "Use another interpreter: make demo PYTHON=/path/to/python3.12"

# (Re)create the virtualenv when it is missing or its interpreter no longer runs or is too old,
# and (re)install whenever a requirements file is newer than the stamp.
$(STAMP): $(REQUIREMENTS)
	@if ! $(VENV_PY) -c 'import sys; sys.exit(sys.version_info < (3, 12))' >/dev/null 2>&1; then
	  python=$$(scripts/find-python.sh $(PYTHON))
	  echo "Creating $(VENV) with $$python ($$($$python -c 'import platform; print(platform.python_version())'))"
	  rm -rf $(VENV)
	  "$$python" -m venv $(VENV)
	fi
	# (The filter drops a machine-wide pip config's warnings about absent local indexes.)
	$(VENV_PY) -m pip install --disable-pip-version-check -q -r requirements-dev.txt 2>&1 \
	  | { grep -v "is ignored: it is neither a file nor a directory" || true; }
	touch $@

venv: $(STAMP)
	@if ! $(VENV_PY) -c 'import sys; sys.exit(sys.version_info < (3, 12))' >/dev/null 2>&1; then
	  echo "$(VENV) is broken (its Python no longer runs): recreating it"
	  rm -f $(STAMP)
	  $(MAKE) --no-print-directory $(STAMP)
	fi

# The embedded default: SQLite, no broker (tasks run eagerly), debug on. Variables of a production
# shell are removed so that the demo never touches a real database or broker.
DEMO_ENV := env -u DATABASE_URL -u REDIS_URL -u CELERY_BROKER_URL -u CELERY_RESULT_BACKEND \
	-u CELERY_TASK_ALWAYS_EAGER -u DJANGO_SECURE -u STATIC_MANIFEST \
	DJANGO_DEBUG=true SITE_URL=http://127.0.0.1:$(PORT)

demo: venv
	@$(DEMO_ENV) $(MANAGE) migrate --noinput
	if [ -d locale ] && command -v msgfmt >/dev/null 2>&1; then
	  $(DEMO_ENV) $(MANAGE) compilemessages --ignore=.venv --ignore=node_modules -v 0
	fi
	$(DEMO_ENV) $(MANAGE) load_demo
	# Beat's schedules without beat (report schedules, invitation sweepers, digests, retention),
	# every five minutes beside the server, stopped with it.
	$(DEMO_ENV) $(MANAGE) run_schedules --every 300 >/dev/null &
	schedules=$$!
	trap 'kill $$schedules 2>/dev/null || true' EXIT
	echo "Serving on http://127.0.0.1:$(PORT)/ (Ctrl-C stops)"
	$(DEMO_ENV) $(MANAGE) runserver 127.0.0.1:$(PORT)

# The whole suite. DATABASE_URL and REDIS_URL pass through from the environment. Browser tests
# need Chromium: without it they are skipped with a warning, except under CI=true, where a missing
# browser is an error. Exit code 5 (no tests collected) is reported as the failure it is.
test: venv
	@args=()
	skip=()
	if [ -z "$(CHROMIUM_PATH)" ]; then
	  if [ "$${CI:-}" = "true" ]; then
	    echo "error: Chromium not found (looked for /usr/lib/chromium/chromium, /usr/bin/chromium," >&2
	    echo "       chromium on PATH). CI=true: browser tests must run. apt-get install chromium" >&2
	    exit 1
	  fi
	  echo "################################################################################"
	  echo "WARNING: Chromium not found: SKIPPING THE BROWSER TESTS (tests/e2e, marker e2e)."
	  echo "         Install it to run them: sudo apt-get install chromium"
	  echo "################################################################################"
	  skip+=("not e2e")
	  args+=(--ignore=tests/e2e)
	fi
	# A real Celery worker needs Redis and PostgreSQL (it shares the test database).
	if [ -z "$${REDIS_URL:-}" ] || [[ "$${DATABASE_URL:-}" != postgres* ]]; then
	  echo "Note: REDIS_URL and a PostgreSQL DATABASE_URL are not both set: the tests with a real"
	  echo "      Celery worker (marker worker) are deselected; tasks run eagerly."
	  skip+=("not worker")
	fi
	# Row-lock behaviour can only be shown on PostgreSQL (SQLite serialises every writer).
	if [[ "$${DATABASE_URL:-}" != postgres* ]]; then
	  echo "Note: SQLite: the PostgreSQL-only tests (row locks, the backup drill; marker postgres)"
	  echo "      are deselected."
	  skip+=("not postgres")
	fi
	# The PgBouncer tests need DATABASE_URL pointing at one (.ci/run starts its own on 6432).
	if [ "$${DATABASE_TRANSACTION_POOLING:-false}" != "true" ]; then
	  echo "Note: DATABASE_TRANSACTION_POOLING is not true: the tests through PgBouncer (marker"
	  echo "      pgbouncer) are deselected; .ci/run runs them through its own PgBouncer."
	  skip+=("not pgbouncer")
	fi
	if [ $${#skip[@]} -gt 0 ]; then
	  expr=$${skip[0]}
	  for item in "$${skip[@]:1}"; do expr="$$expr and $$item"; done
	  args+=(-m "$$expr")
	fi
	db=$${DATABASE_URL:+$${DATABASE_URL%%:*} (DATABASE_URL)}
	broker=$${REDIS_URL:+Redis (REDIS_URL)}
	echo "Database: $${db:-SQLite}; broker: $${broker:-none, tasks run eagerly}; Chromium: $${CHROMIUM_PATH:-none}"
	rc=0
	DJANGO_ALLOW_ASYNC_UNSAFE=true $(VENV)/bin/pytest "$${args[@]}" $(PYTEST_ARGS) || rc=$$?
	if [ $$rc -eq 5 ]; then
	  echo "error: pytest collected no tests (exit code 5)" >&2
	fi
	exit $$rc

lint: venv
	@$(VENV)/bin/ruff check .
	@$(VENV)/bin/ruff format --check .

fmt: venv
	@$(VENV)/bin/ruff check --select I --fix .
	$(VENV)/bin/ruff format .

worker: venv
	@$(VENV)/bin/celery -A config worker -l info

beat: venv
	@mkdir -p var
	$(VENV)/bin/celery -A config beat -l info --schedule var/celerybeat-schedule

clean:
	@rm -rf .pytest_cache .ruff_cache test-results var db.sqlite3 staticfiles
	find . -path ./.venv -prune -o -name __pycache__ -type d -exec rm -rf {} +

distclean: clean
	@rm -rf $(VENV) node_modules
