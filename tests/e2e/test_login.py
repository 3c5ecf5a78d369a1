"""Journey 1: a coordinator logs in through the real allauth form and lands on the program."""

import re

from playwright.sync_api import expect

from .conftest import PASSWORD, PHONE, check_page, screenshot, visit


def test_coordinator_logs_in_through_the_form(world, desktop_page):
    page = desktop_page
    visit(page, f"{world.url}/konto/login/")
    screenshot(page, "login-desktop")

    page.get_by_label("E-post").fill(world.coordinator.email)
    page.get_by_label("Lösenord").fill(PASSWORD)
    page.locator("main form button[type=submit]").first.click()

    # One program only: the home page sends the user straight to it.
    expect(page).to_have_url(re.compile(rf"/p/{world.program.slug}/$"))
    check_page(page)
    expect(page.get_by_role("heading", level=1)).to_have_text("Trygga Avesta")
    expect(page.locator(".js-map.leaflet-container")).to_be_visible()
    table = page.locator("table.table")
    expect(table).to_be_visible()
    expect(table.get_by_role("link", name="Torget")).to_be_visible()
    expect(page.get_by_role("link", name="Ny plats")).to_be_visible()
    # The drawn boundary of Torget is on the map as a path, with a labelled centre marker.
    expect(page.locator(".js-map path.leaflet-interactive")).to_have_count(2)
    expect(page.locator(".js-map .map-label")).to_have_text("Torget")
    screenshot(page, "program-home-desktop")


def test_wrong_password_shows_a_swedish_error(world, desktop_page):
    page = desktop_page
    visit(page, f"{world.url}/konto/login/")
    page.get_by_label("E-post").fill(world.coordinator.email)
    page.get_by_label("Lösenord").fill("fel-lösenord")
    page.locator("main form button[type=submit]").first.click()
    expect(page).to_have_url(re.compile(r"/konto/login/$"))
    check_page(page)
    expect(page.locator("main")).to_contain_text("lösenordet är felaktigt")


def test_login_page_on_phone(world, new_context):
    page = new_context(viewport=PHONE, is_mobile=True, has_touch=True).new_page()
    visit(page, f"{world.url}/konto/login/")
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    screenshot(page, "login-phone")
