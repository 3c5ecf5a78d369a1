"""Journey: a safety walk on a 360 px phone. The coordinator records the walk with its route
(tapped on the map), then records a finding during the walk by tapping the map; a partner adds a
second finding with "Använd min position". Both show on the walk's follow-up view, the findings
map and in the protocol PDF. axe-core runs on every page."""

import re

from django_scopes import scopes_disabled
from playwright.sync_api import expect

from platser import geo
from platser.models import Finding, SafetyWalk

from .conftest import PHONE, check_page, log_in_with_cookie, screenshot, visit

# Inside SQUARE_IN_AVESTA (the e2e place "Torget").
MY_POSITION = {"latitude": 60.1452, "longitude": 16.1712}


def no_horizontal_scroll(page):
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"], f"{page.url} scrolls sideways: {width}px wide"


def phone(new_context, world, user, **kwargs):
    context = new_context(viewport=PHONE, is_mobile=True, has_touch=True, **kwargs)
    log_in_with_cookie(context, world.url, user)
    return context.new_page()


def tap_map(page, dx=0, dy=0):
    editor = page.locator(".js-map-editor")
    expect(editor).to_have_class(re.compile("leaflet-container"))
    box = editor.bounding_box()
    editor.tap(position={"x": box["width"] / 2 + dx, "y": box["height"] / 2 + dy})


def test_safety_walk_with_two_findings_on_a_phone(world, new_context):
    page = phone(new_context, world, world.coordinator)
    base = f"{world.url}/p/{world.program.slug}/platser/{world.place.pk}"

    # From the place page to the walks of the place.
    visit(page, f"{base}/")
    page.get_by_role("link", name="Trygghetsvandringar").tap()
    expect(page).to_have_url(re.compile(r"/vandringar/$"))
    check_page(page)
    page.get_by_role("link", name="Ny trygghetsvandring").tap()
    expect(page).to_have_url(re.compile(r"/vandringar/ny/$"))
    check_page(page)
    no_horizontal_scroll(page)

    page.locator("#id_date").fill("2026-11-18")
    page.get_by_label("Mörker").check()
    for dx, dy in ((-40, 30), (0, -20), (40, 10)):
        tap_map(page, dx, dy)
    expect(page.locator(".js-map-status")).to_have_text("3 punkter.")
    page.get_by_label("Avesta Bostäder").fill("2")
    page.get_by_label("Avesta kommun").fill("3")
    page.locator("#id_women").fill("3")
    page.locator("#id_men").fill("2")
    page.get_by_label("40–64 år").fill("5")
    check_page(page)
    screenshot(page, "walk-form-phone")
    page.get_by_role("button", name="Spara").tap()

    expect(page).to_have_url(re.compile(r"/vandringar/\d+/$"))
    check_page(page)
    expect(page.locator(".messages")).to_contain_text("Trygghetsvandringen är sparad.")
    expect(page.locator(".facts")).to_contain_text("2027-05-18")  # six months later
    walk_url = page.url

    # A finding during the walk: tap the map, pick a category, describe it.
    page.get_by_role("link", name="Registrera fynd").tap()
    expect(page).to_have_url(re.compile(r"/fynd/nytt/\?vandring=\d+$"))
    check_page(page)
    no_horizontal_scroll(page)
    tap_map(page)
    expect(page.locator(".js-map-status")).to_have_text("Position vald.")
    page.locator("#id_category").get_by_text("Belysning", exact=True).tap()
    page.get_by_label("Vad är problemet?").fill("Trasig lampa vid trappan ner till parkeringen.")
    page.get_by_label("Rådighet (vem kan åtgärda?)").select_option(label="Avesta kommun")
    screenshot(page, "finding-form-phone")
    page.get_by_role("button", name="Spara fyndet").tap()
    expect(page).to_have_url(walk_url)
    check_page(page)
    expect(page.locator("table tbody tr")).to_have_count(1)

    # A partner adds the second finding from where they stand.
    partner_page = phone(
        new_context, world, world.partner, geolocation=MY_POSITION, permissions=["geolocation"]
    )
    visit(partner_page, walk_url)
    partner_page.get_by_role("link", name="Registrera fynd").tap()
    expect(partner_page).to_have_url(re.compile(r"/fynd/nytt/\?vandring=\d+$"))
    check_page(partner_page)
    partner_page.get_by_role("button", name="Använd min position").tap()
    expect(partner_page.locator(".js-map-status")).to_have_text("Position vald.")
    partner_page.get_by_text("Vegetation", exact=True).tap()
    partner_page.get_by_label("Vad är problemet?").fill("Buskarna skymmer sikten mot gången.")
    partner_page.get_by_role("button", name="Spara fyndet").tap()
    expect(partner_page).to_have_url(walk_url)
    check_page(partner_page)

    # The follow-up view, the findings map and the protocol show both.
    page.reload()
    check_page(page)
    rows = page.locator("table tbody tr")
    expect(rows).to_have_count(2)
    expect(rows.first).to_contain_text("Belysning")
    expect(rows.first).to_contain_text("Öppen")
    expect(page.locator("svg.route-map circle")).to_have_count(2)
    screenshot(page, "walk-follow-up-phone")

    visit(page, f"{base}/fynd/")
    no_horizontal_scroll(page)
    expect(page.locator(".js-map path.leaflet-interactive")).to_have_count(3)  # boundary + 2
    expect(page.locator("table tbody tr")).to_have_count(2)
    screenshot(page, "findings-map-phone")

    pdf = page.request.get(f"{walk_url}protokoll.pdf")
    assert pdf.ok and pdf.headers["content-type"] == "application/pdf"
    assert pdf.body().startswith(b"%PDF-")

    with scopes_disabled():  # test assertions across the program
        walk = SafetyWalk.objects.get(place=world.place)
        assert geo.validate_line(walk.route) == walk.route
        assert len(walk.route["coordinates"]) == 3
        assert (walk.women, walk.men, walk.age_40_64) == (3, 2, 5)
        findings = list(Finding.objects.filter(walk=walk).order_by("pk"))
        assert [f.category for f in findings] == ["belysning", "vegetation"]
        assert [f.reported_by for f in findings] == [world.coordinator, world.partner]
        for finding in findings:
            assert geo.point_in_polygon(finding.lonlat, world.place.boundary)
        assert findings[0].responsible_organisation == world.kommun
        lon, lat = findings[1].lonlat
        assert abs(lon - MY_POSITION["longitude"]) < 1e-5
        assert abs(lat - MY_POSITION["latitude"]) < 1e-5


def test_position_refused_gives_a_clear_message(world, new_context):
    page = phone(new_context, world, world.partner)  # no geolocation permission
    visit(page, f"{world.url}/p/{world.program.slug}/platser/{world.place.pk}/fynd/nytt/")
    page.get_by_role("button", name="Använd min position").tap()
    expect(page.locator(".js-map-status")).to_have_text(
        re.compile(r"^Positionen är blockerad\..*tryck på kartan i stället\.$")
    )
    check_page(page)


def test_point_outside_the_place_is_refused_on_the_phone(world, new_context):
    page = phone(new_context, world, world.partner)
    visit(page, f"{world.url}/p/{world.program.slug}/platser/{world.place.pk}/fynd/nytt/")
    page.get_by_text("Visa som text (GeoJSON)").tap()
    page.locator("textarea#id_point").fill('{"type": "Point", "coordinates": [16.30, 60.30]}')
    page.get_by_text("Klotter", exact=True).tap()
    page.get_by_label("Vad är problemet?").fill("Klotter.")
    page.get_by_role("button", name="Spara fyndet").tap()
    expect(page.locator("#id_point_error")).to_contain_text("utanför platsens avgränsning")
    check_page(page)
    with scopes_disabled():  # test assertion
        assert not Finding.objects.exists()
