"""Resolve the program from ``/p/<program>/…`` and run the view inside its scope.

Fail closed: a URL with a ``program`` kwarg is served only to a member of that program. An
anonymous visitor is sent to the login page; a logged-in non-member gets 404 (the program's
existence is not revealed). The view runs *and its response is rendered* inside
``scope(program=…)``, so lazy template lookups stay scoped too, and in one transaction.
"""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.db import transaction
from django.http import Http404
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django_scopes import scope

from .models import Membership, Program


def _has_two_factor(request) -> bool:
    cached = request.session.get("_has_2fa")
    if cached is None:
        from allauth.mfa.utils import is_mfa_enabled

        cached = is_mfa_enabled(request.user)
        if cached:  # only a positive answer is cached; enabling it must take effect at once
            request.session["_has_2fa"] = True
    return bool(cached)


class ProgramMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.program = None
        request.membership = None
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        slug = view_kwargs.get("program")
        if slug is None:
            return None
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path(), settings.LOGIN_URL)
        program = Program.objects.filter(slug=slug).first()
        if program is None:
            raise Http404
        # One transaction per program view, from the membership lookup on: its reads see one
        # state of the program, and the program context of PostgreSQL's row-level security
        # (partnerships/tenancy.py) is set once for the request instead of around each
        # statement. Membership is itself program-owned: looked up inside the program, which
        # restricts the rows (in the database too) but grants nothing yet.
        with scope(program=program), transaction.atomic():
            membership = (
                Membership.objects.filter(program=program, user=request.user)
                .select_related("organisation")
                .first()
            )
            if membership is None:
                raise Http404
            request.program = program
            request.membership = membership
            membership.program = program
            # Roles that see personal data must (in production) or are urged to (elsewhere)
            # use two-factor login; every other role finds it in the menu.
            if membership.role in settings.MFA_REQUIRED_ROLES and not _has_two_factor(request):
                if settings.MFA_REQUIRED:
                    messages.warning(
                        request,
                        _(
                            "Med din roll behöver du tvåstegsverifiering. "
                            "Aktivera den för att fortsätta."
                        ),
                    )
                    return redirect("mfa_activate_totp")
                request.suggest_two_factor = True
            kwargs = {k: v for k, v in view_kwargs.items() if k != "program"}
            response = view_func(request, *view_args, **kwargs)
            if hasattr(response, "render") and callable(response.render):
                response = response.render()
        return response
