"""Login and password reset keep working while Redis is down or hung (allauth's rate limits call
the cache directly; config/cache_backends.py answers them from local memory meanwhile)."""

import socket
import sys
import threading
import time

import pytest
from allauth.account.models import EmailAddress
from django.core import mail

from partnerships.models import User

pytestmark = pytest.mark.django_db

PASSWORD = "Rätt-lösenord-2026"
TOO_MANY = "För många misslyckade inloggningsförsök"


def _production_cache(url: str) -> dict:
    """The cache config/settings.py builds for a REDIS_URL, pointed at ``url``."""
    return {"default": sys.modules["config.settings"]._redis_cache(url)}


@pytest.fixture
def production_limits(settings):
    settings.ACCOUNT_RATE_LIMITS = sys.modules["config.settings"].ACCOUNT_RATE_LIMITS


@pytest.fixture
def dead_redis(settings, production_limits):
    # Port 1: nothing listens, every connection is refused at once.
    settings.CACHES = _production_cache("redis://127.0.0.1:1/0")


@pytest.fixture
def hung_redis(settings, production_limits):
    """A server that accepts connections and never answers (a paused Redis)."""
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen(64)
    accepted = []
    stop = threading.Event()

    def accept():
        server.settimeout(0.2)
        while not stop.is_set():
            try:
                accepted.append(server.accept()[0])
            except TimeoutError:
                continue

    thread = threading.Thread(target=accept, daemon=True)
    thread.start()
    settings.CACHES = _production_cache(f"redis://127.0.0.1:{server.getsockname()[1]}/0")
    yield accepted
    stop.set()
    thread.join()
    for conn in accepted:
        conn.close()
    server.close()


@pytest.fixture
def user():
    user = User.objects.create_user(email="samordnare@example.com", password=PASSWORD)
    EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
    return user


def _log_in(client, user, password=PASSWORD):
    return client.post("/konto/login/", {"login": user.email, "password": password})


def test_login_works_while_redis_is_down(client, user, dead_redis):
    response = _log_in(client, user)
    assert response.status_code == 302
    assert int(client.session["_auth_user_id"]) == user.pk


def test_wrong_passwords_are_still_limited_while_redis_is_down(client, user, dead_redis):
    answers = [_log_in(client, user, f"fel-{n}") for n in range(8)]
    assert all(r.status_code == 200 for r in answers)  # the form again, never a 500
    assert "lösenordet är felaktigt" in answers[0].text
    assert TOO_MANY in answers[-1].text  # counted in local memory meanwhile
    assert "_auth_user_id" not in client.session


def test_password_reset_works_while_redis_is_down(client, user, dead_redis):
    response = client.post("/konto/password/reset/", {"email": user.email})
    assert response.status_code == 302
    assert response["Location"] == "/konto/password/reset/done/"
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == [user.email]


def test_login_works_while_redis_hangs(client, user, hung_redis):
    started = time.monotonic()
    response = _log_in(client, user)
    elapsed = time.monotonic() - started
    assert hung_redis, "the login did try Redis"
    assert response.status_code == 302
    assert int(client.session["_auth_user_id"]) == user.pk
    # One socket timeout (0.5 s), after which Redis is left alone for a while.
    assert elapsed < 3, elapsed
    started = time.monotonic()
    client.post("/konto/logout/")
    _log_in(client, user)
    assert time.monotonic() - started < 1
