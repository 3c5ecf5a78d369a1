"""Views of the action plan and activities with the three personas, exports, bad input and
query-count guards."""

import csv
import datetime
import io
import uuid
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django_scopes import scopes_disabled
from openpyxl import load_workbook
from PIL import Image

from measures.models import Activity, Measure, MeasureStatusChange, Status
from tests.factories import ActivityFactory, MeasureFactory, OrganisationFactory, PlaceFactory

SLUG = "trygga-platser"


def url(name, **kwargs):
    return reverse(f"measures:{name}", kwargs={"program": SLUG, **kwargs})


def _jpeg(size=(60, 40), gps=False) -> bytes:
    image = Image.new("RGB", size, "green")
    out = io.BytesIO()
    kwargs = {}
    if gps:
        exif = Image.Exif()
        exif[0x8825] = {1: "N", 2: (60.0, 8.0, 42.0), 3: "E", 4: (16.0, 10.0, 5.0)}
        kwargs["exif"] = exif
    image.save(out, "JPEG", **kwargs)
    return out.getvalue()


@pytest.fixture
def measure(place, organisation):
    return MeasureFactory(
        place=place,
        responsible=organisation,
        status=Status.PLANNED,
        title="Belysning vid busstorget",
    )


def _measure_post(organisation, **overrides):
    data = {
        "title": "Klotterplan för gallerian",
        "description": "Sanering inom 24 timmar.",
        "category": "trivselskapande",
        "type": "situationell",
        "technique": "cpted_maintenance",
        "responsible": organisation.pk,
        "priority": "medel",
        "status": "foreslagen",
        "planned_start": "2026-04-01",
        "planned_end": "2026-09-30",
        "budget": "12000",
        "origin": "trygghetsvandring",
        "location": "",
    }
    data.update(overrides)
    return data


# --- action plan page ---------------------------------------------------------------------


def test_action_plan_shows_share_and_marks_overdue_measures(
    client_for, partner, place, organisation
):
    MeasureFactory(place=place, responsible=organisation, status=Status.DONE, title="Papperskorgar")
    MeasureFactory(
        place=place,
        responsible=organisation,
        status=Status.ONGOING,
        title="Nattvandring",
        planned_end=datetime.date(2020, 1, 1),
    )
    MeasureFactory(place=place, responsible=organisation, status=Status.PROPOSED, title="Väktare")
    MeasureFactory(
        place=place,
        responsible=organisation,
        status=Status.CANCELLED,
        cancel_reason="Nej",
        title="Inställd sak",
    )

    html = client_for(partner).get(url("plan", place=place.pk)).content.decode()

    assert "2 av 3" in html
    assert "(67 %)" in html
    assert "1 åtgärd är försenad." in html
    assert 'class="is-overdue"' in html
    assert html.count("Försenad</strong>") == 1


def test_action_plan_overdue_filter(client_for, partner, place, organisation):
    MeasureFactory(
        place=place,
        responsible=organisation,
        title="Sen röjning av buskage",
        planned_end=datetime.date(2021, 5, 1),
        status=Status.PLANNED,
    )
    MeasureFactory(place=place, responsible=organisation, title="Framtida belysning")

    html = client_for(partner).get(url("plan", place=place.pk) + "?forsenade=1").content.decode()

    assert "Sen röjning av buskage" in html
    assert "Framtida belysning" not in html


# --- create, edit, status ------------------------------------------------------------------


def test_place_lead_creates_a_measure_and_the_organisation_is_emailed(
    client_for,
    place_lead,
    place,
    organisation,
    contact,
    mailoutbox,
    django_capture_on_commit_callbacks,
):
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(place_lead).post(
            url("measure_create", place=place.pk), _measure_post(organisation)
        )

    assert response.status_code == 302
    with scopes_disabled():  # test assertion
        measure = Measure.objects.get(title="Klotterplan för gallerian")
    assert response["Location"] == url("measure", pk=measure.pk)
    assert measure.place == place and measure.created_by == place_lead
    assert len(mailoutbox) == 1 and mailoutbox[0].to == ["anna.andersson@example.com"]


def test_partner_cannot_create_a_measure(client_for, partner, place, organisation):
    response = client_for(partner).post(
        url("measure_create", place=place.pk), _measure_post(organisation)
    )
    assert response.status_code == 403
    with scopes_disabled():  # test assertion
        assert not Measure.objects.exists()


def test_measure_end_before_start_and_negative_budget_get_swedish_messages(
    client_for, place_lead, place, organisation
):
    response = client_for(place_lead).post(
        url("measure_create", place=place.pk),
        _measure_post(
            organisation, planned_start="2026-05-01", planned_end="2026-04-01", budget="-5"
        ),
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "Planerat slut kan inte vara före planerad start." in html
    assert "Budgeten kan inte vara negativ." in html
    with scopes_disabled():  # test assertion
        assert not Measure.objects.exists()


def test_partner_of_the_responsible_org_changes_status(client_for, partner, measure):
    response = client_for(partner).post(
        url("measure_status", pk=measure.pk),
        {"status": "pagaende", "reason": "Elektrikern är beställd.", "actual_cost": "1200"},
    )
    assert response.status_code == 302
    with scopes_disabled():  # test assertion
        measure.refresh_from_db()
        change = MeasureStatusChange.objects.get(measure=measure)
    assert measure.status == Status.ONGOING and measure.actual_cost == Decimal("1200")
    assert (change.from_status, change.to_status, change.actor) == ("planerad", "pagaende", partner)


def test_partner_of_another_org_cannot_change_status(client_for, partner, place):
    other = MeasureFactory(place=place, responsible=OrganisationFactory(program=place.program))
    response = client_for(partner).post(url("measure_status", pk=other.pk), {"status": "pagaende"})
    assert response.status_code == 403


def test_status_form_refuses_an_invalid_transition_and_cancel_without_reason(
    client_for, place_lead, measure
):
    client = client_for(place_lead)
    invalid = client.post(url("measure_status", pk=measure.pk), {"status": "genomford"})
    no_reason = client.post(url("measure_status", pk=measure.pk), {"status": "installd"})
    backwards = client.post(
        url("measure_status", pk=measure.pk),
        {"status": "planerad", "actual_start": "2026-05-02", "actual_end": "2026-05-01"},
    )

    assert invalid.status_code == 200
    assert "Välj ett giltigt alternativ" in invalid.content.decode()
    assert "Ange skälet till att åtgärden ställs in." in no_reason.content.decode()
    assert "Åtgärden kan inte bli klar före sin start." in backwards.content.decode()
    with scopes_disabled():  # test assertion
        measure.refresh_from_db()
        assert measure.status == Status.PLANNED
        assert not MeasureStatusChange.objects.exists()


def test_measure_page_shows_history_and_hides_names_from_observers(
    client_for, place_lead, observer, measure
):
    client_for(place_lead).post(
        url("measure_status", pk=measure.pk), {"status": "installd", "reason": "Ingen budget i år."}
    )
    lead_html = client_for(place_lead).get(url("measure", pk=measure.pk)).content.decode()
    observer_html = client_for(observer).get(url("measure", pk=measure.pk)).content.decode()

    assert "Planerad → Inställd" in lead_html and "Ingen budget i år." in lead_html
    assert "Platsansvarig" in lead_html  # the actor's name
    assert "Planerad → Inställd" in observer_html
    assert "Platsansvarig</td>" not in observer_html


def test_measure_photo_upload_is_cleaned_and_served_only_to_members(
    client_for, partner, outsider, measure
):
    upload = SimpleUploadedFile("fore.jpg", _jpeg(gps=True), content_type="image/jpeg")
    response = client_for(partner).post(
        url("photo_create", pk=measure.pk), {"kind": "fore", "image": upload, "caption": "Mörkt"}
    )
    assert response.status_code == 302
    with scopes_disabled():  # test assertion
        photo = measure.photos.get()
    photo_url = url("photo", measure=measure.pk, pk=photo.pk)
    served = client_for(partner).get(photo_url)
    body = b"".join(served.streaming_content)
    with Image.open(io.BytesIO(body)) as image:
        assert not image.getexif()
    assert client_for(outsider).get(photo_url).status_code == 404


def test_broken_photo_gets_a_swedish_message(client_for, partner, measure):
    upload = SimpleUploadedFile("fore.jpg", b"inte en bild", content_type="image/jpeg")
    response = client_for(partner).post(
        url("photo_create", pk=measure.pk), {"kind": "fore", "image": upload}
    )
    assert response.status_code == 200
    assert "form-errors" in response.content.decode()
    with scopes_disabled():  # test assertion
        assert not measure.photos.exists()


# --- exports -------------------------------------------------------------------------------


def test_csv_export_has_bom_swedish_columns_and_guards_formulas(
    client_for, observer, place, organisation
):
    MeasureFactory(
        place=place,
        responsible=organisation,
        title='=HYPERLINK("http://x")',
        description="+46 70 123",
        budget=Decimal("1500.50"),
    )
    MeasureFactory(place=place, responsible=organisation, title="Fler papperskorgar")

    response = client_for(observer).get(url("plan_csv", place=place.pk))

    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert 'attachment; filename="atgardsplan-avesta-centrum-' in response["Content-Disposition"]
    assert response.content.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))
    assert rows[0][:3] == ["Rubrik", "Beskrivning", "Kategori"]
    assert "Ansvarig organisation" in rows[0]
    by_title = {r[0]: r for r in rows[1:]}
    assert '\'=HYPERLINK("http://x")' in by_title
    assert by_title['\'=HYPERLINK("http://x")'][1] == "'+46 70 123"
    assert by_title['\'=HYPERLINK("http://x")'][13] == "1500,50"
    assert "Fler papperskorgar" in by_title


def test_xlsx_export_opens_with_types_and_guards_formulas(client_for, partner, place, organisation):
    MeasureFactory(
        place=place,
        responsible=organisation,
        title="@SUM(A1)",
        planned_end=datetime.date(2026, 6, 30),
        budget=Decimal("45000"),
    )

    response = client_for(partner).get(url("plan_xlsx", place=place.pk))

    sheet = load_workbook(io.BytesIO(response.content)).active
    header = [c.value for c in sheet[1]]
    row = [c.value for c in sheet[2]]
    assert header[0] == "Rubrik" and header[8] == "Status"
    # The visible text is what was typed; the quote-prefix style keeps it from running.
    assert row[0] == "@SUM(A1)"
    assert sheet.cell(row=2, column=1).data_type == "s"
    assert sheet.cell(row=2, column=1).quotePrefix
    assert not sheet.cell(row=2, column=2).quotePrefix
    assert row[10].date() == datetime.date(2026, 6, 30)
    assert sheet.cell(row=2, column=11).number_format == "yyyy-mm-dd"
    assert row[13] == 45000


def test_export_respects_the_filters(client_for, partner, place, organisation):
    MeasureFactory(place=place, responsible=organisation, title="Klar", status=Status.DONE)
    MeasureFactory(place=place, responsible=organisation, title="Planerad")
    body = client_for(partner).get(url("plan_csv", place=place.pk) + "?status=genomford")
    text = body.content.decode("utf-8-sig")
    assert "Klar" in text and "\nPlanerad;" not in text


# --- activities ----------------------------------------------------------------------------


def _activity_post(**overrides):
    data = {
        "description": "Nattvandring runt busstorget",
        "date": "2026-03-14",
        "hours": "3,5",
        "cost": "0",
        "client_id": str(uuid.uuid4()),
    }
    data.update(overrides)
    return data


def test_activity_form_has_phone_defaults(client_for, partner, place, measure):
    other_place_measure = MeasureFactory(
        place=PlaceFactory(program=place.program), title="Annan plats åtgärd"
    )
    html = client_for(partner).get(url("activity_create", place=place.pk)).content.decode()

    assert 'inputmode="decimal"' in html
    assert 'accept="image/*"' in html and 'capture="environment"' in html
    assert 'name="client_id"' in html and 'name="point"' in html
    assert "Använd min position" in html
    assert "Avestahem AB" in html  # the partner's organisation, fixed
    assert measure.title in html and other_place_measure.title not in html
    assert 'src="/static/measures/activity.js"' in html
    assert "leaflet" not in html


def test_duplicate_client_id_stores_once(client_for, partner, place, measure):
    client = client_for(partner)
    data = _activity_post(measure=measure.pk)

    first = client.post(url("activity_create", place=place.pk), data)
    second = client.post(url("activity_create", place=place.pk), data)

    assert first.status_code == second.status_code == 302
    with scopes_disabled():  # test assertion
        activity = Activity.objects.get()
    assert activity.hours == Decimal("3.5")
    assert activity.organisation.name == "Avestahem AB" and activity.created_by == partner
    assert activity.measure == measure


def test_activity_without_client_id_gets_one_from_the_server(client_for, partner, place):
    data = _activity_post()
    del data["client_id"]
    assert client_for(partner).post(url("activity_create", place=place.pk), data).status_code == 302
    with scopes_disabled():  # test assertion
        assert Activity.objects.get().client_id


def test_partner_cannot_log_for_another_organisation(client_for, partner, place, program):
    police = OrganisationFactory(program=program, name="Polisen")
    client_for(partner).post(
        url("activity_create", place=place.pk), _activity_post(organisation=police.pk)
    )
    with scopes_disabled():  # test assertion
        assert Activity.objects.get().organisation.name == "Avestahem AB"


def test_negative_hours_and_cost_get_swedish_messages(client_for, partner, place):
    response = client_for(partner).post(
        url("activity_create", place=place.pk), _activity_post(hours="-1", cost="-20")
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "Timmar kan inte vara negativa." in html
    assert "Kostnaden kan inte vara negativ." in html
    with scopes_disabled():  # test assertion
        assert not Activity.objects.exists()


def test_activity_photo_with_gps_is_stored_without_it(client_for, partner, place):
    upload = SimpleUploadedFile("IMG_1.jpg", _jpeg(gps=True), content_type="image/jpeg")
    response = client_for(partner).post(
        url("activity_create", place=place.pk), {**_activity_post(), "photo": upload}
    )
    assert response.status_code == 302
    with scopes_disabled():  # test assertion
        activity = Activity.objects.get()
    with activity.photo.open("rb") as f, Image.open(f) as stored:
        assert not stored.getexif()


def test_other_place_lead_cannot_log_at_this_place(client_for, other_place_lead, place):
    response = client_for(other_place_lead).post(
        url("activity_create", place=place.pk), _activity_post()
    )
    assert response.status_code == 403


def test_activity_start_redirects_a_partner_with_one_place(client_for, partner, place):
    response = client_for(partner).get(url("activity_start"))
    assert response.status_code == 302
    assert response["Location"] == url("activity_create", place=place.pk)


def test_place_lead_sees_the_activity_and_the_hours(client_for, place_lead, partner, place):
    client_for(partner).post(url("activity_create", place=place.pk), _activity_post())
    html = client_for(place_lead).get(url("activities", place=place.pk)).content.decode()
    assert "Nattvandring runt busstorget" in html
    assert "3,50 h" in html
    assert "Partner</td>" in html


def test_cofinancing_page_values_hours_at_the_program_rate(
    client_for, observer, place, organisation
):
    ActivityFactory(
        place=place, organisation=organisation, hours=Decimal("10"), cost=Decimal("500")
    )
    html = client_for(observer).get(url("cofinancing")).content.decode()
    assert "Avestahem AB" in html
    assert "8\xa0000" in html or "8 000" in html  # 10 h × 800 kr/h
    assert "800 kr/h" in html


# --- drafts sent from the phone (X-Trygga-Draft) --------------------------------------------

DRAFT = {"HTTP_X_TRYGGA_DRAFT": "1"}


def test_a_draft_answers_stored_once_then_already_stored(client_for, partner, place):
    client = client_for(partner)
    data = _activity_post()

    first = client.post(url("activity_create", place=place.pk), data, **DRAFT)
    again = client.post(url("activity_create", place=place.pk), data, **DRAFT)

    assert (first.status_code, first.json()["created"]) == (201, True)
    assert (again.status_code, again.json()["created"]) == (200, False)
    assert first.json()["stored"] is again.json()["stored"] is True
    with scopes_disabled():  # test assertion
        assert Activity.objects.count() == 1


def test_a_refused_draft_answers_422_with_the_swedish_message(client_for, partner, place):
    response = client_for(partner).post(
        url("activity_create", place=place.pk), _activity_post(hours="en och en halv"), **DRAFT
    )

    assert response.status_code == 422
    body = response.json()
    assert body["stored"] is False and list(body["fields"]) == ["hours"]
    assert body["messages"] == ["Timmar: Fyll i ett tal."]
    with scopes_disabled():  # test assertion
        assert not Activity.objects.exists()
