"""Journey: a coordinator imports the shipped police CSV (Windows-1252, semicolons) for a place:
a file with a bad row first (the row is named, nothing saved), then the sample, previewed with its
guessed column mapping and confirmed; the follow-up page shows RES, WDQ and the timeline with
its table; the slutrapport PDF asked for next has the same RES in its Effekter section.
axe-core runs on every page; screenshots at 1280 and 360 px."""

import datetime
import os
import subprocess
from pathlib import Path

from django_scopes import scopes_disabled
from playwright.sync_api import expect

from platser.models import IncidentCount

from .conftest import DESKTOP, PHONE, check_page, log_in_with_cookie, screenshot, visit

SAMPLE = Path(__file__).resolve().parents[2] / "demo" / "data" / "polisen-exempel.csv"


def test_import_the_sample_police_csv_and_see_the_follow_up(world, new_context, tmp_path):
    context = new_context(viewport=DESKTOP)
    log_in_with_cookie(context, world.url, world.coordinator)
    page = context.new_page()
    base = f"{world.url}/p/{world.program.slug}/platser/{world.place.pk}"

    visit(page, f"{base}/")
    page.get_by_role("link", name="Effekter").click()
    check_page(page)
    page.get_by_role("link", name="Importera statistik").click()
    check_page(page)

    # A file with a mistake: a negative count on row 3.
    bad = tmp_path / "fel.csv"
    bad.write_bytes("Månad;Område;Brottstyp;Antal\r\nmars 2025;plats;Rån;2\r\n"
                    "april 2025;plats;Rån;-1\r\n".encode("cp1252"))  # fmt: skip
    page.get_by_label("Källa").select_option("polisen")
    page.get_by_label("Fil (CSV eller XLSX)").set_input_files(str(bad))
    page.get_by_role("button", name="Förhandsgranska").click()
    expect(page.get_by_text("Rad 3: Antalet kan inte vara negativt.")).to_be_visible()
    check_page(page)
    with scopes_disabled():
        assert not IncidentCount.objects.exists()

    # The fixed file: the shipped sample, its columns guessed, then confirmed.
    page.get_by_label("Fil (CSV eller XLSX)").set_input_files(str(SAMPLE))
    page.get_by_role("button", name="Förhandsgranska").click()
    expect(page.get_by_text("Filen är rätt: 216 rader ger 216 antal.")).to_be_visible()
    expect(page.locator("#col_category")).to_have_value("2")
    check_page(page)
    screenshot(page, "effects-import-preview-1280")
    page.get_by_role("button", name="Importera", exact=True).click()
    expect(page.get_by_text("216 antal importerade för 2024-11–2026-10.")).to_be_visible()
    with scopes_disabled():
        assert IncidentCount.objects.count() == 216

    # The follow-up around November 2025: a clear reduction, the timeline and its table.
    visit(page, f"{base}/effekter/?fran=2025-11&manader=12")
    res = page.locator('[data-figure="res"]')
    expect(res).not_to_have_text("För få händelser för att bedöma")
    expect(page.get_by_text("Minskning", exact=False).first).to_be_visible()
    expect(page.locator("svg.timeline")).to_be_visible()
    page.get_by_text("Händelser per månad som tabell").click()
    check_page(page)
    screenshot(page, "effects-follow-up-1280")
    res_on_page = res.inner_text().split(" – ")[0].strip()

    # The slutrapport for the period ending October 2026 has the same 12 months after (from
    # November 2025) in its Effekter section: the figure of the page is in the PDF. (A report
    # leaves out places made after its period: the place was set up when the program began.)
    with scopes_disabled():
        type(world.place).objects.filter(pk=world.place.pk).update(
            created_at=datetime.datetime(2024, 9, 1, 9, tzinfo=datetime.UTC)
        )
    visit(page, f"{world.url}/p/{world.program.slug}/rapporter/ny/")
    page.get_by_label("Typ av rapport").select_option(label="Slutrapport")
    page.get_by_label("Från och med").fill("2024-11-01")
    page.get_by_label("Till och med").fill("2026-10-31")
    page.get_by_label("Lärdomar").fill("Statistiken per månad visade var insatserna behövdes.")
    check_page(page)
    page.get_by_role("button", name="Beställ").click()
    download_link = page.get_by_role("link", name="Ladda ner PDF")
    expect(download_link).to_be_visible(timeout=60_000)
    with page.expect_download() as download_info:
        download_link.click()
    pdf = tmp_path / "slutrapport.pdf"
    download_info.value.save_as(pdf)
    text = " ".join(
        subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, check=True, text=True)
        .stdout.replace("\u00a0", " ")
        .split()
    )
    effects = text[text.index("Effekter Händelser före och efter") :]
    assert f"RES (95 % intervall) {res_on_page}" in effects, (res_on_page, effects[:1500])
    assert "Statistiken per månad visade var insatserna behövdes." in text
    assert "Underskrift" in text
    if os.environ.get("SCREENSHOT_DIR"):  # the pages as PNG, for a human to look at
        subprocess.run(
            [
                "pdftoppm",
                "-r",
                "60",
                "-png",
                str(pdf),
                f"{os.environ['SCREENSHOT_DIR']}/slutrapport",
            ],
            check=True,
        )

    phone = new_context(viewport=PHONE, is_mobile=True, has_touch=True)
    log_in_with_cookie(phone, world.url, world.coordinator)
    small = phone.new_page()
    visit(small, f"{base}/effekter/?fran=2025-11&manader=12")
    screenshot(small, "effects-follow-up-360")
    visit(small, f"{base}/effekter/import/")
    screenshot(small, "effects-import-360")
