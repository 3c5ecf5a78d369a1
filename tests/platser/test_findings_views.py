"""Finding pages through the client: the map and its filters, reporting on a phone (position,
photo), the status form, the photo view and what observers do not see."""

import io
import json

import pytest
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django_scopes import scope, scopes_disabled
from PIL import Image

from partnerships.models import AuditEntry
from platser.models import Finding
from tests.factories import FindingFactory, OrganisationFactory, SafetyWalkFactory

pytestmark = pytest.mark.django_db

INSIDE = {"type": "Point", "coordinates": [16.169, 60.146]}
OUTSIDE = {"type": "Point", "coordinates": [16.30, 60.30]}


def url(name, place, **kwargs):
    return reverse(name, kwargs={"program": place.program.slug, "place": place.pk, **kwargs})


def jpeg(gps=False, size=(320, 240)) -> bytes:
    image = Image.new("RGB", size, (40, 90, 160))
    out = io.BytesIO()
    if gps:
        exif = Image.Exif()
        exif[0x010F] = "PhoneMaker"
        exif[0x8825] = {1: "N", 2: (60.0, 8.0, 40.0), 3: "E", 4: (16.0, 10.0, 3.0)}
        image.save(out, format="JPEG", exif=exif.tobytes())
    else:
        image.save(out, format="JPEG")
    return out.getvalue()


def finding_data(**overrides):
    data = {
        "point": json.dumps(INSIDE),
        "category": "belysning",
        "description": "Lampan vid cykelstället är trasig.",
        "source": "partner",
        "responsible_organisation": "",
        "walk": "",
    }
    data.update(overrides)
    return data


def findings(program):
    with scope(program=program):
        return list(Finding.objects.all())


# --- the map and the list --------------------------------------------------------------------


def test_findings_page_shows_the_same_filtered_findings_on_the_map_and_in_the_list(
    program, place, observer, organisation, client_for
):
    police = OrganisationFactory(program=program, name="Polisen")
    FindingFactory(
        place=place,
        category="belysning",
        description="Mörk passage",
        responsible_organisation=organisation,
    )
    FindingFactory(
        place=place,
        category="klotter",
        description="Klotter på elskåpet",
        responsible_organisation=police,
        status="atgardad",
    )

    client = client_for(observer)
    everything = client.get(url("platser:findings", place))
    only_lighting = client.get(url("platser:findings", place) + "?kategori=belysning")
    only_police = client.get(url("platser:findings", place) + f"?radighet={police.pk}")

    assert everything.status_code == 200
    all_features = everything.context["findings_geojson"]["features"]
    assert len([f for f in all_features if f["geometry"]["type"] == "Point"]) == 2
    html = only_lighting.content.decode()
    assert "Mörk passage" in html and "Klotter på elskåpet" not in html
    points = [
        f
        for f in only_lighting.context["findings_geojson"]["features"]
        if f["geometry"]["type"] == "Point"
    ]
    assert [p["properties"]["colour"] for p in points] == ["#b8860b"]
    assert "Mörk passage" in points[0]["properties"]["name"]
    assert [f.description for f in only_police.context["findings"]] == ["Klotter på elskåpet"]


def test_bogus_filters_are_ignored(place, observer, client_for):
    FindingFactory(place=place)
    response = client_for(observer).get(
        url("platser:findings", place) + "?kategori=x&status=y&radighet=999999&kalla=z"
    )
    assert response.status_code == 200
    assert len(response.context["findings"]) == 1


def test_observers_do_not_see_who_reported(place, partner, observer, coordinator, client_for):
    partner.name = "Petra Partnersson"
    partner.save(update_fields=["name"])
    finding = FindingFactory(place=place, reported_by=partner)

    for page in (url("platser:findings", place), url("platser:finding", place, pk=finding.pk)):
        assert partner.name not in client_for(observer).get(page).content.decode()
        assert partner.name in client_for(coordinator).get(page).content.decode()


# --- reporting a finding -------------------------------------------------------------------


def test_partner_reports_a_finding_with_a_photo_and_gps_is_stripped(
    program, place, partner, organisation, client_for
):
    data = finding_data(responsible_organisation=organisation.pk)
    data["photo"] = SimpleUploadedFile("IMG_0001.jpg", jpeg(gps=True), "image/jpeg")

    response = client_for(partner).post(url("platser:finding_create", place), data)

    [finding] = findings(program)
    assert response.status_code == 302 and response["Location"] == finding.get_absolute_url()
    assert finding.reported_by == partner and finding.status == "oppen"
    assert finding.responsible_organisation == organisation
    assert finding.point == INSIDE
    with finding.photo.open("rb") as fh:
        stored = Image.open(io.BytesIO(fh.read()))
        assert stored.format == "JPEG"
        assert dict(stored.getexif()) == {}
    assert finding.photo.name.startswith("findings/") and "IMG_0001" not in finding.photo.name


def test_the_form_is_built_for_a_phone(place, partner, client_for):
    html = client_for(partner).get(url("platser:finding_create", place)).content.decode()
    assert 'accept="image/*"' in html and 'capture="environment"' in html
    assert "Använd min position" in html
    assert 'data-center="place-bounds"' in html and 'id="place-bounds"' in html
    assert 'class="tiles"' in html


def test_point_outside_the_place_gets_a_swedish_message(program, place, partner, client_for):
    response = client_for(partner).post(
        url("platser:finding_create", place), finding_data(point=json.dumps(OUTSIDE))
    )
    assert response.status_code == 200
    assert "Punkten ligger utanför platsens avgränsning" in response.content.decode()
    assert findings(program) == []


def test_missing_point_is_refused(program, place, partner, client_for):
    response = client_for(partner).post(
        url("platser:finding_create", place), finding_data(point="")
    )
    assert response.status_code == 200
    assert "id_point_error" in response.content.decode()
    assert findings(program) == []


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"not an image at all", "kunde inte läsas som en bild"),
        (jpeg()[:150], "kunde inte läsas som en bild"),
    ],
)
def test_broken_photo_gets_a_message_and_nothing_is_saved(
    program, place, partner, client_for, content, message
):
    data = finding_data(photo=SimpleUploadedFile("foto.jpg", content, "image/jpeg"))
    response = client_for(partner).post(url("platser:finding_create", place), data)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert findings(program) == []


def test_oversized_photo_gets_a_message_and_nothing_is_saved(
    program, place, partner, client_for, settings
):
    settings.MAX_PHOTO_MB = 1
    big = SimpleUploadedFile("stor.jpg", b"\xff\xd8" + b"0" * (1024 * 1024 + 10), "image/jpeg")
    response = client_for(partner).post(
        url("platser:finding_create", place), finding_data(photo=big)
    )
    assert "Bilden är för stor" in response.content.decode()
    assert findings(program) == []


def test_walk_is_preselected_and_the_finding_returns_to_the_walk(
    program, place, partner, client_for
):
    walk = SafetyWalkFactory(place=place)
    client = client_for(partner)

    form = client.get(url("platser:finding_create", place) + f"?vandring={walk.pk}")
    response = client.post(url("platser:finding_create", place), finding_data(walk=walk.pk))

    assert form.context["form"]["walk"].value() == walk.pk
    assert response["Location"] == walk.get_absolute_url()
    assert findings(program)[0].walk == walk


def test_partner_of_another_place_cannot_report_here(second_place, partner, client_for):
    response = client_for(partner).post(url("platser:finding_create", second_place), finding_data())
    assert response.status_code == 403


# --- status and editing ----------------------------------------------------------------------


def test_not_fixed_without_reason_gets_a_message(program, place, place_lead, client_for):
    finding = FindingFactory(place=place)
    client = client_for(place_lead)

    response = client.post(
        url("platser:finding_status", place, pk=finding.pk),
        {"status": "ej_atgardad"},
        follow=True,
    )

    assert "Ange varför fyndet inte åtgärdas." in response.content.decode()
    assert findings(program)[0].status == "oppen"


def test_place_lead_marks_a_finding_not_fixed_with_a_reason(program, place, place_lead, client_for):
    finding = FindingFactory(place=place)

    response = client_for(place_lead).post(
        url("platser:finding_status", place, pk=finding.pk),
        {"status": "ej_atgardad", "reason": "Fastighetsägaren vill inte."},
        follow=True,
    )

    assert "Status ändrad till Ej åtgärdad." in response.content.decode()
    [stored] = findings(program)
    assert (stored.status, stored.status_reason) == ("ej_atgardad", "Fastighetsägaren vill inte.")
    with scope(program=program):
        assert AuditEntry.objects.filter(
            object_id=str(finding.pk), actor=place_lead, changes__status=["oppen", "ej_atgardad"]
        ).exists()


def test_partner_cannot_change_status_or_edit(place, partner, client_for):
    finding = FindingFactory(place=place, reported_by=partner)
    client = client_for(partner)
    detail = client.get(url("platser:finding", place, pk=finding.pk)).content.decode()

    assert "Ändra status" not in detail
    assert (
        client.post(
            url("platser:finding_status", place, pk=finding.pk), {"status": "atgardad"}
        ).status_code
        == 403
    )
    assert client.get(url("platser:finding_update", place, pk=finding.pk)).status_code == 403


def test_edit_keeps_the_point_inside(program, place, coordinator, client_for):
    finding = FindingFactory(place=place)
    response = client_for(coordinator).post(
        url("platser:finding_update", place, pk=finding.pk),
        finding_data(point=json.dumps(OUTSIDE), description="Flyttad"),
    )
    assert "utanför platsens avgränsning" in response.content.decode()
    assert findings(program)[0].point == INSIDE


def test_detail_includes_the_actions_hook(place, coordinator, client_for):
    finding = FindingFactory(place=place)
    response = client_for(coordinator).get(url("platser:finding", place, pk=finding.pk))
    assert "platser/_finding_actions.html" in [t.name for t in response.templates]


# --- the photo -------------------------------------------------------------------------------


@pytest.fixture
def finding_with_photo(place):
    finding = FindingFactory(place=place)
    with scopes_disabled():  # test set-up: attach a file to a program-A row
        finding.photo.save("foto.jpg", ContentFile(jpeg()), save=True)
    return finding


def test_photo_is_served_to_members_only(place, observer, outsider, finding_with_photo, client_for):
    photo_url = url("platser:finding_photo", place, pk=finding_with_photo.pk)

    ok = client_for(observer).get(photo_url)
    assert ok.status_code == 200 and ok["Content-Type"] == "image/jpeg"
    assert b"".join(ok.streaming_content).startswith(b"\xff\xd8")
    assert client_for(outsider).get(photo_url).status_code == 404
    assert client_for(None).get(photo_url).status_code == 302


def test_photo_is_never_linked_as_public_media(place, observer, finding_with_photo, client_for):
    html = (
        client_for(observer)
        .get(url("platser:finding", place, pk=finding_with_photo.pk))
        .content.decode()
    )
    assert "/media/" not in html
    assert url("platser:finding_photo", place, pk=finding_with_photo.pk) in html


def test_finding_without_photo_has_no_photo_url(place, observer, client_for):
    finding = FindingFactory(place=place)
    response = client_for(observer).get(url("platser:finding_photo", place, pk=finding.pk))
    assert response.status_code == 404


def test_finding_of_another_place_is_404_under_this_place(
    place, second_place, coordinator, client_for
):
    finding = FindingFactory(place=second_place)
    response = client_for(coordinator).get(url("platser:finding", place, pk=finding.pk))
    assert response.status_code == 404


def test_radighet_offers_the_stakeholders_of_the_place_first(
    program, place, partner, organisation, client_for
):
    from tests.factories import StakeholderFactory

    OrganisationFactory(program=program, name="Aaa Annan kommun")
    police = OrganisationFactory(program=program, name="Polisen")
    StakeholderFactory(place=place, organisation=police)

    html = client_for(partner).get(url("platser:finding_create", place)).content.decode()
    select = html[html.index('name="responsible_organisation"') :]
    select = select[: select.index("</select>")]
    here = select.index('label="Aktörer på platsen"')
    rest = select.index('label="Övriga organisationer"')
    assert here < select.index("Polisen") < rest < select.index("Aaa Annan kommun")


def test_a_finding_sent_twice_as_a_draft_is_stored_once(program, place, partner, client_for):
    import uuid

    client = client_for(partner)
    data = finding_data(client_id=str(uuid.uuid4()))
    draft = {"HTTP_X_TRYGGA_DRAFT": "1"}

    first = client.post(url("platser:finding_create", place), data, **draft)
    again = client.post(url("platser:finding_create", place), data, **draft)
    refused = client.post(
        url("platser:finding_create", place), finding_data(point=json.dumps(OUTSIDE)), **draft
    )

    [finding] = findings(program)
    assert (first.status_code, again.status_code) == (201, 200)
    assert first.json()["url"] == again.json()["url"] == finding.get_absolute_url()
    assert str(finding.client_id) == data["client_id"]
    assert refused.status_code == 422 and refused.json()["messages"][0].startswith("Position: ")


def test_the_service_worker_and_manifest_are_served_from_our_origin(client):
    from partnerships.pwa import static_version

    sw = client.get("/sw.js")
    body = sw.content.decode()
    assert sw["Content-Type"].startswith("text/javascript") and sw["Cache-Control"] == "no-cache"
    assert f'VERSION = "{static_version()}"' in body and "/static/js/drafts.js" in body
    assert "://" not in body  # nothing but our own origin
    manifest = client.get("/manifest.webmanifest")
    assert manifest["Content-Type"] == "application/manifest+json"
    data = manifest.json()
    assert data["display"] == "standalone" and data["lang"] == "sv"
    assert [icon["sizes"] for icon in data["icons"]] == ["192x192", "512x512"]
