"""A rate limit for the public answering page that stores no IP address.

The key is an HMAC of the client address with the secret key and today's date (a salt that
changes every day), kept in the cache for a short window only. Nothing is written to the
database, the digest cannot be turned back into an address without the secret, and tomorrow's
digest of the same address is unrelated. A cache failure lets the answer through: a dead Redis
must never stop a resident from answering.
"""

import hashlib
import hmac
import logging

from django.conf import settings
from django.core.cache import cache
from django.utils import timezone

from partnerships.network import client_address

#: Submissions per address and window. Generous enough for a school class or a workplace that
#: answers together behind one address (or phones behind a carrier's shared address), low
#: enough that a script gets nowhere: the honeypot and the submission id do the rest.
LIMIT = 60  # submissions
WINDOW = 600  # seconds

logger = logging.getLogger(__name__)


def _key(request) -> str:
    address = client_address(request)
    salt = f"{settings.SECRET_KEY}:surveys:{timezone.localdate().isoformat()}"
    digest = hmac.new(salt.encode(), address.encode(), hashlib.sha256).hexdigest()[:32]
    return f"surveys:rate:{digest}"


def allow_submission(request) -> bool:
    """Count one submission from this connection; False once it passes the limit."""
    key = _key(request)
    try:
        count = 1 if cache.add(key, 1, timeout=WINDOW) else cache.incr(key)
    except Exception:  # noqa: BLE001 - any cache trouble: let the answer through
        logger.warning("survey rate limit skipped: cache unavailable")
        return True
    return count <= LIMIT
