#!/bin/sh
# Run once by the postgres image when the data volume is new (/docker-entrypoint-initdb.d):
# makes the application role that web, worker and beat connect as. Row-level security binds it
# because it owns no table and has neither SUPERUSER nor BYPASSRLS (partnerships/tenancy.py);
# `migrate`, connected as the owner POSTGRES_USER, grants it its rights on every table.
# For a volume made before this script existed, run the same statements once with psql.
set -eu
: "${DATABASE_APP_ROLE:?}" "${DATABASE_APP_PASSWORD:?}"
psql -v ON_ERROR_STOP=1 --username "$POSTGRES_USER" --dbname "$POSTGRES_DB" \
    -v role="$DATABASE_APP_ROLE" -v password="$DATABASE_APP_PASSWORD" <<'SQL'
CREATE ROLE :"role" LOGIN NOSUPERUSER NOBYPASSRLS NOCREATEDB NOCREATEROLE PASSWORD :'password';
GRANT CONNECT ON DATABASE :"DBNAME" TO :"role";
SQL
