"""Close the gaps django-scopes leaves in its fail-closed querysets.

Outside a scope, a ``ScopedManager`` hands out a ``DisabledQuerySet`` whose reads raise
``ScopeError``. django-scopes 2.1 forgets a few that read rows all the same: ``exists()``,
``in_bulk()``, ``contains()`` and ``explain()`` ran unscoped, across every program (and with them
their async twins, which call these). ``close_gaps`` makes them raise like the rest; it runs
once, from ``PartnershipsConfig.ready``. ``.create()`` and ``.none()`` stay allowed, as the
library intends.
"""

from django_scopes.manager import DisabledQuerySet

UNGUARDED = ("exists", "in_bulk", "contains", "explain")


def close_gaps() -> None:
    for name in UNGUARDED:
        setattr(DisabledQuerySet, name, DisabledQuerySet.error)
