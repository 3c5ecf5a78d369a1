"""Every main page, on a desktop and a 360 px phone: axe finds no WCAG 2.1 A/AA violation, no
page scrolls sideways on the phone, and a screenshot is saved for a human to look at."""

import pytest
from playwright.sync_api import expect

from .conftest import DESKTOP, PHONE, log_in_with_cookie, screenshot, visit

PAGES = {
    "home-chooser": "/?valj=1",
    "program-home": "/p/{slug}/",
    "archived-places": "/p/{slug}/?arkiverade=1",
    "place-detail": "/p/{slug}/platser/{place}/",
    "place-edit": "/p/{slug}/platser/{place}/andra/",
    "stakeholder-register": "/p/{slug}/platser/{place}/aktorer/",
    "stakeholder-edit": "/p/{slug}/platser/{place}/aktorer/{stakeholder}/andra/",
    "organisation-list": "/p/{slug}/organisationer/",
    "organisation-detail": "/p/{slug}/organisationer/{organisation}/",
    "organisation-form": "/p/{slug}/organisationer/ny/",
    "member-list": "/p/{slug}/medlemmar/",
    "invite-form": "/p/{slug}/medlemmar/bjud-in/",
    "audit-log": "/p/{slug}/logg/",
    "account-email": "/konto/email/",
    "accessibility-statement": "/tillganglighet/",
}


@pytest.mark.parametrize("screen", ["desktop", "phone"])
def test_main_pages_are_accessible(world, new_context, screen):
    from django_scopes import scopes_disabled

    if screen == "phone":
        context = new_context(viewport=PHONE, is_mobile=True, has_touch=True)
    else:
        context = new_context(viewport=DESKTOP)
    log_in_with_cookie(context, world.url, world.coordinator)
    page = context.new_page()
    with scopes_disabled():  # test set-up: read an id across the program
        stakeholder = world.place.stakeholders.order_by("pk").first()
    ids = {
        "slug": world.program.slug,
        "place": world.place.pk,
        "stakeholder": stakeholder.pk,
        "organisation": world.kommun.pk,
    }
    for name, path in PAGES.items():
        visit(page, world.url + path.format(**ids))
        expect(page.locator("h1")).to_have_count(1)
        if screen == "phone":
            width = page.evaluate("document.documentElement.scrollWidth")
            assert width <= PHONE["width"], f"{name} scrolls sideways on a phone: {width}px"
        screenshot(page, f"{name}-{screen}")


@pytest.mark.parametrize("screen", ["desktop", "phone"])
def test_anonymous_pages_are_accessible(world, new_context, screen):
    viewport = PHONE if screen == "phone" else DESKTOP
    page = new_context(viewport=viewport).new_page()
    for name, path in {
        "password-reset": "/konto/password/reset/",
        "accessibility-statement-anonymous": "/tillganglighet/",
    }.items():
        visit(page, world.url + path)
        screenshot(page, f"{name}-{screen}")
    # A page that does not exist: the 404 page is accessible too.
    response = page.goto(world.url + "/finns-inte/")
    assert response.status == 404
    from .conftest import check_page

    check_page(page)
