"""The client's address, the one answer for every rate limit (login, password reset, surveys).

Behind ``TRUSTED_PROXIES`` reverse proxies the connection's address is the nearest proxy's and
the client is the entry the outermost proxy appended to X-Forwarded-For (entries further left
are the client's own say and could be anything). Without a proxy (0) the header is ignored.
"""

import ipaddress

from django.conf import settings


def _clean(address: str) -> str | None:
    try:
        return str(ipaddress.ip_address(address.strip()))
    except ValueError:
        return None


def client_address(request) -> str:
    """The address requests of this client are counted under."""
    remote = request.META.get("REMOTE_ADDR", "")
    proxies = settings.TRUSTED_PROXIES
    if proxies > 0:
        forwarded = [a.strip() for a in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
        forwarded = [a for a in forwarded if a]
        if len(forwarded) >= proxies:
            client = _clean(forwarded[-proxies])
            if client:
                return client
    return remote
