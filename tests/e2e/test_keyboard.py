"""Journey 6: the skip link is the first thing the keyboard reaches and moves focus to main."""

import re

from playwright.sync_api import expect

from .conftest import visit


def test_skip_link_is_first_and_moves_focus_to_main(world, coordinator_page):
    page = coordinator_page
    visit(page, f"{world.url}/p/{world.program.slug}/platser/{world.place.pk}/")
    page.keyboard.press("Tab")
    skip = page.locator("a.skip-link")
    expect(skip).to_be_focused()
    expect(skip).to_have_text("Hoppa till innehållet")
    # Visible when focused (it sits off-screen otherwise).
    box = skip.bounding_box()
    assert box is not None and box["x"] >= 0 and box["y"] >= 0

    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"#main$"))
    expect(page.locator("main#main")).to_be_focused()
    # The next Tab continues inside the main content, not back in the header.
    page.keyboard.press("Tab")
    assert page.evaluate("document.querySelector('main').contains(document.activeElement)")
