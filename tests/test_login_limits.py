"""Login limits: per account with a stepped back-off, and nobody can lock the real user out.

The three personas: the real user (a known browser, or a new one), an attacker at one address,
and an attacker spread over many addresses. All requests come through one TLS proxy
(``DJANGO_TRUSTED_PROXIES=1``), as in docker-compose.
"""

import os
import re
import subprocess
import sys
import time as real_time
from types import SimpleNamespace

import pytest
from allauth.account.models import EmailAddress
from allauth.core.internal import ratelimit
from django.core import mail
from django.test import Client

from partnerships import login_limits
from partnerships.models import User

pytestmark = pytest.mark.django_db

PASSWORD = "Rätt-lösenord-2026"
TOO_MANY = "För många misslyckade inloggningsförsök"
PROXY = "10.0.0.5"


@pytest.fixture(autouse=True)
def production_limits(settings):
    settings.ACCOUNT_RATE_LIMITS = sys.modules["config.settings"].ACCOUNT_RATE_LIMITS
    settings.TRUSTED_PROXIES = 1


@pytest.fixture
def user():
    user = User.objects.create_user(email="samordnare@example.com", password=PASSWORD)
    EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
    return user


def attempt(client, email, password, address):
    """A login through the proxy from ``address``; "in", "wrong" or "refused"."""
    response = client.post(
        "/konto/login/",
        {"login": email, "password": password},
        REMOTE_ADDR=PROXY,
        HTTP_X_FORWARDED_FOR=address,
    )
    if response.status_code == 302 and "_auth_user_id" in client.session:
        client.post("/konto/logout/", REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR=address)
        return "in"
    if TOO_MANY in response.text or response.status_code == 429:
        return "refused"
    assert "lösenordet är felaktigt" in response.text, response.text[:500]
    return "wrong"


def test_the_proxy_count_reaches_allauth(rf):
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "config.settings", "DJANGO_TRUSTED_PROXIES": "2"}
    code = "import django; django.setup(); from django.conf import settings as s; "
    code += "print(s.TRUSTED_PROXIES, s.ALLAUTH_TRUSTED_PROXY_COUNT)"
    result = subprocess.run(
        [sys.executable, "-c", code], env=env, capture_output=True, text=True, timeout=60
    )
    assert result.stdout.split() == ["2", "2"], result.stderr
    # And allauth's question is answered by the one function every limit uses.
    from allauth.account.adapter import get_adapter

    request = rf.post("/", REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR="203.0.113.9, 198.51.100.7")
    assert get_adapter().get_client_ip(request) == "198.51.100.7"


def test_invented_accounts_from_one_address_do_not_lock_out_a_user_there(user):
    attacker = Client()
    results = [attempt(attacker, f"x{n}@example.com", "fel", "198.51.100.7") for n in range(10)]
    assert results == ["wrong"] * 10
    # A colleague behind the same office address still gets in.
    assert attempt(Client(), user.email, PASSWORD, "198.51.100.7") == "in"


def test_wrong_passwords_from_one_address_do_not_lock_out_the_user_elsewhere(user):
    attacker = Client()
    results = [attempt(attacker, user.email, f"fel-{n}", "203.0.113.9") for n in range(7)]
    assert results == ["wrong"] * 5 + ["refused"] * 2
    assert attempt(attacker, user.email, PASSWORD, "203.0.113.9") == "refused"
    assert attempt(Client(), user.email, PASSWORD, "198.51.100.20") == "in"


def test_guessing_from_many_addresses_is_stopped_per_account(user):
    results = [attempt(Client(), user.email, f"fel-{n}", f"203.0.113.{n}") for n in range(1, 13)]
    assert results == ["wrong"] * 10 + ["refused"] * 2
    # A browser that never logged in to this account waits out the back-off too.
    assert attempt(Client(), user.email, PASSWORD, "198.51.100.20") == "refused"


def test_a_known_browser_is_never_locked_out_by_others(user):
    mine = Client()
    assert attempt(mine, user.email, PASSWORD, "198.51.100.20") == "in"
    assert login_limits.COOKIE in mine.cookies
    for n in range(1, 30):  # guessing from everywhere, well past every step of the back-off
        attempt(Client(), user.email, f"fel-{n}", f"203.0.113.{n}")
    assert attempt(Client(), user.email, PASSWORD, "198.51.100.21") == "refused"
    # The user's own browser, even from a new address (a phone on the move).
    assert attempt(mine, user.email, PASSWORD, "192.0.2.80") == "in"


def test_a_known_browser_has_a_limit_of_its_own(user):
    mine = Client()
    assert attempt(mine, user.email, PASSWORD, "198.51.100.20") == "in"
    results = [attempt(mine, user.email, f"fel-{n}", "198.51.100.20") for n in range(11)]
    assert results == ["wrong"] * 10 + ["refused"]
    # What that browser got wrong does not count against the account elsewhere.
    assert attempt(Client(), user.email, PASSWORD, "192.0.2.80") == "in"


def test_a_forged_or_foreign_device_cookie_exempts_nothing(user):
    other = User.objects.create_user(email="annan@example.com", password=PASSWORD)
    EmailAddress.objects.create(user=other, email=other.email, verified=True, primary=True)
    theirs = Client()
    assert attempt(theirs, other.email, PASSWORD, "203.0.113.1") == "in"  # a cookie, not for user
    forged = Client()
    forged.cookies[login_limits.COOKIE] = "eyJkZXZpY2UiOiJ4In0:forged:signature"
    for client in (theirs, forged):
        for n in range(12):
            attempt(client, user.email, f"fel-{n}", f"203.0.113.{n + 100}")
    assert attempt(Client(), user.email, PASSWORD, "198.51.100.20") == "refused"


def test_a_password_reset_lets_the_user_in_despite_the_lockout(user):
    for n in range(1, 13):
        attempt(Client(), user.email, f"fel-{n}", f"203.0.113.{n}")
    browser = Client()
    assert attempt(browser, user.email, PASSWORD, "198.51.100.20") == "refused"

    meta = {"REMOTE_ADDR": PROXY, "HTTP_X_FORWARDED_FOR": "198.51.100.20"}
    browser.post("/konto/password/reset/", {"email": user.email}, **meta)
    link = re.search(r"http://\S+/konto/password/reset/key/\S+/", mail.outbox[-1].body).group(0)
    form_url = browser.get(link.split("testserver", 1)[-1], **meta)["Location"]
    new = "Nytt-lösenord-2026!"
    response = browser.post(form_url, {"password1": new, "password2": new}, **meta)
    assert response.status_code == 302
    assert int(browser.session["_auth_user_id"]) == user.pk  # logged in by the reset
    assert login_limits.COOKIE in browser.cookies  # and this browser is now a known one
    browser.post("/konto/logout/", **meta)
    assert attempt(browser, user.email, new, "198.51.100.20") == "in"


def test_the_back_off_steps_pass(user, monkeypatch):
    now = [real_time.time()]
    clock = SimpleNamespace(
        time=lambda: now[0], monotonic=real_time.monotonic, sleep=real_time.sleep
    )
    monkeypatch.setattr(ratelimit, "time", clock)

    def guess(n):
        return attempt(Client(), user.email, f"fel-{n}", f"203.0.113.{n % 250 + 1}")

    assert [guess(n) for n in range(11)] == ["wrong"] * 10 + ["refused"]
    now[0] += 16 * 60  # the first step (15 minutes) has passed
    assert [guess(n) for n in range(11, 22)] == ["wrong"] * 10 + ["refused"]
    now[0] += 16 * 60  # 20 within the hour: the second step holds
    assert guess(22) == "refused"
    now[0] += 30 * 60  # an hour after the first wrong password
    assert attempt(Client(), user.email, PASSWORD, "198.51.100.20") == "in"
