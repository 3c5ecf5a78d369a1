"""Permission predicates for program membership.

Each predicate takes the request's ``Membership`` (and sometimes an object) and answers yes or
no. Views name the predicate they need (``permission = "…"``); templates ask through
``perms_for``; nobody compares role strings outside this module.
"""

from collections.abc import Callable

from .models import Membership, Role


def is_member(membership: Membership, obj=None) -> bool:
    """Anyone in the program may read its non-personal pages."""
    return membership is not None


def is_coordinator(membership: Membership, obj=None) -> bool:
    return membership is not None and membership.role == Role.COORDINATOR


def acts_for_every_place(membership: Membership, obj=None) -> bool:
    """Coordinators act for every place of the program; everyone else for the places assigned
    to them (``membership.places``; an observer has none)."""
    return is_coordinator(membership)


def acts_for_assigned_places(membership: Membership, obj=None) -> bool:
    """Place leads and partners: members whose work is bound to their assigned places."""
    return membership is not None and membership.role in (Role.PLACE_LEAD, Role.PARTNER)


def acts_for_one_organisation(membership: Membership, obj=None) -> bool:
    """A partner acts for one organisation only (``membership.organisation``)."""
    return membership is not None and membership.role == Role.PARTNER


def can_manage_program(membership: Membership, obj=None) -> bool:
    """Program settings, members, invitations, the audit log: coordinators only."""
    return is_coordinator(membership)


def can_create_places(membership: Membership, obj=None) -> bool:
    return is_coordinator(membership)


def can_manage_organisations(membership: Membership, obj=None) -> bool:
    """Organisations and their contacts: coordinators and place leads."""
    return membership is not None and membership.role in (Role.COORDINATOR, Role.PLACE_LEAD)


def can_see_personal_data(membership: Membership, obj=None) -> bool:
    """Contacts, member lists and attendance by name: everyone but observers (DESIGN §7)."""
    return membership is not None and membership.role != Role.OBSERVER


def _acts_for_place(membership: Membership, place) -> bool:
    # The place ids are read once per membership object (see membership_place_ids).
    return place is not None and place.pk in membership_place_ids(membership)


def membership_place_ids(membership: Membership) -> set[int]:
    """The ids of the places a place lead or partner acts for (cached on the membership)."""
    cached = getattr(membership, "_place_ids", None)
    if cached is None:
        cached = set(membership.places.values_list("pk", flat=True))
        membership._place_ids = cached
    return cached


def can_manage_place(membership: Membership, place=None) -> bool:
    """Edit a place and its stakeholders: coordinators, and place leads of that place."""
    if membership is None:
        return False
    if membership.role == Role.COORDINATOR:
        return True
    if membership.role == Role.PLACE_LEAD:
        return place is None or _acts_for_place(membership, place)
    return False


def can_view_place(membership: Membership, place=None) -> bool:
    """Every member may read every place of the program (partners see where others work too)."""
    return membership is not None


PREDICATES: dict[str, Callable] = {
    "is_member": is_member,
    "acts_for_every_place": acts_for_every_place,
    "acts_for_assigned_places": acts_for_assigned_places,
    "acts_for_one_organisation": acts_for_one_organisation,
    "can_manage_program": can_manage_program,
    "can_create_places": can_create_places,
    "can_manage_organisations": can_manage_organisations,
    "can_see_personal_data": can_see_personal_data,
    "can_manage_place": can_manage_place,
    "can_view_place": can_view_place,
}


def register(name: str):
    """Register a predicate of another app under ``name`` (apps call this in their rules.py)."""

    def decorator(func: Callable) -> Callable:
        PREDICATES[name] = func
        return func

    return decorator


def has_perm(membership: Membership, name: str, obj=None) -> bool:
    """True when ``membership`` passes the predicate ``name`` for ``obj``."""
    return PREDICATES[name](membership, obj)
