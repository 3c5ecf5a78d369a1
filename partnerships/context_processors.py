"""Template context for every page: the current program, membership and permission checks."""

from .rules import PREDICATES, has_perm


class _Can:
    """``{% if can.can_manage_program %}`` in templates, without role strings."""

    def __init__(self, membership):
        self._membership = membership

    def __getitem__(self, name):
        if name not in PREDICATES or self._membership is None:
            return False
        return has_perm(self._membership, name)

    __getattr__ = __getitem__


def program(request):
    from django.conf import settings

    membership = getattr(request, "membership", None)
    return {
        "map_tile_url": settings.MAP_TILE_URL,
        "map_attribution": settings.MAP_ATTRIBUTION,
        "current_program": getattr(request, "program", None),
        "current_membership": membership,
        "can": _Can(membership),
    }
