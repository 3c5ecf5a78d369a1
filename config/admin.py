"""Explicit admin registration, and the admin's login through allauth.

The admin runs with ``SimpleAdminConfig`` (no autodiscovery), because autodiscovery would import
``leaflet.admin`` and with it GDAL. Only global objects (users, programs, municipalities) are in
the admin: program-owned data is scoped and is managed in the product itself.

Django's own admin login form checks the password and nothing else: it would skip allauth's
login throttle and its two-factor step. ``secure_admin_login`` replaces it with a redirect to
allauth's login (``?next=`` back to the admin); a logged-in user who is not active staff gets 403.
Where two-factor login is required (production), staff need it for the admin as well.
"""

from allauth.account.decorators import secure_admin_login
from allauth.mfa.utils import is_mfa_enabled
from django.conf import settings
from django.contrib import admin, messages
from django.shortcuts import redirect
from django.utils.translation import gettext as _

import partnerships.admin  # noqa: F401

_allauth_login = secure_admin_login(admin.site.login)
_staff_permission = admin.site.has_permission


def _needs_two_factor(user) -> bool:
    return settings.MFA_REQUIRED and not is_mfa_enabled(user)


def has_permission(request) -> bool:
    """Active staff, and with two-factor login when it is required (MFA_REQUIRED)."""
    return _staff_permission(request) and not _needs_two_factor(request.user)


def login(request, extra_context=None):
    """allauth's login; staff without the required two-factor login are sent to set it up."""
    if _staff_permission(request) and _needs_two_factor(request.user):
        messages.warning(
            request, _("Aktivera tvåstegsverifiering för att använda administrationen.")
        )
        return redirect("mfa_activate_totp")
    return _allauth_login(request, extra_context)


admin.site.has_permission = has_permission
admin.site.login = login
