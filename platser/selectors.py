"""Reads for places and stakeholders."""

from django.db.models import Count, Prefetch, Q, QuerySet

from partnerships.models import Program

from .models import Place, Stakeholder, Zone


def place_list(*, program: Program, archived: bool = False) -> QuerySet[Place]:
    """The program's places with their stakeholder count and zones, in one or two queries."""
    return (
        program.places.filter(archived_at__isnull=not archived)
        .select_related("municipality")
        .annotate(stakeholder_count=Count("stakeholders", filter=Q(stakeholders__left_on__isnull=True)))
        .prefetch_related(Prefetch("zones", queryset=Zone.objects.order_by("name")))
        .order_by("name")
    )


def place_detail(*, program: Program, pk: int) -> Place:
    return (
        program.places.select_related("municipality")
        .prefetch_related("zones", Prefetch("members", queryset=_members()))
        .get(pk=pk)
    )


def _members():
    from partnerships.models import Membership

    return Membership.objects.select_related("user", "organisation")


def stakeholder_register(*, place: Place, category: str | None = None) -> QuerySet[Stakeholder]:
    """A place's stakeholders, optionally of one organisation category, with their contacts."""
    # organisation__program: each row links to its organisation's page (URL needs the slug).
    qs = place.stakeholders.select_related("organisation__program").prefetch_related(
        "organisation__contacts"
    )
    if category:
        qs = qs.filter(organisation__category=category)
    return qs.order_by("group", "organisation__name")


def places_geojson(places) -> dict:
    """A FeatureCollection of the places' boundaries for the program map."""
    return {
        "type": "FeatureCollection",
        "features": [
            {
                "type": "Feature",
                "geometry": place.boundary,
                "properties": {"name": place.name, "url": place.get_absolute_url()},
            }
            for place in places
            if place.boundary
        ],
    }
