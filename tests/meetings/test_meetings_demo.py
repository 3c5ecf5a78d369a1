"""The demo meetings: every pilot place gets a past steering-group meeting with attendance,
minutes and decisions and an upcoming working-group meeting; a second run changes nothing."""

import pytest
from django.utils import timezone
from django_scopes import scopes_disabled

from demo import meetings as meetings_demo
from demo import places as demo
from meetings.models import Decision, Meeting
from partnerships.models import AuditEntry

pytestmark = pytest.mark.django_db


def _rows():
    with scopes_disabled():  # test assertion across both demo programs
        return (
            sorted(Meeting.objects.values_list("title", "starts_at", "sequence")),
            sorted(Decision.objects.values_list("meeting__title", "number", "text")),
            AuditEntry.objects.count(),
        )


def test_demo_meetings_at_every_pilot_place_and_idempotent():
    first = demo.load_demo(steps=[meetings_demo.load])
    rows = _rows()
    second = demo.load_demo(steps=[meetings_demo.load])

    assert second.created == 0 and second.updated == 0
    assert _rows() == rows
    now = timezone.now()
    with scopes_disabled():  # test assertion across the demo programs
        for key in meetings_demo.PILOTS:
            place = first.places[key]
            past = Meeting.objects.get(place=place, kind=Meeting.Kind.STEERING)
            upcoming = Meeting.objects.get(
                place=place, kind=Meeting.Kind.WORKING, starts_at__gt=now
            )
            assert past.ends_at < now < upcoming.starts_at
            # The working group met every third month of the program period, with attendance.
            held = Meeting.objects.filter(
                place=place, kind=Meeting.Kind.WORKING, starts_at__lt=now
            ).order_by("starts_at")
            program = place.program
            assert held.count() >= 6
            assert all(
                program.period_start <= m.starts_at.date() <= program.period_end for m in held
            )
            assert all(m.attendances.filter(status="narvarande").exists() for m in held)
            assert list(past.decisions.values_list("number", flat=True)) == [1, 2, 3]
            assert past.attendances.filter(status="narvarande").exists()
            assert all(item.minutes for item in past.agenda_items.all())
            assert upcoming.agenda_items.count() == 3
        assert Meeting.objects.filter(place__isnull=True).count() == 1
