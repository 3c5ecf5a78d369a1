"""Permission predicates for survey results (registered with ``partnerships.rules``).

Coordinators, and place leads of a survey's places, see results at any time (they run the
survey); every other member sees a survey's results only after it has closed, so partners and
observers never watch a survey fill up. The anonymous responses export is for coordinators only.
"""

from django.utils import timezone

from partnerships.models import Membership, Role
from partnerships.rules import membership_place_ids, register


def _runs_survey(membership: Membership, survey) -> bool:
    if membership.role == Role.COORDINATOR:
        return True
    if membership.role != Role.PLACE_LEAD or survey is None:
        return False
    places = set(survey.places.values_list("pk", flat=True))  # ids only, as in surveys.rules
    return bool(places & membership_place_ids(membership))


def results_visible(membership: Membership, survey) -> bool:
    """May ``membership`` see this survey's results now?"""
    if membership is None:
        return False
    if _runs_survey(membership, survey):
        return True
    return survey is not None and survey.closes_on < timezone.localdate()


@register("can_view_survey_results")
def can_view_survey_results(membership: Membership, survey=None) -> bool:
    """A survey's results and their (suppressed) export; see the module docstring."""
    return results_visible(membership, survey)


@register("can_view_place_results")
def can_view_place_results(membership: Membership, place=None) -> bool:
    """The wave comparison of a place: every member; it only uses the surveys each may see."""
    return membership is not None


@register("can_export_responses")
def can_export_responses(membership: Membership, survey=None) -> bool:
    """The anonymous responses, one row each: coordinators only."""
    return membership is not None and membership.role == Role.COORDINATOR
