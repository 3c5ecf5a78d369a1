"""Journeys: a resident answers a safety survey on a 360 px phone (no login, the optional map,
the thank-you page), and a coordinator builds a survey from the bank and opens its poster.
axe-core runs on every page visited."""

import datetime
import importlib
import re

from django.apps import apps
from django.urls import reverse
from django.utils import timezone
from django_scopes import scopes_disabled
from playwright.sync_api import expect

from surveys.models import Answer, Question, Response, Survey

from .conftest import PHONE, check_page, screenshot, visit

CODES = ["plats-trygg-kvall", "ntu-utsatt", "karta-otrygg", "fritext-tryggare", "kon", "alder"]


def _seed_bank():
    # transactional_db flushes the bank the data migration seeded; seed it again (bank items
    # belong to no program).
    if not Question.bank.exists():
        with scopes_disabled():
            importlib.import_module("surveys.migrations.0002_seed_question_bank").seed(apps, None)


def mark_survey_map(page):
    """Open a survey's map question and tap the middle of the place (Leaflet loads on demand)."""
    page.get_by_role("button", name="Visa kartan").click()
    map_box = page.locator(".js-map-editor")
    expect(map_box).to_be_visible()
    page.wait_for_function("typeof window.L !== 'undefined'")
    page.wait_for_timeout(300)
    box = map_box.bounding_box()
    page.mouse.click(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    expect(page.get_by_text("En punkt är markerad.")).to_be_visible()


def test_resident_answers_on_a_phone(world, new_context):
    from tests.factories import SurveyFactory

    _seed_bank()
    survey = SurveyFactory(
        program=world.program, places=[world.place], title="Trygghet på Torget", codes=CODES
    )
    url = world.url + reverse("surveys_public:answer", kwargs={"token": survey.token})
    page = new_context(viewport=PHONE, is_mobile=True, has_touch=True).new_page()
    loaded = []
    page.on("response", lambda r: loaded.append(r))

    visit(page, url)

    # First load: small, no Leaflet until the map is opened, nothing wider than the phone.
    weight = sum(len(r.body()) for r in loaded if r.ok)
    assert weight < 300 * 1024, weight
    assert not any("leaflet" in r.url for r in loaded)
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    submission_id = page.locator("input[name=submission_id]").input_value()
    assert re.fullmatch(r"[0-9a-f-]{36}", submission_id)
    expect(page.get_by_role("group", name=re.compile("Hur trygg eller otrygg"))).to_be_visible()
    screenshot(page, "survey-answer-phone")

    # Sending nothing: one clear message, linked, and the page stays accessible.
    page.get_by_role("button", name="Skicka svaren").click()
    expect(page.get_by_role("alert")).to_contain_text("Svara på minst en fråga")
    expect(page.locator("#fel")).to_be_focused()
    check_page(page)

    page.get_by_text("Ganska trygg", exact=True).click()
    page.get_by_text("Stöld", exact=True).click()
    page.get_by_text("Skadegörelse", exact=True).click()
    expect(page.get_by_role("button", name="Ta bort markeringen")).to_be_hidden()
    mark_survey_map(page)
    expect(page.get_by_role("button", name="Ta bort markeringen")).to_be_visible()
    page.get_by_label("Vad skulle få dig att känna dig tryggare här?").fill(
        "Bättre belysning vid busshållplatsen."
    )
    page.get_by_text("Kvinna", exact=True).click()
    page.get_by_text("25–44 år", exact=True).click()
    check_page(page)
    page.get_by_role("button", name="Skicka svaren").click()

    expect(page.get_by_role("heading", name="Tack för dina svar!")).to_be_visible()
    check_page(page)
    screenshot(page, "survey-thanks-phone")
    with scopes_disabled():  # test inspection of what was stored
        response = Response.objects.get(survey=survey)
        kinds = sorted(
            Answer.objects.filter(response=response).values_list("question__code", flat=True)
        )
        point = Answer.objects.get(response=response, question__code="karta-otrygg").point
    assert str(response.client_submission_id) == submission_id
    assert response.submitted_on == timezone.localdate()
    assert kinds == sorted(
        [
            "plats-trygg-kvall",
            "ntu-utsatt",
            "ntu-utsatt",
            "karta-otrygg",
            "fritext-tryggare",
            "kon",
            "alder",
        ]
    )
    assert point["type"] == "Point"

    # Going back and sending the form again counts once. Chromium restores the form with the
    # same submission id but without the map mark (a hidden input the script fills): other
    # answers than the stored ones, so the page says the first ones are kept (409) rather than
    # thanking for answers it drops.
    page.go_back()
    if page.locator("button", has_text="Skicka svaren").count():
        assert page.locator("input[name=submission_id]").input_value() == submission_id
        with page.expect_response(lambda r: r.request.method == "POST") as sent:
            page.get_by_role("button", name="Skicka svaren").click()
        if sent.value.status == 409:
            expect(page.get_by_role("alert")).to_contain_text("Dina svar var redan skickade")
            check_page(page)
        else:  # the browser restored every answer: the same submission, thanked for again
            expect(page.get_by_role("heading", name="Tack för dina svar!")).to_be_visible()
    with scopes_disabled():  # test inspection
        assert Response.objects.filter(survey=survey).count() == 1


def test_resident_switches_to_english_and_sees_a_closed_survey(world, new_context):
    from tests.factories import SurveyFactory

    _seed_bank()
    survey = SurveyFactory(
        program=world.program,
        places=[world.place],
        codes=["kon"],
        opens_on=datetime.date(2026, 1, 1),
        closes_on=datetime.date(2026, 1, 31),
    )
    url = world.url + reverse("surveys_public:answer", kwargs={"token": survey.token})
    page = new_context(viewport=PHONE, is_mobile=True, has_touch=True).new_page()

    visit(page, url)
    expect(page.get_by_role("heading", name="Enkäten är stängd")).to_be_visible()
    expect(page.get_by_text("1 januari 2026 – 31 januari 2026")).to_be_visible()
    page.get_by_role("link", name="English").click()
    check_page(page)
    expect(page.get_by_role("heading", name="The survey is closed")).to_be_visible()


def test_coordinator_builds_a_survey_from_the_bank_and_opens_the_poster(world, coordinator_page):
    _seed_bank()
    page = coordinator_page
    visit(page, f"{world.url}/p/{world.program.slug}/enkater/")
    page.get_by_role("link", name="Ny enkät").click()
    check_page(page)

    page.get_by_label("Titel").fill("Nollmätning Torget")
    page.get_by_label("Torget").check()
    page.get_by_label("Mätomgång").select_option(label="Nollmätning")
    page.get_by_label("Målgrupp").select_option(label="Besökare")
    page.get_by_label("Öppnar").fill("2026-12-01")
    page.get_by_label("Stänger").fill("2026-12-31")
    page.get_by_role("button", name="Skapa enkäten").click()

    expect(page.get_by_role("heading", name="Frågor i Nollmätning Torget")).to_be_visible()
    check_page(page)
    page.get_by_role("button", name=re.compile(r"Lägg till\s*: Var känner du dig otrygg")).click()
    check_page(page)
    items = page.locator("ol.question-list > li")
    expect(items.last).to_contain_text("Var känner du dig otrygg?")
    page.get_by_role("button", name=re.compile(r"Upp\s*: Var känner du dig otrygg")).click()
    expect(items.nth(items.count() - 2)).to_contain_text("Var känner du dig otrygg?")
    page.get_by_role("link", name="Klar").click()

    expect(page.get_by_role("heading", name="Nollmätning Torget")).to_be_visible()
    check_page(page)
    screenshot(page, "survey-detail")
    with scopes_disabled():  # test inspection
        survey = Survey.objects.get(title="Nollmätning Torget")
    expect(page.get_by_role("link", name=re.compile(survey.token))).to_be_visible()
    poster = page.get_by_role("link", name="Affisch för Torget (PDF)")
    response = page.request.get(world.url + poster.get_attribute("href"))
    assert response.status == 200
    assert response.headers["content-type"] == "application/pdf"
    assert response.body().startswith(b"%PDF-")


def test_answer_page_and_its_map_run_under_the_strict_csp(world, browser):
    from tests.factories import SurveyFactory

    from .test_csp import RECORD_VIOLATIONS

    _seed_bank()
    survey = SurveyFactory(program=world.program, places=[world.place], codes=CODES)
    context = browser.new_context(viewport=PHONE, locale="sv-SE")  # bypass_csp is off
    try:
        context.add_init_script(RECORD_VIOLATIONS)
        page = context.new_page()
        messages = []
        page.on("console", lambda msg: messages.append(msg.text))
        page.on("pageerror", lambda exc: messages.append(str(exc)))

        response = page.goto(
            world.url + reverse("surveys_public:answer", kwargs={"token": survey.token})
        )
        assert "script-src 'self'" in response.headers.get("content-security-policy", "")
        page.get_by_role("button", name="Visa kartan").click()
        editor = page.locator(".js-map-editor")
        expect(editor).to_have_class(re.compile("leaflet-container"))
        box = editor.bounding_box()
        editor.click(position={"x": box["width"] / 2, "y": box["height"] / 2})
        expect(page.get_by_text("En punkt är markerad.")).to_be_visible()
        assert page.locator("input[name=submission_id]").input_value()

        assert page.evaluate("window.__cspViolations") == []
        assert not [m for m in messages if "Content Security Policy" in m or "Uncaught" in m]
    finally:
        context.close()


def test_map_question_can_be_answered_with_the_keyboard_alone(world, new_context):
    from tests.factories import SurveyFactory

    _seed_bank()
    survey = SurveyFactory(
        program=world.program, places=[world.place], title="Tangentbord", codes=["karta-otrygg"]
    )
    url = world.url + reverse("surveys_public:answer", kwargs={"token": survey.token})
    page = new_context(viewport={"width": 1280, "height": 900}).new_page()
    visit(page, url)
    page.get_by_role("button", name="Visa kartan").focus()
    page.keyboard.press("Enter")
    page.wait_for_function("typeof window.L !== 'undefined'")
    # The button is gone; keyboard focus is on the map that replaced it, not on the page.
    assert page.evaluate("document.activeElement.classList.contains('js-map-editor')")
    map_box = page.locator(".js-map-editor")
    expect(map_box).to_have_class(re.compile("map--keyboard"))  # map.js has set it up
    map_box.focus()
    expect(map_box).to_have_attribute("aria-describedby", re.compile(".+-hint$"))
    page.keyboard.press("ArrowRight")  # Leaflet pans; Enter then marks the new centre
    page.keyboard.press("Enter")
    expect(page.get_by_text("En punkt är markerad.")).to_be_visible()
    check_page(page)
    page.get_by_role("button", name="Skicka svaren").focus()
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", name="Tack för dina svar!")).to_be_visible()
    with scopes_disabled():  # test inspection of what was stored
        point = Answer.objects.get(response__survey=survey).point
    assert point["type"] == "Point"


def test_back_then_send_again_stores_the_response_once(world, new_context):
    """A resident sends, presses Back (the same tab) and sends again: one response is stored.
    The answering page keeps the submission id in its history entry, so the second send
    carries the first one's id and counts once. Sent again unchanged, it is thanked; sent with
    other answers, it is refused with a message (409, as ODK Central does) and the first
    answers stay."""
    from tests.factories import SurveyFactory

    _seed_bank()
    survey = SurveyFactory(
        program=world.program, places=[world.place], title="Tillbaka", codes=["plats-trygg-kvall"]
    )
    url = world.url + reverse("surveys_public:answer", kwargs={"token": survey.token})
    page = new_context(viewport=PHONE, is_mobile=True, has_touch=True).new_page()
    visit(page, url)
    page.get_by_text("Ganska trygg", exact=True).click()
    page.get_by_role("button", name="Skicka svaren").click()
    expect(page.get_by_role("heading", name="Tack för dina svar!")).to_be_visible()

    page.go_back()
    expect(page.get_by_role("button", name="Skicka svaren")).to_be_visible()
    check_page(page)
    page.get_by_text("Ganska trygg", exact=True).click()  # the same answer again
    page.get_by_role("button", name="Skicka svaren").click()
    expect(page.get_by_role("heading", name="Tack för dina svar!")).to_be_visible()
    with scopes_disabled():  # test inspection of what was stored
        assert Response.objects.filter(survey=survey).count() == 1

    page.go_back()
    expect(page.get_by_role("button", name="Skicka svaren")).to_be_visible()
    page.get_by_text("Mycket trygg", exact=True).click()  # another answer
    with page.expect_response(lambda r: r.request.method == "POST") as sent:
        page.get_by_role("button", name="Skicka svaren").click()
    assert sent.value.status == 409
    expect(page.get_by_role("alert")).to_contain_text("Dina svar var redan skickade")
    check_page(page)
    with scopes_disabled():
        assert Response.objects.filter(survey=survey).count() == 1
        assert Answer.objects.get(response__survey=survey).option.label_sv == "Ganska trygg"

    # A new visit (a link, not Back) is a new respondent.
    visit(page, url)
    page.get_by_text("Mycket trygg", exact=True).click()
    page.get_by_role("button", name="Skicka svaren").click()
    expect(page.get_by_role("heading", name="Tack för dina svar!")).to_be_visible()
    with scopes_disabled():
        assert Response.objects.filter(survey=survey).count() == 2
