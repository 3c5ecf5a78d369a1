"""Permission predicates for reports (registered with partnerships.rules).

- Coordinators, place leads and observers (the funder) read the archive and download ready
  reports; partners do not see reports.
- Coordinators request every kind of report; place leads request place reports for their places.
- Coordinators manage the schedules.
"""

from partnerships.models import Membership, Role
from partnerships.rules import membership_place_ids, register


@register("can_view_reports")
def can_view_reports(membership: Membership, obj=None) -> bool:
    return membership is not None and membership.role in (
        Role.COORDINATOR,
        Role.PLACE_LEAD,
        Role.OBSERVER,
    )


@register("can_request_reports")
def can_request_reports(membership: Membership, obj=None) -> bool:
    """Reach the request form: coordinators, and place leads (for their places' reports)."""
    return membership is not None and membership.role in (Role.COORDINATOR, Role.PLACE_LEAD)


@register("can_manage_report")
def can_manage_report(membership: Membership, report=None) -> bool:
    """Retry a report: coordinators; place leads for place reports of their places."""
    if membership is None:
        return False
    if membership.role == Role.COORDINATOR:
        return True
    if membership.role != Role.PLACE_LEAD or report is None:
        return False
    return report.place_id is not None and report.place_id in membership_place_ids(membership)


@register("can_manage_schedules")
def can_manage_schedules(membership: Membership, obj=None) -> bool:
    return membership is not None and membership.role == Role.COORDINATOR
