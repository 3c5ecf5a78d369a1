"""``manage.py backup [--output FILE]``: the database (pg_dump) and every stored file, from the
local disk or the bucket, in one tar archive with a manifest of row counts and checksums.

Run it against PostgreSQL directly, not through PgBouncer (in docker-compose:
``docker-compose run --rm -e DATABASE_URL=postgres://…@db:5432/… -v $PWD:/backup web
python manage.py backup --output /backup/trygga.tar``). See partnerships/backup.py.
"""

import datetime
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from partnerships.backup import BackupError, create_backup


class Command(BaseCommand):
    help = "Säkerhetskopiera databasen och alla lagrade filer till ett tar-arkiv."

    def add_arguments(self, parser):
        parser.add_argument(
            "--output",
            help="Arkivets filnamn (standard: trygga-backup-<tid>.tar i aktuell mapp)",
        )

    def handle(self, *args, output=None, **options):
        stamp = datetime.datetime.now().strftime("%Y%m%d-%H%M%S")
        target = Path(output or f"trygga-backup-{stamp}.tar")
        try:
            manifest = create_backup(target)
        except BackupError as error:
            raise CommandError(str(error)) from None
        rows = sum(manifest["database"]["tables"].values())
        self.stdout.write(
            f"{target}: {len(manifest['database']['tables'])} tabeller ({rows} rader), "
            f"{len(manifest['files'])} filer från {manifest['storage']}."
        )
