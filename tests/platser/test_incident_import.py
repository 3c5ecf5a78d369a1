"""Importing incident statistics (platser.incidents): files as analysts send them, a Swedish
message per row, a whole file or nothing, idempotency, replacing a period, undo, round-trip."""

import datetime
import io

import openpyxl
import pytest
from django_scopes import scope

from platser import incidents
from platser.models import AreaKind, IncidentCount, IncidentImport, IncidentSource

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2026, 6, 15)
AGGREGATED = {"month": 0, "place": 1, "area": 2, "category": 3, "count": 4}


@pytest.fixture
def scoped(program, place):
    with scope(program=program):
        incidents.ensure_standard_categories(program)
        yield program


def csv_bytes(lines, *, encoding="utf-8", delimiter=";"):
    return "\r\n".join(delimiter.join(line) for line in lines).encode(encoding)


def parse(program, data, mapping=AGGREGATED):
    return incidents.parse_file(program, incidents.read_rows(data), mapping, today=TODAY)


def save(program, data, user=None, source=IncidentSource.POLICE, name="polisen.csv"):
    parsed = parse(program, data)
    assert parsed.valid, parsed.errors
    return incidents.save_import(
        program, user=user, source=source, data=data, filename=name, parsed=parsed
    )


HEADER = ["Månad", "Plats", "Område", "Brottstyp", "Antal"]


def test_windows_1252_semicolons_swedish_months_and_decimal_commas(scoped, coordinator):
    data = csv_bytes(
        [
            HEADER,
            ["mars 2025", "Avesta centrum", "plats", "Skadegörelse", "12"],
            ["2025-04", "Avesta centrum", "buffert", "skadegorelse", "3,0"],
            ["2025-05-01", "avesta centrum", "Jämförelse", "Misshandel", "1 204"],
            ["Jan 2026", "Avesta centrum", "", "Stöld", "0"],
        ],
        encoding="cp1252",
    )
    rows = incidents.read_rows(data)
    assert incidents.guess_mapping(rows[0]) == {
        "month": 0, "place": 1, "area": 2, "category": 3, "count": 4,
    }  # fmt: skip
    record, created = save(scoped, data, user=coordinator)
    assert created and record.row_count == 4
    assert (record.period_start, record.period_end) == (
        datetime.date(2025, 3, 1),
        datetime.date(2026, 1, 1),
    )
    stored = {
        (c.month, c.area, c.category.code): c.count
        for c in IncidentCount.objects.select_related("category")
    }
    assert stored == {
        (datetime.date(2025, 3, 1), AreaKind.TARGET, "skadegorelse"): 12,
        (datetime.date(2025, 4, 1), AreaKind.BUFFER, "skadegorelse"): 3,
        (datetime.date(2025, 5, 1), AreaKind.COMPARISON, "misshandel"): 1204,
        (datetime.date(2026, 1, 1), AreaKind.TARGET, "stold"): 0,
    }


def test_comma_separated_utf8_with_bom(scoped):
    data = "\ufeffMånad,Plats,Område,Kategori,Antal\n2025-03,Avesta centrum,plats,Rån,2\n"
    parsed = parse(scoped, data.encode("utf-8"))
    assert parsed.valid and list(parsed.counts.values()) == [2]


def test_every_bad_row_gets_a_swedish_message_and_nothing_is_saved(scoped):
    data = csv_bytes(
        [
            HEADER,
            ["2025-03", "Avesta centrum", "plats", "Rån", "2"],
            ["2025-13", "Avesta centrum", "plats", "Rån", "2"],
            ["2025-04", "Okänd plats", "plats", "Rån", "2"],
            ["2025-04", "Avesta centrum", "plats", "Fusk", "2"],
            ["2025-04", "Avesta centrum", "plats", "Rån", "-3"],
            ["2027-01", "Avesta centrum", "plats", "Rån", "1"],
            ["2025-03", "Avesta centrum", "plats", "Rån", "5"],
            ["2025-05", "Avesta centrum", "taket", "Rån", "1,5"],
        ]
    )
    parsed = parse(scoped, data)
    assert not parsed.valid
    messages = {(error.row, error.message) for error in parsed.errors}
    assert messages == {
        (3, "”2025-13” är ingen månad (skriv t.ex. 2025-03, mars 2025 eller 2025-03-01)."),
        (4, "Okänd plats ”Okänd plats”."),
        (5, "Okänd kategori ”Fusk”."),
        (6, "Antalet kan inte vara negativt."),
        (7, "Månaden 2027-01 har inte varit än."),
        (8, "Samma månad, plats, område och kategori finns redan på rad 2."),
        (9, "Okänt område ”taket” (plats, buffert eller jämförelse)."),
        (9, "Antalet måste vara ett heltal."),
    }
    with pytest.raises(ValueError):
        incidents.save_import(
            scoped, user=None, source="polisen", data=data, filename="x.csv", parsed=parsed
        )
    assert not IncidentCount.objects.exists() and not IncidentImport.objects.exists()


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", "Filen är tom."),
        (b"   \r\n", "Filen är tom."),
        (b"\x00\x01\x02\x03binary\x00", "Filen är inte en CSV- eller XLSX-fil."),
        (b"Manad;Plats;Omrade;Kategori;Antal\r\n", "Filen har inga rader under rubrikraden."),
        (b"x" * (incidents.MAX_FILE_BYTES + 1), "Filen är för stor (högst 20 MB)."),
        (b"PK\x03\x04not really a zip", "XLSX-filen kan inte läsas."),
    ],
)
def test_unreadable_files_are_refused_whole(scoped, data, message):
    with pytest.raises(incidents.ImportFileError) as caught:
        incidents.read_rows(data)
    assert str(caught.value) == message


def test_a_fifty_megabyte_file_is_refused_before_reading(scoped):
    with pytest.raises(incidents.ImportFileError):
        incidents.read_rows(b"a;b\n" * (50 * 1024 * 1024 // 4))


def xlsx_bytes(rows):
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def test_xlsx_with_dates_numbers_and_a_formula_cell(scoped):
    data = xlsx_bytes(
        [
            HEADER,
            [datetime.datetime(2025, 3, 1), "Avesta centrum", "plats", "Klotter", 7],
            ["april 2025", "Avesta centrum", "plats", "Klotter", "=1+1"],
        ]
    )
    parsed = parse(scoped, data)
    assert [(e.row, e.message) for e in parsed.errors] == [
        (3, "Cellen innehåller en formel; klistra in värdet i stället.")
    ]
    good = xlsx_bytes(
        [HEADER, [datetime.datetime(2025, 3, 1), "Avesta centrum", "plats", "Klotter", 7.0]]
    )
    record, created = save(scoped, good, name="polisen.xlsx")
    assert created and IncidentCount.objects.get().count == 7


def test_the_same_file_twice_changes_nothing(scoped, coordinator):
    data = csv_bytes([HEADER, ["2025-03", "Avesta centrum", "plats", "Rån", "2"]])
    first, created = save(scoped, data, user=coordinator)
    second, created_again = save(scoped, data, user=coordinator)
    assert created and not created_again and first == second
    assert IncidentImport.objects.count() == 1 and IncidentCount.objects.count() == 1


def test_a_new_file_for_the_same_period_and_source_replaces_it_and_says_so_first(scoped):
    old = csv_bytes(
        [
            HEADER,
            ["2025-03", "Avesta centrum", "plats", "Rån", "2"],
            ["2025-03", "Avesta centrum", "plats", "Stöld", "9"],
            ["2025-04", "Avesta centrum", "plats", "Rån", "4"],
        ]
    )
    save(scoped, old)
    other_source = csv_bytes([HEADER, ["2025-03", "Avesta centrum", "plats", "Rån", "1"]])
    save(scoped, other_source, source=IncidentSource.GUARDS)
    new = csv_bytes([HEADER, ["2025-03", "Avesta centrum", "plats", "Rån", "3"]])
    parsed = parse(scoped, new)
    assert incidents.replaced_count(scoped, IncidentSource.POLICE, parsed) == 2
    record, created = save(scoped, new)
    assert created and record.replaced == 2
    police = {
        (c.month, c.category.code): c.count
        for c in IncidentCount.objects.filter(source="polisen").select_related("category")
    }
    assert police == {(datetime.date(2025, 3, 1), "ran"): 3, (datetime.date(2025, 4, 1), "ran"): 4}
    assert IncidentCount.objects.filter(source=IncidentSource.GUARDS).count() == 1


def test_an_import_is_undone_as_a_whole(scoped, coordinator):
    data = csv_bytes(
        [
            HEADER,
            ["2025-03", "Avesta centrum", "plats", "Rån", "2"],
            ["2025-04", "Avesta centrum", "plats", "Rån", "1"],
        ]
    )
    record, _created = save(scoped, data, user=coordinator)
    assert incidents.undo_import(record, user=coordinator) == 2
    record.refresh_from_db()
    assert record.undone_at is not None and record.undone_by == coordinator
    assert not IncidentCount.objects.exists()
    # After an undo the same file may be imported again.
    _again, created = save(scoped, data, user=coordinator)
    assert created and IncidentCount.objects.count() == 2


def test_round_trip_file_counts_export(scoped):
    lines = [
        ["2025-03", "Avesta centrum", "buffert", "Klotter", "4"],
        ["2025-03", "Avesta centrum", "plats", "Rån", "2"],
        ["2025-04", "Avesta centrum", "jämförelse", "Stöld", "11"],
    ]
    save(scoped, csv_bytes([HEADER, *lines]))
    exported = incidents.export_rows(scoped)
    assert exported[1:] == lines
    again = parse(scoped, csv_bytes(exported))
    assert again.valid and len(again.counts) == 3


def test_one_row_per_event_is_counted_into_the_areas_once(scoped, place):
    # The place is the factories' square at (16.168, 60.145), 0.002° wide: a default 200 m ring
    # around it and the rest of the municipality as comparison.
    data = csv_bytes(
        [
            ["Datum", "Lon", "Lat", "Brottstyp"],
            ["2025-03-04", "16,169", "60,146", "Rån"],  # inside
            ["2025-03-09", "16,169", "60,145", "Rån"],  # on the south border: the place
            ["2025-03-20", "16,169", "60,1437", "Rån"],  # about 145 m south: the buffer
            ["2025-03-21", "16,30", "60,20", "Rån"],  # far away: the rest of the municipality
            ["2025-04-01", "16,169", "60,146", "Stöld"],
        ]
    )
    rows = incidents.read_rows(data)
    mapping = incidents.guess_mapping(rows[0])
    assert mapping == {"date": 0, "lon": 1, "lat": 2, "category": 3}
    parsed = incidents.parse_file(scoped, rows, mapping, today=TODAY)
    assert parsed.valid, parsed.errors
    by_key = {(key[1], key[2]): count for key, count in parsed.counts.items() if key[0] == place.pk}
    march = datetime.date(2025, 3, 1)
    assert by_key == {
        (march, AreaKind.TARGET): 2,
        (march, AreaKind.BUFFER): 1,
        (march, AreaKind.COMPARISON): 1,
        (datetime.date(2025, 4, 1), AreaKind.TARGET): 1,
    }


def test_a_missing_mapping_is_reported(scoped):
    data = csv_bytes([HEADER, ["2025-03", "Avesta centrum", "plats", "Rån", "2"]])
    parsed = incidents.parse_file(scoped, incidents.read_rows(data), {"month": 0}, today=TODAY)
    assert [(e.row, e.message) for e in parsed.errors] == [
        (1, "Välj kolumn för: place, category, count.")
    ]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2025-03", datetime.date(2025, 3, 1)),
        ("2025-3", datetime.date(2025, 3, 1)),
        ("2025-03-17", datetime.date(2025, 3, 1)),
        ("mars 2025", datetime.date(2025, 3, 1)),
        ("Mars 2025", datetime.date(2025, 3, 1)),
        ("2025 mars", datetime.date(2025, 3, 1)),
        ("okt. 2024", datetime.date(2024, 10, 1)),
        ("03/2025", datetime.date(2025, 3, 1)),
        ("2025/03", datetime.date(2025, 3, 1)),
        ("202503", datetime.date(2025, 3, 1)),
        (datetime.date(2025, 3, 17), datetime.date(2025, 3, 1)),
    ],
)
def test_month_formats(text, expected):
    assert incidents.parse_month(text, today=TODAY) == expected
