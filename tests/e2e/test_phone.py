"""Journey 4: a partner on a 360 px phone sees the place; the menu works by keyboard."""

import re

from playwright.sync_api import expect

from .conftest import PHONE, check_page, screenshot, visit


def no_horizontal_scroll(page):
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"], f"{page.url} scrolls sideways: {width}px wide"


def test_partner_sees_the_place_on_a_phone(world, partner_phone_page):
    page = partner_phone_page
    page.goto(f"{world.url}/")
    # One program: the home page goes straight to it.
    expect(page).to_have_url(re.compile(rf"/p/{world.program.slug}/$"))
    check_page(page)
    no_horizontal_scroll(page)
    expect(page.get_by_role("link", name="Ny plats")).to_have_count(0)
    screenshot(page, "program-home-phone")

    page.locator("table").get_by_role("link", name="Torget").tap()
    expect(page).to_have_url(re.compile(rf"/platser/{world.place.pk}/$"))
    check_page(page)
    no_horizontal_scroll(page)
    expect(page.get_by_role("heading", level=1)).to_have_text("Torget")
    expect(page.locator(".js-map.leaflet-container")).to_be_visible()
    expect(page.locator(".js-map path.leaflet-interactive")).to_have_count(1)
    chips = page.locator(".chips .chip")
    expect(chips).to_have_count(2)
    expect(chips.filter(has_text="Avesta Bostäder")).to_contain_text("Arbetsgrupp")
    # A partner reads the place but does not manage it.
    expect(page.get_by_role("link", name="Ändra")).to_have_count(0)
    screenshot(page, "place-detail-phone")

    page.get_by_role("link", name="Hela aktörsregistret").tap()
    expect(page).to_have_url(re.compile(rf"/platser/{world.place.pk}/aktorer/$"))
    check_page(page)
    no_horizontal_scroll(page)
    expect(page.locator("table tbody tr")).to_have_count(2)
    screenshot(page, "stakeholder-register-phone")


def test_phone_menu_works_with_the_keyboard(world, partner_phone_page):
    page = partner_phone_page
    visit(page, f"{world.url}/p/{world.program.slug}/platser/{world.place.pk}/")
    menu = page.locator("details.menu")
    links = menu.get_by_role("link", name="Organisationer")
    expect(links).to_be_hidden()

    # Tab order: skip link, brand, then the "Meny" button.
    page.keyboard.press("Tab")
    page.keyboard.press("Tab")
    page.keyboard.press("Tab")
    expect(menu.locator("summary")).to_be_focused()
    page.keyboard.press("Enter")
    expect(menu).to_have_attribute("open", "")
    expect(links).to_be_visible()
    check_page(page)
    no_horizontal_scroll(page)
    screenshot(page, "menu-open-phone")

    # Tab through the menu until "Organisationer" has focus (the menu grows with the apps).
    for _ in range(15):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.textContent.trim()") == "Organisationer":
            break
    expect(links).to_be_focused()
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"/organisationer/$"))
    check_page(page)
    no_horizontal_scroll(page)
    expect(page.get_by_role("heading", level=1)).to_have_text("Organisationer")
    # A partner cannot add organisations.
    expect(page.get_by_role("link", name="Ny organisation")).to_have_count(0)
    screenshot(page, "organisation-list-phone")
