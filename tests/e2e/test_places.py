"""Journeys 2 and 5: create a place by drawing its boundary; bad GeoJSON is refused in Swedish."""

import re

from django_scopes import scopes_disabled
from playwright.sync_api import expect

from partnerships.models import AuditEntry
from platser import geo
from platser.models import Place

from .conftest import PHONE, check_page, screenshot, visit


def test_create_place_by_drawing_its_boundary(world, coordinator_page):
    page = coordinator_page
    visit(page, f"{world.url}/p/{world.program.slug}/")
    page.get_by_role("link", name="Ny plats").click()
    expect(page).to_have_url(re.compile(r"/platser/ny/$"))
    editor = page.locator(".js-map-editor")
    expect(editor).to_have_class(re.compile("leaflet-container"))
    check_page(page)
    screenshot(page, "place-form-desktop")

    page.get_by_label("Namn").fill("Stationsområdet")
    page.get_by_label("Kommun").select_option(label="Avesta")
    page.get_by_label("Zoner").fill("Stationen\nBusstorget")

    # The editor opens on a Sweden-wide view centred on 62°N 15°E (zoom 5, about 2 km per
    # pixel there): corners within ±40 px of the centre stay well inside Sweden.
    box = editor.bounding_box()
    cx, cy = box["width"] / 2, box["height"] / 2
    corners = [(cx - 40, cy - 30), (cx + 40, cy - 30), (cx + 40, cy + 30), (cx - 40, cy + 30)]
    for x, y in corners:
        editor.click(position={"x": x, "y": y})
    expect(page.locator(".js-map-status")).to_have_text(re.compile("4 hörn"))
    page.get_by_role("button", name="Klar").click()
    expect(page.locator(".js-map-status")).to_have_text("Avgränsningen är klar.")
    expect(editor.locator("path.leaflet-interactive")).to_have_count(1)
    check_page(page)
    page.get_by_role("button", name="Spara").click()

    expect(page).to_have_url(re.compile(r"/platser/\d+/$"))
    check_page(page)
    expect(page.get_by_role("heading", level=1)).to_have_text("Stationsområdet")
    expect(page.locator(".messages")).to_contain_text("Platsen Stationsområdet är skapad.")
    expect(page.locator(".facts")).to_contain_text("Avesta")
    expect(page.locator(".facts")).to_contain_text("Busstorget, Stationen")
    expect(page.locator(".js-map path.leaflet-interactive")).to_have_count(1)
    screenshot(page, "place-detail-desktop")

    # Reading the result back across tables is test set-up/assertion, not application code.
    with scopes_disabled():
        place = Place.objects.get(program=world.program, name="Stationsområdet")
        ring = place.boundary["coordinates"][0]
        assert place.boundary["type"] == "Polygon"
        assert len(ring) == 5 and ring[0] == ring[-1]
        assert geo.validate_polygon(place.boundary) == place.boundary
        for lon, lat in ring:
            assert 13.0 < lon < 17.0 and 61.0 < lat < 63.0, (lon, lat)
        assert place.municipality == world.avesta
        assert AuditEntry.objects.filter(
            program=world.program,
            action=AuditEntry.Action.CREATE,
            model_label="platser.Place",
            object_id=str(place.pk),
            actor=world.coordinator,
        ).exists()


def test_invalid_geojson_is_refused_in_swedish(world, coordinator_page):
    page = coordinator_page
    visit(page, f"{world.url}/p/{world.program.slug}/platser/ny/")
    page.get_by_label("Namn").fill("Parken")
    page.get_by_label("Kommun").select_option(label="Avesta")
    page.get_by_text("Visa som text (GeoJSON)").click()
    page.locator("textarea#id_boundary").fill('{"type": "Polygon", "coordinates": [[[16.1, 60.1]')
    page.get_by_role("button", name="Spara").click()

    expect(page).to_have_url(re.compile(r"/platser/ny/$"))
    check_page(page)
    expect(page.locator(".form-errors")).to_contain_text("Formuläret innehåller fel")
    expect(page.locator("#id_boundary_error")).to_have_text(
        "Kartdata kunde inte läsas (ogiltig GeoJSON)."
    )
    # What the user typed is kept so that it can be corrected.
    expect(page.get_by_label("Namn")).to_have_value("Parken")
    with scopes_disabled():  # test assertion across the program
        assert not Place.objects.filter(name="Parken").exists()
        assert Place.objects.filter(program=world.program).count() == 1


def test_place_form_on_phone(world, new_context):
    from .conftest import log_in_with_cookie

    context = new_context(viewport=PHONE, is_mobile=True, has_touch=True)
    log_in_with_cookie(context, world.url, world.coordinator)
    page = context.new_page()
    visit(page, f"{world.url}/p/{world.program.slug}/platser/ny/")
    expect(page.locator(".js-map-editor")).to_have_class(re.compile("leaflet-container"))
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    screenshot(page, "place-form-phone")
