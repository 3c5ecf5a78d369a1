"""Browser tests: Playwright (sync API) driving Debian's Chromium against pytest-django's
live_server.

- The browser is launched once per session from ``CHROMIUM_PATH`` (default /usr/bin/chromium);
  ``playwright install`` is never used.
- Every page visited goes through ``visit()``/``check_page()``, which runs axe-core (WCAG 2.1
  A/AA) and fails on any violation.
- The normal context bypasses the site's CSP only so that axe can be injected (see
  ``browser_context_args``); ``test_csp.py`` proves the pages work under the real CSP.
- Only the login journey uses the login form; other tests inject a session cookie.
- ``SCREENSHOT_DIR=/work/notes/screenshots`` saves full-page screenshots of the main pages.
"""

import os
import shutil
from pathlib import Path

# Playwright's sync API runs an event loop in this thread; the ORM calls made by the tests for
# setup and assertions would otherwise raise SynchronousOnlyOperation.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

import pytest  # noqa: E402

E2E_DIR = Path(__file__).resolve().parent
BASE_DIR = E2E_DIR.parent.parent
AXE_PATH = BASE_DIR / "static" / "vendor" / "axe-core" / "axe.min.js"
# Screenshots for people to look at are taken only when asked for:
# SCREENSHOT_DIR=/some/dir pytest tests/e2e
SCREENSHOT_DIR = os.environ.get("SCREENSHOT_DIR", "")
CHROMIUM_PATH = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
DESKTOP = {"width": 1280, "height": 800}
PHONE = {"width": 360, "height": 740}
PASSWORD = "Trygg-plats-2026!"
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]


def _chromium_available() -> bool:
    return Path(CHROMIUM_PATH).is_file() or shutil.which(CHROMIUM_PATH) is not None


def pytest_collection_modifyitems(config, items):
    """Mark every test under tests/e2e as ``e2e``; without Chromium skip them, except under
    CI=true, where ``browser_type_launch_args`` makes them fail instead."""
    missing = not _chromium_available()
    in_ci = os.environ.get("CI", "").lower() in ("1", "true", "yes")
    for item in items:
        if E2E_DIR not in Path(str(item.fspath)).resolve().parents:
            continue
        item.add_marker(pytest.mark.e2e)
        if missing and not in_ci:
            item.add_marker(
                pytest.mark.skip(
                    reason=f"Chromium not found at {CHROMIUM_PATH}: browser tests skipped. "
                    "Install it with `apt-get install chromium` or set CHROMIUM_PATH."
                )
            )


@pytest.fixture(scope="session")
def browser_type_launch_args():
    if not _chromium_available():
        pytest.fail(f"Chromium is missing at {CHROMIUM_PATH} (CI=true: browser tests must run)")
    return {"executable_path": CHROMIUM_PATH, "args": CHROMIUM_ARGS}


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args):
    # bypass_csp: page.add_script_tag() injects axe-core as an inline <script>, which the site's
    # strict CSP (script-src 'self') blocks. Only the axe injection needs this; test_csp.py
    # opens its own context WITHOUT bypass_csp to prove the pages work under the real policy.
    return {
        **browser_context_args,
        "bypass_csp": True,
        "locale": "sv-SE",
    }


# --- axe-core and page helpers ----------------------------------------------------------------


def assert_accessible(page, context=None):
    """Run axe-core on the page and fail with every WCAG 2.1 A/AA violation it finds."""
    assert AXE_PATH.is_file(), f"axe-core is not vendored at {AXE_PATH}"
    if not page.evaluate("typeof window.axe !== 'undefined'"):
        page.add_script_tag(path=str(AXE_PATH))
    # resultTypes: only violations are needed, which makes axe noticeably faster.
    result = page.evaluate(
        "(tags) => axe.run(document, "
        "{runOnly: {type: 'tag', values: tags}, resultTypes: ['violations']})",
        WCAG_TAGS,
    )
    violations = result["violations"]
    if violations:
        lines = [f"axe found {len(violations)} WCAG 2.1 A/AA violation(s) on {page.url}"]
        for v in violations:
            lines.append(f"- {v['id']} ({v['impact']}): {v['help']}")
            for node in v["nodes"][:10]:
                lines.append(f"    {node['target']}: {node.get('failureSummary', '')!r}")
        pytest.fail("\n".join(lines))


def check_page(page):
    """Every page the tests land on: no server error and no accessibility violation."""
    page.wait_for_load_state("load")
    assert "Server Error" not in page.title()
    assert_accessible(page)


def visit(page, url):
    """Go to ``url``, expect a 200 and run axe on the result."""
    response = page.goto(url)
    assert response is not None and response.status == 200, (url, response and response.status)
    check_page(page)
    return response


def screenshot(page, name):
    """Save a full-page screenshot for a human to look at, when SCREENSHOT_DIR is set."""
    if not SCREENSHOT_DIR:
        return
    directory = Path(SCREENSHOT_DIR)
    directory.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(directory / f"{name}.png"), full_page=True)


# --- data -------------------------------------------------------------------------------------


def make_user(email, name=""):
    from allauth.account.models import EmailAddress

    from partnerships.models import User

    user = User.objects.create_user(email=email, password=PASSWORD, name=name)
    # allauth's e-mail verification is mandatory: without a verified address login stops.
    EmailAddress.objects.create(user=user, email=email, verified=True, primary=True)
    return user


SQUARE_IN_AVESTA = {
    "type": "Polygon",
    "coordinates": [
        [
            [16.165, 60.143],
            [16.175, 60.143],
            [16.175, 60.148],
            [16.165, 60.148],
            [16.165, 60.143],
        ]
    ],
}


@pytest.fixture
def world(live_server, transactional_db):
    """One program with a coordinator, a partner (acting for Avesta Bostäder at Torget) and a
    place with a boundary and a stakeholder. Returns a namespace of the objects."""
    from types import SimpleNamespace

    from django_scopes import scopes_disabled

    from partnerships.models import (
        Membership,
        Municipality,
        Organisation,
        OrganisationCategory,
        Program,
        Role,
    )
    from platser.models import Place, Stakeholder

    # Test setup writes across models before any request (and so any scope) exists.
    with scopes_disabled():
        program = Program.objects.create(
            name="Trygga Avesta", slug="avesta", coordinator_name="Avesta kommun"
        )
        avesta = Municipality.objects.get(name="Avesta")
        kommun = Organisation.objects.create(
            program=program,
            name="Avesta kommun",
            category=OrganisationCategory.KOMMUN,
            municipality=avesta,
        )
        bostader = Organisation.objects.create(
            program=program,
            name="Avesta Bostäder",
            category=OrganisationCategory.FASTIGHETSAGARE,
            municipality=avesta,
        )
        place = Place.objects.create(
            program=program,
            name="Torget",
            municipality=avesta,
            boundary=SQUARE_IN_AVESTA,
            description="Stortorget med busshållplatsen.",
        )
        Stakeholder.objects.create(
            program=program,
            place=place,
            organisation=kommun,
            group=Stakeholder.Group.STEERING,
            commitment="Leder arbetet.",
        )
        Stakeholder.objects.create(
            program=program,
            place=place,
            organisation=bostader,
            group=Stakeholder.Group.WORKING,
            commitment="Belysning på gården.",
        )
        coordinator = make_user("samordnare@example.se", "Sara Samordnare")
        partner = make_user("partner@example.se", "Per Partner")
        Membership.objects.create(user=coordinator, program=program, role=Role.COORDINATOR)
        partner_membership = Membership.objects.create(
            user=partner, program=program, role=Role.PARTNER, organisation=bostader
        )
        place.members.add(partner_membership)
    return SimpleNamespace(
        url=live_server.url,
        program=program,
        place=place,
        kommun=kommun,
        bostader=bostader,
        coordinator=coordinator,
        partner=partner,
        avesta=avesta,
    )


def log_in_with_cookie(context, live_server_url, user):
    """Log ``user`` in without the form: a real session made by Client.force_login, copied over
    as the session cookie (the login form itself is exercised in test_login.py)."""
    from django.conf import settings
    from django.test import Client

    client = Client()
    client.force_login(user)
    cookie = client.cookies[settings.SESSION_COOKIE_NAME]
    context.add_cookies(
        [{"name": settings.SESSION_COOKIE_NAME, "value": cookie.value, "url": live_server_url}]
    )


@pytest.fixture
def desktop_page(new_context):
    """A fresh desktop (1280×800) page, not logged in."""
    return new_context(viewport=DESKTOP).new_page()


@pytest.fixture
def coordinator_page(world, new_context):
    context = new_context(viewport=DESKTOP)
    log_in_with_cookie(context, world.url, world.coordinator)
    return context.new_page()


@pytest.fixture
def partner_phone_page(world, new_context):
    context = new_context(viewport=PHONE, is_mobile=True, has_touch=True)
    log_in_with_cookie(context, world.url, world.partner)
    return context.new_page()
