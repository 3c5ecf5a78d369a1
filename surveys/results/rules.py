"""Permission predicates for survey results (registered with ``partnerships.rules``).

Every member sees a survey's results once it has closed. While it is open, only coordinators
see them, as a preliminary view that moves at most daily and in steps of at least five
responses (``surveys.results.snapshots``); place leads, partners and observers see how many
have answered, nothing more, so that nobody watches one answer arrive. The anonymous
responses (microdata) are for coordinators only: never for observers.
"""

from django.utils import timezone

from partnerships.models import Membership, Role
from partnerships.rules import register


@register("can_view_preliminary_results")
def can_view_preliminary_results(membership: Membership, obj=None) -> bool:
    """The figures of surveys still open, marked preliminary: coordinators only."""
    return membership is not None and membership.role == Role.COORDINATOR


def results_visible(membership: Membership, survey) -> bool:
    """May ``membership`` see this survey's figures now (the preliminary ones, while open)?"""
    if membership is None or survey is None:
        return False
    if can_view_preliminary_results(membership):
        return True
    return survey.closes_on < timezone.localdate()


@register("can_view_survey_results")
def can_view_survey_results(membership: Membership, survey=None) -> bool:
    """A survey's figures and their (protected) export; see the module docstring."""
    return results_visible(membership, survey)


@register("can_view_survey_progress")
def can_view_survey_progress(membership: Membership, survey=None) -> bool:
    """The results page: every member; it shows only a response count where the figures are
    not yet visible to them."""
    return membership is not None


@register("can_view_place_results")
def can_view_place_results(membership: Membership, place=None) -> bool:
    """The wave comparison of a place: every member; it only uses the surveys each may see."""
    return membership is not None


@register("can_export_responses")
def can_export_responses(membership: Membership, survey=None) -> bool:
    """The anonymous responses, one row each: coordinators only."""
    return membership is not None and membership.role == Role.COORDINATOR
