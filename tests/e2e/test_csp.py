"""The pages work under the site's real Content-Security-Policy (no bypass_csp here)."""

import re

from playwright.sync_api import expect

from .conftest import DESKTOP, log_in_with_cookie

# Collects violations reported by the browser itself, in addition to console messages.
RECORD_VIOLATIONS = """
window.__cspViolations = [];
document.addEventListener('securitypolicyviolation', (e) => {
  window.__cspViolations.push(e.violatedDirective + ' ' + e.blockedURI);
});
"""


def test_place_form_runs_under_strict_csp(world, browser):
    context = browser.new_context(viewport=DESKTOP, locale="sv-SE")  # bypass_csp is off
    try:
        context.add_init_script(RECORD_VIOLATIONS)
        log_in_with_cookie(context, world.url, world.coordinator)
        page = context.new_page()
        messages = []
        page.on("console", lambda msg: messages.append(msg.text))
        page.on("pageerror", lambda exc: messages.append(str(exc)))

        for path in (
            f"/p/{world.program.slug}/platser/ny/",
            f"/p/{world.program.slug}/platser/{world.place.pk}/",
        ):
            response = page.goto(world.url + path)
            assert response.status == 200
            policy = response.headers.get("content-security-policy", "")
            assert "script-src 'self'" in policy
            expect(page.locator(".leaflet-container")).to_have_count(1)
            page.wait_for_load_state("load")

        # The editor draws under the policy too.
        page.goto(f"{world.url}/p/{world.program.slug}/platser/ny/")
        editor = page.locator(".js-map-editor")
        expect(editor).to_have_class(re.compile("leaflet-container"))
        box = editor.bounding_box()
        editor.click(position={"x": box["width"] / 2, "y": box["height"] / 2})
        expect(page.locator(".js-map-status")).to_have_text(re.compile("minst tre hörn"))

        csp_messages = [m for m in messages if "Content Security Policy" in m]
        assert not csp_messages, csp_messages
        assert page.evaluate("window.__cspViolations") == []
        assert not [m for m in messages if "Uncaught" in m or "Error" in m], messages

        # The detector works: an inline script added now is blocked and reported.
        page.evaluate(
            "() => { const s = document.createElement('script');"
            " s.textContent = 'window.__inline = 1'; document.body.append(s); }"
        )
        page.wait_for_function("window.__cspViolations.length > 0")
        assert page.evaluate("window.__inline") is None
        for _ in range(40):  # console events arrive asynchronously
            if any("Content Security Policy" in m for m in messages):
                break
            page.wait_for_timeout(50)
        assert any("Content Security Policy" in m for m in messages), messages
    finally:
        context.close()
