"""Journeys: the coordinator's own questions (add, edit, lock once answered, delete) and paper
questionnaires with a map question, keyed in on the place's map. axe-core runs on every page
visited."""

import json

from django_scopes import scopes_disabled
from playwright.sync_api import expect

from surveys.models import Answer, Question

from .conftest import PHONE, check_page, log_in_with_cookie, screenshot, visit
from .test_survey_answer import _seed_bank, mark_survey_map


def test_coordinator_adds_edits_and_deletes_an_own_question(world, coordinator_page):
    _seed_bank()
    page = coordinator_page
    visit(page, f"{world.url}/p/{world.program.slug}/enkater/fragor/")
    page.get_by_role("link", name="Ny egen fråga").click()
    check_page(page)
    page.get_by_label("Typ").select_option("skala")
    page.get_by_label("Fråga (svenska)").fill("Hur trivs du vid busstorget?")
    page.get_by_label("Svarsalternativ").fill("+Bra | Good\nDåligt | Bad")
    page.get_by_role("button", name="Spara").click()
    expect(page.get_by_text("Frågan är tillagd")).to_be_visible()
    check_page(page)

    # Edit: the options come back as typed; a third one is added.
    page.get_by_role("link", name="Ändra Hur trivs du vid busstorget?").click()
    check_page(page)
    expect(page.get_by_label("Svarsalternativ")).to_have_value("+Bra | Good\nDåligt | Bad")
    page.get_by_label("Svarsalternativ").fill("+Mycket bra\n+Bra | Good\nDåligt | Bad")
    page.get_by_role("button", name="Spara").click()
    expect(page.get_by_text("Frågan är sparad")).to_be_visible()
    own = page.locator("table").last
    expect(own).to_contain_text("Mycket bra ✓ / Bra ✓ / Dåligt")
    screenshot(page, "own-questions-desktop")

    # Delete, after a confirmation page.
    page.get_by_role("link", name="Ta bort Hur trivs du vid busstorget?").click()
    check_page(page)
    question = "Vill du ta bort frågan ”Hur trivs du vid busstorget?”?"
    expect(page.get_by_text(question)).to_be_visible()
    page.get_by_role("button", name="Ta bort frågan").click()
    expect(page.get_by_text("Frågan är borttagen")).to_be_visible()
    expect(page.get_by_text("Inga egna frågor ännu.")).to_be_visible()
    check_page(page)
    with scopes_disabled():  # test inspection
        assert not Question.objects.filter(program=world.program).exists()


def test_paper_questionnaire_with_a_map_question_on_a_phone(world, new_context):
    from tests.factories import SurveyFactory

    _seed_bank()
    survey = SurveyFactory(
        program=world.program,
        places=[world.place],
        title="Pappersenkät Torget",
        codes=["plats-trygg-kvall", "karta-otrygg"],
    )
    context = new_context(viewport=PHONE, is_mobile=True, has_touch=True)
    log_in_with_cookie(context, world.url, world.coordinator)
    page = context.new_page()
    visit(page, f"{world.url}/p/{world.program.slug}/enkater/{survey.pk}/papperssvar/")
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]

    page.get_by_text("Ganska trygg", exact=True).click()
    mark_survey_map(page)
    check_page(page)
    screenshot(page, "paper-map-phone")
    page.get_by_role("button", name="Spara pappersenkäten").click()
    expect(page.get_by_text("Pappersenkäten är sparad")).to_be_visible()
    check_page(page)

    with scopes_disabled():  # test inspection of what was stored
        answer = Answer.objects.get(survey=survey, question__code="karta-otrygg")
        channel = answer.response.channel
    assert channel == "papper"
    assert answer.point["type"] == "Point"
    (lon, lat) = answer.point["coordinates"]
    ring = world.place.boundary["coordinates"][0]
    assert min(p[0] for p in ring) <= lon <= max(p[0] for p in ring), json.dumps(answer.point)
    assert min(p[1] for p in ring) <= lat <= max(p[1] for p in ring)
