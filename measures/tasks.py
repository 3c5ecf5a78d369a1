"""Background work for the action plan: assignment e-mails and the weekly overdue digest."""

from celery import shared_task
from django_scopes import scope, scopes_disabled

from partnerships.models import Program

from . import services
from .models import Measure


@shared_task(name="measures.send_assignment_email")
def send_assignment_email(*, measure_id: int) -> int:
    """E-mail the responsible organisation of one measure."""
    # A task has no request: look the row up by id, then work inside its program's scope.
    with scopes_disabled():
        measure = (
            Measure.objects.select_related("program", "place", "responsible")
            .filter(pk=measure_id)
            .first()
        )
    if measure is None:
        return 0
    with scope(program=measure.program):
        return services.deliver_assignment_email(measure=measure)


@shared_task(name="measures.send_overdue_digests")
def send_overdue_digests() -> int:
    """Weekly (celery beat): each organisation's overdue measures, once per ISO week."""
    sent = 0
    for program in Program.objects.all():
        with scope(program=program):
            sent += services.send_overdue_digests(program=program)
    return sent
