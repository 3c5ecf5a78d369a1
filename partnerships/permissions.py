"""The permission mixin every program view uses.

A view declares ``permission`` (a predicate name from a ``rules.py``). The mixin checks it against
``request.membership`` and, where the view defines ``get_permission_object``, against that object.
Objects are fetched through ``request.program`` first, so another program's id is a 404 before it
can be a 403.
"""

from django.core.exceptions import ImproperlyConfigured, PermissionDenied
from django.shortcuts import get_object_or_404

from .rules import has_perm


class ProgramPermissionMixin:
    permission: str | None = None

    def get_permission_object(self):
        return None

    def dispatch(self, request, *args, **kwargs):
        if self.permission is None:
            raise ImproperlyConfigured(f"{type(self).__name__} declares no permission")
        if getattr(request, "membership", None) is None:
            raise ImproperlyConfigured(f"{type(self).__name__} is not under /p/<program>/")
        self.program = request.program
        self.membership = request.membership
        self.kwargs = kwargs
        if not has_perm(request.membership, self.permission, self.get_permission_object()):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["program"] = self.program
        return context


class ProgramObjectMixin(ProgramPermissionMixin):
    """A view about program-owned objects named in its URL (NetBox's ``ObjectView``).

    ``url_object(queryset, kwarg)`` is the row of ``queryset`` whose id is the URL's ``kwarg``:
    fetched once per request, 404 when there is none. The queryset always starts from
    ``self.program`` (or an object fetched through it), so another program's id is a 404 before
    it can be a 403. A view's own mixin names its object, e.g. ``get_place()``, and returns it
    from ``get_permission_object``.
    """

    def url_object(self, queryset, kwarg: str = "pk"):
        fetched = self.__dict__.setdefault("_url_objects", {})
        key = (queryset.model, kwarg)
        if key not in fetched:
            fetched[key] = get_object_or_404(queryset, pk=self.kwargs[kwarg])
        return fetched[key]
