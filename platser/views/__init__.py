"""The pages of places (``places``: the program page, places, stakeholders, agreements) and of
what is found there (``findings``: findings and safety walks). ``PlaceObjectMixin`` is shared with
the apps above that have pages of a place."""

from .places import PlaceObjectMixin

__all__ = ["PlaceObjectMixin"]
