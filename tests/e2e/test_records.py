"""Journeys (issue 14): the coordinator exports the whole program as an archive bag and downloads
it; makes a contact's register extract and erases the contact; sets a retention period. Axe on
every page, on a desktop and on a 360 px phone."""

import re
import zipfile

import bagit
from django_scopes import scopes_disabled
from playwright.sync_api import expect

from partnerships.models import Contact

from .conftest import PHONE, check_page, log_in_with_cookie, screenshot, visit


def test_coordinator_exports_the_program_and_downloads_a_valid_bag(
    world, coordinator_page, tmp_path
):
    page = coordinator_page
    visit(page, f"{world.url}/p/{world.program.slug}/arkiv/")
    expect(page.get_by_text("Inga exporter ännu.")).to_be_visible()
    screenshot(page, "archive-list-desktop")
    page.get_by_role("button", name="Exportera hela programmet").click()

    expect(page).to_have_url(re.compile(r"/arkiv/\d+/$"))
    link = page.get_by_role("link", name="Ladda ner arkivpaketet")
    expect(link).to_be_visible(timeout=30_000)
    check_page(page)
    expect(page.get_by_role("rowheader", name="places.csv", exact=True)).to_be_visible()
    screenshot(page, "archive-detail-desktop")

    with page.expect_download() as download_info:
        link.click()
    path = tmp_path / "arkiv.zip"
    download_info.value.save_as(path)
    with zipfile.ZipFile(path) as zf:
        zf.extractall(tmp_path / "bag")
    (bag_dir,) = (tmp_path / "bag").iterdir()
    bag = bagit.Bag(str(bag_dir))
    bag.validate()
    assert "Torget" in (bag_dir / "data" / "places.csv").read_text(encoding="utf-8")

    visit(page, f"{world.url}/p/{world.program.slug}/arkiv/")
    expect(page.get_by_role("cell", name="Klar")).to_be_visible()


def test_coordinator_erases_a_contact_on_a_phone(world, new_context):
    with scopes_disabled():  # test set-up: a contact at one of the world's organisations
        organisation = world.program.organisations.first()
        contact = Contact.objects.create(
            program=world.program,
            organisation=organisation,
            name="Greta Gustavsson",
            email="greta@example.com",
            phone="070-555 12 34",
        )
    context = new_context(viewport=PHONE, is_mobile=True, has_touch=True)
    log_in_with_cookie(context, world.url, world.coordinator)
    page = context.new_page()

    visit(page, f"{world.url}/p/{world.program.slug}/personuppgifter/")
    screenshot(page, "personal-data-phone")
    with page.expect_download() as download_info:
        page.get_by_role("link", name="Registerutdrag Greta Gustavsson").click()
    assert download_info.value.suggested_filename == f"registerutdrag-kontakt-{contact.pk}.json"

    page.get_by_role("link", name="Radera Greta Gustavsson").click()
    check_page(page)
    page.get_by_role("button", name="Radera personuppgifterna").click()
    expect(page.get_by_text("Kryssa i rutan för att bekräfta raderingen.")).to_be_visible()
    check_page(page)
    page.get_by_label("Skäl").fill("Begäran om radering 2026-03-14")
    page.get_by_label(re.compile("Jag förstår")).check()
    screenshot(page, "erase-phone")
    page.get_by_role("button", name="Radera personuppgifterna").click()

    expect(
        page.get_by_text(re.compile(r"Personen visas nu som Borttagen person \d+"))
    ).to_be_visible()
    check_page(page)
    expect(page.get_by_text("Greta Gustavsson")).to_have_count(0)
    with scopes_disabled():  # test read
        contact.refresh_from_db()
    assert contact.name.startswith("Borttagen person ")
    assert contact.email == "" and contact.phone == ""


def test_coordinator_sets_a_retention_period(world, coordinator_page):
    page = coordinator_page
    visit(page, f"{world.url}/p/{world.program.slug}/personuppgifter/gallring/")
    expect(page.get_by_text("Inga gallringsregler är satta.")).to_be_visible()
    page.get_by_label("Foton av fynd som är stängda eller åtgärdade").fill("36")
    page.get_by_role("button", name="Spara").click()

    expect(page.get_by_text("Gallringsreglerna är sparade.")).to_be_visible()
    check_page(page)
    expect(page.get_by_text("Inget att gallra.")).to_be_visible()
    screenshot(page, "retention-desktop")
