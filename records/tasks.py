"""Background work for the archive: building a requested export."""

from celery import shared_task
from django.utils import timezone
from django_scopes import scope

from partnerships.jobs import ProgramTask
from partnerships.tenancy import cross_program

from . import retention, services
from .models import ProgramExport, RetentionRule


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


@shared_task(name="records.apply_retention")
def apply_retention() -> int:
    """Beat, daily: apply every program's retention rules; returns how many rows were removed."""
    now = timezone.now()
    # Beat looks across all programs; each program is then handled in its own scope.
    with cross_program("archive"):
        programs = {rule.program for rule in RetentionRule.objects.select_related("program")}
    removed = 0
    for program in sorted(programs, key=lambda p: p.pk):
        with scope(program=program):
            removed += sum(len(item.rows) for item in retention.apply(program, now))
    return removed
