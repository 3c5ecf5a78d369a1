"""Background work of the kernel: invitation e-mails and their sweeper."""

import datetime

from celery import shared_task
from django.utils import timezone
from django_scopes import scope, scopes_disabled

from . import services
from .models import Invitation


@shared_task(name="partnerships.send_invitation_email", acks_late=True)
def send_invitation_email(*, invitation_id: int) -> None:
    """Send one invitation e-mail. Safe to run twice: a sent invitation is not sent again."""
    # A task has no request: look the row up by id, then work inside its program's scope.
    with scopes_disabled():
        invitation = Invitation.objects.select_related("program").filter(pk=invitation_id).first()
    if invitation is None:
        return
    with scope(program=invitation.program):
        services.deliver_invitation_email(invitation=invitation)


@shared_task(name="partnerships.send_pending_invitation_emails")
def send_pending_invitation_emails() -> int:
    """Sweeper (celery beat): send invitation e-mails that could not be queued earlier."""
    cutoff = timezone.now() - datetime.timedelta(minutes=2)
    # The sweeper runs across all programs; each e-mail is then sent inside its own scope.
    with scopes_disabled():
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
