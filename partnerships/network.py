"""The client's address, the one answer for every rate limit (login, password reset, surveys).

Behind ``TRUSTED_PROXIES`` reverse proxies the connection's address is the nearest proxy's and
the client is the entry the outermost proxy appended to X-Forwarded-For (entries further left
are the client's own say and could be anything). Without a proxy (0) the header is ignored.

The header is believed only from a proxy: when the connection (and, behind several proxies,
every hop the count says is a proxy) comes from ``TRUSTED_PROXY_IPS``. Anyone who reaches the
application directly (a published port, another container) is counted under their own
connection's address, whatever X-Forwarded-For they send.
"""

import functools
import ipaddress

from django.conf import settings


def _clean(address: str) -> str | None:
    try:
        return str(ipaddress.ip_address(address.strip()))
    except ValueError:
        return None


@functools.lru_cache(maxsize=8)
def _networks(networks: tuple[str, ...]) -> tuple:
    return tuple(ipaddress.ip_network(net, strict=False) for net in networks)


def is_trusted_proxy(address: str) -> bool:
    """Whether ``address`` lies in one of the ``TRUSTED_PROXY_IPS`` networks."""
    try:
        ip = ipaddress.ip_address(address.strip())
    except ValueError:
        return False
    return any(ip in net for net in _networks(tuple(settings.TRUSTED_PROXY_IPS)))


def client_address(request) -> str:
    """The address requests of this client are counted under."""
    remote = request.META.get("REMOTE_ADDR", "")
    proxies = settings.TRUSTED_PROXIES
    if proxies > 0 and is_trusted_proxy(remote):
        forwarded = [a.strip() for a in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
        forwarded = [a for a in forwarded if a]
        # The nearer proxies' own entries (behind more than one proxy) must be proxies too.
        hops = forwarded[len(forwarded) - proxies + 1 :] if proxies > 1 else []
        if len(forwarded) >= proxies and all(is_trusted_proxy(hop) for hop in hops):
            client = _clean(forwarded[-proxies])
            if client:
                return client
    return remote
