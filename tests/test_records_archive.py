"""The program archive (issue 14): a BagIt bag that validates, round-trips and holds only its own
program; made on the command line or from the coordinator's page, audited and listed."""

import csv
import hashlib
import io
import json
import zipfile
from pathlib import Path

import bagit
import pytest
from django.core.files.base import ContentFile
from django.core.management import CommandError, call_command
from django.urls import reverse
from django_scopes import scope, scopes_disabled

from measures.models import MeasurePhoto
from partnerships.models import AuditEntry
from records import archive
from records.models import ProgramExport
from tests.factories import (
    ActivityFactory,
    AgendaItemFactory,
    AttendanceFactory,
    ContactFactory,
    DecisionFactory,
    FindingFactory,
    MeasureFactory,
    MeetingFactory,
    OrganisationFactory,
    ReportFactory,
    StakeholderFactory,
    SurveyFactory,
    ZoneFactory,
)

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
JPEG = b"\xff\xd8\xff\xe0" + b"foto" * 50 + b"\xff\xd9"
CLOCKWISE = {
    "type": "Polygon",
    "coordinates": [
        [[16.16, 60.14], [16.16, 60.15], [16.18, 60.15], [16.18, 60.14], [16.16, 60.14]]
    ],
}


@pytest.fixture
def archive_world(program, place, organisation, contact, coordinator, other_place):
    """Program A with rows of most record types and every kind of file; program B with its
    own rows (names that must never reach A's bag)."""
    with scopes_disabled():  # test set-up: a clockwise outline stored as it came in
        place.boundary = CLOCKWISE
        place.save()
    ZoneFactory(place=place, name="Busstorget")
    stakeholder = StakeholderFactory(place=place, organisation=organisation)
    finding = FindingFactory(place=place, responsible_organisation=organisation)
    measure = MeasureFactory(place=place, responsible=organisation)
    activity = ActivityFactory(place=place, organisation=organisation, measure=measure)
    meeting = MeetingFactory(place=place, title="Styrgruppsmöte i Avesta")
    AgendaItemFactory(meeting=meeting, position=1, title="Lägesbild", minutes="Vi gick igenom.")
    AttendanceFactory(meeting=meeting, contact=contact)
    DecisionFactory(meeting=meeting, number=1, text="Kommunen byter armaturer.")
    SurveyFactory(program=program, places=[place], codes=["plats-trygg-kvall", "kon"])
    report = ReportFactory(program=program, status="klar")
    with scopes_disabled():  # test set-up: files on program-A rows
        stakeholder.agreement_file.save("avtal.pdf", ContentFile(PDF), save=True)
        finding.photo.save("fynd.jpg", ContentFile(JPEG), save=True)
        activity.photo.save("aktivitet.jpg", ContentFile(JPEG), save=True)
        photo = MeasurePhoto(program=program, measure=measure, kind="fore")
        photo.image.save("fore.jpg", ContentFile(JPEG), save=True)
        report.pdf.save("rapport.pdf", ContentFile(PDF), save=True)
        measure.contributors.add(OrganisationFactory(program=program, name="Polisen i Avesta"))
    # Program B.
    other_org = OrganisationFactory(program=other_place.program, name="Borlängebostäder")
    ContactFactory(organisation=other_org, name="Bertil Borg", email="bertil@borlange.example")
    MeetingFactory(place=other_place, title="Möte i Borlänge")
    FindingFactory(place=other_place, description="Trasig bänk i Borlänge")
    return program


def _rows(path: Path) -> list[dict]:
    with open(path, encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def _export(program, tmp_path) -> Path:
    out = tmp_path / "trygga-arkiv"
    call_command("export_program", program.slug, "--out", str(out), stdout=io.StringIO())
    return out


def test_the_bag_validates_and_round_trips(archive_world, tmp_path):
    program = archive_world
    out = _export(program, tmp_path)

    bag = bagit.Bag(str(out))
    bag.validate()  # bagit's own validator: every checksum, no file missing or extra
    assert bag.info["External-Identifier"] == program.slug
    assert bag.info["Program-Name"] == "Trygga platser"
    assert bag.info["Exported-By"] == "kommandoraden"
    assert "Export-Time" in bag.info

    data = out / "data"
    with scope(program=program):
        for name, label in archive.RECORD_TYPES:
            rows = _rows(data / f"{name}.csv")
            queryset = archive.record_queryset(name, label, program)
            if name == "audit_log":
                # The export's own "ready" entry is written after the bag is closed.
                queryset = queryset.exclude(model_label="records.ProgramExport", action="update")
            assert len(rows) == queryset.count(), name
            assert sorted(int(r["id"]) for r in rows) == sorted(
                queryset.values_list("pk", flat=True)
            ), name
    # The counts are real: one of each made above (and the rows made by the export itself).
    assert len(_rows(data / "places.csv")) == 1
    assert len(_rows(data / "zones.csv")) == 1
    assert len(_rows(data / "decisions.csv")) == 1
    assert len(_rows(data / "attendance.csv")) == 1
    assert len(_rows(data / "survey_questions.csv")) == 2
    assert len(_rows(data / "measures_contributors.csv")) == 1
    assert len(_rows(data / "exports.csv")) == 1

    # Ids join: the decision names its meeting, the attendance its contact.
    meeting_ids = {r["id"] for r in _rows(data / "meetings.csv")}
    assert {r["meeting_id"] for r in _rows(data / "decisions.csv")} <= meeting_ids
    municipality_ids = {r["id"] for r in _rows(data / "municipalities.csv")}
    assert {r["municipality_id"] for r in _rows(data / "places.csv")} <= municipality_ids
    contact_ids = {r["id"] for r in _rows(data / "contacts.csv")}
    assert {r["contact_id"] for r in _rows(data / "attendance.csv")} <= contact_ids

    # Every file: agreement, photos, report PDF, rendered minutes; checksums as in the manifest.
    files = {
        "stakeholders": "agreement_file",
        "findings": "photo",
        "activities": "photo",
        "measure_photos": "image",
        "reports": "pdf",
    }
    for name, column in files.items():
        (row,) = _rows(data / f"{name}.csv")
        relative = row[column]
        assert relative.startswith(f"files/{name}/{row['id']}/"), relative
        content = (data / relative).read_bytes()
        assert content in (PDF, JPEG)
        digest = hashlib.sha256(content).hexdigest()
        assert bag.entries[f"data/{relative}"]["sha256"] == digest
    (meeting,) = _rows(data / "meetings.csv")
    minutes = data / "files" / "meetings" / meeting["id"] / "protokoll.pdf"
    assert minutes.read_bytes().startswith(b"%PDF-")

    # No secrets in the archive.
    assert "password" not in _rows(data / "users.csv")[0]
    assert "token" not in (data / "invitations.csv").read_text(encoding="utf-8").splitlines()[0]

    readme = (data / "README.txt").read_text(encoding="utf-8")
    assert "places.csv (1 rader)" in readme
    assert "agreement_file: avtalsfil" in readme.lower() or "agreement_file:" in readme


def test_geometries_are_geojson_with_counter_clockwise_outer_rings(archive_world, tmp_path):
    out = _export(archive_world, tmp_path)

    places = json.loads((out / "data" / "geo" / "places_boundary.geojson").read_text())
    assert places["type"] == "FeatureCollection"
    (feature,) = places["features"]
    ring = feature["geometry"]["coordinates"][0]
    assert archive._signed_area(ring) > 0  # stored clockwise, exported counter-clockwise
    assert sorted(map(tuple, ring)) == sorted(map(tuple, CLOCKWISE["coordinates"][0]))
    findings = json.loads((out / "data" / "geo" / "findings_point.geojson").read_text())
    assert len(findings["features"]) == 1


def test_another_programs_data_never_enters_the_bag(archive_world, tmp_path):
    out = _export(archive_world, tmp_path)

    everything = "".join(
        p.read_text(encoding="utf-8", errors="replace")
        for p in out.rglob("*")
        if p.is_file() and p.suffix in (".csv", ".txt", ".geojson")
    )
    for secret in ("Borlänge", "Bertil Borg", "bertil@borlange.example", "tryggare-borlange"):
        assert secret not in everything
    assert "Avestahem AB" in everything
    assert "Anna Andersson" in everything


def test_the_command_audits_and_lists_the_export_and_refuses_bad_input(archive_world, tmp_path):
    out = _export(archive_world, tmp_path)

    with scopes_disabled():  # test read across programs
        export = ProgramExport.objects.get()
        entries = AuditEntry.objects.filter(model_label="records.ProgramExport")
        assert export.program == archive_world
        assert export.status == "klar"
        assert export.destination == str(out.resolve())
        assert export.counts["places.csv"] == 1
        assert [e.action for e in entries.order_by("pk")] == ["create", "update"]
    with pytest.raises(CommandError, match="finns redan"):
        call_command("export_program", archive_world.slug, "--out", str(out))
    with pytest.raises(CommandError, match="Ingen medlem"):
        call_command(
            "export_program", archive_world.slug, "--out", str(tmp_path / "y"), "--by", "x@y.se"
        )
    with pytest.raises(CommandError, match="Inget program"):
        call_command("export_program", "finns-inte", "--out", str(tmp_path / "x"))


def test_the_command_writes_a_zip(archive_world, tmp_path):
    out = tmp_path / "arkiv.zip"
    call_command("export_program", archive_world.slug, "--out", str(out), stdout=io.StringIO())

    with zipfile.ZipFile(out) as zf:
        zf.extractall(tmp_path / "unpacked")
    bagit.Bag(str(tmp_path / "unpacked" / "arkiv")).validate()


def test_coordinator_exports_from_the_page_and_downloads_the_bag(
    archive_world, coordinator, client_for, tmp_path, django_capture_on_commit_callbacks
):
    client = client_for(coordinator)
    list_url = reverse("records:exports", kwargs={"program": archive_world.slug})
    assert "Exportera hela programmet" in client.get(list_url).content.decode()

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(list_url)

    with scopes_disabled():  # test read
        export = ProgramExport.objects.get()
    assert response.status_code == 302
    assert response["Location"] == export.get_absolute_url()
    assert export.status == "klar"
    page = client.get(export.get_absolute_url()).content.decode()
    assert "Ladda ner arkivpaketet" in page
    status = client.get(
        reverse("records:export_status", kwargs={"program": archive_world.slug, "pk": export.pk})
    ).json()
    assert status["finished"] is True
    download = client.get(
        reverse("records:export_download", kwargs={"program": archive_world.slug, "pk": export.pk})
    )
    assert download.status_code == 200
    assert "attachment" in download["Content-Disposition"]
    target = tmp_path / "download.zip"
    target.write_bytes(b"".join(download.streaming_content))
    with zipfile.ZipFile(target) as zf:
        zf.extractall(tmp_path / "unpacked")
    (bag_dir,) = (tmp_path / "unpacked").iterdir()
    bag = bagit.Bag(str(bag_dir))
    bag.validate()
    assert coordinator.email in bag.info["Exported-By"]
    # Listed, with who asked, and audited.
    listing = client.get(list_url).content.decode()
    assert export.get_absolute_url() in listing
    with scopes_disabled():  # test read
        assert AuditEntry.objects.filter(
            model_label="records.ProgramExport", object_id=str(export.pk), actor=coordinator
        ).exists()


def test_a_second_export_while_one_runs_is_refused_with_a_message(
    archive_world, coordinator, client_for
):
    with scopes_disabled():  # test set-up: an export waiting for the worker
        ProgramExport.objects.create(program=archive_world, requested_by=coordinator)
    client = client_for(coordinator)
    url = reverse("records:exports", kwargs={"program": archive_world.slug})

    response = client.post(url, follow=True)

    assert "En export av programmet pågår redan" in response.content.decode()
    with scopes_disabled():  # test read
        assert ProgramExport.objects.count() == 1


def test_a_failed_build_says_so_and_is_audited(archive_world, coordinator, monkeypatch):
    def broken(*args, **kwargs):
        raise OSError("disk full")

    monkeypatch.setattr(archive, "write_bag", broken)
    with scopes_disabled():  # test set-up
        export = ProgramExport.objects.create(program=archive_world, requested_by=coordinator)
    from records import services

    with scope(program=archive_world):
        services.build_export(export)
        export.refresh_from_db()
    assert export.status == "misslyckades"
    assert "kunde inte skapas" in export.failure_reason
    assert not export.archive
