"""Cache-Control: no-store on what a logged-in user gets, and a Permissions-Policy everywhere."""

import pytest
from django.core.files.base import ContentFile
from django.urls import reverse
from django_scopes import scopes_disabled

from tests.factories import ReportFactory, SurveyFactory

pytestmark = pytest.mark.django_db


def test_logged_in_pages_pdfs_and_exports_are_not_stored(client_for, coordinator, program, place):
    report = ReportFactory(program=program, status="klar")
    with scopes_disabled():  # test set-up: attach the PDF
        report.pdf.save("rapport.pdf", ContentFile(b"%PDF-1.7 test"), save=True)
    client = client_for(coordinator)
    slug = program.slug
    urls = [
        f"/p/{slug}/",  # a page
        reverse("reports:download", kwargs={"program": slug, "pk": report.pk}),  # a PDF
        reverse("measures:plan_csv", kwargs={"program": slug, "place": place.pk}),  # exports
        reverse("measures:plan_xlsx", kwargs={"program": slug, "place": place.pk}),
        f"/p/{slug}/finns-inte/",  # an error page too
    ]
    for url in urls:
        response = client.get(url)
        assert response["Cache-Control"] == "no-store", url


def test_a_view_that_chose_its_caching_keeps_it(client_for, coordinator, program):
    response = client_for(coordinator).get(
        reverse("reports:dashboard_map", kwargs={"program": program.slug})
    )
    assert response["Cache-Control"] == "private, no-cache"  # revalidated by its ETag


def test_anonymous_public_pages_are_not_marked(client, program, place):
    survey = SurveyFactory(program=program, places=[place], codes=["kon"])
    response = client.get(reverse("surveys_public:answer", kwargs={"token": survey.token}))
    assert response.status_code == 200
    assert "Cache-Control" not in response


def test_every_response_has_a_permissions_policy(client, client_for, coordinator):
    for response in (
        client.get("/konto/login/"),
        client_for(coordinator).get("/"),
        client.get("/x/"),
    ):
        policy = response["Permissions-Policy"]
        assert "geolocation=(self)" in policy
        assert "camera=()" in policy and "microphone=()" in policy and "payment=()" in policy
