"""``manage.py restore ARCHIVE [--check] [--verify-only]``: a backup of ``manage.py backup``
into an empty database and the configured storage (local disk or bucket).

``--check`` then proves the restore: the row count of every table and the SHA-256 of every file
equal the archive's manifest, or the command fails listing what differs. ``--verify-only``
restores nothing and compares the current database and storage with the archive. See
partnerships/backup.py.
"""

import tarfile

from django.core.management.base import BaseCommand, CommandError

from partnerships.backup import BackupError, read_manifest, restore_backup, verify


class Command(BaseCommand):
    help = "Återställ en säkerhetskopia till en tom databas och lagringen, och kontrollera den."

    def add_arguments(self, parser):
        parser.add_argument("archive", help="Arkivet som manage.py backup skrev")
        parser.add_argument(
            "--check",
            action="store_true",
            help="Jämför efteråt radantal och kontrollsummor med säkerhetskopian",
        )
        parser.add_argument(
            "--verify-only",
            action="store_true",
            help="Återställ inget: jämför bara nuvarande databas och filer med arkivet",
        )

    def handle(self, *args, archive, check=False, verify_only=False, **options):
        try:
            if verify_only:
                with tarfile.open(archive, "r") as opened:
                    manifest = read_manifest(opened)
            else:
                manifest = restore_backup(archive)
                self.stdout.write(
                    f"Återställt: {len(manifest['database']['tables'])} tabeller, "
                    f"{len(manifest['files'])} filer."
                )
            if check or verify_only:
                problems = verify(manifest)
                if problems:
                    raise CommandError(
                        "Skiljer sig från säkerhetskopian:\n  " + "\n  ".join(problems)
                    )
                self.stdout.write(
                    f"Kontrollerat: radantalet i {len(manifest['database']['tables'])} tabeller "
                    f"och kontrollsummorna för {len(manifest['files'])} filer stämmer."
                )
        except (BackupError, tarfile.TarError, FileNotFoundError) as error:
            raise CommandError(str(error)) from None
