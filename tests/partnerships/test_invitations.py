"""Invitations end to end through the client: invite, e-mail, accept (logged in or by signing
up), and every way an invitation link can stop working."""

import datetime
import re

import pytest
from django.urls import reverse
from django.utils import timezone
from django_scopes import scope, scopes_disabled

from partnerships.models import Invitation, Membership, Role, User
from tests.factories import InvitationFactory, UserFactory

pytestmark = pytest.mark.django_db


def invite_url(program):
    return reverse("partnerships:invite", kwargs={"program": program.slug})


def accept_url(invitation):
    return reverse("invitation_accept", kwargs={"token": invitation.token})


def memberships_of(email):
    with scopes_disabled():  # checking across programs on purpose
        return list(Membership.objects.filter(user__email=email).select_related("program"))


def test_coordinator_invites_a_place_lead_and_the_email_has_the_link(
    program, place, coordinator, client_for, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(coordinator).post(
            invite_url(program),
            {"email": "Ny@Example.com", "role": Role.PLACE_LEAD, "places": [place.pk]},
            follow=True,
        )

    assert "En inbjudan har skickats till ny@example.com." in response.content.decode()
    with scope(program=program):
        invitation = Invitation.objects.get()
    assert (invitation.email, invitation.role) == ("ny@example.com", Role.PLACE_LEAD)
    assert len(mailoutbox) == 1
    link = re.search(r"https?://\S+/inbjudan/\S+/", mailoutbox[0].body).group(0)
    assert link.endswith(accept_url(invitation))
    # The e-mail names who invites, the program, the role and the place (not "… i Trygga
    # platser i Trygga platser").
    body = " ".join(mailoutbox[0].body.split())
    assert mailoutbox[0].subject == "Inbjudan till programmet Trygga platser som platsansvarig"
    assert (
        f"{coordinator.get_full_name()} har bjudit in dig till programmet Trygga platser som "
        "platsansvarig."
    ) in body
    assert "Platser: Avesta centrum" in body
    # The pending invitation is listed on the member page.
    assert "ny@example.com" in response.content.decode()


def test_invite_partner_needs_organisation_and_places(program, coordinator, client_for, mailoutbox):
    response = client_for(coordinator).post(
        invite_url(program), {"email": "p@example.com", "role": Role.PARTNER}
    )

    html = response.content.decode()
    assert "En partner måste höra till en organisation." in html
    assert "Välj minst en plats." in html
    with scope(program=program):
        assert not Invitation.objects.exists()
    assert mailoutbox == []


def test_invite_an_existing_member_is_refused(program, observer, coordinator, client_for):
    response = client_for(coordinator).post(
        invite_url(program), {"email": observer.email.upper(), "role": Role.OBSERVER}
    )
    assert "Personen är redan medlem i programmet." in response.content.decode()
    with scope(program=program):
        assert not Invitation.objects.exists()


def test_invite_a_member_of_another_program_is_fine(program, outsider, coordinator, client_for):
    response = client_for(coordinator).post(
        invite_url(program), {"email": outsider.email, "role": Role.OBSERVER}
    )
    assert response.status_code == 302
    with scope(program=program):
        assert Invitation.objects.get().email == outsider.email


def test_invite_form_offers_only_this_programs_places_and_organisations(
    program, place, organisation, other_place, coordinator, client_for
):
    html = client_for(coordinator).get(invite_url(program)).content.decode()
    assert "Avesta centrum" in html and "Avestahem AB" in html
    assert "Borlänge centrum" not in html

    response = client_for(coordinator).post(
        invite_url(program),
        {"email": "p@example.com", "role": Role.PLACE_LEAD, "places": [other_place.pk]},
    )
    assert "Välj ett giltigt alternativ" in response.content.decode()


def test_logged_in_invitee_confirms_and_becomes_a_member(program, place, organisation, client_for):
    invitation = InvitationFactory(
        program=program,
        email="partner2@example.com",
        role=Role.PARTNER,
        organisation=organisation,
        places=[place],
    )
    client = client_for(UserFactory(email="partner2@example.com"))

    page = client.get(accept_url(invitation))
    assert "Gå med i Trygga platser" in page.content.decode()
    assert memberships_of("partner2@example.com") == []  # GET alone changes nothing

    response = client.post(accept_url(invitation), follow=True)

    assert response.redirect_chain[-1][0] == program.get_absolute_url()
    assert "Välkommen till Trygga platser!" in response.content.decode()
    [membership] = memberships_of("partner2@example.com")
    assert (membership.program, membership.role) == (program, Role.PARTNER)
    assert membership.organisation == organisation
    with scope(program=program):
        assert list(membership.places.all()) == [place]


def test_second_use_of_an_invitation_fails_with_a_message(program, client_for):
    invitation = InvitationFactory(program=program, email="obs@example.com")
    user = UserFactory(email="obs@example.com")
    client = client_for(user)
    client.post(accept_url(invitation))

    again = client.post(accept_url(invitation), follow=True)
    page = client.get(accept_url(invitation))

    assert "Inbjudan har redan använts." in again.content.decode()
    assert page.status_code == 410
    assert "Inbjudan har redan använts." in page.content.decode()
    assert len(memberships_of("obs@example.com")) == 1


def test_expired_invitation_shows_410_and_creates_nothing(program, client_for):
    invitation = InvitationFactory(
        program=program,
        email="late@example.com",
        expires_at=timezone.now() - datetime.timedelta(hours=1),
    )
    client = client_for(UserFactory(email="late@example.com"))

    page = client.get(accept_url(invitation))
    post = client.post(accept_url(invitation), follow=True)

    assert page.status_code == 410
    assert "Inbjudan har gått ut." in page.content.decode()
    assert "Inbjudan har gått ut. Be samordnaren om en ny." in post.content.decode()
    assert memberships_of("late@example.com") == []


def test_expired_invitation_is_410_for_anonymous_visitors_too(program, client_for):
    invitation = InvitationFactory(
        program=program, expires_at=timezone.now() - datetime.timedelta(days=1)
    )
    response = client_for(None).get(accept_url(invitation))
    assert response.status_code == 410
    assert "invitation_token" not in response.wsgi_request.session


def test_revoked_invitation_shows_410_and_creates_nothing(program, coordinator, client_for):
    invitation = InvitationFactory(program=program, email="rev@example.com")
    client_for(coordinator).post(
        reverse(
            "partnerships:invitation_revoke", kwargs={"program": program.slug, "pk": invitation.pk}
        )
    )
    invitee = client_for(UserFactory(email="rev@example.com"))

    page = invitee.get(accept_url(invitation))
    post = invitee.post(accept_url(invitation), follow=True)

    assert page.status_code == 410
    assert "Inbjudan har återkallats." in page.content.decode()
    assert "Inbjudan har återkallats." in post.content.decode()
    assert memberships_of("rev@example.com") == []


def test_invitation_for_another_address_is_refused(program, client_for):
    invitation = InvitationFactory(program=program, email="invited@example.com")
    wrong = UserFactory(email="wrong@example.com")

    response = client_for(wrong).post(accept_url(invitation), follow=True)

    assert "Inbjudan gäller invited@example.com. Logga in med den adressen." in (
        response.content.decode()
    )
    assert memberships_of("wrong@example.com") == []
    with scopes_disabled():  # test check across programs
        invitation.refresh_from_db()
    assert invitation.is_usable  # still usable by the right person


def test_anonymous_invitee_signs_up_and_accepts(program, place, client_for, mailoutbox):
    invitation = InvitationFactory(
        program=program, email="ny.platsansvarig@example.com", role=Role.PLACE_LEAD, places=[place]
    )
    client = client_for(None)

    start = client.get(accept_url(invitation))
    html = start.content.decode()
    assert "Du är inbjuden till Trygga platser" in html
    assert reverse("account_signup") in html

    signup = client.post(
        reverse("account_signup") + f"?next={accept_url(invitation)}",
        {
            "email": "ny.platsansvarig@example.com",
            "password1": "ett-langt-losenord-2025",
            "password2": "ett-langt-losenord-2025",
            "name": "  Karin   Berg ",
            "title": "Trygghetssamordnare",
            "phone": "070-123 45 67",
        },
    )
    assert signup.status_code == 302, signup.content.decode()[:2000]
    with scopes_disabled():  # the new account (not program-owned)
        user = User.objects.get(email="ny.platsansvarig@example.com")
    assert (user.name, user.title, user.phone) == (
        "Karin Berg",
        "Trygghetssamordnare",
        "070-123 45 67",
    )
    # The address was stashed as verified: no verification round, the person is logged in.
    assert signup["Location"] == accept_url(invitation)
    assert not any("Bekräfta" in m.subject for m in mailoutbox)

    confirm = client.get(accept_url(invitation))
    assert "Acceptera inbjudan" in confirm.content.decode()
    client.post(accept_url(invitation))

    [membership] = memberships_of("ny.platsansvarig@example.com")
    assert (membership.program, membership.role) == (program, Role.PLACE_LEAD)
    with scope(program=program):
        assert list(membership.places.all()) == [place]
    assert "invitation_token" not in client.session
    overview = client.get(program.get_absolute_url())
    assert overview.status_code == 200
    assert "Avesta centrum" in overview.content.decode()


def test_signup_asks_for_the_name_and_keeps_the_rest_when_it_is_missing(program, client_for):
    invitation = InvitationFactory(program=program, email="utan.namn@example.com")
    client = client_for(None)
    client.get(accept_url(invitation))
    form = client.get(reverse("account_signup")).content.decode()
    assert 'name="name"' in form and 'autocomplete="name"' in form

    response = client.post(
        reverse("account_signup"),
        {
            "email": "utan.namn@example.com",
            "password1": "ett-langt-losenord-2025",
            "password2": "ett-langt-losenord-2025",
            "name": "   ",
            "title": "Fastighetsförvaltare",
        },
    )

    assert response.status_code == 200
    html = response.content.decode()
    assert "Skriv ditt namn." in html or "Detta fält måste fyllas i." in html
    assert 'value="Fastighetsförvaltare"' in html  # nothing typed is lost
    with scopes_disabled():
        assert not User.objects.filter(email="utan.namn@example.com").exists()


def test_a_person_edits_their_name_title_and_phone(client_for, coordinator):
    client = client_for(coordinator)
    page = client.get(reverse("account_profile")).content.decode()
    assert coordinator.email in page and reverse("account_change_password") in page

    bad = client.post(reverse("account_profile"), {"name": "Ny Person", "phone": "ring mig"})
    assert "Ange ett telefonnummer med siffror" in bad.content.decode()
    response = client.post(
        reverse("account_profile"),
        {"name": "Lena  Holm", "title": "Samordnare", "phone": "+46 70 123 45 67"},
        follow=True,
    )
    assert "Dina uppgifter är sparade." in response.content.decode()
    coordinator.refresh_from_db()
    assert (coordinator.name, coordinator.title, coordinator.phone) == (
        "Lena Holm",
        "Samordnare",
        "+46 70 123 45 67",
    )


def test_anonymous_post_to_an_invitation_goes_back_to_the_start(program, client_for):
    invitation = InvitationFactory(program=program)
    response = client_for(None).post(accept_url(invitation))
    assert response["Location"] == accept_url(invitation)
    with scope(program=program):
        invitation.refresh_from_db()
    assert invitation.accepted_at is None


def test_signup_is_closed_without_an_invitation(client_for):
    client = client_for(None)
    password = "ett-langt-losenord-2025"

    response = client.post(
        reverse("account_signup"),
        {"email": "sjalv@example.com", "password1": password, "password2": password},
    )

    assert "Anmälan stängd" in response.content.decode()
    assert not User.objects.filter(email="sjalv@example.com").exists()
