"""Background work for the archive: building a requested export."""

from celery import shared_task

from partnerships.jobs import ProgramTask

from . import services
from .models import ProgramExport


@shared_task(
    name="records.build_export",
    acks_late=True,
    base=ProgramTask,
    program_model="records.ProgramExport",
    id_kwarg="export_id",
    select_related=("program", "requested_by"),
)
def build_export(export: ProgramExport) -> str:
    return services.build_export(export).status
