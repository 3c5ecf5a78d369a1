"""Swedish is the default language; English only when the visitor picks it."""

import pytest
from django.db.models.fields import BLANK_CHOICE_LABEL
from django.utils import translation

pytestmark = pytest.mark.django_db


def test_browser_accepting_english_still_gets_swedish(client):
    response = client.get("/tillganglighet/", HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
    assert response.headers["Content-Language"] == "sv"
    assert "Tillgänglighetsredogörelse" in response.text


def test_language_switch_to_english_is_honoured(client):
    client.post("/i18n/setlang/", {"language": "en", "next": "/tillganglighet/"})
    response = client.get("/tillganglighet/", HTTP_ACCEPT_LANGUAGE="sv")
    assert response.headers["Content-Language"] == "en"


def test_empty_choice_label_is_swedish():
    # Django 6.1's new "- Select an option -" has no Swedish in Django's own catalogue.
    with translation.override("sv"):
        assert str(BLANK_CHOICE_LABEL) == "– Välj –"


def test_survey_wave_labels_follow_the_language_of_the_request():
    from surveys.forms import WAVE_CHOICES

    with translation.override("en"):
        assert str(WAVE_CHOICES[1][1]) == "Follow-up 1"
    with translation.override("sv"):
        assert str(WAVE_CHOICES[1][1]) == "Uppföljning 1"
