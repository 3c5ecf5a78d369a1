"""Archive exports: requested and audited, built in the background, listed (DESIGN §7)."""

import logging
import shutil
import tempfile
from pathlib import Path

from django.core.files import File
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from partnerships.exceptions import DomainError
from partnerships.jobs import enqueue_on_commit
from partnerships.models import Program

from . import archive
from .models import ProgramExport

logger = logging.getLogger(__name__)


def exporter_name(user) -> str:
    if user is None:
        return _("kommandoraden")
    full = user.get_full_name() if hasattr(user, "get_full_name") else ""
    return f"{full} <{user.email}>" if full else user.email


def bag_name(export: ProgramExport) -> str:
    return f"arkiv-{export.program.slug}-{timezone.localtime(export.created_at):%Y%m%d-%H%M}"


def request_export(*, actor, program: Program) -> ProgramExport:
    """Store and audit the request; the bag is built by ``records.build_export``."""
    if ProgramExport.objects.filter(
        program=program,
        status__in=[ProgramExport.Status.PENDING, ProgramExport.Status.RUNNING],
    ).exists():
        raise DomainError(_("En export av programmet pågår redan. Vänta tills den är klar."))
    with transaction.atomic():
        export = ProgramExport.objects.create(program=program, requested_by=actor)
        export.log_action("create", actor=actor, changes={"status": [None, export.status]})
        enqueue_on_commit("records.build_export", export_id=export.pk)
    return export


def _finish(export: ProgramExport, *, counts: dict, size: int, actor) -> None:
    export.status = ProgramExport.Status.READY
    export.counts = counts
    export.size = size
    export.finished_at = timezone.now()
    export.save()
    export.log_action(
        "update",
        actor=actor,
        changes={"status": [ProgramExport.Status.RUNNING, export.status], "size": [None, size]},
    )


def build_export(export: ProgramExport) -> ProgramExport:
    """Build the bag in a temporary directory, zip it and store the .zip with the export."""
    if export.status == ProgramExport.Status.READY:
        return export
    export.status = ProgramExport.Status.RUNNING
    export.started_at = timezone.now()
    export.save(update_fields=["status", "started_at"])
    work = Path(tempfile.mkdtemp(prefix="trygga-export-"))
    try:
        bag_dir = work / bag_name(export)
        _bag, manifest = archive.write_bag(
            export.program, bag_dir, exported_by=exporter_name(export.requested_by)
        )
        zip_path = work / f"{bag_dir.name}.zip"
        archive.zip_bag(bag_dir, zip_path)
        with open(zip_path, "rb") as handle:
            export.archive.save(f"{bag_dir.name}.zip", File(handle), save=False)
        _finish(
            export,
            counts=manifest.counts,
            size=zip_path.stat().st_size,
            actor=export.requested_by,
        )
    except Exception:
        logger.exception("Archive export %s failed", export.pk)
        export.status = ProgramExport.Status.FAILED
        export.failure_reason = _("Exporten kunde inte skapas. Försök igen eller kontakta support.")
        export.finished_at = timezone.now()
        export.save()
        export.log_action(
            "update",
            actor=export.requested_by,
            changes={"status": [ProgramExport.Status.RUNNING, export.status]},
        )
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return export


def export_to_path(*, program: Program, out: Path, actor=None, as_zip: bool = False):
    """The command line's export: the bag written at ``out`` (or ``out`` as a .zip), listed and
    audited like an export from the web."""
    out = Path(out)
    if out.exists():
        raise DomainError(_("%(path)s finns redan. Välj en ny sökväg.") % {"path": out})
    export = ProgramExport.objects.create(
        program=program,
        requested_by=actor,
        status=ProgramExport.Status.RUNNING,
        started_at=timezone.now(),
        destination=str(out.resolve()),
    )
    export.log_action("create", actor=actor, changes={"destination": [None, export.destination]})
    if as_zip:
        work = Path(tempfile.mkdtemp(prefix="trygga-export-"))
        try:
            bag_dir = work / out.name.removesuffix(".zip")
            bag, manifest = archive.write_bag(program, bag_dir, exported_by=exporter_name(actor))
            archive.zip_bag(bag_dir, out)
        finally:
            shutil.rmtree(work, ignore_errors=True)
    else:
        bag, manifest = archive.write_bag(program, out, exported_by=exporter_name(actor))
    size = (
        out.stat().st_size
        if as_zip
        else sum(p.stat().st_size for p in out.rglob("*") if p.is_file())
    )
    _finish(export, counts=manifest.counts, size=size, actor=actor)
    return export, manifest
