"""Permission predicates for findings and safety walks, registered with ``partnerships.rules``.

Reading is open to every member (``can_view_place``); observers see no personal data (the
reporter's name is hidden through ``can_see_personal_data``). The object is a ``Place``, or a
finding or walk whose place decides.
"""

from partnerships.models import Role
from partnerships.rules import can_manage_place, membership_place_ids, register


def _place_of(obj):
    return getattr(obj, "place", obj)


@register("can_add_finding")
def can_add_finding(membership, obj=None) -> bool:
    """Report a finding: coordinators, and place leads and partners acting for the place."""
    if membership is None:
        return False
    if membership.role == Role.COORDINATOR:
        return True
    if membership.role in (Role.PLACE_LEAD, Role.PARTNER):
        place = _place_of(obj)
        return place is None or place.pk in membership_place_ids(membership)
    return False


@register("can_manage_findings")
def can_manage_findings(membership, obj=None) -> bool:
    """Edit findings and change their status: coordinators, and place leads of the place."""
    return can_manage_place(membership, _place_of(obj))


@register("can_manage_walks")
def can_manage_walks(membership, obj=None) -> bool:
    """Plan, edit and follow up safety walks: coordinators, and place leads of the place."""
    return can_manage_place(membership, _place_of(obj))
