"""Permission predicates for the action plan and activities (registered with partnerships.rules).

- Every member reads the action plan (observers without personal data: see templates).
- Coordinators manage every measure; place leads the measures at their places.
- A partner updates (status, actual dates and cost, photos) the measures their organisation is
  responsible for, and logs activities for their organisation at their places.
"""

from partnerships.models import Membership, Role
from partnerships.rules import membership_place_ids, register


def _place_of(obj):
    """The place an object belongs to: a place itself, or a measure's/activity's place."""
    if obj is None:
        return None
    return getattr(obj, "place", obj)


@register("can_manage_measures")
def can_manage_measures(membership: Membership, obj=None) -> bool:
    """Create and fully edit measures: coordinators, and place leads of the measure's place."""
    if membership is None:
        return False
    if membership.role == Role.COORDINATOR:
        return True
    if membership.role == Role.PLACE_LEAD:
        place = _place_of(obj)
        return place is None or place.pk in membership_place_ids(membership)
    return False


@register("can_update_measure")
def can_update_measure(membership: Membership, measure=None) -> bool:
    """Change status, actual dates and cost, add photos: managers of the place, and partners
    whose organisation is responsible for the measure."""
    if can_manage_measures(membership, measure):
        return True
    if membership is None or membership.role != Role.PARTNER:
        return False
    if measure is None:
        return True
    return measure.responsible_id == membership.organisation_id


@register("can_log_activity")
def can_log_activity(membership: Membership, place=None) -> bool:
    """Log an activity: coordinators anywhere; place leads and partners at their places."""
    if membership is None:
        return False
    if membership.role == Role.COORDINATOR:
        return True
    if membership.role in (Role.PLACE_LEAD, Role.PARTNER):
        return place is None or place.pk in membership_place_ids(membership)
    return False


@register("can_log_activities")
def can_log_activities(membership: Membership, obj=None) -> bool:
    """Reach "Logga aktivitet" at all (the place is chosen next): everyone but observers."""
    return membership is not None and membership.role in (
        Role.COORDINATOR,
        Role.PLACE_LEAD,
        Role.PARTNER,
    )
