"""Journey 3: add an organisation, make it a stakeholder at a place, filter the register."""

import re

from django_scopes import scopes_disabled
from playwright.sync_api import expect

from partnerships.models import Organisation
from platser.models import Stakeholder

from .conftest import check_page, screenshot, visit


def test_add_organisation_and_stakeholder(world, coordinator_page):
    page = coordinator_page
    visit(page, f"{world.url}/p/{world.program.slug}/")

    nav = page.get_by_role("navigation", name="Huvudmeny")
    nav.get_by_role("link", name="Organisationer").click()
    expect(page).to_have_url(re.compile(r"/organisationer/$"))
    check_page(page)
    screenshot(page, "organisation-list-desktop")

    page.get_by_role("link", name="Ny organisation").click()
    expect(page).to_have_url(re.compile(r"/organisationer/ny/$"))
    check_page(page)
    page.get_by_label("Namn").fill("Kaffestugan vid torget")
    page.get_by_label("Kategori").select_option(label="Näringsidkare")
    page.get_by_label("Kommun").select_option(label="Avesta")
    page.get_by_role("button", name="Spara").click()
    expect(page).to_have_url(re.compile(r"/organisationer/\d+/$"))
    check_page(page)
    expect(page.get_by_role("heading", level=1)).to_have_text("Kaffestugan vid torget")
    screenshot(page, "organisation-detail-desktop")

    # Place → its stakeholder register → add a stakeholder.
    visit(page, f"{world.url}/p/{world.program.slug}/")
    page.locator("table").get_by_role("link", name="Torget").click()
    expect(page).to_have_url(re.compile(rf"/platser/{world.place.pk}/$"))
    check_page(page)
    page.get_by_role("link", name="Hela aktörsregistret").click()
    expect(page).to_have_url(re.compile(rf"/platser/{world.place.pk}/aktorer/$"))
    check_page(page)
    page.get_by_role("link", name="Lägg till aktör").click()
    expect(page).to_have_url(re.compile(r"/aktorer/ny/$"))
    check_page(page)
    screenshot(page, "stakeholder-form-desktop")
    page.get_by_label("Organisation").select_option(label="Kaffestugan vid torget")
    page.get_by_label("Grupp").select_option(label="Nätverk")
    page.get_by_label("Åtagande").fill("Håller öppet till 22 och ringer in nedsläckta lampor.")
    page.get_by_role("button", name="Spara").click()

    expect(page).to_have_url(re.compile(rf"/platser/{world.place.pk}/aktorer/$"))
    check_page(page)
    expect(page.locator(".messages")).to_contain_text("Kaffestugan vid torget är sparad som aktör.")
    rows = page.locator("table tbody tr")
    expect(rows).to_have_count(3)
    new_row = rows.filter(has_text="Kaffestugan vid torget")
    expect(new_row).to_contain_text("Näringsidkare")
    expect(new_row).to_contain_text("Nätverk")
    expect(new_row).to_contain_text("Håller öppet till 22")
    screenshot(page, "stakeholder-register-desktop")

    # Filter the register by category.
    page.get_by_label("Kategori").select_option(label="Näringsidkare")
    page.get_by_role("button", name="Filtrera").click()
    expect(page).to_have_url(re.compile(r"\?kategori=naringsidkare$"))
    check_page(page)
    expect(rows).to_have_count(1)
    expect(rows.first).to_contain_text("Kaffestugan vid torget")
    expect(page.locator("table")).not_to_contain_text("Avesta kommun")

    with scopes_disabled():  # test assertion across the program
        organisation = Organisation.objects.get(
            program=world.program, name="Kaffestugan vid torget"
        )
        stakeholder = Stakeholder.objects.get(place=world.place, organisation=organisation)
        assert stakeholder.group == Stakeholder.Group.NETWORK
        assert stakeholder.program == world.program


def test_duplicate_organisation_is_refused(world, coordinator_page):
    page = coordinator_page
    visit(page, f"{world.url}/p/{world.program.slug}/organisationer/ny/")
    page.get_by_label("Namn").fill("Avesta kommun")
    page.get_by_label("Kategori").select_option(label="Kommun")
    page.get_by_role("button", name="Spara").click()
    expect(page).to_have_url(re.compile(r"/organisationer/ny/$"))
    check_page(page)
    expect(page.locator(".field--error")).to_contain_text("finns redan")
    with scopes_disabled():  # test assertion across the program
        assert Organisation.objects.filter(program=world.program).count() == 2
