"""Background work for meetings: invitation e-mails and their sweeper."""

import datetime

from celery import shared_task
from django.utils import timezone

from partnerships.jobs import ProgramTask
from partnerships.tenancy import cross_program

from . import services
from .models import Meeting, MeetingInvitation


@shared_task(
    name="meetings.send_meeting_invitations",
    acks_late=True,
    base=ProgramTask,
    program_model="meetings.Meeting",
    id_kwarg="meeting_id",
)
def send_meeting_invitations(meeting: Meeting) -> int:
    """Send a meeting's queued invitation e-mails. Safe to run twice: sent ones are skipped."""
    return services.deliver_meeting_invitations(meeting=meeting)


@shared_task(name="meetings.send_pending_meeting_invitations")
def send_pending_meeting_invitations() -> int:
    """Sweeper (celery beat): send meeting invitations that could not be queued earlier (broker
    down at the time). Meetings that have already ended are left alone."""
    now = timezone.now()
    # The sweeper runs across all programs; each meeting is then handled inside its own scope.
    with cross_program("sweeper"):
        meeting_ids = sorted(
            set(
                MeetingInvitation.objects.filter(
                    sent_at__isnull=True,
                    queued_at__lt=now - datetime.timedelta(minutes=2),
                    meeting__ends_at__gt=now,
                ).values_list("meeting_id", flat=True)[:500]
            )
        )
    for meeting_id in meeting_ids:
        send_meeting_invitations(meeting_id=meeting_id)
    return len(meeting_ids)
