"""Swedish is the default language; English only when the visitor picks it."""

import pytest

pytestmark = pytest.mark.django_db


def test_browser_accepting_english_still_gets_swedish(client):
    response = client.get("/tillganglighet/", HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
    assert response.headers["Content-Language"] == "sv"
    assert "Tillgänglighetsredogörelse" in response.text


def test_language_switch_to_english_is_honoured(client):
    client.post("/i18n/setlang/", {"language": "en", "next": "/tillganglighet/"})
    response = client.get("/tillganglighet/", HTTP_ACCEPT_LANGUAGE="sv")
    assert response.headers["Content-Language"] == "en"
