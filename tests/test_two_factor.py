"""Two-factor authentication for coordinators (DESIGN §6, Security)."""

import pytest
from allauth.mfa.models import Authenticator
from django_scopes import scopes_disabled

from partnerships.models import Membership, Program, Role, User

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
    settings.MFA_REQUIRED_FOR_COORDINATORS = True
    client, _user = coordinator_client
    response = client.get("/p/tvasteg/")
    assert response.status_code == 302
    assert response["Location"] == "/konto/2fa/totp/activate/"


def test_coordinator_with_totp_gets_in_when_required(coordinator_client, settings):
    settings.MFA_REQUIRED_FOR_COORDINATORS = True
    client, user = coordinator_client
    Authenticator.objects.create(user=user, type=Authenticator.Type.TOTP, data={"secret": "x"})
    response = client.get("/p/tvasteg/")
    assert response.status_code == 200
    assert "Aktivera tvåstegsverifiering" not in response.text


def test_coordinator_without_2fa_is_reminded_when_optional(coordinator_client, settings):
    settings.MFA_REQUIRED_FOR_COORDINATORS = False
    client, _user = coordinator_client
    response = client.get("/p/tvasteg/")
    assert response.status_code == 200
    assert "Aktivera tvåstegsverifiering" in response.text
