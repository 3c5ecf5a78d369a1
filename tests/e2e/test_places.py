"""Journeys 2 and 5: create a place by drawing its boundary; bad GeoJSON is refused in Swedish."""

import json
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
    scale = editor.locator(".leaflet-control-scale-line").first
    sweden_wide = scale.inner_text()
    # Choosing the municipality moves the empty map to it (zoom 13, its town centre).
    page.get_by_label("Kommun").select_option(label="Avesta")
    expect(page.locator(".js-map-status")).to_have_text("Kartan visar Avesta.")
    expect(scale).not_to_have_text(sweden_wide)
    page.get_by_label("Zoner").fill("Stationen\nBusstorget")
    # The wheel zooms while drawing.
    box = editor.bounding_box()
    cx, cy = box["width"] / 2, box["height"] / 2
    town = scale.inner_text()
    page.mouse.move(box["x"] + cx, box["y"] + cy)
    page.mouse.wheel(0, -300)
    expect(scale).not_to_have_text(town)
    corners = [(cx - 40, cy - 30), (cx + 40, cy - 30), (cx + 40, cy + 30), (cx - 40, cy + 30)]
    for x, y in corners:
        editor.click(position={"x": x, "y": y})
    expect(page.locator(".js-map-status")).to_have_text(re.compile("4 hörn"))
    page.get_by_role("button", name="Klar").click()
    expect(page.locator(".js-map-status")).to_have_text("Avgränsningen är klar.")
    expect(editor.locator("path.leaflet-interactive")).to_have_count(1)
    # A stray click keeps the boundary; a corner is moved by dragging it, or with the keys.
    editor.click(position={"x": cx, "y": cy + 80})
    expect(page.locator(".js-map-status")).to_contain_text("Dra ett hörn")
    handles = editor.locator(".map-vertex")
    expect(handles).to_have_count(4)
    before = json.loads(page.locator("textarea#id_boundary").input_value())["coordinates"][0]
    corner = handles.nth(2).bounding_box()
    page.mouse.move(corner["x"] + 9, corner["y"] + 9)
    page.mouse.down()
    page.mouse.move(corner["x"] + 39, corner["y"] + 29, steps=5)
    page.mouse.up()
    expect(page.locator(".js-map-status")).to_have_text("Hörn 3 flyttat.")
    after = json.loads(page.locator("textarea#id_boundary").input_value())["coordinates"][0]
    assert after[2][0] > before[2][0] and after[2][1] < before[2][1]  # east and south
    assert after[:2] == before[:2] and after[3:] == before[3:] and after[0] == after[-1]
    handles.nth(0).focus()
    page.keyboard.press("ArrowUp")
    moved = json.loads(page.locator("textarea#id_boundary").input_value())["coordinates"][0]
    assert moved[0][1] > after[0][1] and moved[0][0] == after[0][0]
    check_page(page)
    page.get_by_role("button", name="Spara").click()

    expect(page).to_have_url(re.compile(r"/platser/\d+/$"))
    check_page(page)
    expect(page.get_by_role("heading", level=1)).to_have_text("Stationsområdet")
    expect(page.locator(".messages")).to_contain_text("Platsen Stationsområdet är skapad.")
    expect(page.locator(".facts")).to_contain_text("Avesta")
    expect(page.locator(".facts")).to_contain_text("Busstorget")
    expect(page.locator(".facts")).to_contain_text("Stationen")
    expect(page.locator(".js-map path.leaflet-interactive")).to_have_count(1)
    screenshot(page, "place-detail-desktop")

    # A zone is drawn inside the place, over its outline.
    page.get_by_role("link", name="rita Busstorget på kartan").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Rita zonen Busstorget")
    editor = page.locator(".js-map-editor")
    expect(editor).to_have_class(re.compile("leaflet-container"))
    check_page(page)
    box = editor.bounding_box()
    cx, cy = box["width"] / 2, box["height"] / 2
    for x, y in [(cx - 20, cy - 15), (cx + 20, cy - 15), (cx, cy + 15)]:
        editor.click(position={"x": x, "y": y})
    page.get_by_role("button", name="Klar").click()
    page.get_by_role("button", name="Spara zonen").click()
    expect(page.locator(".messages")).to_contain_text("Zonen Busstorget är sparad.")
    expect(page.locator(".map-label--zone")).to_have_text("Busstorget")
    check_page(page)
    screenshot(page, "place-detail-zone-desktop")

    # Reading the result back across tables is test set-up/assertion, not application code.
    with scopes_disabled():
        place = Place.objects.get(program=world.program, name="Stationsområdet")
        ring = place.boundary["coordinates"][0]
        assert place.boundary["type"] == "Polygon"
        assert len(ring) == 5 and ring[0] == ring[-1]
        assert geo.validate_polygon(place.boundary) == place.boundary
        for lon, lat in ring:  # drawn around Avesta's centre, where the map went
            assert 16.1 < lon < 16.25 and 60.1 < lat < 60.2, (lon, lat)
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
