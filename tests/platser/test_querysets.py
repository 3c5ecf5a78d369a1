"""``PlaceQuerySet``: the places a member acts for, and the active ones."""

from django.utils import timezone
from django_scopes import scope

from partnerships.models import Membership


def _places_for(program, user):
    with scope(program=program):
        membership = Membership.objects.get(program=program, user=user)
        return set(program.places.active().restrict(membership))


def test_restrict_gives_a_coordinator_every_active_place(program, place, second_place, coordinator):
    assert _places_for(program, coordinator) == {place, second_place}


def test_restrict_gives_a_place_lead_and_a_partner_their_places_only(
    program, place, second_place, place_lead, partner
):
    assert _places_for(program, place_lead) == {place}
    assert _places_for(program, partner) == {place}


def test_restrict_gives_an_observer_no_place_and_never_another_programs(
    program, place, other_place, observer, coordinator
):
    assert _places_for(program, observer) == set()
    assert other_place not in _places_for(program, coordinator)


def test_active_leaves_out_archived_places(program, place, second_place, coordinator):
    second_place.archived_at = timezone.now()
    second_place.save(update_fields=["archived_at"])
    assert _places_for(program, coordinator) == {place}
