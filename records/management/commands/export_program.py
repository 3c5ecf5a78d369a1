"""``manage.py export_program SLUG --out PATH``: the whole program as a BagIt bag."""

from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django_scopes import scope

from partnerships.exceptions import DomainError
from partnerships.models import Program
from records import services


class Command(BaseCommand):
    help = "Exportera ett helt program som ett BagIt-paket (katalog eller .zip)."

    def add_arguments(self, parser):
        parser.add_argument("slug", help="Programmets kortnamn")
        parser.add_argument(
            "--out", required=True, help="Ny katalog, eller en fil som slutar på .zip"
        )
        parser.add_argument("--by", default="", help="E-postadress till den som exporterar")

    def handle(self, *args, slug, out, by, **options):
        program = Program.objects.filter(slug=slug).first()
        if program is None:
            raise CommandError(f"Inget program med kortnamnet {slug!r}.")
        actor = None
        if by:
            actor = (
                get_user_model()
                .objects.filter(email__iexact=by, memberships__program=program)
                .first()
            )
            if actor is None:
                raise CommandError(f"Ingen medlem i {program.slug} med e-postadressen {by!r}.")
        out_path = Path(out)
        with scope(program=program):
            try:
                export, manifest = services.export_to_path(
                    program=program, out=out_path, actor=actor, as_zip=out.endswith(".zip")
                )
            except DomainError as error:
                raise CommandError(str(error)) from error
        rows = sum(n for name, n in manifest.counts.items() if name.endswith(".csv"))
        self.stdout.write(
            f"Skrev {out_path}: {len(manifest.counts)} filer med data, {rows} rader, "
            f"{len(manifest.files)} bifogade filer, {export.size} byte."
        )
        if manifest.missing:
            self.stderr.write(
                f"{len(manifest.missing)} filer saknades i lagringen (se README.txt)."
            )
