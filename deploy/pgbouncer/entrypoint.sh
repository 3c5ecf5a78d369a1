#!/bin/sh
# Write pgbouncer.ini and the user list from the environment, then run PgBouncer in the
# foreground. Transaction pooling: the app sets DATABASE_TRANSACTION_POOLING=true to match.
set -eu

: "${DB_HOST:=db}" "${DB_PORT:=5432}" "${DB_NAME:?}" "${DB_USER:?}" "${DB_PASSWORD:?}"
dir=/tmp/pgbouncer
mkdir -p "$dir"
umask 077

# Double quotes in the password are doubled, as the auth_file format requires.
printf '"%s" "%s"\n' "$DB_USER" "$(printf '%s' "$DB_PASSWORD" | sed 's/"/""/g')" >"$dir/userlist.txt"
cat >"$dir/pgbouncer.ini" <<EOF
[databases]
$DB_NAME = host=$DB_HOST port=$DB_PORT dbname=$DB_NAME

[pgbouncer]
listen_addr = 0.0.0.0
listen_port = 6432
unix_socket_dir =
auth_type = scram-sha-256
auth_file = $dir/userlist.txt
pool_mode = transaction
; Client connections are cheap: every gunicorn worker and Celery process keeps one.
max_client_conn = ${PGBOUNCER_MAX_CLIENT_CONN:-1000}
; Server connections per database and user: what PostgreSQL actually sees.
default_pool_size = ${PGBOUNCER_POOL_SIZE:-20}
reserve_pool_size = 5
server_lifetime = 3600
server_idle_timeout = 600
ignore_startup_parameters = extra_float_digits
log_connections = 0
log_disconnections = 0
EOF
exec pgbouncer "$dir/pgbouncer.ini"
