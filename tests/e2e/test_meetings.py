"""Journey: a place lead holds a meeting: plans it with an agenda, records attendance, writes the
minutes and a decision; the meeting page on desktop and on a 360 px phone. axe on every page."""

import re

import pytest
from django_scopes import scopes_disabled
from playwright.sync_api import expect

from .conftest import DESKTOP, PHONE, check_page, log_in_with_cookie, make_user, screenshot, visit


@pytest.fixture
def place_lead(world):
    from partnerships.models import Contact, Membership, Role

    # Test setup before any request: a place lead of Torget and a contact at a stakeholder.
    with scopes_disabled():
        user = make_user("platsansvarig@example.se", "Lena Platsansvarig")
        membership = Membership.objects.create(
            user=user, program=world.program, role=Role.PLACE_LEAD
        )
        world.place.members.add(membership)
        Contact.objects.create(
            program=world.program,
            organisation=world.bostader,
            name="Åsa Öberg",
            role="Förvaltare",
            email="asa.oberg@example.se",
        )
    return user


def test_place_lead_holds_a_meeting(world, place_lead, new_context):
    context = new_context(viewport=DESKTOP)
    log_in_with_cookie(context, world.url, place_lead)
    page = context.new_page()
    base = f"{world.url}/p/{world.program.slug}"

    # From the place page to the meetings of the place.
    visit(page, f"{base}/platser/{world.place.pk}/")
    page.get_by_role("link", name="Möten vid platsen").click()
    expect(page).to_have_url(re.compile(rf"/moten/\?plats={world.place.pk}$"))
    check_page(page)
    page.get_by_role("link", name="Nytt möte").click()
    expect(page).to_have_url(re.compile(r"/moten/nytt/"))
    check_page(page)

    page.get_by_label("Rubrik").fill("Arbetsgruppsmöte om belysningen")
    page.get_by_label("Typ av möte").select_option(label="Arbetsgruppsmöte")
    page.locator("#id_place").select_option(label="Torget")
    page.get_by_label("Datum").fill("2026-12-03")
    page.get_by_label("Börjar").fill("13:00")
    page.get_by_label("Slutar").fill("15:00")
    page.get_by_label("Lokal eller adress").fill("Stadshuset, sal 3")
    page.get_by_label("Punkt 1").fill("Lägesbild")
    page.get_by_label("Punkt 2").fill("Belysning vid busstorget")
    page.get_by_role("button", name="Spara").click()

    expect(page).to_have_url(re.compile(r"/moten/\d+/$"))
    check_page(page)
    expect(page.get_by_role("heading", level=1)).to_have_text("Arbetsgruppsmöte om belysningen")
    expect(page.locator(".facts")).to_contain_text("3 december 2026 kl. 13.00–15.00")
    expect(page.locator(".agenda li")).to_have_count(2)
    meeting_url = page.url

    # Attendance: the stakeholder's contact and the members of the place.
    page.get_by_role("link", name="Ange närvaro").click()
    check_page(page)
    page.get_by_role("group", name=re.compile("Åsa Öberg")).get_by_label("Närvarande").check()
    page.get_by_role("group", name=re.compile("Per Partner")).get_by_label(
        "Anmält förhinder"
    ).check()
    page.get_by_role("button", name="Spara närvaro").click()
    expect(page).to_have_url(meeting_url)
    check_page(page)
    attendance = page.locator("table").filter(has_text="Organisation")
    expect(attendance).to_contain_text("Åsa Öberg")
    expect(attendance).to_contain_text("Per Partner")

    # Minutes for the first agenda item.
    page.get_by_role("link", name="Skriv protokoll").click()
    check_page(page)
    page.get_by_label("1. Lägesbild").fill("Polisen rapporterar färre larm på kvällarna.")
    page.get_by_role("button", name="Spara protokoll").click()
    expect(page).to_have_url(meeting_url)
    expect(page.locator(".agenda")).to_contain_text("färre larm")

    # A decision, numbered 1.
    page.get_by_role("link", name="Nytt beslut").click()
    check_page(page)
    page.get_by_label("Beslut").fill("Avesta Bostäder byter belysningen på gården före jul.")
    page.get_by_label("Dagordningspunkt").select_option(label="2. Belysning vid busstorget")
    page.get_by_label("Ansvarig organisation").select_option(label="Avesta Bostäder")
    page.get_by_role("button", name="Spara beslut").click()
    expect(page).to_have_url(re.compile(r"/moten/\d+/#beslut-1$"))
    check_page(page)
    decision = page.locator("#beslut-1")
    expect(decision).to_contain_text("Beslut 1")
    expect(decision).to_contain_text("byter belysningen")
    expect(decision).to_contain_text("Ansvarig: Avesta Bostäder")
    screenshot(page, "meeting-detail-desktop")

    # The same page on a phone: no sideways scrolling of the page itself.
    phone = new_context(viewport=PHONE, is_mobile=True, has_touch=True)
    log_in_with_cookie(phone, world.url, place_lead)
    phone_page = phone.new_page()
    visit(phone_page, meeting_url)
    width = phone_page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"], f"page is {width}px wide on a 360px phone"
    expect(phone_page.locator("#beslut-1")).to_be_visible()
    screenshot(phone_page, "meeting-detail-phone")

    from meetings.models import Decision, Meeting

    with scopes_disabled():  # test assertion across the program
        meeting = Meeting.objects.get(title="Arbetsgruppsmöte om belysningen")
        assert meeting.place == world.place
        assert meeting.attendances.count() == 2
        assert Decision.objects.get(meeting=meeting).number == 1
