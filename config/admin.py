"""Explicit admin registration, and the admin's login through allauth.

The admin runs with ``SimpleAdminConfig`` (no autodiscovery), because autodiscovery would import
``leaflet.admin`` and with it GDAL. Only global objects (users, programs, municipalities) are in
the admin: program-owned data is scoped and is managed in the product itself.

Django's own admin login form checks the password and nothing else: it would skip allauth's
login throttle and its two-factor step. ``secure_admin_login`` replaces it with a redirect to
allauth's login (``?next=`` back to the admin); a logged-in user who is not active staff gets 403.
"""

from allauth.account.decorators import secure_admin_login
from django.contrib import admin

import partnerships.admin  # noqa: F401
import platser.admin  # noqa: F401

admin.site.login = secure_admin_login(admin.site.login)
