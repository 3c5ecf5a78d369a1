"""Names on maps are text: a place or finding named like HTML is shown, never inserted as markup.

Leaflet inserts a string given to bindTooltip/bindPopup as HTML. A place named as a meta refresh
would send every coordinator who opens the map elsewhere (the CSP stops scripts, not that), and
a partner could do the same with a finding description shown on hover.
"""

import re

from django_scopes import scopes_disabled
from playwright.sync_api import expect

from .conftest import check_page

META_REFRESH = '<meta http-equiv="refresh" content="0;url=http://127.0.0.1:1/">'
IMG = "<img src=x>"
NOTHING_INJECTED = """() => ({
  meta: document.querySelectorAll('meta[http-equiv]').length,
  img: document.querySelectorAll('img[src="x"]').length,
})"""


def _hostile_names(world):
    from platser.models import Finding

    # Test set-up: what a coordinator and a partner could have typed in the forms.
    with scopes_disabled():
        world.place.name = META_REFRESH
        world.place.save()
        Finding.objects.create(
            program=world.program,
            place=world.place,
            category="belysning",
            description=IMG,
            point={"type": "Point", "coordinates": [16.170, 60.1455]},
        )


def _stays(page, url):
    """The page is still ``url`` a while after loading, and holds no injected element."""
    page.wait_for_timeout(1500)  # a meta refresh with content="0" would have fired by now
    assert page.url == url
    assert page.evaluate(NOTHING_INJECTED) == {"meta": 0, "img": 0}


def test_program_map_shows_a_hostile_place_name_as_text(world, coordinator_page):
    _hostile_names(world)
    page = coordinator_page
    url = f"{world.url}/p/{world.program.slug}/"
    page.goto(url)
    label = page.locator(".js-map .map-label")
    expect(label).to_have_text(META_REFRESH)  # the permanent label beside the centre marker
    _stays(page, url)
    check_page(page)


def test_dashboard_map_shows_a_hostile_place_name_as_text(world, coordinator_page):
    _hostile_names(world)
    page = coordinator_page
    url = f"{world.url}/p/{world.program.slug}/oversikt/"
    page.goto(url)
    expect(page.locator(".js-map .map-label")).to_have_text(META_REFRESH)
    page.locator(".js-map .leaflet-interactive").last.click()  # the popup: name and figures
    expect(page.locator(".leaflet-popup-content a")).to_have_text(META_REFRESH)
    _stays(page, url)


def test_finding_description_on_hover_is_text(world, coordinator_page):
    _hostile_names(world)
    page = coordinator_page
    url = f"{world.url}/p/{world.program.slug}/platser/{world.place.pk}/fynd/"
    page.goto(url)
    marker = page.locator(".js-map path.leaflet-interactive").last
    marker.hover()
    tooltip = page.locator(".leaflet-tooltip")
    expect(tooltip).to_have_text(re.compile(re.escape(IMG) + "$"))
    marker.click()
    expect(page.locator(".leaflet-popup-content a")).to_have_text(re.compile(re.escape(IMG)))
    _stays(page, url)
