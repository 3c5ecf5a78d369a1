"""A finding made on a safety walk that is still kept on the phone (both sent later, in either
order) ends up linked to that walk, with the scores given at its stop; each stored once."""

import uuid

import pytest
from django.urls import reverse
from django_scopes import scope

from partnerships.models import AuditEntry
from platser.models import Finding, SafetyWalk, WalkScore
from tests.platser.test_findings_views import finding_data
from tests.platser.test_walks_views import walk_data

pytestmark = pytest.mark.django_db


def post_finding(client, place, walk_id, **extra):
    url = reverse(
        "platser:finding_create", kwargs={"program": place.program.slug, "place": place.pk}
    )
    data = finding_data(
        client_id=str(uuid.uuid4()),
        walk_client_id=str(walk_id),
        source="trygghetsvandring",
        **extra,
    )
    return client.post(url, data)


def post_walk(client, place, organisation, walk_id):
    url = reverse("platser:walk_create", kwargs={"program": place.program.slug, "place": place.pk})
    return client.post(url, walk_data(organisation, client_id=str(walk_id)))


def test_a_finding_sent_before_its_walk_is_linked_when_the_walk_arrives(
    program, place, place_lead, stakeholder, organisation, client_for
):
    client = client_for(place_lead)
    walk_id = uuid.uuid4()
    scored = {"score_belysning": "2", "comment_belysning": "Mörkt vid trappan."}
    assert post_finding(client, place, walk_id, **scored).status_code == 302  # not refused
    with scope(program=program):
        finding = Finding.objects.get()
        assert finding.walk is None and finding.walk_client_id == walk_id
        assert finding.pending_scores == {"belysning": [2, "Mörkt vid trappan."]} | {
            c: [None, ""] for c in finding.pending_scores if c != "belysning"
        }
        assert not WalkScore.objects.exists()

    assert post_walk(client, place, organisation, walk_id).status_code == 302
    post_walk(client, place, organisation, walk_id)  # sent twice: stored once
    with scope(program=program):
        walk = SafetyWalk.objects.get()
        finding.refresh_from_db()
        assert finding.walk == walk
        assert finding.walk_client_id is None and finding.pending_scores is None
        stop = WalkScore.objects.get(walk=walk, finding=finding)
        assert (stop.criterion, stop.score, stop.comment) == ("belysning", 2, "Mörkt vid trappan.")
        assert (
            AuditEntry.objects.filter(
                model_label="platser.Finding", object_id=str(finding.pk), actor=place_lead
            ).count()
            == 2
        )  # reported, then linked


def test_a_finding_sent_after_its_walk_is_linked_at_once(
    program, place, place_lead, stakeholder, organisation, client_for
):
    client = client_for(place_lead)
    walk_id = uuid.uuid4()
    post_walk(client, place, organisation, walk_id)
    post_finding(client, place, walk_id, score_folkliv="4")
    with scope(program=program):
        walk = SafetyWalk.objects.get()
        finding = Finding.objects.get()
        assert finding.walk == walk and finding.walk_client_id is None
        assert WalkScore.objects.get(finding=finding).score == 4


def test_a_waiting_walk_of_another_place_is_not_joined(
    program, place, second_place, place_lead, coordinator, stakeholder, organisation, client_for
):
    walk_id = uuid.uuid4()
    post_walk(client_for(coordinator), second_place, organisation, walk_id)
    post_finding(client_for(place_lead), place, walk_id)
    with scope(program=program):
        assert Finding.objects.get().walk is None
