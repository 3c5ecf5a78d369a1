"""Permission predicates for surveys (registered with ``partnerships.rules``).

Coordinators manage every survey and the program's own questions; place leads manage surveys of
their places only; partners and observers read survey definitions. Results visibility (after
close for partners and observers) is decided in the results module.
"""

from partnerships.models import Membership, Role
from partnerships.rules import membership_place_ids, register


def _survey_place_ids(survey) -> set[int]:
    cached = getattr(survey, "_place_ids", None)
    if cached is None:
        # The ids only: a national survey covers 1,450 places (outlines and all).
        cached = set(survey.places.values_list("pk", flat=True))
        survey._place_ids = cached
    return cached


@register("can_view_surveys")
def can_view_surveys(membership: Membership, survey=None) -> bool:
    """Every member may read survey definitions (questions, dates, the public link)."""
    return membership is not None


@register("can_create_surveys")
def can_create_surveys(membership: Membership, obj=None) -> bool:
    """Start a new survey: coordinators, and place leads (for their own places)."""
    return membership is not None and membership.role in (Role.COORDINATOR, Role.PLACE_LEAD)


@register("can_manage_surveys")
def can_manage_surveys(membership: Membership, survey=None) -> bool:
    """Create and edit surveys: coordinators, and place leads for surveys of their places only."""
    if membership is None:
        return False
    if membership.role == Role.COORDINATOR:
        return True
    if membership.role != Role.PLACE_LEAD:
        return False
    if survey is None:
        return False
    places = _survey_place_ids(survey)
    return bool(places) and places <= membership_place_ids(membership)


@register("can_enter_paper_responses")
def can_enter_paper_responses(membership: Membership, survey=None) -> bool:
    """Key in paper questionnaires: coordinators only (they hold the paper)."""
    return membership is not None and membership.role == Role.COORDINATOR


@register("can_manage_questions")
def can_manage_questions(membership: Membership, question=None) -> bool:
    """The program's own questions: coordinators only (the bank is read-only for everyone)."""
    return membership is not None and membership.role == Role.COORDINATOR
