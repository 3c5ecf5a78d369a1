"""Two-factor authentication (DESIGN §6, Security): offered to everyone, required of the roles
that see personal data in production."""

import os
import subprocess
import sys

import pytest
from allauth.mfa.models import Authenticator
from django_scopes import scopes_disabled

from partnerships.models import Membership, Organisation, Program, Role, User

pytestmark = pytest.mark.django_db


@pytest.fixture
def coordinator_client(client):
    with scopes_disabled():  # test setup
        program = Program.objects.create(name="Tvåsteg", slug="tvasteg", coordinator_name="X")
        user = User.objects.create_user("samordnare@example.com", "pw")
        Membership.objects.create(user=user, program=program, role=Role.COORDINATOR)
    client.force_login(user)
    return client, user


def test_coordinator_without_2fa_is_sent_to_setup_when_required(coordinator_client, settings):
    settings.MFA_REQUIRED = True
    client, _user = coordinator_client
    response = client.get("/p/tvasteg/")
    assert response.status_code == 302
    assert response["Location"] == "/konto/2fa/totp/activate/"


def test_coordinator_with_totp_gets_in_when_required(coordinator_client, settings):
    settings.MFA_REQUIRED = True
    client, user = coordinator_client
    Authenticator.objects.create(user=user, type=Authenticator.Type.TOTP, data={"secret": "x"})
    response = client.get("/p/tvasteg/")
    assert response.status_code == 200
    assert "Aktivera tvåstegsverifiering" not in response.text


def test_coordinator_without_2fa_is_reminded_when_optional(coordinator_client, settings):
    settings.MFA_REQUIRED = False
    client, _user = coordinator_client
    response = client.get("/p/tvasteg/")
    assert response.status_code == 200
    assert "Aktivera tvåstegsverifiering" in response.text


# --- every role is offered it; coordinators and place leads must have it in production --------


def _member_client(role, email):
    with scopes_disabled():  # test setup
        program = Program.objects.get_or_create(
            slug="tvasteg", defaults={"name": "Tvåsteg", "coordinator_name": "X"}
        )[0]
        user = User.objects.create_user(email, "pw")
        organisation = None
        if role == Role.PARTNER:
            organisation = Organisation.objects.create(program=program, name="Fastighets AB")
        Membership.objects.create(user=user, program=program, role=role, organisation=organisation)
    from django.test import Client

    client = Client()
    client.force_login(user)
    return client, user


@pytest.mark.parametrize("role", [Role.COORDINATOR, Role.PLACE_LEAD])
def test_roles_that_see_personal_data_must_set_it_up_when_required(role, settings):
    settings.MFA_REQUIRED = True
    client, _user = _member_client(role, f"{role}@example.com")
    response = client.get("/p/tvasteg/")
    assert response.status_code == 302
    assert response["Location"] == "/konto/2fa/totp/activate/"
    setup = client.get(response["Location"], follow=True)  # (allauth asks for the password first)
    assert "Med din roll behöver du tvåstegsverifiering" in setup.text


@pytest.mark.parametrize("role", [Role.PARTNER, Role.OBSERVER])
def test_other_roles_are_offered_it_but_not_forced(role, settings):
    settings.MFA_REQUIRED = True
    client, _user = _member_client(role, f"{role}@example.com")
    page = client.get("/p/tvasteg/")
    assert page.status_code == 200
    assert 'href="/konto/2fa/">Tvåstegsverifiering</a>' in page.text  # in the menu
    setup = client.get("/konto/2fa/totp/activate/", follow=True)  # they may set it up
    assert setup.status_code == 200 and setup.redirect_chain[-1][0].startswith("/konto/")


def test_it_is_required_by_default_in_production_only():
    code = "import django; django.setup(); from django.conf import settings as s; "
    code += "print(s.MFA_REQUIRED)"

    def required(**env):
        clean = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "MFA_"))}
        result = subprocess.run(
            [sys.executable, "-c", code],
            env={**clean, "DJANGO_SETTINGS_MODULE": "config.settings", **env},
            capture_output=True,
            text=True,
            timeout=60,
        )
        return result.stdout.strip()

    assert required() == "False"
    assert required(DJANGO_SECURE="true", DJANGO_SECRET_KEY="x" * 50) == "True"
    assert (
        required(DJANGO_SECURE="true", DJANGO_SECRET_KEY="x" * 50, MFA_REQUIRED="false") == "False"
    )


def test_staff_need_it_for_the_admin_when_required(settings):
    settings.MFA_REQUIRED = True
    from django.test import Client

    staff = User.objects.create_superuser(email="admin@example.com", password="pw")
    client = Client()
    client.force_login(staff)
    response = client.get("/admin/", follow=True)
    assert ("/konto/2fa/totp/activate/", 302) in response.redirect_chain
    assert "Aktivera tvåstegsverifiering för att använda administrationen" in response.text
    Authenticator.objects.create(user=staff, type=Authenticator.Type.TOTP, data={"secret": "x"})
    assert client.get("/admin/").status_code == 200
