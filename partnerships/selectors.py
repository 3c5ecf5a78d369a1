"""Reads for the partnerships app. Each returns a queryset with what its page needs preloaded."""

from django.db.models import Count, Prefetch, QuerySet

from .models import AuditEntry, Contact, Invitation, Membership, Organisation, Program
from .tenancy import cross_program


def programs_for_user(user) -> list[Program]:
    """The programs ``user`` is a member of (Program is the tenant and is not scoped; the
    memberships that pick them are, in every program)."""
    with cross_program("login"):
        return list(Program.objects.filter(memberships__user=user).distinct().order_by("name"))


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


def audit_log(
    *,
    program: Program,
    actor_id: int | None = None,
    model_label: str = "",
    text: str = "",
    date_from=None,
    date_to=None,
) -> QuerySet[AuditEntry]:
    """The program's audit entries, newest first, narrowed by person, record type, words in
    the record's name (a place, a measure …) and local dates (both inclusive)."""
    entries = program.audit_entries.select_related("actor")
    if actor_id:
        entries = entries.filter(actor_id=actor_id)
    if model_label:
        entries = entries.filter(model_label=model_label)
    if text:
        entries = entries.filter(object_repr__icontains=text)
    if date_from:
        entries = entries.filter(created_at__date__gte=date_from)
    if date_to:
        entries = entries.filter(created_at__date__lte=date_to)
    return entries


def audit_log_choices(program: Program) -> tuple[list, list]:
    """The people and record types that occur in the program's log, for the filters."""
    people = (
        program.audit_entries.filter(actor__isnull=False)
        .values_list("actor_id", "actor__name", "actor__email")
        .distinct()
        .order_by("actor__name", "actor__email")
    )
    labels = program.audit_entries.values_list("model_label", flat=True).distinct().order_by()
    return [(pk, name or email) for pk, name, email in people], sorted(set(labels))
