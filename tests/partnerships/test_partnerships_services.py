"""partnerships.services and the fail-closed scoping they rely on."""

import datetime

import pytest
from django.apps import apps
from django.utils import timezone
from django_scopes import ScopeError, scope, scopes_disabled

from partnerships import selectors, services
from partnerships.exceptions import InvitationError
from partnerships.models import AuditEntry, Contact, Invitation, Membership, Organisation, Role
from platser.models import Place
from tests.factories import (
    InvitationFactory,
    MembershipFactory,
    ProgramFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


# --- scoping ---------------------------------------------------------------------------------


def test_place_query_outside_a_scope_raises(place):
    with pytest.raises(ScopeError):
        list(Place.objects.all())


@pytest.mark.parametrize(
    "label",
    [
        "partnerships.Organisation",
        "partnerships.Contact",
        "partnerships.Membership",
        "partnerships.Invitation",
        "partnerships.AuditEntry",
        "platser.Place",
        "platser.Zone",
        "platser.Stakeholder",
    ],
)
def test_every_program_owned_model_raises_outside_a_scope(label):
    model = apps.get_model(label)
    with pytest.raises(ScopeError):
        model.objects.count()


@pytest.mark.parametrize(
    "read",
    [
        lambda qs: qs.exists(),
        lambda qs: qs.in_bulk(),
        lambda qs: qs.explain(),
        lambda qs: qs.exclude(name="x").exists(),
        lambda qs: qs.select_related("municipality").exists(),
    ],
    ids=["exists", "in_bulk", "explain", "exclude-exists", "select_related-exists"],
)
def test_reads_django_scopes_left_open_raise_outside_a_scope(place, read):
    with pytest.raises(ScopeError):
        read(Place.objects)


def test_contains_raises_outside_a_scope(place):
    with pytest.raises(ScopeError):
        Place.objects.contains(place)


def test_every_model_with_a_program_is_scoped():
    # A new program-owned model must use ScopedManager(program="program") (STYLE.md §4).
    unscoped = []
    for model in apps.get_models():
        has_program = any(f.name == "program" and f.is_relation for f in model._meta.fields)
        if not has_program:
            continue
        try:
            model.objects.exists()  # guarded too (partnerships.scoping)
        except ScopeError:
            continue
        unscoped.append(model._meta.label)
    assert not unscoped, f"program-owned models without a scoped manager: {unscoped}"


def test_scope_returns_only_that_programs_rows(program, other_program, place, other_place):
    with scope(program=program):
        assert list(Place.objects.all()) == [place]
    with scope(program=other_program):
        assert list(Place.objects.all()) == [other_place]


def test_programs_for_user_lists_only_their_programs(program, other_program, coordinator):
    ProgramFactory(name="Ett tredje program")
    MembershipFactory(user=coordinator, program=other_program, role=Role.OBSERVER)
    assert list(selectors.programs_for_user(coordinator)) == [program, other_program]


# --- save_record / delete_record -------------------------------------------------------------


def test_save_record_logs_create_and_update_with_the_changes(program, coordinator):
    with scope(program=program):
        organisation = services.save_record(
            actor=coordinator,
            instance=Organisation(program=program, name="Avesta kommun", category="kommun"),
        )
        organisation.website = "https://www.avesta.se"
        services.save_record(actor=coordinator, instance=organisation)

        created, updated = AuditEntry.objects.order_by("id")
    assert created.action == AuditEntry.Action.CREATE
    assert created.changes["name"] == "Avesta kommun"
    assert "id" not in created.changes and "program" not in created.changes
    assert updated.action == AuditEntry.Action.UPDATE
    assert updated.changes == {"website": ["", "https://www.avesta.se"]}
    assert {created.actor, updated.actor} == {coordinator}


def test_save_record_limits_the_diff_to_the_given_fields(program, organisation, coordinator):
    with scope(program=program):
        organisation.name = "Avestahem"
        organisation.org_number = "556000-0000"
        services.save_record(actor=coordinator, instance=organisation, fields=["name"])
        entry = AuditEntry.objects.get()
    assert entry.changes == {"name": ["Avestahem AB", "Avestahem"]}


def test_delete_record_logs_what_was_deleted(program, contact, coordinator):
    with scope(program=program):
        services.delete_record(actor=coordinator, instance=contact)

        assert not Contact.objects.exists()
        entry = AuditEntry.objects.get()
    assert entry.action == AuditEntry.Action.DELETE
    assert entry.object_repr == "Anna Andersson"
    assert entry.changes["email"] == "anna.andersson@example.com"


def test_audit_entry_of_an_anonymous_actor_has_no_actor(program):
    from django.contrib.auth.models import AnonymousUser

    with scope(program=program):
        services.save_record(
            actor=AnonymousUser(),
            instance=Organisation(program=program, name="Systemet", category="annan"),
        )
        assert AuditEntry.objects.get().actor is None


# --- invitations -----------------------------------------------------------------------------


def invite(program, actor, **kwargs):
    with scope(program=program):
        return services.invite_member(actor=actor, program=program, **kwargs)


def test_invite_member_records_the_invitation_and_mails_the_link_after_commit(
    program, place, coordinator, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        invitation = invite(
            program,
            coordinator,
            email="Ny.Person@Example.com",
            role=Role.PLACE_LEAD,
            places=[place],
        )

    assert invitation.email == "ny.person@example.com"
    assert invitation.is_usable
    assert invitation.expires_at > timezone.now() + datetime.timedelta(days=13)
    with scope(program=program):
        assert list(invitation.places.all()) == [place]
        entry = AuditEntry.objects.get()
    assert (entry.action, entry.actor) == (AuditEntry.Action.CREATE, coordinator)
    assert len(mailoutbox) == 1
    mail = mailoutbox[0]
    assert mail.to == ["ny.person@example.com"]
    assert "Trygga platser" in mail.subject
    assert f"/inbjudan/{invitation.token}/" in mail.body
    assert "som platsansvarig" in mail.body


def test_invite_member_sends_nothing_when_the_transaction_rolls_back(
    program, coordinator, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        invite(program, coordinator, email="a@example.com", role=Role.OBSERVER)
    assert len(callbacks) == 1  # queued for after commit, not sent inside the transaction
    assert mailoutbox == []


def test_invite_member_drops_organisation_and_places_for_roles_without_them(
    program, place, organisation, coordinator
):
    invitation = invite(
        program,
        coordinator,
        email="obs@example.com",
        role=Role.OBSERVER,
        organisation=organisation,
        places=[place],
    )
    with scope(program=program):
        assert invitation.organisation is None
        assert not invitation.places.exists()


def test_accept_invitation_creates_the_membership_with_role_organisation_and_places(
    program, place, organisation, coordinator
):
    invitation = invite(
        program,
        coordinator,
        email="partner2@example.com",
        role=Role.PARTNER,
        organisation=organisation,
        places=[place],
    )
    user = UserFactory(email="partner2@example.com")

    membership = services.accept_invitation(user=user, invitation=invitation)

    with scope(program=program):
        stored = Membership.objects.get(user=user)
        assert list(stored.places.all()) == [place]
        invitation.refresh_from_db()
        entry = AuditEntry.objects.filter(model_label="partnerships.Membership").get()
    assert stored.pk == membership.pk
    assert (stored.role, stored.organisation) == (Role.PARTNER, organisation)
    assert invitation.accepted_at is not None
    assert not invitation.is_usable
    assert entry.actor == user


def test_accept_invitation_twice_fails(program, coordinator):
    invitation = invite(program, coordinator, email="obs@example.com", role=Role.OBSERVER)
    user = UserFactory(email="obs@example.com")
    services.accept_invitation(user=user, invitation=invitation)

    with pytest.raises(InvitationError, match="Inbjudan har redan använts."):
        services.accept_invitation(user=user, invitation=invitation)
    with scopes_disabled():  # checking across programs on purpose
        assert Membership.objects.filter(user=user).count() == 1


@pytest.mark.parametrize(
    ("state", "message"),
    [
        ({"expires_at": timezone.now() - datetime.timedelta(minutes=1)}, "Inbjudan har gått ut."),
        ({"revoked_at": timezone.now()}, "Inbjudan har återkallats."),
    ],
    ids=["expired", "revoked"],
)
def test_accept_unusable_invitation_fails_and_creates_nothing(program, state, message):
    invitation = InvitationFactory(program=program, email="x@example.com", **state)
    user = UserFactory(email="x@example.com")

    with pytest.raises(InvitationError, match=message):
        services.accept_invitation(user=user, invitation=invitation)
    with scopes_disabled():  # checking across programs on purpose
        assert not Membership.objects.filter(user=user).exists()


def test_accept_invitation_for_another_address_fails(program):
    invitation = InvitationFactory(program=program, email="invited@example.com")
    user = UserFactory(email="someone.else@example.com")

    with pytest.raises(InvitationError, match="Inbjudan gäller invited@example.com."):
        services.accept_invitation(user=user, invitation=invitation)
    with scopes_disabled():  # checking across programs on purpose
        assert not Membership.objects.filter(user=user).exists()
        invitation.refresh_from_db()
    assert invitation.accepted_at is None


def test_accept_invitation_matches_the_address_case_insensitively(program):
    invitation = InvitationFactory(program=program, email="anna@example.com")
    user = UserFactory(email="Anna@Example.com")
    membership = services.accept_invitation(user=user, invitation=invitation)
    assert membership.role == Role.OBSERVER


def test_accept_invitation_updates_an_existing_membership(program, observer, place):
    invitation = InvitationFactory(
        program=program, email=observer.email, role=Role.PLACE_LEAD, places=[place]
    )

    services.accept_invitation(user=observer, invitation=invitation)

    with scope(program=program):
        membership = Membership.objects.get(user=observer)
        assert list(membership.places.all()) == [place]
    assert membership.role == Role.PLACE_LEAD


def test_invitation_of_another_program_grants_nothing_here(program, other_program):
    invitation = InvitationFactory(program=other_program, email="b@example.com")
    user = UserFactory(email="b@example.com")
    services.accept_invitation(user=user, invitation=invitation)
    assert list(selectors.programs_for_user(user)) == [other_program]


def test_revoke_invitation_makes_it_unusable_and_logs(program, coordinator):
    invitation = InvitationFactory(program=program)
    with scope(program=program):
        services.revoke_invitation(actor=coordinator, invitation=invitation)
        invitation.refresh_from_db()
        entry = AuditEntry.objects.get()
    assert not invitation.is_usable
    assert entry.actor == coordinator
    assert "revoked_at" in entry.changes


def test_find_invitation_by_token_across_programs(program, other_program):
    invitation = InvitationFactory(program=other_program)
    assert services.find_invitation(invitation.token) == invitation
    assert services.find_invitation("nope") is None


# --- memberships -----------------------------------------------------------------------------


def test_update_membership_to_partner_sets_organisation_and_places(
    program, observer, organisation, place, coordinator
):
    with scope(program=program):
        membership = Membership.objects.get(user=observer)
        services.update_membership(
            actor=coordinator,
            membership=membership,
            role=Role.PARTNER,
            organisation=organisation,
            places=[place],
        )
        membership.refresh_from_db()
        assert list(membership.places.all()) == [place]
        entry = AuditEntry.objects.get()
    assert (membership.role, membership.organisation) == (Role.PARTNER, organisation)
    assert entry.changes == {
        "role": ["observer", "partner"],
        "organisation": ["", "Avestahem AB"],
    }


def test_update_membership_to_coordinator_drops_organisation_and_places(
    program, partner, organisation, coordinator
):
    with scope(program=program):
        membership = Membership.objects.get(user=partner)
        services.update_membership(
            actor=coordinator, membership=membership, role=Role.COORDINATOR, places=[]
        )
        membership.refresh_from_db()
        assert not membership.places.exists()
    assert membership.organisation is None
    # The organisation is still there; only the link is gone.
    with scope(program=program):
        assert Organisation.objects.filter(pk=organisation.pk).exists()


def test_invitation_model_is_usable_only_until_it_expires(program):
    invitation = InvitationFactory(program=program)
    assert invitation.is_usable
    invitation.expires_at = timezone.now()
    assert not invitation.is_usable


def test_membership_is_unique_per_user_and_program(program, coordinator):
    from django.db import IntegrityError, transaction

    with pytest.raises(IntegrityError), transaction.atomic():
        MembershipFactory(user=coordinator, program=program, role=Role.OBSERVER)


def test_partner_membership_needs_an_organisation(program):
    from django.db import IntegrityError, transaction

    with pytest.raises(IntegrityError), transaction.atomic():
        MembershipFactory(program=program, role=Role.PARTNER, organisation=None)


def test_invitation_tokens_are_long_and_unique(program):
    tokens = {InvitationFactory(program=program).token for _ in range(5)}
    assert len(tokens) == 5
    assert all(len(token) >= 40 for token in tokens)
    with scope(program=program):
        assert Invitation.objects.count() == 5
