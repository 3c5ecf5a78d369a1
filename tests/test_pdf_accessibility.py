"""Every PDF the product makes is tagged (PDF/UA-1): a structure tree in reading order, marked
content, the document language and title, and alternative text on every figure. The
machine-checkable part of the accessibility law's expectations, checked on the real documents:
a report, meeting minutes, a walk protocol with a photo and route map, and a survey poster."""

import io

import pytest
from django.core.files.base import ContentFile
from django.urls import reverse
from django_scopes import scope, scopes_disabled
from PIL import Image
from pypdf import PdfReader
from pypdf.generic import ArrayObject, DictionaryObject

from reports import services
from reports.models import Report
from tests.factories import (
    AgendaItemFactory,
    DecisionFactory,
    FindingFactory,
    MeetingFactory,
    SafetyWalkFactory,
    SurveyFactory,
)

pytestmark = pytest.mark.django_db


def structure(pdf: bytes) -> dict:
    """What a screen reader gets from ``pdf``: tags in order, figures' alt texts, language, title,
    and whether the content is marked and the file claims PDF/UA."""
    reader = PdfReader(io.BytesIO(pdf))
    root = reader.trailer["/Root"]
    tags, figure_alts = [], []

    def walk(node):
        node = node.get_object()
        if isinstance(node, DictionaryObject):
            if "/S" in node:
                tags.append(str(node["/S"]))
                if node["/S"] == "/Figure":
                    figure_alts.append(str(node.get("/Alt", "")))
            kids = node.get("/K")
            if kids is not None:
                walk(kids)
        elif isinstance(node, ArrayObject):
            for kid in node:
                walk(kid)

    walk(root["/StructTreeRoot"])
    metadata = root["/Metadata"].get_object().get_data().decode()
    return {
        "marked": bool(root["/MarkInfo"]["/Marked"]),
        "lang": str(root.get("/Lang", "")),
        "title": reader.metadata.title,
        "display_title": bool(root["/ViewerPreferences"].get("/DisplayDocTitle")),
        "tags": tags,
        "figure_alts": figure_alts,
        "pdfua": "pdfuaid:part" in metadata,
    }


def assert_tagged(pdf: bytes, *, title: str, tags=("/H1",)):
    found = structure(pdf)
    assert found["marked"] and found["pdfua"] and found["display_title"]
    assert found["lang"] == "sv"
    assert found["title"] == title
    for tag in (*tags, "/P"):
        assert tag in found["tags"], tag
    assert all(alt.strip() for alt in found["figure_alts"]), found
    return found


def _jpeg() -> ContentFile:
    out = io.BytesIO()
    Image.new("RGB", (400, 300), (200, 40, 40)).save(out, "JPEG")
    return ContentFile(out.getvalue())


def test_the_program_report_is_tagged_with_its_tables_and_photo_alt_texts(
    program, place, coordinator, django_capture_on_commit_callbacks
):
    with scope(program=program), django_capture_on_commit_callbacks(execute=True):
        report = services.request_report(
            actor=coordinator,
            program=program,
            kind="program",
            period_start=place.created_at.date().replace(day=1),
            period_end=place.created_at.date(),
        )
    with scopes_disabled():  # reading the stored file of an explicit report
        pdf = Report.objects.get(pk=report.pk).pdf.read()
        title = Report.objects.get(pk=report.pk).get_kind_display() + " – " + program.name
    found = assert_tagged(pdf, title=title, tags=("/H1", "/H2", "/Table", "/TH", "/TD"))
    assert found["tags"].index("/H1") < found["tags"].index("/Table")  # reading order


def test_minutes_are_tagged(program, place, place_lead, client_for):
    meeting = MeetingFactory(place=place, title="Styrgrupp december")
    AgendaItemFactory(meeting=meeting, title="Lägesbild", minutes="Lugnt i höst.")
    DecisionFactory(meeting=meeting, text="Belysningen byts.")
    url = reverse(
        "meetings:meeting_minutes_pdf", kwargs={"program": program.slug, "pk": meeting.pk}
    )

    response = client_for(place_lead).get(url)

    assert_tagged(b"".join(response.streaming_content), title="Protokoll – Styrgrupp december")


def test_walk_protocol_is_tagged_and_its_photo_and_route_map_have_alt_text(
    place, observer, client_for
):
    walk = SafetyWalkFactory(
        place=place,
        route={"type": "LineString", "coordinates": [[16.1685, 60.1455], [16.169, 60.146]]},
    )
    finding = FindingFactory(place=place, walk=walk, category="klotter", description="Busskuren")
    with scopes_disabled():  # test set-up: attach a photo to the finding
        finding.photo.save("bank.jpg", _jpeg(), save=True)
    url = reverse(
        "platser:walk_protocol",
        kwargs={"program": place.program.slug, "place": place.pk, "pk": walk.pk},
    )

    response = client_for(observer).get(url)

    found = assert_tagged(
        b"".join(response.streaming_content),
        title=f"Protokoll trygghetsvandring {walk.date:%Y-%m-%d}",
        tags=("/H1", "/H2", "/Figure"),
    )
    assert any(alt.startswith("Foto till fynd 1: Klotter") for alt in found["figure_alts"])
    assert len(found["figure_alts"]) >= 2  # the route map and the photo


def test_poster_is_tagged_and_its_qr_code_says_where_it_leads(
    client_for, coordinator, program, place
):
    survey = SurveyFactory(program=program, places=[place], codes=["kon"])
    url = reverse("surveys:poster", kwargs={"program": program.slug, "pk": survey.pk})

    response = client_for(coordinator).get(url)

    found = assert_tagged(
        b"".join(response.streaming_content),
        title=f"Hur trygg känner du dig på {place.name}?",
        tags=("/Figure",),
    )
    assert any(
        alt.startswith("QR-kod till enkäten:") and f"/enkat/{survey.token}/" in alt
        for alt in found["figure_alts"]
    )
