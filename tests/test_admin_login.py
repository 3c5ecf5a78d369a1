"""The Django admin logs in through allauth: its throttle and its two-factor step apply."""

import sys

import pytest
from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from django.conf import settings

from partnerships.models import User

pytestmark = pytest.mark.django_db

PASSWORD = "Rätt-lösenord-2026"


@pytest.fixture
def production_rate_limits(settings):
    """The login limits of config/settings.py (the test settings switch them off)."""
    settings.ACCOUNT_RATE_LIMITS = sys.modules["config.settings"].ACCOUNT_RATE_LIMITS


@pytest.fixture
def superuser():
    user = User.objects.create_superuser(email="admin@example.com", password=PASSWORD)
    EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
    return user


def _logged_in(client) -> bool:
    return settings.SESSION_COOKIE_NAME in client.cookies and "_auth_user_id" in client.session


def test_admin_login_page_sends_to_allauth_login(client):
    response = client.get("/admin/login/?next=/admin/")
    assert response.status_code == 302
    assert response["Location"] == "/konto/login/?next=%2Fadmin%2F"


def test_admin_login_form_never_checks_a_password(client, superuser):
    response = client.post(
        "/admin/login/?next=/admin/", {"username": superuser.email, "password": PASSWORD}
    )
    assert response.status_code == 302
    assert response["Location"].startswith("/konto/login/")
    assert not _logged_in(client)
    assert client.get("/admin/").status_code == 302  # still not in


def test_thirty_wrong_passwords_are_throttled(client, superuser, production_rate_limits):
    answers = [
        client.post(
            "/konto/login/?next=/admin/", {"login": superuser.email, "password": f"fel-{n}"}
        )
        for n in range(30)
    ]
    throttled = [r for r in answers if "För många misslyckade inloggningsförsök" in r.text]
    assert len(throttled) >= 20
    assert not _logged_in(client)
    # The right password now is refused too, until the back-off has passed (the form's own
    # message, or the login page's overall limit in Swedish).
    response = client.post("/konto/login/", {"login": superuser.email, "password": PASSWORD})
    assert not _logged_in(client)
    assert "För många" in response.text
    # And through the admin's own address the password is never even looked at.
    client.post("/admin/login/", {"username": superuser.email, "password": PASSWORD})
    assert not _logged_in(client)


def test_totp_superuser_gets_no_admin_session_with_the_password_alone(client, superuser):
    Authenticator.objects.create(
        user=superuser, type=Authenticator.Type.TOTP, data={"secret": "JBSWY3DPEHPK3PXP"}
    )
    client.post("/admin/login/?next=/admin/", {"username": superuser.email, "password": PASSWORD})
    assert not _logged_in(client)

    response = client.post(
        "/konto/login/?next=/admin/", {"login": superuser.email, "password": PASSWORD}
    )
    assert response.status_code == 302
    assert response["Location"] == "/konto/2fa/authenticate/"
    assert not _logged_in(client)
    admin = client.get("/admin/")
    assert admin.status_code == 302
    assert admin["Location"].startswith("/admin/login/")


def test_staff_logged_in_through_allauth_reaches_the_admin(client, superuser):
    response = client.post(
        "/konto/login/?next=/admin/", {"login": superuser.email, "password": PASSWORD}
    )
    assert response["Location"] == "/admin/"
    assert client.get("/admin/").status_code == 200
    # The admin's login address forwards a logged-in staff member to the admin.
    assert client.get("/admin/login/").status_code == 302


def test_non_staff_user_is_refused_by_the_admin_login(client):
    user = User.objects.create_user(email="person@example.com", password=PASSWORD)
    client.force_login(user)
    assert client.get("/admin/login/").status_code == 403
