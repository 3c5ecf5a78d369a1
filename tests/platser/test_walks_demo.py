"""The safety walk demo step: one dark walk with findings inside the place at every pilot
place, mixed categories and statuses, owners among the stakeholders, and idempotent."""

import pytest
from django_scopes import scopes_disabled

from demo import places as demo
from demo.walks import WALKS, load_walks
from partnerships.models import AuditEntry
from platser import geo
from platser.models import Finding, SafetyWalk

pytestmark = pytest.mark.django_db


def _rows():
    # A test-only read across the demo programs.
    with scopes_disabled():
        return (
            SafetyWalk.objects.count(),
            Finding.objects.count(),
            AuditEntry.objects.count(),
            sorted(Finding.objects.values_list("description", "status")),
        )


def test_walk_step_is_idempotent():
    demo.load_demo(steps=[load_walks])
    first = _rows()
    result = demo.load_demo(steps=[load_walks])
    assert _rows() == first
    assert (result.created, result.updated) == (0, 0)


def test_every_pilot_place_has_a_dark_walk_with_plausible_findings():
    result = demo.load_demo(steps=[load_walks])
    with scopes_disabled():  # test assertions across the demo programs
        for key in WALKS:
            place = result.places[key]
            [walk] = place.walks.all()
            findings = list(walk.findings.all())
            stakeholder_orgs = set(place.stakeholders.values_list("organisation", flat=True))

            assert walk.light == SafetyWalk.Light.DARK
            assert 6 <= len(findings) <= 12
            assert 180 <= (walk.follow_up_date - walk.date).days <= 370  # 6–12 months
            assert walk.participations.exists() and walk.participants_by_gender > 5
            assert geo.validate_line(walk.route) == walk.route
            for lon, lat in walk.route["coordinates"]:
                assert geo.point_in_polygon((lon, lat), place.boundary), key
            for finding in findings:
                assert geo.point_in_polygon(finding.lonlat, place.boundary), finding
                assert finding.responsible_organisation_id in stakeholder_orgs | {None}
            assert len({f.category for f in findings}) >= 5
        statuses = set(Finding.objects.values_list("status", flat=True))
    assert statuses == {"oppen", "atgardad", "stangd", "ej_atgardad"}


def test_reset_removes_walks_and_findings():
    demo.load_demo(steps=[load_walks])
    demo.reset_demo()
    assert _rows()[:2] == (0, 0)
