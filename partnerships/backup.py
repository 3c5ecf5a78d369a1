"""Backup and restore of a whole installation: the PostgreSQL database and every stored file.

A backup is one tar archive:

- ``database.dump``: ``pg_dump --format=custom`` of the database;
- ``files/<name>``: every file in the default storage (the local disk or the bucket);
- ``manifest.json``: the row count of every table and the SHA-256 and size of every file.

The row counts are taken in the very snapshot pg_dump dumps (``pg_export_snapshot()`` in a
repeatable-read transaction, handed to ``pg_dump --snapshot``), so they describe the dump exactly
even while the site is in use. Files are read after that; a file uploaded meanwhile is in the
archive without its row, never the other way round for files that existed before.

A restore goes into an *empty* database and a storage that holds none of the archive's files
under another content (so it can never overwrite production by mistake), then, with ``check``,
proves the restored row counts and file checksums equal the manifest. pg_dump and pg_restore
come from the PostgreSQL client (``postgresql-client``, the server's major version or newer) and
must reach PostgreSQL directly, not through PgBouncer's transaction pool (pg_dump holds one
transaction and a snapshot for its whole run).
"""

import datetime
import hashlib
import io
import json
import os
import shutil
import subprocess
import tarfile
import tempfile
from dataclasses import dataclass
from pathlib import Path

import psycopg
from django.core.files import File
from django.core.files.storage import default_storage
from django.db import connections
from psycopg import sql

from .files import is_bucket

FORMAT = 1
MANIFEST = "manifest.json"
DUMP = "database.dump"
FILES = "files/"
CHUNK = 1024 * 1024


class BackupError(Exception):
    """A backup or restore that cannot be done, with a message for the operator."""


@dataclass(frozen=True)
class Database:
    """Where libpq finds the database of a Django connection; the password goes by PGPASSWORD,
    never on a command line that ``ps`` shows."""

    host: str
    port: str
    user: str
    password: str
    name: str

    @classmethod
    def of(cls, alias: str = "default") -> "Database":
        settings = connections[alias].settings_dict
        if connections[alias].vendor != "postgresql":
            raise BackupError("Säkerhetskopiering kräver PostgreSQL (DATABASE_URL=postgres://…).")
        return cls(
            host=settings["HOST"] or "",
            port=str(settings["PORT"] or ""),
            user=settings["USER"] or "",
            password=settings["PASSWORD"] or "",
            name=settings["NAME"],
        )

    def args(self) -> list[str]:
        args = ["--dbname", self.name]
        if self.host:
            args += ["--host", self.host]
        if self.port:
            args += ["--port", self.port]
        if self.user:
            args += ["--username", self.user]
        return args

    def env(self) -> dict:
        env = {**os.environ, "PGCONNECT_TIMEOUT": "10"}
        if self.password:
            env["PGPASSWORD"] = self.password
        return env

    def connect(self, **kwargs) -> psycopg.Connection:
        return psycopg.connect(
            host=self.host or None,
            port=self.port or None,
            user=self.user or None,
            password=self.password or None,
            dbname=self.name,
            prepare_threshold=None,
            **kwargs,
        )


def _tool(name: str) -> str:
    path = shutil.which(name)
    if not path:
        raise BackupError(f"{name} saknas: installera PostgreSQL-klienten (postgresql-client).")
    return path


def _run(command: list[str], database: Database) -> None:
    result = subprocess.run(command, env=database.env(), capture_output=True, text=True)
    if result.returncode != 0:
        raise BackupError(f"{Path(command[0]).name} misslyckades: {result.stderr.strip()}")


def table_counts(cursor) -> dict[str, int]:
    """Rows of every table in the database's own schemas, on ``cursor``'s snapshot."""
    cursor.execute(
        "SELECT table_schema, table_name FROM information_schema.tables"
        " WHERE table_type = 'BASE TABLE'"
        " AND table_schema NOT IN ('pg_catalog', 'information_schema')"
        " ORDER BY table_schema, table_name"
    )
    counts = {}
    for schema, table in cursor.fetchall():
        name = table if schema == "public" else f"{schema}.{table}"
        cursor.execute(
            sql.SQL("SELECT count(*) FROM {}.{}").format(
                sql.Identifier(schema), sql.Identifier(table)
            )
        )
        counts[name] = cursor.fetchone()[0]
    return counts


def stored_names(storage, folder: str = "") -> list[str]:
    """Every file in ``storage`` (the local disk or the bucket), as storage names."""
    try:
        folders, files = storage.listdir(folder)
    except FileNotFoundError:  # an installation that never stored a file has no MEDIA_ROOT
        return []
    names = [f"{folder}{name}" for name in files]
    for sub in folders:
        names += stored_names(storage, f"{folder}{sub}/")
    return sorted(names)


def _checksum(storage, name: str) -> tuple[str, int]:
    digest, size = hashlib.sha256(), 0
    with storage.open(name, "rb") as handle:
        while chunk := handle.read(CHUNK):
            digest.update(chunk)
            size += len(chunk)
    return digest.hexdigest(), size


def create_backup(target: Path, *, alias: str = "default", storage=default_storage) -> dict:
    """Write the database and every stored file to the tar archive ``target``; return the
    manifest written into it."""
    database = Database.of(alias)
    pg_dump = _tool("pg_dump")
    target = Path(target)
    if target.exists():
        raise BackupError(f"{target} finns redan: välj ett nytt filnamn.")
    with tempfile.TemporaryDirectory(prefix="trygga-backup-") as work:
        dump = Path(work) / DUMP
        with database.connect() as snapshot_holder:
            snapshot_holder.execute("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY")
            snapshot = snapshot_holder.execute("SELECT pg_export_snapshot()").fetchone()[0]
            with snapshot_holder.cursor() as cursor:
                counts = table_counts(cursor)
            _run(
                [pg_dump, "--format=custom", "--no-owner", "--no-privileges"]
                + [f"--snapshot={snapshot}", "--file", str(dump), *database.args()],
                database,
            )
            snapshot_holder.rollback()
        manifest = {
            "format": FORMAT,
            "created_at": datetime.datetime.now(datetime.UTC).isoformat(timespec="seconds"),
            "database": {"name": database.name, "tables": counts},
            "storage": "bucket" if is_bucket(storage) else "local disk",
            "files": {},
        }
        partial = target.with_name(target.name + ".partial")
        with tarfile.open(partial, "w") as archive:
            archive.add(dump, arcname=DUMP)
            for name in stored_names(storage):
                with tempfile.TemporaryFile(dir=work) as copy:
                    digest, size = hashlib.sha256(), 0
                    with storage.open(name, "rb") as handle:
                        while chunk := handle.read(CHUNK):
                            digest.update(chunk)
                            copy.write(chunk)
                            size += len(chunk)
                    copy.seek(0)
                    info = tarfile.TarInfo(FILES + name)
                    info.size = size
                    archive.addfile(info, copy)
                manifest["files"][name] = {"sha256": digest.hexdigest(), "size": size}
            data = json.dumps(manifest, indent=2, sort_keys=True).encode()
            info = tarfile.TarInfo(MANIFEST)
            info.size = len(data)
            archive.addfile(info, io.BytesIO(data))
        partial.rename(target)  # a backup interrupted half-way never looks complete
    return manifest


def read_manifest(archive: tarfile.TarFile) -> dict:
    try:
        manifest = json.load(archive.extractfile(MANIFEST))
    except (KeyError, json.JSONDecodeError):
        raise BackupError("Arkivet saknar en läsbar manifest.json: ingen säkerhetskopia.") from None
    if manifest.get("format") != FORMAT:
        raise BackupError(f"Okänt format på säkerhetskopian: {manifest.get('format')!r}.")
    return manifest


def restore_backup(source: Path, *, alias: str = "default", storage=default_storage) -> dict:
    """Restore the archive ``source`` into the (empty) database and the storage; return its
    manifest."""
    database = Database.of(alias)
    pg_restore = _tool("pg_restore")
    with tarfile.open(source, "r") as archive:
        manifest = read_manifest(archive)
        with database.connect() as conn:
            tables = table_counts(conn.cursor())
        if tables:
            raise BackupError(
                f"Databasen {database.name} är inte tom ({len(tables)} tabeller): "
                "återställ bara till en ny, tom databas."
            )
        for name, expected in manifest["files"].items():
            if storage.exists(name) and _checksum(storage, name)[0] != expected["sha256"]:
                raise BackupError(f"Lagringen har redan en annan fil med namnet {name}.")
        with tempfile.TemporaryDirectory(prefix="trygga-restore-") as work:
            dump = Path(work) / DUMP
            with archive.extractfile(DUMP) as packed, open(dump, "wb") as unpacked:
                shutil.copyfileobj(packed, unpacked, CHUNK)
            _run(
                [pg_restore, "--no-owner", "--no-privileges", "--exit-on-error"]
                + ["--single-transaction", *database.args(), str(dump)],
                database,
            )
        for member in archive.getmembers():
            if not member.isfile() or not member.name.startswith(FILES):
                continue
            name = member.name.removeprefix(FILES)
            if storage.exists(name):
                continue  # the same content, checked above
            with archive.extractfile(member) as handle:
                content = File(handle, name=name)
                content.size = member.size
                saved = storage.save(name, content)
            if saved != name:
                raise BackupError(f"Filen {name} sparades som {saved}.")
    return manifest


def verify(manifest: dict, *, alias: str = "default", storage=default_storage) -> list[str]:
    """What differs between the database and storage now and ``manifest``: [] when the row
    count of every table and the checksum of every file are equal."""
    database = Database.of(alias)
    problems = []
    with database.connect() as conn:
        counts = table_counts(conn.cursor())
    expected_counts = manifest["database"]["tables"]
    for table in sorted(set(counts) | set(expected_counts)):
        have, want = counts.get(table), expected_counts.get(table)
        if have != want:
            problems.append(f"tabell {table}: {have} rader, säkerhetskopian har {want}")
    for name, expected in sorted(manifest["files"].items()):
        if not storage.exists(name):
            problems.append(f"fil {name} saknas")
        elif _checksum(storage, name) != (expected["sha256"], expected["size"]):
            problems.append(f"fil {name} har en annan kontrollsumma")
    return problems
