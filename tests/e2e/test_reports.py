"""Journey: the coordinator requests a program report, waits for it and downloads the PDF; the
progress page polls and reloads by itself when a report being rendered becomes ready."""

import re

from django_scopes import scopes_disabled
from playwright.sync_api import expect

from reports import tasks
from reports.models import Report

from .conftest import check_page, screenshot, visit


def test_coordinator_requests_waits_for_and_downloads_a_program_report(
    world, coordinator_page, tmp_path
):
    page = coordinator_page
    visit(page, f"{world.url}/p/{world.program.slug}/rapporter/")
    expect(page.get_by_text("Inga rapporter ännu.")).to_be_visible()
    page.get_by_role("link", name="Beställ rapport").click()
    check_page(page)

    page.get_by_label("Typ av rapport").select_option(label="Lägesrapport för programmet")
    page.get_by_label("Från och med").fill("2026-01-01")
    page.get_by_label("Till och med").fill("2026-03-31")
    page.get_by_label("Syfte och mål").fill("Öka tryggheten på Torget.")
    screenshot(page, "report-form-desktop")
    page.get_by_role("button", name="Beställ").click()

    expect(page).to_have_url(re.compile(r"/rapporter/\d+/$"))
    download_link = page.get_by_role("link", name="Ladda ner PDF")
    expect(download_link).to_be_visible(timeout=30_000)
    check_page(page)
    expect(page.locator(".facts")).to_contain_text("1 januari – 31 mars 2026")
    screenshot(page, "report-detail-desktop")

    with page.expect_download() as download_info:
        download_link.click()
    download = download_info.value
    assert download.suggested_filename == "trygga-avesta-2026-01-01-2026-03-31.pdf"
    path = tmp_path / "rapport.pdf"
    download.save_as(path)
    assert path.read_bytes().startswith(b"%PDF-")

    visit(page, f"{world.url}/p/{world.program.slug}/rapporter/")
    expect(page.get_by_role("cell", name="Klar")).to_be_visible()


def test_progress_page_reloads_by_itself_when_the_report_is_ready(world, coordinator_page):
    import datetime

    # A report waiting for a worker (set up directly: eager mode would render it at once).
    with scopes_disabled():  # test set-up of a program-owned row
        report = Report.objects.create(
            program=world.program,
            kind="program",
            requested_by=world.coordinator,
            period_start=datetime.date(2026, 1, 1),
            period_end=datetime.date(2026, 3, 31),
        )
    page = coordinator_page
    visit(page, f"{world.url}/p/{world.program.slug}/rapporter/{report.pk}/")
    expect(page.get_by_role("link", name="Uppdatera")).to_be_visible()
    expect(page.locator("#report-status")).to_have_text("Väntar")

    tasks.render_report(report_id=report.pk)  # what the worker does

    expect(page.get_by_role("link", name="Ladda ner PDF")).to_be_visible(timeout=15_000)
    check_page(page)
