"""The report pages: request, progress, retry, download, schedules; permissions and query
counts."""

import datetime

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django_scopes import scope, scopes_disabled

from reports.models import Report, ReportSchedule
from reports.selectors import place_summaries
from tests.factories import (
    ActivityFactory,
    MeasureFactory,
    PlaceFactory,
    ReportFactory,
    SurveyFactory,
)
from tests.reports.conftest import Q1, add_responses

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def url(name, program, **kwargs):
    return reverse(f"reports:{name}", kwargs={"program": program.slug, **kwargs})


def reports_of(program):
    with scopes_disabled():  # reading back what a request wrote
        return list(Report.objects.filter(program=program))


def ready_report(program):
    from django.core.files.base import ContentFile

    report = ReportFactory(program=program, status="klar")
    with scopes_disabled():  # test set-up: attach the PDF
        report.pdf.save("rapport.pdf", ContentFile(PDF), save=True)
    return report


def request_data(**overrides):
    return {
        "kind": "program",
        "place": "",
        "period_start": "2026-01-01",
        "period_end": "2026-03-31",
        "purpose": "Syftet.",
        **overrides,
    }


def test_coordinator_requests_a_report_and_it_is_rendered(
    program, place, coordinator, client_for, django_capture_on_commit_callbacks
):
    client = client_for(coordinator)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url("create", program), request_data())

    (report,) = reports_of(program)
    assert response.status_code == 302
    assert response["Location"] == url("detail", program, pk=report.pk)
    assert report.status == "klar" and report.purpose == "Syftet."
    page = client.get(response["Location"]).content.decode()
    assert "Ladda ner PDF" in page
    assert "1 januari – 31 mars 2026" in page


def test_form_offers_the_last_quarter_and_only_the_programs_places(
    program, place, other_place, coordinator, client_for
):
    html = client_for(coordinator).get(url("create", program)).content.decode()
    assert place.name in html
    assert other_place.name not in html
    assert 'name="period_start"' in html


def test_a_report_for_another_programs_place_is_refused_by_the_form(
    program, place, other_place, coordinator, client_for
):
    response = client_for(coordinator).post(
        url("create", program), request_data(kind="plats", place=other_place.pk)
    )
    assert response.status_code == 200
    assert "Välj ett giltigt alternativ" in response.content.decode()
    assert reports_of(program) == []


def test_place_lead_requests_place_reports_for_their_places_only(
    program, place, second_place, place_lead, client_for
):
    client = client_for(place_lead)
    html = client.get(url("create", program)).content.decode()
    assert second_place.name not in html
    assert "Lägesrapport för programmet" not in html

    refused = client.post(url("create", program), request_data(kind="plats", place=second_place.pk))
    program_report = client.post(url("create", program), request_data(kind="program"))
    accepted = client.post(url("create", program), request_data(kind="plats", place=place.pk))

    assert refused.status_code == program_report.status_code == 200
    assert accepted.status_code == 302
    (report,) = reports_of(program)
    assert report.place == place


def test_end_before_start_is_a_swedish_error(program, coordinator, client_for):
    response = client_for(coordinator).post(
        url("create", program), request_data(period_start="2026-04-01", period_end="2026-03-01")
    )
    assert "Periodens slut kan inte ligga före dess början." in response.content.decode()


def test_pending_report_page_polls_and_links_to_a_reload(program, coordinator, client_for):
    report = ReportFactory(program=program)
    client = client_for(coordinator)

    html = client.get(url("detail", program, pk=report.pk)).content.decode()
    status = client.get(url("status", program, pk=report.pk)).json()

    assert "js/report_status.js" in html
    assert f'data-report-status-url="{url("status", program, pk=report.pk)}"' in html
    assert f'href="{url("detail", program, pk=report.pk)}">Uppdatera<' in html
    assert "<script>" not in html and 'http-equiv="refresh"' not in html
    assert status == {"status": "vantar", "label": "Väntar", "finished": False, "stuck": False}


def test_failed_report_shows_the_reason_and_retry_renders_it(
    program, coordinator, client_for, django_capture_on_commit_callbacks
):
    report = ReportFactory(program=program, status="misslyckades", failure_reason="Mallen saknas.")
    client = client_for(coordinator)

    html = client.get(url("detail", program, pk=report.pk)).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url("retry", program, pk=report.pk))

    assert "Mallen saknas." in html and "Försök igen" in html
    assert response.status_code == 302
    (again,) = reports_of(program)
    assert again.status == "klar"


def test_download_is_an_attachment_named_after_program_and_period(program, observer, client_for):
    report = ready_report(program)
    response = client_for(observer).get(url("download", program, pk=report.pk))

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == (
        'attachment; filename="trygga-platser-2026-01-01-2026-03-31.pdf"'
    )
    assert b"".join(response.streaming_content) == PDF


def test_download_is_404_for_outsiders_and_403_for_partners(program, partner, outsider, client_for):
    report = ready_report(program)
    download = url("download", program, pk=report.pk)

    assert client_for(outsider).get(download).status_code == 404
    assert client_for(partner).get(download).status_code == 403
    assert client_for(partner).get(url("list", program)).status_code == 403


def test_download_of_a_report_not_ready_is_404(program, coordinator, client_for):
    report = ReportFactory(program=program, status="skapas")
    assert client_for(coordinator).get(url("download", program, pk=report.pk)).status_code == 404


def test_schedule_rejects_a_bad_address_in_swedish(program, coordinator, client_for):
    response = client_for(coordinator).post(
        url("schedule_create", program),
        {
            "kind": "vinnova",
            "frequency": "kvartal",
            "recipient_emails": "vinnova@demo.test\nfel",
        },
    )
    assert "”fel” är ingen giltig e-postadress." in response.content.decode()
    with scopes_disabled():  # nothing may have been written
        assert not ReportSchedule.objects.exists()


def test_schedule_is_created_and_deactivated(program, coordinator, observer, client_for):
    client = client_for(coordinator)
    with scopes_disabled():  # the observer's membership, to pick as a recipient
        membership = observer.memberships.get()
    client.post(
        url("schedule_create", program),
        {
            "kind": "vinnova",
            "frequency": "kvartal",
            "recipient_emails": "Vinnova@Demo.test",
            "recipient_members": [membership.pk],
            "active": "on",
        },
    )
    with scopes_disabled():  # reading back what the request wrote
        schedule = ReportSchedule.objects.get()
        assert schedule.recipient_emails == ["vinnova@demo.test"]
        assert list(schedule.recipient_members.all()) == [membership]

    client.post(url("schedule_deactivate", program, pk=schedule.pk))

    schedule.refresh_from_db()
    assert schedule.active is False
    assert "Avslutat" in client.get(url("schedules", program)).content.decode()


def _summary_queries(program, places):
    new_places = []
    for _ in range(places):
        place = PlaceFactory(program=program)
        new_places.append(place)
        MeasureFactory(
            place=place,
            status="genomford",
            actual_end=datetime.date(2026, 2, 1),
            actual_start=datetime.date(2026, 1, 1),
        )
        ActivityFactory(place=place, date=datetime.date(2026, 2, 2))
    survey = SurveyFactory(
        program=program,
        places=new_places,
        codes=["plats-trygg-kvall"],
        opens_on=datetime.date(2026, 1, 10),
        closes_on=datetime.date(2026, 2, 1),
    )
    add_responses(survey, new_places[0], safe=6, unsafe=4)
    with scope(program=program), CaptureQueriesContext(connection) as queries:
        summaries = place_summaries(program, *Q1)
    return len(queries), summaries


def test_place_summaries_query_count_does_not_grow(program):
    few, small = _summary_queries(program, 3)
    many, large = _summary_queries(program, 27)
    # 15 reads, and the one UPDATE that keeps the safety counts beside the snapshot (a cold
    # read later counts nothing again: tests/reports/test_safety_counts_kept.py).
    assert few == many <= 16
    assert len(small) == 3 and len(large) == 30
    assert all(s.measures_done_in_period == 1 and s.activities == 1 for s in large)
