"""Reads for the partnerships app. Each returns a queryset with what its page needs preloaded."""

from django.db.models import Count, Prefetch, QuerySet

from .models import AuditEntry, Contact, Invitation, Membership, Organisation, Program


def programs_for_user(user) -> QuerySet[Program]:
    """The programs ``user`` is a member of (Program is the tenant and is not scoped)."""
    return Program.objects.filter(memberships__user=user).distinct().order_by("name")


def organisation_list(*, program: Program, category: str | None = None) -> QuerySet[Organisation]:
    qs = (
        program.organisations.select_related("municipality")
        .annotate(
            contact_count=Count("contacts", distinct=True),
            place_count=Count("stakeholdings", distinct=True),
        )
        .order_by("name")
    )
    if category:
        qs = qs.filter(category=category)
    return qs


def organisation_detail(*, program: Program, pk: int) -> Organisation:
    return (
        program.organisations.select_related("municipality")
        .prefetch_related(
            Prefetch("contacts", queryset=Contact.objects.order_by("name")),
            # The program too: each place links to its page (the URL needs the slug).
            "stakeholdings__place__program",
        )
        .get(pk=pk)
    )


def member_list(*, program: Program) -> QuerySet[Membership]:
    return (
        program.memberships.select_related("user", "organisation")
        .prefetch_related("places")
        .order_by("role", "user__email")
    )


def open_invitations(*, program: Program) -> QuerySet[Invitation]:
    return (
        program.invitations.filter(accepted_at__isnull=True, revoked_at__isnull=True)
        .select_related("organisation", "invited_by")
        .prefetch_related("places")
    )


def audit_log(*, program: Program) -> QuerySet[AuditEntry]:
    return program.audit_entries.select_related("actor")
