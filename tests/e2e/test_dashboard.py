"""Browser journeys on the county dashboard: county staff (the coordinator) on a desktop and the
funder's observer on a 360 px phone see the four pilot places side by side; axe on every page."""

import datetime
import re

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import DESKTOP, PHONE, log_in_with_cookie, make_user, screenshot, visit

PILOTS = [
    # name, municipality, phase, (planned, ongoing, done) measures, overdue planned ones
    ("Avesta centrum", "Avesta", "utveckling", (3, 8, 14), 2),
    ("Falun Knutpunkten", "Falun", "analys", (8, 6, 11), 1),
    ("Sala centrum", "Sala", "uppfoljning", (2, 5, 12), 0),
    ("Hallstahammar centrum", "Hallstahammar", "organisering", (9, 4, 5), 3),
]


@pytest.fixture
def pilots(world):
    """The four pilot places in the world's program, with measures, an activity and a finding
    each, and an observer (the funder)."""
    from decimal import Decimal

    from django_scopes import scopes_disabled

    from measures.models import Activity, Measure
    from partnerships.models import Membership, Municipality, Role
    from platser.models import Finding, Place

    today = datetime.date.today()
    # Test set-up writes rows of the world's program before any request.
    with scopes_disabled():
        world.place.archived_at = datetime.datetime.now(datetime.UTC)
        world.place.save(update_fields=["archived_at"])
        for n, (name, municipality, phase, (planned, ongoing, done), overdue) in enumerate(PILOTS):
            lon, lat = 16.0 + n * 0.3, 59.6 + n * 0.2
            place = Place.objects.create(
                program=world.program,
                name=name,
                phase=phase,
                municipality=Municipality.objects.get(name=municipality),
                boundary={
                    "type": "Polygon",
                    "coordinates": [
                        [
                            [lon, lat],
                            [lon + 0.01, lat],
                            [lon + 0.01, lat + 0.01],
                            [lon, lat + 0.01],
                            [lon, lat],
                        ]
                    ],
                },
            )
            for status, count in (
                ("planerad", planned),
                ("pagaende", ongoing),
                ("genomford", done),
            ):
                for k in range(count):
                    late = status == "planerad" and k < overdue
                    Measure.objects.create(
                        program=world.program,
                        place=place,
                        title=f"Åtgärd {status} {k}",
                        category="trygghetsskapande",
                        type="situationell",
                        responsible=world.bostader,
                        status=status,
                        planned_end=today + datetime.timedelta(days=-3 if late else 60),
                    )
            Activity.objects.create(
                program=world.program,
                place=place,
                organisation=world.bostader,
                date=today - datetime.timedelta(days=2),
                description="Städrunda",
                hours=Decimal("2.5"),
                cost=Decimal("150"),
            )
            Finding.objects.create(
                program=world.program,
                place=place,
                category="belysning",
                description="Trasig lampa.",
                point={"type": "Point", "coordinates": [lon, lat]},
            )
        observer = make_user("vinnova@example.se", "Vera Vinnova")
        Membership.objects.create(user=observer, program=world.program, role=Role.OBSERVER)
    world.observer = observer
    return world


def _url(world, query=""):
    return f"{world.url}/p/{world.program.slug}/oversikt/{query}"


def test_county_staff_see_the_pilots_side_by_side(pilots, new_context):
    context = new_context(viewport=DESKTOP)
    log_in_with_cookie(context, pilots.url, pilots.coordinator)
    page = context.new_page()
    visit(page, f"{pilots.url}/p/{pilots.program.slug}/")
    page.get_by_role("link", name="Jämför platserna").click()
    expect(page).to_have_url(re.compile(r"/oversikt/$"))
    visit(page, page.url)
    expect(page.get_by_role("heading", level=1)).to_contain_text("Översikt")
    table = page.locator("table.dash-table")
    rows = table.locator("tbody tr")
    expect(rows).to_have_count(4)
    for name, *_rest in PILOTS:
        expect(table.get_by_role("link", name=name)).to_be_visible()
    expect(table.locator("tbody")).to_contain_text("22 av 25 (88 %)")  # Avesta: 8 + 14 of 25
    expect(table.locator("tfoot")).to_contain_text("Hela programmet (4 platser)")
    # Every place on the map, as a labelled outline.
    expect(page.locator(".js-map.leaflet-container")).to_be_visible()
    expect(page.locator(".js-map .map-label")).to_have_count(4)
    # Each name sits beside its own marker (the map's data arrives after the page: a label
    # placed while the map still moved once ended up in a heap in the corner).
    markers = [
        box
        for box in (
            m.bounding_box() for m in page.locator(".js-map path.leaflet-interactive").all()
        )
        if box and box["width"] < 40  # the centre markers, not the place outlines
    ]
    for label in page.locator(".js-map .map-label").all():
        box = label.bounding_box()
        middle = box["y"] + box["height"] / 2
        assert any(
            abs(m["y"] + m["height"] / 2 - middle) < 12 and 0 <= box["x"] - m["x"] < 60
            for m in markers
        ), (label.inner_text(), box, markers)
    screenshot(page, "dashboard-desktop")

    # Sort by overdue measures, most first: Hallstahammar (3) leads; the header says so.
    page.locator("th a", has_text="Försenade").click()
    check_url = page.url
    assert "sort=forsenade" in check_url and "dir=desc" in check_url
    visit(page, check_url)
    expect(page.locator('th[aria-sort="descending"]')).to_contain_text("Försenade")
    expect(rows.first.locator("th")).to_contain_text("Hallstahammar centrum")
    # The figure leads to the filtered action plan.
    rows.first.locator("a.dash-overdue").click()
    expect(page).to_have_url(re.compile(r"/atgarder/\?forsenade=1$"))
    visit(page, page.url)


def test_observer_sees_the_pilots_on_a_phone_without_personal_data(pilots, new_context):
    context = new_context(viewport=PHONE, is_mobile=True, has_touch=True)
    log_in_with_cookie(context, pilots.url, pilots.observer)
    page = context.new_page()
    visit(page, _url(pilots))
    rows = page.locator("table.dash-table tbody tr")
    expect(rows).to_have_count(4)
    # The page itself does not scroll sideways: the table scrolls inside its box, and the
    # place column stays in view while it does.
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    wrap = page.locator(".dash-wrap")
    wrap.evaluate("el => { el.scrollLeft = 700; }")
    name = rows.first.locator("th a")
    box, frame = name.bounding_box(), wrap.bounding_box()
    assert box["x"] >= frame["x"] - 1 and box["x"] < frame["x"] + 40
    html = page.content()
    for person in (pilots.coordinator, pilots.partner):
        assert person.email not in html and person.name not in html
    screenshot(page, "dashboard-phone")
