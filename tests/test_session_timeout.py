"""A login ends after 30 minutes without a request and 12 hours after it began (configurable)."""

import time

import pytest
from allauth.account.models import EmailAddress

from partnerships.models import User
from partnerships.session_timeout import SESSION_SEEN, SESSION_STARTED

pytestmark = pytest.mark.django_db

MINUTE = 60


def _age(client, **seconds_ago):
    """Move the session's clocks back: ``started=…`` and/or ``seen=…`` seconds ago."""
    session = client.session
    now = int(time.time())
    if "started" in seconds_ago:
        session[SESSION_STARTED] = now - seconds_ago["started"]
    if "seen" in seconds_ago:
        session[SESSION_SEEN] = now - seconds_ago["seen"]
    session.save()


@pytest.fixture
def member(client_for, coordinator):
    client = client_for(coordinator)
    assert SESSION_STARTED in client.session  # every way of logging in starts the clocks
    return client


def test_a_request_within_half_an_hour_keeps_the_login(member, program):
    _age(member, started=2 * 3600, seen=29 * MINUTE)
    response = member.get(f"/p/{program.slug}/")
    assert response.status_code == 200
    assert time.time() - member.session[SESSION_SEEN] < 5  # seen again now


def test_half_an_hour_idle_logs_out_and_says_why(member, program):
    _age(member, seen=31 * MINUTE)
    response = member.get(f"/p/{program.slug}/")
    assert response.status_code == 302
    assert response["Location"] == f"/konto/login/?next=/p/{program.slug}/"
    assert "_auth_user_id" not in member.session
    login_page = member.get(response["Location"])
    assert "Du loggades ut efter 30 minuter utan aktivitet" in login_page.text


def test_twelve_hours_after_the_login_it_ends_even_when_active(member, program):
    _age(member, started=12 * 3600 + MINUTE, seen=MINUTE)
    response = member.get(f"/p/{program.slug}/")
    assert response.status_code == 302
    assert "_auth_user_id" not in member.session
    assert "Du loggades ut efter 12 timmar" in member.get(response["Location"]).text


def test_the_limits_are_configurable(member, program, settings):
    settings.SESSION_IDLE_MINUTES = 60
    _age(member, seen=45 * MINUTE)
    assert member.get(f"/p/{program.slug}/").status_code == 200


def test_logging_in_with_the_form_starts_the_clocks(client):
    user = User.objects.create_user(email="ny@example.com", password="Rätt-lösenord-2026")
    EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
    client.post("/konto/login/", {"login": user.email, "password": "Rätt-lösenord-2026"})
    started = client.session[SESSION_STARTED]
    assert time.time() - started < 5
    assert client.session[SESSION_SEEN] == started


def test_a_resident_gets_no_session_from_this(client, program, place):
    from django.urls import reverse

    from tests.factories import SurveyFactory

    survey = SurveyFactory(program=program, places=[place], codes=["kon"])
    response = client.get(reverse("surveys_public:answer", kwargs={"token": survey.token}))
    assert response.status_code == 200
    assert "sessionid" not in response.cookies
