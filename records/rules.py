"""Permission predicates for the program archive: only coordinators export a whole program (it
holds personal data and every internal note)."""

from partnerships.models import Membership, Role
from partnerships.rules import register


@register("can_export_program")
def can_export_program(membership: Membership, obj=None) -> bool:
    return membership is not None and membership.role == Role.COORDINATOR


@register("can_manage_personal_data")
def can_manage_personal_data(membership: Membership, obj=None) -> bool:
    """Register extracts, erasure and retention rules: coordinators (DESIGN §7)."""
    return membership is not None and membership.role == Role.COORDINATOR
