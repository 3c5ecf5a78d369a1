"""Permission predicates for meetings, registered with ``partnerships.rules``.

Every member reads meetings (agenda, minutes, decisions). Attendance by name is personal data:
it is shown only with ``can_see_personal_data`` (observers see counts per organisation).
Coordinators manage every meeting; place leads manage the meetings at their places; a
program-wide meeting (no place) is the coordinators' alone.
"""

from partnerships.models import Role
from partnerships.rules import membership_place_ids, register

from .models import Meeting


@register("can_view_meetings")
def can_view_meetings(membership, obj=None) -> bool:
    """Meeting lists, details, minutes PDFs and calendar links: every member of the program."""
    return membership is not None


@register("can_manage_meeting")
def can_manage_meeting(membership, obj=None) -> bool:
    """Create and edit meetings, attendance, minutes, decisions and invitations.

    ``obj`` is a meeting, a place, or None ("may this member create meetings at all?").
    """
    if membership is None:
        return False
    if membership.role == Role.COORDINATOR:
        return True
    if membership.role != Role.PLACE_LEAD:
        return False
    if obj is None:
        return True
    if isinstance(obj, Meeting):
        if obj.place_id is None:
            return False
        return obj.place_id in membership_place_ids(membership)
    return obj.pk in membership_place_ids(membership)


@register("can_create_meetings")
def can_create_meetings(membership, obj=None) -> bool:
    """Plan a new meeting: coordinators, and place leads (at their own places, checked again
    when the place is chosen)."""
    return can_manage_meeting(membership, None)
