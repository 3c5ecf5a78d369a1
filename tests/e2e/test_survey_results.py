"""Journey: the coordinator compares the waves. From the survey page to its results (charts with
the same numbers in tables, a breakdown by gender), then to the place's nollmätning vs
uppföljning with the change and its interval; on a desktop and on a 360 px phone. axe-core runs
on every page."""

import datetime
import importlib

from django.apps import apps
from django_scopes import scopes_disabled
from playwright.sync_api import expect

from surveys.models import Question

from .conftest import PHONE, check_page, log_in_with_cookie, screenshot, visit

SAFE = "plats-trygg-kvall"


def _seed_bank():
    # transactional_db flushes the bank that the data migration seeded; seed it again (the
    # bank belongs to no program, and the real models' default manager is the scoped one).
    if not Question.bank.exists():
        with scopes_disabled():
            importlib.import_module("surveys.migrations.0002_seed_question_bank").seed(apps, None)


def _waves(world):
    from tests.factories import SurveyFactory
    from tests.surveys.results_data import respond

    _seed_bank()
    codes = [SAFE, "kon", "karta-otrygg"]
    baseline = SurveyFactory(
        program=world.program,
        places=[world.place],
        title="Nollmätning Torget",
        codes=codes,
        opens_on=datetime.date(2025, 9, 1),
        closes_on=datetime.date(2025, 9, 30),
    )
    follow_up = SurveyFactory(
        program=world.program,
        places=[world.place],
        title="Uppföljning Torget",
        wave=1,
        codes=codes,
        opens_on=datetime.date(2026, 9, 1),
        closes_on=datetime.date(2026, 9, 30),
    )
    point = (16.1701, 60.1452)
    respond(
        baseline,
        world.place,
        [{SAFE: 1, "kon": 1, "karta-otrygg": point}] * 15
        + [{SAFE: 2, "kon": 2}] * 15
        + [{SAFE: 3, "kon": 1}] * 10
        + [{SAFE: 3, "kon": 2}] * 10,  # two groups of 25: big enough to break down
    )
    respond(
        follow_up,
        world.place,
        [{SAFE: 1, "kon": 1}] * 20 + [{SAFE: 2, "kon": 2}] * 20 + [{SAFE: 4, "kon": 2}] * 10,
    )
    return baseline, follow_up


def _page(new_context, world, **kwargs):
    context = new_context(**kwargs)
    log_in_with_cookie(context, world.url, world.coordinator)
    return context.new_page()


def test_coordinator_compares_the_waves_on_a_desktop(world, new_context):
    baseline, follow_up = _waves(world)
    page = _page(new_context, world, viewport={"width": 1280, "height": 800})
    base = f"{world.url}/p/{world.program.slug}"

    visit(page, f"{base}/enkater/{baseline.pk}/")
    page.get_by_role("link", name="Resultat").click()
    check_page(page)
    expect(page.get_by_role("heading", level=1)).to_contain_text("Resultat: Nollmätning Torget")
    chart = page.locator("svg[role=img]").first
    expect(chart).to_be_visible()
    expect(page.locator("table").first).to_contain_text("30 %")  # 15 of 50 "Mycket trygg"
    expect(page.get_by_text("50 svarande").first).to_be_visible()
    screenshot(page, "survey-results-desktop")

    page.get_by_label("Dela upp på").select_option("kon")
    page.get_by_role("button", name="Visa").click()
    check_page(page)
    expect(page.get_by_role("heading", name="Uppdelat på kön").first).to_be_visible()

    page.get_by_role("link", name="Torget", exact=True).first.click()
    check_page(page)
    expect(page.get_by_role("heading", level=1)).to_contain_text("Före och efter: Torget")
    # Safety index 30/50 = 60 % → 40/50 = 80 %: +20 points, Newcombe interval (+2 till +36).
    summary = page.locator(".change-summary")
    expect(summary).to_contain_text("+20 procentenheter")
    expect(summary).to_contain_text("+2 till +36")
    expect(summary).to_contain_text("statistiskt säkerställd")
    expect(page.locator("svg[role=img] title").first).to_have_text("Trygghetsindex: andel trygga")
    screenshot(page, "survey-waves-desktop")


def test_coordinator_compares_the_waves_on_a_phone(world, new_context):
    _waves(world)
    page = _page(new_context, world, viewport=PHONE, is_mobile=True, has_touch=True)
    visit(page, f"{world.url}/p/{world.program.slug}/platser/{world.place.pk}/matomgangar/")
    expect(page.locator(".change-summary")).to_contain_text("+20 procentenheter")
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"], f"the page scrolls sideways: {width}px"
    chart = page.locator("svg[role=img]").first.bounding_box()
    assert chart["width"] <= PHONE["width"]
    screenshot(page, "survey-waves-phone")
