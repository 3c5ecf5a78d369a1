"""Buttons into the action plan appear only for members who may use them at that place."""

import pytest
from django.urls import reverse

from tests.factories import DecisionFactory, FindingFactory, MeetingFactory

pytestmark = pytest.mark.django_db

CREATE_FROM_DECISION = "Skapa åtgärd från beslutet"
CREATE_FROM_FINDING = "Gör om till åtgärd"


def _log_link(program, place):
    return reverse("measures:activity_create", kwargs={"program": program.slug, "place": place.pk})


def _page(client, name, program, **kwargs):
    return client.get(reverse(name, kwargs={"program": program.slug, **kwargs})).content.decode()


def test_place_lead_of_the_place_gets_the_buttons(client_for, place_lead, program, place):
    client = client_for(place_lead)
    meeting = MeetingFactory(place=place)
    DecisionFactory(meeting=meeting)
    finding = FindingFactory(place=place)

    assert CREATE_FROM_DECISION in _page(client, "meetings:meeting", program, pk=meeting.pk)
    assert CREATE_FROM_FINDING in _page(
        client, "platser:finding", program, place=place.pk, pk=finding.pk
    )
    assert _log_link(program, place) in _page(client, "platser:place", program, pk=place.pk)


def test_place_lead_of_another_place_does_not(client_for, other_place_lead, program, place):
    client = client_for(other_place_lead)
    meeting = MeetingFactory(place=place)
    DecisionFactory(meeting=meeting)
    finding = FindingFactory(place=place)

    meeting_page = _page(client, "meetings:meeting", program, pk=meeting.pk)
    assert "card decision" in meeting_page  # the decision is shown, only without the button
    assert CREATE_FROM_DECISION not in meeting_page
    assert CREATE_FROM_FINDING not in _page(
        client, "platser:finding", program, place=place.pk, pk=finding.pk
    )
    assert _log_link(program, place) not in _page(client, "platser:place", program, pk=place.pk)
