"""Limits on wrong passwords that nobody can turn into a lockout of the real user.

allauth's own limit counts wrong passwords per address and per account. Behind a proxy that
shared one address with everyone, and per account anyone anywhere could keep a coordinator out
for good with five wrong passwords every five minutes. Here a password attempt counts in one of
two ways (the rates are ``ACCOUNT_RATE_LIMITS`` in the settings):

- From a browser this account has logged in from before (a signed "known device" cookie set at
  a completed login, two-factor step included): only that browser's own failures for the
  account count (``login_failed_device``). Nobody else's wrong passwords lock it out.
- From anywhere else: per address (``login_failed``, ``…/ip``), per account at that address
  (``login_failed``, ``…/key``) and per account from every unknown browser together
  (``login_failed_account``, stepped: minutes, then an hour, then a day), so that guessing from
  many addresses gets nowhere either.

A user on a new browser while someone guesses at their account can always get in by resetting
the password: a completed reset logs them in (``ACCOUNT_LOGIN_ON_PASSWORD_RESET``), which makes
that browser a known device, and clears the account's counts.

Built on allauth's internal rate-limit module (the public one does not hand back the usage that
a successful login rolls back); allauth is pinned to an exact version in requirements.txt.
"""

import secrets

from allauth.core.internal import ratelimit
from django.conf import settings
from django.core import signing
from django.utils.crypto import salted_hmac

from .network import client_address

APP = "allauth.account"
COOKIE = "trygga_enhet"
COOKIE_PATH = "/konto/"
COOKIE_MAX_AGE = 180 * 24 * 3600
_SALT = "partnerships.login_limits.known_device"
#: Accounts remembered per browser (a shared office computer): the oldest drops out.
MAX_ACCOUNTS = 10


def _account_tag(login: str) -> str:
    # The cookie names accounts by a keyed digest, not by e-mail address.
    return salted_hmac(_SALT, login.strip().lower(), algorithm="sha256").hexdigest()[:24]


def _read_cookie(request) -> dict | None:
    value = request.COOKIES.get(COOKIE)
    if not value:
        return None
    try:
        data = signing.loads(value, salt=_SALT, max_age=COOKIE_MAX_AGE)
    except signing.BadSignature:
        return None
    if not isinstance(data, dict) or not isinstance(data.get("accounts"), list):
        return None
    return data


def known_device(request, login: str) -> str | None:
    """This browser's device id when the account ``login`` has logged in from it before."""
    data = _read_cookie(request)
    if data and _account_tag(login) in data["accounts"]:
        return str(data.get("device", ""))[:64] or None
    return None


def remember_device(request, response, user) -> None:
    """After a completed login: mark this browser as a known device of ``user``'s account."""
    data = _read_cookie(request) or {"device": secrets.token_urlsafe(16), "accounts": []}
    tag = _account_tag(user.email)
    accounts = [t for t in data["accounts"] if t != tag] + [tag]
    data["accounts"] = accounts[-MAX_ACCOUNTS:]
    response.set_cookie(
        COOKIE,
        signing.dumps(data, salt=_SALT),
        max_age=COOKIE_MAX_AGE,
        path=COOKIE_PATH,
        secure=settings.SESSION_COOKIE_SECURE,
        httponly=True,
        samesite="Lax",
    )


def _checks(request, login: str) -> list[tuple[str, str]]:
    device = known_device(request, login)
    if device:
        return [("login_failed_device", f"{login}:{device}")]
    return [
        ("login_failed", f"{login}:{client_address(request)}"),
        ("login_failed_account", login),
    ]


def consume_password_attempt(request, login: str) -> ratelimit.RateLimitUsage | None:
    """Count one password attempt for ``login``; None when it must be refused.

    The usage returned is rolled back by allauth when the password was right, so only wrong
    passwords stay counted.
    """
    login = login.strip().lower()
    total = ratelimit.RateLimitUsage(usage=[])
    for action, key in _checks(request, login):
        usage = ratelimit.consume(request, app=APP, action=action, key=key)
        if usage is None:
            total.rollback()  # a refused attempt counts nowhere
            return None
        total.usage.extend(usage.usage)
    return total


def clear_account(request, login: str) -> None:
    """Forget the account's wrong passwords (after a completed password reset)."""
    login = login.strip().lower()
    for action, key in _checks(request, login) + [("login_failed_account", login)]:
        ratelimit.clear(request, app=APP, action=action, key=key)
