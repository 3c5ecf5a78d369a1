"""Explicit admin registration.

The admin runs with ``SimpleAdminConfig`` (no autodiscovery), because autodiscovery would import
``leaflet.admin`` and with it GDAL. Only global objects (users, programs, municipalities) are in
the admin: program-owned data is scoped and is managed in the product itself.
"""

import partnerships.admin  # noqa: F401
