"""Background work for the action plan: assignment e-mails and the weekly overdue digest."""

from celery import shared_task
from django_scopes import scope

from partnerships.jobs import ProgramTask
from partnerships.models import Program

from . import services
from .models import Measure


@shared_task(
    name="measures.send_assignment_email",
    base=ProgramTask,
    program_model="measures.Measure",
    id_kwarg="measure_id",
    select_related=("program", "place", "responsible"),
)
def send_assignment_email(measure: Measure) -> int:
    """E-mail the responsible organisation of one measure."""
    return services.deliver_assignment_email(measure=measure)


@shared_task(name="measures.send_overdue_digests")
def send_overdue_digests() -> int:
    """Weekly (celery beat): each organisation's overdue measures, once per ISO week."""
    sent = 0
    for program in Program.objects.all():
        with scope(program=program):
            sent += services.send_overdue_digests(program=program)
    return sent
