"""Background work of the kernel: invitation e-mails and their sweeper."""

import datetime

from celery import shared_task
from django.utils import timezone

from . import services
from .jobs import ProgramTask
from .models import Invitation
from .tenancy import cross_program


@shared_task(
    name="partnerships.send_invitation_email",
    acks_late=True,
    base=ProgramTask,
    program_model="partnerships.Invitation",
    id_kwarg="invitation_id",
)
def send_invitation_email(invitation: Invitation) -> None:
    """Send one invitation e-mail. Safe to run twice: a sent invitation is not sent again."""
    services.deliver_invitation_email(invitation=invitation)


@shared_task(name="partnerships.send_pending_invitation_emails")
def send_pending_invitation_emails() -> int:
    """Sweeper (celery beat): send invitation e-mails that could not be queued earlier."""
    cutoff = timezone.now() - datetime.timedelta(minutes=2)
    # The sweeper runs across all programs; each e-mail is then sent inside its own scope.
    with cross_program("sweeper"):
        pending = list(
            Invitation.objects.filter(
                email_sent_at__isnull=True,
                accepted_at__isnull=True,
                revoked_at__isnull=True,
                created_at__lt=cutoff,
                expires_at__gt=timezone.now(),
            ).values_list("pk", flat=True)[:500]
        )
    for pk in pending:
        send_invitation_email(invitation_id=pk)
    return len(pending)
