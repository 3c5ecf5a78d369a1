"""Services for findings and safety walks: the status workflow, the place check, the audit log,
participants, and the geometry and SVG helpers they rely on."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django_scopes import scope

from partnerships.models import AuditEntry
from platser import geo, services
from platser.exceptions import FindingError
from platser.forms import add_months
from platser.models import Finding, SafetyWalk
from platser.svgmap import Marker, route_svg
from tests.factories import FindingFactory, OrganisationFactory, SafetyWalkFactory, square

pytestmark = pytest.mark.django_db

INSIDE = {"type": "Point", "coordinates": [16.169, 60.146]}
OUTSIDE = {"type": "Point", "coordinates": [16.30, 60.30]}


def test_report_finding_opens_it_and_logs_the_reporter(program, place, partner):
    with scope(program=program):
        finding = services.report_finding(
            actor=partner,
            place=place,
            finding=Finding(point=INSIDE, category="klotter", description="Klotter på muren."),
        )
        entry = AuditEntry.objects.get(model_label="platser.Finding", object_id=str(finding.pk))

    assert finding.status == Finding.Status.OPEN
    assert finding.reported_by == partner
    assert finding.program == program
    assert entry.action == AuditEntry.Action.CREATE and entry.actor == partner


def test_report_finding_outside_the_place_is_refused_in_swedish(program, place, partner):
    with scope(program=program), pytest.raises(FindingError, match="utanför platsens"):
        services.report_finding(
            actor=partner,
            place=place,
            finding=Finding(point=OUTSIDE, category="klotter", description="Fel ställe."),
        )
    with scope(program=program):
        assert not Finding.objects.exists()


def test_report_finding_refuses_a_walk_of_another_place(program, place, second_place, partner):
    walk = SafetyWalkFactory(place=second_place)
    with scope(program=program), pytest.raises(FindingError, match="annan plats"):
        services.report_finding(
            actor=partner,
            place=place,
            finding=Finding(point=INSIDE, category="sikt", description="Skymd sikt.", walk=walk),
        )


def test_status_workflow_open_fixed_closed_is_logged(program, place, coordinator):
    finding = FindingFactory(place=place)
    with scope(program=program):
        services.change_finding_status(actor=coordinator, finding=finding, status="atgardad")
        services.change_finding_status(
            actor=coordinator, finding=finding, status="stangd", reason="Kontrollerat."
        )
        entries = list(
            AuditEntry.objects.filter(object_id=str(finding.pk))
            .order_by("pk")
            .values_list("changes", flat=True)
        )
        finding.refresh_from_db()

    assert finding.status == "stangd" and finding.status_changed_at is not None
    assert entries == [
        {"status": ["oppen", "atgardad"], "status_reason": ""},
        {"status": ["atgardad", "stangd"], "status_reason": "Kontrollerat."},
    ]


def test_status_cannot_skip_the_workflow(program, place, coordinator):
    finding = FindingFactory(place=place)
    with scope(program=program), pytest.raises(FindingError, match="kan inte gå från Öppen"):
        services.change_finding_status(actor=coordinator, finding=finding, status="stangd")


def test_not_fixed_needs_a_reason(program, place, coordinator):
    finding = FindingFactory(place=place)
    with scope(program=program):
        with pytest.raises(FindingError, match="Ange varför"):
            services.change_finding_status(
                actor=coordinator, finding=finding, status="ej_atgardad", reason="  "
            )
        services.change_finding_status(
            actor=coordinator, finding=finding, status="ej_atgardad", reason="Privat mark."
        )
        finding.refresh_from_db()
    assert finding.status == "ej_atgardad" and finding.status_reason == "Privat mark."


def test_database_refuses_not_fixed_without_reason(program, place):
    finding = FindingFactory(place=place)
    with scope(program=program), pytest.raises(IntegrityError), transaction.atomic():
        Finding.objects.filter(pk=finding.pk).update(status="ej_atgardad", status_reason="")


def test_save_walk_keeps_participants_in_step(program, place, coordinator, organisation):
    police = OrganisationFactory(program=program, name="Polisen")
    walk = SafetyWalk(date=datetime.date(2025, 11, 12), follow_up_date=datetime.date(2026, 5, 12))
    with scope(program=program):
        services.save_walk(
            actor=coordinator, place=place, walk=walk, participants={organisation: 3, police: 2}
        )
        services.save_walk(
            actor=coordinator, place=place, walk=walk, participants={organisation: 4, police: 0}
        )
        rows = list(walk.participations.values_list("organisation__name", "count"))
        log = AuditEntry.objects.filter(object_id=str(walk.pk), changes__has_key="participants")
        assert log.count() == 2
    assert rows == [("Avestahem AB", 4)]


def test_walk_follow_up_must_be_after_the_walk(program, place):
    with pytest.raises(IntegrityError):
        SafetyWalkFactory(
            place=place, date=datetime.date(2025, 11, 12), follow_up_date=datetime.date(2025, 11, 1)
        )


def test_route_that_is_not_a_line_is_refused():
    with pytest.raises(ValidationError, match="Rutten måste vara en linje"):
        geo.validate_line(square())
    with pytest.raises(ValidationError, match="minst två punkter"):
        geo.validate_line({"type": "LineString", "coordinates": [[16.1, 60.1]]})


def test_point_within_boundary():
    assert geo.validate_point_within(INSIDE, square()) == INSIDE
    assert geo.validate_point_within(OUTSIDE, None) == OUTSIDE  # no boundary: Sweden is enough
    with pytest.raises(ValidationError, match="utanför platsens avgränsning"):
        geo.validate_point_within(OUTSIDE, square())


@pytest.mark.parametrize(
    ("day", "months", "expected"),
    [
        (datetime.date(2025, 11, 12), 6, datetime.date(2026, 5, 12)),
        (datetime.date(2025, 8, 31), 6, datetime.date(2026, 2, 28)),
        (datetime.date(2025, 1, 15), 12, datetime.date(2026, 1, 15)),
    ],
)
def test_add_months(day, months, expected):
    assert add_months(day, months) == expected


def test_route_svg_draws_boundary_route_and_numbered_markers():
    svg = route_svg(
        boundary=square(),
        route={"type": "LineString", "coordinates": [[16.1685, 60.1455], [16.1695, 60.1465]]},
        markers=[Marker(16.169, 60.146, "1"), Marker(16.1692, 60.1462, "<2>")],
        title="Rutt",
    )
    assert svg.startswith("<svg") and "<polygon" in svg and "<polyline" in svg
    assert svg.count("<circle") == 2 and "&lt;2&gt;" in svg
    assert "style=" not in svg  # CSP: presentation attributes only
    assert route_svg(boundary=None, route=None, markers=[]) == ""
