"""Request bodies are limited before they are read: anonymous visitors to 1 MB, members to room
for the largest upload (config.middleware.RequestSizeLimitMiddleware)."""

import socket
from urllib.parse import urlsplit

import pytest

pytestmark = pytest.mark.django_db


def post_declaring(client, path, megabytes):
    return client.generic(
        "POST",
        path,
        b"x=1",
        content_type="application/x-www-form-urlencoded",
        CONTENT_LENGTH=str(megabytes * 1024 * 1024),
    )


def test_a_member_may_send_an_upload_but_not_more(client_for, coordinator, program, settings):
    client = client_for(coordinator)
    path = f"/p/{program.slug}/organisationer/ny/"
    assert settings.MAX_REQUEST_MB >= settings.MAX_UPLOAD_MB + 1
    refused = post_declaring(client, path, settings.MAX_REQUEST_MB + 1)
    assert refused.status_code == 413
    assert "Inget har sparats" in refused.content.decode()
    # Within the limit the request reaches the view (which reads the small body it got).
    assert post_declaring(client, path, 0).status_code != 413


def test_the_login_form_is_limited_like_every_anonymous_request(client):
    assert post_declaring(client, "/konto/login/", 2).status_code == 413
    assert (
        client.post("/konto/login/", {"login": "a@example.com", "password": "x"}).status_code == 200
    )


def test_a_real_server_answers_413_without_waiting_for_the_body(live_server):
    """Over a socket: the headers announce 200 MB, almost nothing follows, and the answer comes
    at once (the server never waits for the rest)."""
    url = urlsplit(live_server.url)
    with socket.create_connection((url.hostname, url.port), timeout=10) as sock:
        sock.sendall(
            b"POST /konto/login/ HTTP/1.1\r\nHost: localhost\r\n"
            b"Content-Type: application/x-www-form-urlencoded\r\n"
            b"Content-Length: 209715200\r\n\r\nlogin=a"
        )
        answer = sock.recv(65536).decode("utf-8", "replace")
    assert answer.startswith("HTTP/1.1 413")
