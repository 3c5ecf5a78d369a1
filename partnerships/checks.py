"""System checks of the deployment (``manage.py check --deploy``).

Row-level security binds only a role that owns no program table and has neither SUPERUSER nor
BYPASSRLS (PostgreSQL exempts both from the policies, partnerships/tenancy.py). A production
process connected as the owner would run with the application's scoping alone, silently: this
check makes that a deployment error instead.
"""

from __future__ import annotations

from django.core.checks import Error, Tags, Warning, register
from django.db import DatabaseError, connection


@register(Tags.security, deploy=True)
def check_database_role(app_configs=None, **kwargs):
    if connection.vendor != "postgresql":
        # SQLite, the embedded default, has no row-level security: the application's scoping
        # stands alone there (README, "Tenant isolation").
        return []
    from .tenancy import protected_tables, role_can_bypass

    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT current_user")
            role = cursor.fetchone()[0]
            cursor.execute(
                "SELECT count(*) FROM pg_tables WHERE tableowner = current_user "
                "AND schemaname = 'public' AND tablename = ANY(%s)",
                [[table.table for table in protected_tables()]],
            )
            owned = cursor.fetchone()[0]
        bypass = role_can_bypass(connection, role)
    except DatabaseError as exc:
        return [
            Warning(
                f"Could not ask PostgreSQL which role this process connects as: {exc}",
                id="rls.W001",
            )
        ]
    if bypass or owned:
        why = "is a superuser or has BYPASSRLS" if bypass else f"owns {owned} program tables"
        return [
            Error(
                f"The database role {role!r} {why}: row-level security does not bind it.",
                hint=(
                    "Connect web, worker and beat as the application role (DATABASE_APP_ROLE, "
                    "e.g. trygga_app: LOGIN NOSUPERUSER NOBYPASSRLS, owning no table) and run "
                    "migrate as the owner role; see docker-compose.yml."
                ),
                id="rls.E001",
            )
        ]
    return []
