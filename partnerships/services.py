"""Writes for programs, organisations, contacts, memberships and invitations.

Every function takes keyword arguments and an explicit ``actor``, runs in one transaction and
writes one audit entry per record changed. E-mail goes out after commit.
"""

import datetime

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from . import audit
from .exceptions import InvitationError
from .jobs import enqueue_on_commit
from .models import AuditEntry, Contact, Invitation, Membership, Organisation, Program, Role
from .tenancy import cross_program


@transaction.atomic
def save_record(*, actor, instance, fields: list[str] | None = None):
    """Create or update a program-owned ``instance`` and log the change.

    ``fields`` limits the logged diff to what a form edited. Used by the plain create/edit
    services of every app, so each of them stays one line and logs the same way.
    """
    creating = instance._state.adding
    before = {} if creating else _stored_snapshot(instance, fields)
    instance.save()
    after = audit.snapshot(instance, fields)
    instance.log_action(
        AuditEntry.Action.CREATE if creating else AuditEntry.Action.UPDATE,
        actor=actor,
        changes=after if creating else audit.diff(before, after),
    )
    return instance


def _stored_snapshot(instance, fields):
    stored = type(instance)._base_manager.filter(pk=instance.pk).first()
    return audit.snapshot(stored, fields) if stored is not None else {}


@transaction.atomic
def delete_record(*, actor, instance) -> None:
    """Delete a program-owned ``instance`` and log what it was."""
    instance.log_action(AuditEntry.Action.DELETE, actor=actor, changes=audit.snapshot(instance))
    instance.delete()


def create_organisation(*, actor, program: Program, organisation: Organisation) -> Organisation:
    organisation.program = program
    return save_record(actor=actor, instance=organisation)


def create_contact(*, actor, organisation: Organisation, contact: Contact) -> Contact:
    contact.program_id = organisation.program_id
    contact.organisation = organisation
    return save_record(actor=actor, instance=contact)


@transaction.atomic
def invite_member(
    *,
    actor,
    program: Program,
    email: str,
    role: str,
    organisation: Organisation | None = None,
    places=(),
) -> Invitation:
    """Create an invitation and e-mail its single-use link after commit."""
    invitation = Invitation.objects.create(
        program=program,
        email=email.lower(),
        role=role,
        organisation=organisation if role == Role.PARTNER else None,
        invited_by=actor,
        expires_at=timezone.now() + datetime.timedelta(days=settings.INVITATION_VALID_DAYS),
    )
    if role in (Role.PLACE_LEAD, Role.PARTNER):
        invitation.places.set(places)
    invitation.log_action(
        AuditEntry.Action.CREATE, actor=actor, changes={"email": invitation.email, "role": role}
    )

    enqueue_on_commit("partnerships.send_invitation_email", invitation_id=invitation.pk)
    return invitation


def invitation_url(invitation: Invitation) -> str:
    return settings.SITE_URL + reverse("invitation_accept", kwargs={"token": invitation.token})


def deliver_invitation_email(*, invitation: Invitation) -> None:
    """Send the invitation e-mail unless it has been sent, and mark it sent.

    The row is locked while sending so that a task and the sweeper running at the same moment
    cannot both send it.
    """
    with transaction.atomic():
        invitation = (
            Invitation.objects.select_for_update(of=("self",))
            .select_related("program", "invited_by")
            .get(pk=invitation.pk)
        )
        if invitation.email_sent_at is not None:
            return
        _send_invitation_email(invitation)
        invitation.email_sent_at = timezone.now()
        invitation.save(update_fields=["email_sent_at"])


def _send_invitation_email(invitation: Invitation) -> None:
    context = {
        "invitation": invitation,
        "program": invitation.program,
        "url": invitation_url(invitation),
        "valid_days": settings.INVITATION_VALID_DAYS,
    }
    send_mail(
        subject=_("Inbjudan till programmet %(program)s som %(role)s")
        % {"program": invitation.program, "role": invitation.get_role_display().lower()},
        message=render_to_string("partnerships/email/invitation.txt", context),
        from_email=None,
        recipient_list=[invitation.email],
    )


@transaction.atomic
def revoke_invitation(*, actor, invitation: Invitation) -> None:
    invitation.revoked_at = timezone.now()
    invitation.save(update_fields=["revoked_at"])
    invitation.log_action(
        AuditEntry.Action.UPDATE,
        actor=actor,
        changes={"revoked_at": [None, str(invitation.revoked_at)]},
    )


def find_invitation(token: str) -> Invitation | None:
    """Look an invitation up by its token, across programs.

    The token is the only key an invitee has before they are a member, so this lookup cannot be
    scoped; it returns one row for an exact 43-character random token.
    """
    with cross_program("invitation"):
        return (
            Invitation.objects.select_related("program", "organisation").filter(token=token).first()
        )


@transaction.atomic
def accept_invitation(*, user, invitation: Invitation) -> Membership:
    """Turn a usable invitation into a membership for ``user``; the link then stops working.

    Raises ``InvitationError`` for an expired, used or revoked invitation, or a user whose
    e-mail address is not the invited one. An existing membership in the program is updated to
    the invited role rather than duplicated.
    """
    # Row lock so two clicks on the same link cannot both succeed.
    with cross_program(
        "invitation"
    ):  # the invitee is not a member yet; the token identifies the program
        invitation = Invitation.objects.select_for_update().get(pk=invitation.pk)
        if invitation.accepted_at is not None:
            raise InvitationError(_("Inbjudan har redan använts."))
        if invitation.revoked_at is not None:
            raise InvitationError(_("Inbjudan har återkallats."))
        if invitation.expires_at <= timezone.now():
            raise InvitationError(_("Inbjudan har gått ut. Be samordnaren om en ny."))
        if user.email.lower() != invitation.email.lower():
            raise InvitationError(
                _("Inbjudan gäller %(email)s. Logga in med den adressen.")
                % {"email": invitation.email}
            )
        membership, _created = Membership.objects.update_or_create(
            user=user,
            program=invitation.program,
            defaults={"role": invitation.role, "organisation": invitation.organisation},
        )
        membership.places.set(invitation.places.all())
        invitation.accepted_at = timezone.now()
        invitation.save(update_fields=["accepted_at"])
        membership.log_action(
            AuditEntry.Action.CREATE,
            actor=user,
            changes={"role": invitation.role, "invitation": invitation.pk},
        )
    return membership


@transaction.atomic
def update_membership(*, actor, membership: Membership, role: str, organisation=None, places=()):
    """Change a member's role, organisation and places."""
    before = {"role": membership.role, "organisation": str(membership.organisation or "")}
    membership.role = role
    membership.organisation = organisation if role == Role.PARTNER else None
    membership.save()
    membership.places.set(places if role in (Role.PLACE_LEAD, Role.PARTNER) else [])
    after = {"role": membership.role, "organisation": str(membership.organisation or "")}
    membership.log_action(AuditEntry.Action.UPDATE, actor=actor, changes=audit.diff(before, after))
    return membership
