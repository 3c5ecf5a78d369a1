"""Background work for meetings: invitation e-mails and their sweeper."""

import datetime

from celery import shared_task
from django.utils import timezone
from django_scopes import scope, scopes_disabled

from . import services
from .models import Meeting, MeetingInvitation


@shared_task(name="meetings.send_meeting_invitations", acks_late=True)
def send_meeting_invitations(*, meeting_id: int) -> int:
    """Send a meeting's queued invitation e-mails. Safe to run twice: sent ones are skipped."""
    # A task has no request: look the meeting up by id, then work inside its program's scope.
    with scopes_disabled():
        meeting = Meeting.objects.select_related("program").filter(pk=meeting_id).first()
    if meeting is None:
        return 0
    with scope(program=meeting.program):
        return services.deliver_meeting_invitations(meeting=meeting)


@shared_task(name="meetings.send_pending_meeting_invitations")
def send_pending_meeting_invitations() -> int:
    """Sweeper (celery beat): send meeting invitations that could not be queued earlier (broker
    down at the time). Meetings that have already ended are left alone."""
    now = timezone.now()
    # The sweeper runs across all programs; each meeting is then handled inside its own scope.
    with scopes_disabled():
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
