"""Tenant isolation in PostgreSQL itself: row-level security under the application's scoping.

The application scopes every query with django-scopes (``scope(program=…)``; ``ProgramOwned``'s
manager raises outside one). This module is the second layer, in the database: every
program-owned table carries a policy that lets a row through only when its program is in the
transaction-local setting ``app.programs``. The custom PostgreSQL backend
(``config/postgresql``) keeps that setting equal to the django-scopes state before every
statement, with ``set_config(…, true)``, i.e. ``SET LOCAL``: it ends with the transaction, so it
works through PgBouncer's transaction pooling and can never outlive the request or task that
set it.

The setting has three forms:

* ``''`` (or unset): no program context, a program-owned table shows no rows and accepts none;
* ``'3'`` or ``'3,7'``: the rows of these programs (``scope(program=…)``, one or several);
* ``'*'``: every program, only inside :func:`cross_program`, the one door for the deliberate
  cross-program paths. Each caller names its reason, and ``tests/test_rls.py`` lists them.

Tables are found from the models, not listed by hand (:func:`protected_tables`): a model with a
``program`` foreign key gets a direct policy; a table without one that hangs off program-owned
rows (many-to-many tables, a question's options) gets a policy through its parent. A new model is
protected by the next ``migrate`` (:func:`apply_policies` runs on ``post_migrate``), and the test
suite fails if any table is left without a policy.

The web, worker and beat processes connect as ``DATABASE_APP_ROLE`` (e.g. ``trygga_app``): a
role that owns no table and has no BYPASSRLS, so the policies bind it. Migrations run as the
owner role, which PostgreSQL exempts from its own tables' policies; :func:`apply_policies`
grants the application role what it needs. SQLite, the embedded default, has no row-level
security: there the application's scoping stands alone.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from django.apps import apps
from django.db import models
from django_scopes import scopes_disabled
from django_scopes.state import get_scope

SETTING = "app.programs"
ALL_PROGRAMS = "*"
NO_PROGRAM = ""

# The apps whose tables may hold a program's rows.
APP_LABELS = ("partnerships", "platser", "meetings", "surveys", "measures", "reports", "records")
# Tables of those apps that belong to no program, and why.
SHARED_TABLES = {
    "partnerships_program": "the tenants themselves: the program middleware resolves the URL",
    "partnerships_user": "a person may belong to several programs; login precedes any program",
    "partnerships_user_groups": "Django's permissions of a user (staff only)",
    "partnerships_user_user_permissions": "Django's permissions of a user (staff only)",
    "platser_municipality": "reference data: Sweden's 290 municipalities",
}


def database_context() -> str:
    """The value of ``app.programs`` that the current django-scopes state asks for."""
    state = get_scope()
    if not state:
        return NO_PROGRAM
    if not state.get("_enabled", True):
        return ALL_PROGRAMS
    return _program_ids(state.get("program"))


def _program_ids(value) -> str:
    if value is None:
        return NO_PROGRAM
    if isinstance(value, models.QuerySet):
        # Never evaluated here: that would run a query from inside the statement hook.
        raise TypeError("scope(program=…) takes a program, an id or a list of them, not a QuerySet")
    items = value if isinstance(value, list | tuple | set | frozenset) else [value]
    ids = sorted({int(getattr(item, "pk", item)) for item in items})
    return ",".join(str(pk) for pk in ids)


# Why each deliberate cross-program path exists. :func:`cross_program` accepts only these keys,
# so the reasons stay in one place and a new path has to be added (and argued for) here.
CROSS_PROGRAM_REASONS = {
    "login": "the program picker and the landing page list a user's programs of every tenant",
    "invitation": "an invitation token identifies its program before the invitee is a member",
    "public-survey": "a survey's public token identifies its program; the resident is anonymous",
    "calendar-feed": "a calendar feed's token identifies its program; calendars send no session",
    "task": "a queued task finds its record by id and then enters that record's program",
    "sweeper": "periodic jobs look over every program's queue (stuck reports, schedules, digests)",
    "archive": "the archive export and retention work on one program after finding it by slug",
    "personal-data": "a person's register extract and erasure span every program they were in",
    "demo": "the demo loader and the benchmark generators build several programs",
    "admin": "Django's admin, for staff with a superuser account",
}


@contextmanager
def cross_program(reason: str) -> Iterator[None]:
    """Leave the program scope deliberately, for one of :data:`CROSS_PROGRAM_REASONS`.

    Both layers open together: django-scopes stops filtering and ``app.programs`` becomes ``'*'``.
    Code that only forgets to enter a scope gets neither.
    """
    if reason not in CROSS_PROGRAM_REASONS:
        raise ValueError(f"unknown cross-program reason {reason!r}")
    with scopes_disabled():
        yield


# --- The policies --------------------------------------------------------------------------


@dataclass(frozen=True)
class ProtectedTable:
    table: str
    # The program column, or for a table without one, its parent table and the joining column.
    program_column: str | None = None
    # A nullable program: a row without one is shared by every program (the standard question
    # bank). Everyone may read it; only a cross-program path may write it.
    shared_rows: bool = False
    parent_table: str | None = None
    parent_column: str | None = None


def _program_foreign_key(model) -> models.ForeignKey | None:
    for field in model._meta.concrete_fields:
        if field.many_to_one and field.related_model._meta.label == "partnerships.Program":
            return field
    return None


def protected_tables(app_registry=apps) -> list[ProtectedTable]:
    """Every table of :data:`APP_LABELS` that holds a program's rows, from the models."""
    owned = {}
    children = []
    for model in app_registry.get_models(include_auto_created=True):
        if model._meta.app_label not in APP_LABELS or not model._meta.managed:
            continue
        table = model._meta.db_table
        if table in SHARED_TABLES:
            continue
        key = _program_foreign_key(model)
        if key is not None:
            owned[table] = ProtectedTable(table, program_column=key.column, shared_rows=key.null)
        else:
            children.append(model)
    found = list(owned.values())
    for model in children:
        parent = next(
            (
                field
                for field in model._meta.concrete_fields
                if field.many_to_one and field.related_model._meta.db_table in owned
            ),
            None,
        )
        if parent is None:
            raise LookupError(
                f"{model._meta.db_table} has no program and no program-owned parent: "
                "give it a program, or list it in SHARED_TABLES with the reason"
            )
        found.append(
            ProtectedTable(
                model._meta.db_table,
                parent_table=parent.related_model._meta.db_table,
                parent_column=parent.column,
            )
        )
    return sorted(found, key=lambda t: t.table)


POLICY = "program_isolation"
# current_setting(…, true) is NULL when unset; nullif turns '' into NULL too: both match nothing.
# '*' becomes NULL on the array's side as well, so either side of the OR may be evaluated first
# ('*' is no bigint). Both sides are uncorrelated scalar subqueries: PostgreSQL evaluates each
# once per query (an InitPlan), not once per row, and `program_id = ANY(…)` can use the index;
# the cast stands outside the array's subquery, or ANY would compare with the subquery's rows.
PROGRAM_TEST = (
    "((SELECT current_setting('app.programs', true) = '*') OR {column} = ANY ((SELECT "
    "string_to_array(nullif(nullif(current_setting('app.programs', true), ''), '*'), ','))"
    "::bigint[]))"
)


def policy_expression(table: ProtectedTable, quote, *, reading: bool = True) -> str:
    if table.program_column:
        test = PROGRAM_TEST.format(column=quote(table.program_column))
        if table.shared_rows and reading:
            return f"{quote(table.program_column)} IS NULL OR {test}"
        return test
    # The parent's own policy applies inside the subquery: a child row is visible, and may be
    # written, exactly when its parent row is.
    return (
        f"EXISTS (SELECT 1 FROM {quote(table.parent_table)} AS parent "
        f"WHERE parent.id = {quote(table.table)}.{quote(table.parent_column)})"
    )


def policy_statements(tables: Iterable[ProtectedTable], quote) -> list[str]:
    statements = []
    for table in tables:
        name = quote(table.table)
        reading = policy_expression(table, quote)
        writing = policy_expression(table, quote, reading=False)
        statements += [
            f"ALTER TABLE {name} ENABLE ROW LEVEL SECURITY",
            f"DROP POLICY IF EXISTS {POLICY} ON {name}",
            f"CREATE POLICY {POLICY} ON {name} USING ({reading}) WITH CHECK ({writing})",
        ]
    return statements


def grant_statements(role: str, quote) -> list[str]:
    """What the application role may do: read and write rows, never own or alter a table."""
    role = quote(role)
    return [
        f"GRANT USAGE ON SCHEMA public TO {role}",
        f"GRANT SELECT, INSERT, UPDATE, DELETE, TRUNCATE ON ALL TABLES IN SCHEMA public TO {role}",
        f"GRANT USAGE, SELECT, UPDATE ON ALL SEQUENCES IN SCHEMA public TO {role}",
    ]


def apply_policies(connection, *, app_role: str | None = None, verbosity: int = 1) -> int:
    """Enable row-level security with the program policy on every protected table, and grant
    ``app_role`` its rights. Idempotent; runs after every ``migrate`` on PostgreSQL."""
    if connection.vendor != "postgresql":
        return 0
    quote = connection.ops.quote_name
    existing = set(connection.introspection.table_names())
    tables = [t for t in protected_tables() if t.table in existing]
    statements = policy_statements(tables, quote)
    if app_role:
        statements += grant_statements(app_role, quote)
    with connection.cursor() as cursor:
        for statement in statements:
            cursor.execute(statement)
    if verbosity >= 2:
        print(f"  Row-level security on {len(tables)} tables")  # noqa: T201
    return len(tables)


def role_can_bypass(connection, role: str) -> bool:
    """Whether ``role`` escapes the policies (superuser, BYPASSRLS), for the deploy check."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT rolsuper OR rolbypassrls FROM pg_roles WHERE rolname = %s", [role])
        row = cursor.fetchone()
    return bool(row and row[0])


def protect_after_migrate(sender, using="default", verbosity=1, **kwargs):
    """``post_migrate``: the policies follow the models, so a new table is protected at once."""
    from django.conf import settings
    from django.db import connections

    apply_policies(
        connections[using],
        app_role=getattr(settings, "DATABASE_APP_ROLE", "") or None,
        verbosity=verbosity,
    )
