"""The 500 page is Swedish and works while the database is down; so is the 400 page."""

import pytest
from django.db import OperationalError, connection
from django.test import Client
from django.urls import reverse

from tests.factories import SurveyFactory

pytestmark = pytest.mark.django_db


def _database_down(execute, sql, params, many, context):
    raise OperationalError("connection to server at 127.0.0.1, port 5432 failed")


def test_a_member_gets_the_swedish_500_page_while_the_database_is_down(coordinator, program):
    client = Client(raise_request_exception=False)
    client.force_login(coordinator)
    with connection.execute_wrapper(_database_down):
        response = client.get(f"/p/{program.slug}/")

    html = response.content.decode()
    assert response.status_code == 500
    assert '<html lang="sv">' in html
    assert "Något gick fel" in html and "Försök igen om en stund" in html
    assert "Server Error" not in html


def test_a_resident_gets_the_swedish_500_page_while_the_database_is_down(program, place):
    survey = SurveyFactory(program=program, places=[place], codes=["kon"])
    url = reverse("surveys_public:answer", kwargs={"token": survey.token})
    client = Client(raise_request_exception=False)
    with connection.execute_wrapper(_database_down):
        response = client.post(url, {"submission_id": "x"})

    assert response.status_code == 500
    assert "skicka svaren igen, de räknas bara en gång" in response.content.decode()


def test_a_request_too_large_for_django_gets_the_swedish_400_page(
    client_for, coordinator, settings
):
    settings.DATA_UPLOAD_MAX_NUMBER_FIELDS = 10  # Django's own guard: RequestDataTooBig's sibling
    client = client_for(coordinator)
    response = client.post(
        "/konto/login/", {f"f{n}": "x" for n in range(20)}, REMOTE_ADDR="127.0.0.1"
    )
    assert response.status_code == 400
    assert "Felaktig förfrågan" in response.content.decode()
