"""Journey (issue 13): a scored safety walk on a 360 px phone, its route recorded from the
phone's position (watchPosition, with pause and stop), saved without signal as a draft and
stored exactly once when the signal returns. axe-core runs on every page; every request of the
journey goes to the live server on 127.0.0.1 and nowhere else."""

import re
import socket

from django_scopes import scopes_disabled
from playwright.sync_api import expect

from platser import geo
from platser.models import SafetyWalk

from .conftest import PHONE, check_page, log_in_with_cookie, screenshot, visit

START = {"latitude": 60.1445, "longitude": 16.1670}


def _walked():
    """Positions along the square's streets: four steps east (~28 m each), three north."""
    east = [{"latitude": 60.1445, "longitude": 16.1670 + 0.0005 * i} for i in range(1, 5)]
    north = [{"latitude": 60.1445 + 0.0003 * i, "longitude": 16.1690} for i in range(1, 4)]
    return east, north


def _score(page, criterion, value):
    page.get_by_role("group", name=criterion, exact=True).get_by_text(value, exact=True).tap()


def test_a_recorded_scored_walk_saved_offline_is_stored_once(world, new_context):
    context = new_context(
        viewport=PHONE,
        is_mobile=True,
        has_touch=True,
        geolocation=START,
        permissions=["geolocation"],
    )
    log_in_with_cookie(context, world.url, world.coordinator)
    page = context.new_page()
    hosts, blocked = [], []
    host = world.url.split("/")[2]
    # The live server is on the loopback interface; anything for another host is refused.
    assert socket.gethostbyname(host.split(":")[0]) == "127.0.0.1"
    context.on("request", lambda request: hosts.append(request.url.split("/")[2]))

    def guard(route):
        if route.request.url.split("/")[2] == host:
            route.continue_()
        else:
            blocked.append(route.request.url)
            route.abort()

    context.route("**/*", guard)
    base = f"{world.url}/p/{world.program.slug}/platser/{world.place.pk}"
    finding_url = f"{base}/fynd/nytt/"

    # Online once: the service worker keeps the finding form for the walk's findings offline.
    visit(page, finding_url)
    page.evaluate("navigator.serviceWorker.ready.then(() => true)")
    page.reload()
    page.wait_for_function(
        """(url) => caches.keys().then(keys => Promise.all(keys.filter(k =>
             k.startsWith('trygga-pages-')).map(k => caches.open(k).then(c => c.keys()))))
             .then(lists => lists.flat().map(r => r.url)).then(have => have.includes(url))""",
        arg=finding_url,
    )

    visit(page, f"{base}/vandringar/ny/")
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    state = page.locator(".js-record-state")
    expect(state).to_have_text("Inte inspelad")

    # Recording: each new position is a point; while paused the phone's moves are not recorded.
    east, north = _walked()
    page.get_by_role("button", name="Spela in rutten").tap()
    expect(state).to_have_text("Spelar in – 1 punkt")
    expect(page.locator(".route-recorder")).to_have_class(re.compile("route-recorder--recording"))
    for n, position in enumerate(east, start=2):
        context.set_geolocation(position)  # the phone may merge quick moves: one at a time
        expect(state).to_have_text(f"Spelar in – {n} punkter")
    screenshot(page, "walk-recording-phone")
    page.get_by_role("button", name="Pausa").tap()
    expect(state).to_have_text("Pausad – 5 punkter")
    context.set_geolocation({"latitude": 60.1470, "longitude": 16.1740})  # a detour, paused
    page.wait_for_timeout(300)
    expect(state).to_have_text("Pausad – 5 punkter")
    context.set_geolocation(east[-1])  # back where the pause began
    page.get_by_role("button", name="Fortsätt").tap()
    for n, position in enumerate(north, start=6):
        context.set_geolocation(position)
        expect(state).to_have_text(f"Spelar in – {n} punkter")
    # Standing still, the position wanders a metre: not a new point.
    context.set_geolocation({**north[-1], "latitude": north[-1]["latitude"] + 0.00001})
    page.wait_for_timeout(300)
    expect(state).to_have_text(re.compile(r"^Spelar in – .*8 punkter\)?$"))
    page.get_by_role("button", name="Stoppa").tap()
    expect(state).to_have_text("Inspelningen är klar – 8 punkter.")
    expect(page.get_by_role("button", name="Spela in på nytt")).to_be_visible()

    page.locator("#id_date").fill("2026-11-18")
    page.get_by_label("Mörker").check()
    page.get_by_label("Avesta Bostäder").fill("2")
    page.locator("#id_women").fill("3")
    page.locator("#id_men").fill("1")
    _score(page, "Belysning", "2")
    _score(page, "Gångväg och tillgänglighet", "4")
    _score(page, "Trygghetskänsla", "3")
    lighting = page.locator(".score", has=page.get_by_role("group", name="Belysning", exact=True))
    lighting.locator("summary", has_text="Kommentar").tap()
    page.get_by_label("Kommentar om belysning").fill("Två lyktor släckta vid tunneln")
    check_page(page)
    screenshot(page, "walk-form-scores-phone")

    # No signal: the walk is kept on the phone, waiting to be sent.
    context.set_offline(True)
    page.get_by_role("button", name="Spara").tap()
    expect(page.locator(".js-offline-status")).to_have_text(
        "Vandringen är sparad på telefonen – den skickas när du har täckning"
    )
    drafts = page.locator(".js-drafts li")
    expect(drafts).to_have_count(1)
    expect(drafts).to_contain_text("Trygghetsvandring: 2026-11-18")
    expect(drafts).to_contain_text("Väntar på att skickas")
    check_page(page)
    screenshot(page, "walk-draft-offline-phone")
    with scopes_disabled():  # test assertion
        assert not SafetyWalk.objects.exists()

    # Still without signal, a finding of the walk: the form opens from the service worker and
    # knows the walk waiting on the phone; its stop is scored too.
    page.get_by_role("link", name="Lägg till fynd från vandringen").tap()
    expect(page.get_by_role("heading", level=1)).to_have_text("Nytt fynd")
    expect(page.locator(".js-waiting-walk")).to_be_visible()
    page.get_by_role("button", name="Använd min position").tap()
    page.get_by_role("radio", name="Belysning").check()
    page.get_by_label("Vad är problemet?").fill("Släckt lykta vid tunneln")
    page.locator(".scores-toggle summary").first.tap()
    _score(page, "Belysning", "1")
    page.get_by_role("button", name="Spara fyndet").tap()
    expect(page.locator(".js-offline-status")).to_have_text(
        "Sparat på telefonen – skickas när du har täckning"
    )
    check_page(page)
    with scopes_disabled():  # test assertion
        assert not SafetyWalk.objects.exists()

    # The signal returns: stored once, however often the phone is told it is online.
    context.set_offline(False)
    page.evaluate("window.dispatchEvent(new Event('online'))")
    expect(page.locator(".js-offline-status")).to_have_text(
        "Sparade fynd har skickats.", timeout=20000
    )
    expect(page.locator(".js-drafts")).to_be_hidden()
    page.evaluate("window.dispatchEvent(new Event('online'))")
    visit(page, f"{base}/vandringar/ny/")
    expect(page.locator(".js-drafts")).to_be_hidden()  # nothing left waiting on the phone
    check_page(page)
    with scopes_disabled():  # test assertions
        [walk] = SafetyWalk.objects.all()
        [finding] = walk.findings.all()
        assert finding.description == "Släckt lykta vid tunneln" and finding.pending_scores is None
        scores = set(walk.scores.values_list("finding", "criterion", "score", "comment"))
        participants = list(walk.participations.values_list("organisation__name", "count"))
    assert walk.client_id and walk.light == "morker" and (walk.women, walk.men) == (3, 1)
    assert participants == [("Avesta Bostäder", 2)]
    assert scores == {
        (finding.pk, "belysning", 1, ""),
        (None, "belysning", 2, "Två lyktor släckta vid tunneln"),
        (None, "gangvag", 4, ""),
        (None, "trygghet", 3, ""),
    }
    # Recorded: start, four steps east, three north. Stored thinned: the straight runs go; the
    # start, the corner and the end stay.
    coords = walk.route["coordinates"]
    assert geo.validate_line(walk.route) == walk.route
    assert coords[0] == [START["longitude"], START["latitude"]]
    assert len(coords) == 3, coords
    assert abs(coords[1][0] - 16.1690) < 2e-5 and abs(coords[1][1] - 60.1445) < 2e-5
    assert coords[-1] == [north[-1]["longitude"], round(north[-1]["latitude"], 6)]

    visit(page, world.url + walk.get_absolute_url())
    expect(page.locator(".score-table")).to_contain_text("Belysning")
    expect(page.locator(".score-table")).to_contain_text("Ingen tidigare bedömd vandring")
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    screenshot(page, "walk-scores-phone")

    assert blocked == [] and set(hosts) == {host}, (blocked, set(hosts))
    page.goto("about:blank")
    page.wait_for_timeout(300)
