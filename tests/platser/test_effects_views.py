"""The follow-up page and the import journey (platser.views.effects)."""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from django_scopes import scope, scopes_disabled

from platser import effects, incidents
from platser.models import AreaKind, IncidentCount, IncidentImport
from tests.factories import IncidentCountFactory

pytestmark = pytest.mark.django_db


def effects_url(place, **query):
    url = reverse(
        "measures:place_effects", kwargs={"program": place.program.slug, "place": place.pk}
    )
    if query:
        url += "?" + "&".join(f"{k}={v}" for k, v in query.items())
    return url


def import_url(place):
    return reverse(
        "platser:incident_import", kwargs={"program": place.program.slug, "place": place.pk}
    )


def _counts(place, category, start, per_area_before, per_area_after):
    for offset in range(24):
        month = datetime.date(
            start.year + (start.month - 1 + offset) // 12, (start.month - 1 + offset) % 12 + 1, 1
        )
        values = per_area_before if offset < 12 else per_area_after
        for area, value in values.items():
            IncidentCountFactory(
                place=place, program=place.program, category=category, month=month, area=area,
                count=value,
            )  # fmt: skip


def test_the_page_shows_the_same_figures_as_the_functions(place, observer, client_for):
    with scope(program=place.program):
        incidents.ensure_standard_categories(place.program)
        from platser.models import IncidentCategory

        robbery = IncidentCategory.objects.get(code="ran")
    start = datetime.date(2024, 1, 1)
    _counts(
        place,
        robbery,
        start,
        {AreaKind.TARGET: 10, AreaKind.BUFFER: 5, AreaKind.COMPARISON: 40},
        {AreaKind.TARGET: 5, AreaKind.BUFFER: 6, AreaKind.COMPARISON: 40},
    )
    response = client_for(observer).get(effects_url(place, fran="2025-01", manader=12))
    assert response.status_code == 200
    expected = effects.relative_effect_size(
        target_before=120, target_after=60, control_before=480, control_after=480
    )
    text = response.content.decode()
    res_text = (
        f"{effects.format_ratio(expected.value)} "
        f"({effects.format_ratio(expected.low)}–{effects.format_ratio(expected.high)})"
    )
    assert res_text == "2,00 (1,43–2,80)"
    assert f'<strong data-figure="res">{res_text}</strong>' in text
    wdq = effects.weighted_displacement_quotient(
        target_before=120, target_after=60, buffer_before=60, buffer_after=72,
        control_before=480, control_after=480,
    )  # fmt: skip
    assert f'<strong data-figure="wdq">{effects.format_ratio(wdq)}</strong>' in text
    assert "Minskning" in text and "<svg" in text and "Händelser per månad som tabell" in text
    # The timeline ends with the last whole month, not the one under way (a drop to zero).
    this_month = timezone.localdate().replace(day=1)
    months = response.context["timeline"].months
    assert months[-1] < this_month and len(months) == 36
    assert (this_month - months[-1]).days <= 31
    # An observer reads but is not offered the import.
    assert import_url(place) not in text


def test_bad_parameters_fall_back_to_defaults(place, observer, client_for):
    response = client_for(observer).get(effects_url(place, fran="igår", manader="x", uppehall=-4))
    assert response.status_code == 200
    assert "Ingen statistik för perioderna ännu." in response.content.decode()


CSV_BAD = (
    "Månad;Område;Brottstyp;Antal\r\n"
    "mars 2025;plats;Skadegörelse;4\r\n"
    "april 2025;plats;Skadegörelse;-2\r\n"
).encode("cp1252")
CSV_GOOD = (
    "Månad;Område;Brottstyp;Antal\r\n"
    "mars 2025;plats;Skadegörelse;4\r\n"
    "april 2025;buffert;Skadegörelse;2\r\n"
).encode("cp1252")


def test_the_import_journey_preview_fix_confirm_again_undo(place, place_lead, client_for):
    client = client_for(place_lead)
    assert client.get(import_url(place)).status_code == 200

    # 1. A file with a bad row: the preview names the row, nothing is saved.
    response = client.post(
        import_url(place), {"source": "polisen", "file": SimpleUploadedFile("p.csv", CSV_BAD)}
    )
    text = response.content.decode()
    assert response.status_code == 200
    assert "Rad 3: Antalet kan inte vara negativt." in text
    with scopes_disabled():
        assert not IncidentCount.objects.exists()

    # 2. The fixed file: a preview with the guessed mapping, then confirmed with its token.
    response = client.post(
        import_url(place), {"source": "polisen", "file": SimpleUploadedFile("p.csv", CSV_GOOD)}
    )
    assert "Filen är rätt: 2 rader ger 2 antal." in response.content.decode()
    token = response.context["token"]
    with scopes_disabled():
        assert not IncidentCount.objects.exists()
    response = client.post(
        import_url(place),
        {"source": "polisen", "token": token, "confirm": "1", "col_month": "0", "col_area": "1",
         "col_category": "2", "col_count": "3"},
    )  # fmt: skip
    assert response.status_code == 302 and response.url == effects_url(place)
    with scopes_disabled():
        assert sorted(IncidentCount.objects.values_list("area", "count")) == [
            (AreaKind.BUFFER, 2),
            (AreaKind.TARGET, 4),
        ]
        record = IncidentImport.objects.get()
        assert record.place == place and record.created_by == place_lead

    # 3. The same file again changes nothing, and says so in the preview.
    response = client.post(
        import_url(place), {"source": "polisen", "file": SimpleUploadedFile("p.csv", CSV_GOOD)}
    )
    assert "redan importerad" in response.content.decode()

    # 4. Undo as a whole.
    response = client.post(
        reverse(
            "platser:incident_import_undo",
            kwargs={"program": place.program.slug, "place": place.pk, "pk": record.pk},
        )
    )
    assert response.status_code == 302
    with scopes_disabled():
        assert not IncidentCount.objects.exists()
        assert IncidentImport.objects.get().undone_at is not None


def test_a_file_about_another_place_and_a_binary_file_are_refused(
    place, second_place, coordinator, client_for
):
    client = client_for(coordinator)
    other = "Månad;Plats;Brottstyp;Antal\r\n2025-03;Sala centrum;Rån;1\r\n".encode()
    response = client.post(
        import_url(place), {"source": "polisen", "file": SimpleUploadedFile("x.csv", other)}
    )
    assert "Rad 2: Raden gäller Sala centrum, inte Avesta centrum." in response.content.decode()
    response = client.post(
        import_url(place),
        {"source": "polisen", "file": SimpleUploadedFile("x.bin", b"\x00\x01\x02" * 50)},
    )
    assert response.status_code == 200
    assert "Filen är inte en CSV- eller XLSX-fil." in response.content.decode()
    # A token that is not one of the user's uploads.
    response = client.post(
        import_url(place), {"source": "polisen", "token": "0" * 32, "confirm": "1"}
    )
    assert response.status_code == 200 and "Välj en fil att importera." in response.content.decode()
