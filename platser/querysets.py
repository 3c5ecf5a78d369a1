"""Chainable filters of places (STYLE §1; NetBox's ``RestrictedQuerySet.restrict``)."""

from django.db import models

from partnerships.rules import acts_for_every_place, membership_place_ids


class PlaceQuerySet(models.QuerySet):
    def active(self) -> "PlaceQuerySet":
        """Places not archived."""
        return self.filter(archived_at__isnull=True)

    def restrict(self, membership) -> "PlaceQuerySet":
        """The places ``membership`` acts for: every place for a coordinator, the assigned ones
        for everyone else (none for an observer)."""
        if acts_for_every_place(membership):
            return self
        return self.filter(pk__in=membership_place_ids(membership))
