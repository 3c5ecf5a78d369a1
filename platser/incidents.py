"""Incident statistics in: reading CSV and XLSX files as analysts send them, checking every row
with a Swedish message, and saving a whole file or nothing.

Two shapes of file, chosen by the column mapping:

- aggregated rows: month, place, (area), category, count;
- one row per event: date, longitude, latitude, category; each event is counted into every
  place's target, buffer and comparison area by ``platser.areas``.

Importing the same bytes twice for the same source changes nothing; a new file for months that
already hold counts from that source replaces those months for the places in the file
(``replaced_count`` tells how many figures before the save).
"""

import csv
import datetime
import hashlib
import io
import re
import zipfile
from dataclasses import dataclass, field

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from partnerships.models import AuditEntry

from . import areas as area_geometry
from .models import (
    STANDARD_INCIDENT_CATEGORIES,
    AreaKind,
    IncidentCategory,
    IncidentCount,
    IncidentImport,
    Place,
)

MAX_FILE_BYTES = 20 * 1024 * 1024
MAX_ERRORS = 200

MONTHS = {
    "januari": 1, "jan": 1, "februari": 2, "feb": 2, "mars": 3, "mar": 3, "april": 4,
    "apr": 4, "maj": 5, "juni": 6, "jun": 6, "juli": 7, "jul": 7, "augusti": 8, "aug": 8,
    "september": 9, "sep": 9, "sept": 9, "oktober": 10, "okt": 10, "november": 11, "nov": 11,
    "december": 12, "dec": 12,
}  # fmt: skip

AREA_WORDS = {
    "": AreaKind.TARGET,
    "plats": AreaKind.TARGET,
    "platsen": AreaKind.TARGET,
    "mal": AreaKind.TARGET,
    "mål": AreaKind.TARGET,
    "malomrade": AreaKind.TARGET,
    "målområde": AreaKind.TARGET,
    "buffert": AreaKind.BUFFER,
    "buffertområde": AreaKind.BUFFER,
    "buffertomrade": AreaKind.BUFFER,
    "jamforelse": AreaKind.COMPARISON,
    "jämförelse": AreaKind.COMPARISON,
    "jämförelseområde": AreaKind.COMPARISON,
    "jamforelseomrade": AreaKind.COMPARISON,
}

AGGREGATED_FIELDS = ("month", "place", "area", "category", "count")
EVENT_FIELDS = ("date", "lon", "lat", "category")


class ImportFileError(ValueError):
    """The file as a whole cannot be read (empty, binary, too large)."""


@dataclass
class RowError:
    row: int  # 1-based, as a spreadsheet shows it (the header is row 1)
    message: str


@dataclass
class ParsedFile:
    """What a file would bring: ``counts`` keyed by (place id, month, area, category id)."""

    counts: dict = field(default_factory=dict)
    errors: list[RowError] = field(default_factory=list)
    row_count: int = 0

    @property
    def valid(self) -> bool:
        return not self.errors and bool(self.counts)

    @property
    def months(self) -> list[datetime.date]:
        return sorted({key[1] for key in self.counts})

    @property
    def place_ids(self) -> set[int]:
        return {key[0] for key in self.counts}


def ensure_standard_categories(program) -> None:
    """Create the standard categories the program lacks (idempotent)."""
    existing = set(IncidentCategory.objects.filter(program=program).values_list("code", flat=True))
    IncidentCategory.objects.bulk_create(
        [
            IncidentCategory(program=program, code=code, name=str(name), is_standard=True)
            for code, name in STANDARD_INCIDENT_CATEGORIES
            if code not in existing
        ]
    )


# --- Reading the file into rows of text -----------------------------------------------------


def read_rows(data: bytes) -> list[list]:
    """The file's rows (header first) as lists of cell values: text for CSV, Python values for
    XLSX. Raises ``ImportFileError`` with a Swedish message for a file that cannot be read."""
    if not data or not data.strip():
        raise ImportFileError(_("Filen är tom."))
    if len(data) > MAX_FILE_BYTES:
        raise ImportFileError(
            _("Filen är för stor (högst %(mb)d MB).") % {"mb": MAX_FILE_BYTES // 1024 // 1024}
        )
    if data[:4] == b"PK\x03\x04":
        return _read_xlsx(data)
    if b"\x00" in data[:4096]:
        raise ImportFileError(_("Filen är inte en CSV- eller XLSX-fil."))
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = data.decode("cp1252", errors="replace")
    first = text.split("\n", 1)[0]
    delimiter = max((";", ",", "\t"), key=first.count)
    reader = csv.reader(io.StringIO(text), delimiter=delimiter)
    rows = [row for row in reader if any(cell.strip() for cell in row)]
    if len(rows) < 2:
        raise ImportFileError(_("Filen har inga rader under rubrikraden."))
    return rows


def _read_xlsx(data: bytes) -> list[list]:
    import openpyxl

    try:
        workbook = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=False)
    except (zipfile.BadZipFile, KeyError, ValueError, OSError) as exc:
        raise ImportFileError(_("XLSX-filen kan inte läsas.")) from exc
    sheet = workbook.worksheets[0]
    rows = []
    for row in sheet.iter_rows():
        values = []
        for cell in row:
            if cell.data_type == "f":
                values.append(FormulaCell())
            else:
                values.append(cell.value)
        if any(value not in (None, "") for value in values):
            rows.append(values)
    workbook.close()
    if len(rows) < 2:
        raise ImportFileError(_("Filen har inga rader under rubrikraden."))
    return rows


class FormulaCell:
    """A cell holding a formula: refused, since its value is whatever Excel last computed."""

    def __str__(self):
        return "="


def guess_mapping(header: list) -> dict[str, int]:
    """A first guess at the column mapping from the header's words."""
    words = {
        "month": ("månad", "manad", "period", "month"),
        "date": ("datum", "date", "tidpunkt", "brottsdatum"),
        "place": ("plats", "platsnamn", "place"),
        "area": ("område", "omrade", "områdestyp", "typ av område", "zon", "area"),
        "category": ("kategori", "brottstyp", "brottskategori", "typ", "category"),
        "count": ("antal", "count", "anmälningar", "anmalningar"),
        "lon": ("lon", "longitud", "lng", "x"),
        "lat": ("lat", "latitud", "y"),
    }
    mapping: dict[str, int] = {}
    cleaned = [str(cell or "").strip().lower() for cell in header]
    for name, candidates in words.items():
        for index, cell in enumerate(cleaned):
            if cell in candidates and index not in mapping.values():
                mapping[name] = index
                break
    return mapping


# --- Values ---------------------------------------------------------------------------------


def parse_month(value, *, today: datetime.date | None = None) -> datetime.date:
    """The first day of the month in ``value``: a date, "2025-03", "2025-03-01", "mars 2025",
    "2025 mars", "03/2025", "2025/03". Raises ``ValueError`` with a Swedish message."""
    if isinstance(value, FormulaCell):
        raise ValueError(_("Cellen innehåller en formel; klistra in värdet i stället."))
    if isinstance(value, datetime.datetime):
        value = value.date()
    if isinstance(value, datetime.date):
        month = value.replace(day=1)
    else:
        text = str(value or "").strip().lower()
        month = _month_from_text(text)
    today = today or timezone.localdate()
    if month > today.replace(day=1):
        raise ValueError(_("Månaden %(month)s har inte varit än.") % {"month": f"{month:%Y-%m}"})
    if month.year < 1990:
        raise ValueError(_("Månaden %(month)s är orimligt tidig.") % {"month": f"{month:%Y-%m}"})
    return month


def _month_from_text(text: str) -> datetime.date:
    patterns = [
        (r"(\d{4})-(\d{1,2})(?:-(\d{1,2}))?(?:[ t].*)?", lambda m: (m[1], m[2])),
        (r"(\d{4})/(\d{1,2})(?:/\d{1,2})?", lambda m: (m[1], m[2])),
        (r"(\d{1,2})/(\d{4})", lambda m: (m[2], m[1])),
        (r"(\d{4})(\d{2})", lambda m: (m[1], m[2])),
    ]
    for pattern, parts in patterns:
        match = re.fullmatch(pattern, text)
        if match:
            year, month = (int(part) for part in parts(match))
            if 1 <= month <= 12:
                return datetime.date(year, month, 1)
            break
    match = re.fullmatch(r"([a-zåäö]+)\.?\s+(\d{4})|(\d{4})\s+([a-zåäö]+)\.?", text)
    if match:
        name = match[1] or match[4]
        year = match[2] or match[3]
        if name in MONTHS:
            return datetime.date(int(year), MONTHS[name], 1)
    raise ValueError(
        _("”%(value)s” är ingen månad (skriv t.ex. 2025-03, mars 2025 eller 2025-03-01).")
        % {"value": text[:40]}
    )


def parse_count(value) -> int:
    """A non-negative whole number; "12", "12,0", 12.0 and "1 200" are accepted."""
    if isinstance(value, FormulaCell):
        raise ValueError(_("Cellen innehåller en formel; klistra in värdet i stället."))
    if isinstance(value, bool):
        raise ValueError(_("Antalet måste vara ett heltal."))
    if isinstance(value, int | float):
        number = float(value)
    else:
        text = str(value or "").strip().replace("\u00a0", "").replace(" ", "").replace(",", ".")
        if not text:
            raise ValueError(_("Antalet saknas."))
        try:
            number = float(text)
        except ValueError:
            raise ValueError(
                _("”%(value)s” är inget antal.") % {"value": str(value)[:40]}
            ) from None
    if number < 0:
        raise ValueError(_("Antalet kan inte vara negativt."))
    if number != int(number):
        raise ValueError(_("Antalet måste vara ett heltal."))
    return int(number)


def parse_coordinate(value) -> float:
    if isinstance(value, FormulaCell):
        raise ValueError(_("Cellen innehåller en formel; klistra in värdet i stället."))
    if isinstance(value, int | float) and not isinstance(value, bool):
        return float(value)
    try:
        return float(str(value or "").strip().replace(",", "."))
    except ValueError:
        raise ValueError(
            _("”%(value)s” är ingen koordinat.") % {"value": str(value)[:40]}
        ) from None


def _text(value) -> str:
    if isinstance(value, FormulaCell):
        raise ValueError(_("Cellen innehåller en formel; klistra in värdet i stället."))
    return str(value if value is not None else "").strip()


# --- Checking every row ---------------------------------------------------------------------


def _lookups(program):
    places = list(Place.objects.filter(program=program, archived_at__isnull=True))
    categories = list(IncidentCategory.objects.filter(program=program))
    by_name = {place.name.lower(): place for place in places}
    category_by_word = {}
    for category in categories:
        category_by_word[category.name.lower()] = category
        category_by_word[category.code.lower()] = category
    return places, by_name, category_by_word


def parse_file(
    program, rows: list[list], mapping: dict[str, int], *, today=None, only_place=None
) -> ParsedFile:
    """Check every data row (all of them, not stopping at the first problem) and sum the counts.
    ``mapping`` maps field names to column indexes: aggregated (month, place, category, count,
    optional area) or events (date, lon, lat, category). With ``only_place`` the file is about
    that place alone: the place column may be left out, and a row about another place is an
    error."""
    result = ParsedFile()
    events = "lon" in mapping and "lat" in mapping
    needed = (
        ("date", "lon", "lat", "category") if events else ("month", "place", "category", "count")
    )
    if only_place is not None and not events:
        needed = ("month", "category", "count")
    missing = [name for name in needed if name not in mapping]
    if missing:
        result.errors.append(
            RowError(1, _("Välj kolumn för: %(fields)s.") % {"fields": ", ".join(missing)})
        )
        return result
    places, place_by_name, category_by_word = _lookups(program)
    if only_place is not None:
        places = [only_place]
    seen: dict[tuple, int] = {}
    points = []
    for number, row in enumerate(rows[1:], start=2):
        result.row_count += 1

        def cell(name, row=row):
            index = mapping.get(name)
            return row[index] if index is not None and index < len(row) else None

        problems = []
        try:
            month = parse_month(cell("date" if events else "month"), today=today)
        except ValueError as exc:
            problems.append(str(exc))
            month = None
        try:
            word = _text(cell("category"))
            category = category_by_word.get(word.lower())
            if category is None:
                problems.append(_("Okänd kategori ”%(value)s”.") % {"value": word[:60]})
        except ValueError as exc:
            problems.append(str(exc))
            category = None
        if events:
            try:
                lon, lat = parse_coordinate(cell("lon")), parse_coordinate(cell("lat"))
                if not (10 <= lon <= 25 and 55 <= lat <= 70):
                    problems.append(_("Punkten ligger inte i Sverige (longitud, latitud)."))
            except ValueError as exc:
                problems.append(str(exc))
            if not problems:
                points.append((lon, lat, (month, category.pk)))
        else:
            place = area = count = None
            try:
                word = _text(cell("place"))
                if only_place is not None and (not word or word.lower() == only_place.name.lower()):
                    place = only_place
                else:
                    place = place_by_name.get(word.lower())
                    if place is None:
                        problems.append(_("Okänd plats ”%(value)s”.") % {"value": word[:60]})
                    elif only_place is not None:
                        problems.append(
                            _("Raden gäller %(other)s, inte %(place)s.")
                            % {"other": place.name, "place": only_place.name}
                        )
            except ValueError as exc:
                problems.append(str(exc))
            try:
                word = _text(cell("area")).lower()
                area = AREA_WORDS.get(word)
                if area is None:
                    problems.append(
                        _("Okänt område ”%(value)s” (plats, buffert eller jämförelse).")
                        % {"value": word[:60]}
                    )
            except ValueError as exc:
                problems.append(str(exc))
            try:
                count = parse_count(cell("count"))
            except ValueError as exc:
                problems.append(str(exc))
            if not problems:
                key = (place.pk, month, area, category.pk)
                if key in seen:
                    problems.append(
                        _("Samma månad, plats, område och kategori finns redan på rad %(row)d.")
                        % {"row": seen[key]}
                    )
                else:
                    seen[key] = number
                    result.counts[key] = count
        for problem in problems:
            if len(result.errors) < MAX_ERRORS:
                result.errors.append(RowError(number, problem))
    if events and not result.errors:
        for place in places:
            shapes = area_geometry.place_shapes(place)
            for (kind, (month, category_id)), count in area_geometry.count_points(
                points, shapes
            ).items():
                result.counts[(place.pk, month, kind, category_id)] = count
    if not result.errors and not result.counts:
        result.errors.append(RowError(1, _("Filen innehåller inga antal att importera.")))
    return result


def replaced_count(program, source: str, parsed: ParsedFile) -> int:
    """How many figures already stored for these months, places and source a save replaces."""
    if not parsed.counts:
        return 0
    return IncidentCount.objects.filter(
        program=program,
        source=source,
        month__in=parsed.months,
        place_id__in=parsed.place_ids,
    ).count()


def file_digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def already_imported(program, source: str, data: bytes) -> IncidentImport | None:
    return (
        IncidentImport.objects.filter(
            program=program, source=source, sha256=file_digest(data), undone_at__isnull=True
        )
        .order_by("-created_at")
        .first()
    )


@transaction.atomic
def save_import(
    program, *, user, source: str, data: bytes, filename: str, parsed: ParsedFile, place=None
) -> tuple[IncidentImport, bool]:
    """Save a valid file whole: ``(import, created)``. The same bytes again for the same source
    return the earlier import and change nothing."""
    if not parsed.valid:
        raise ValueError("only a valid file is saved")
    earlier = already_imported(program, source, data)
    if earlier is not None:
        return earlier, False
    old = IncidentCount.objects.filter(
        program=program, source=source, month__in=parsed.months, place_id__in=parsed.place_ids
    )
    replaced = old.count()
    old.delete()
    record = IncidentImport(
        program=program,
        place=place,
        created_by=user,
        source=source,
        original_name=filename[:255],
        sha256=file_digest(data),
        row_count=parsed.row_count,
        period_start=parsed.months[0],
        period_end=parsed.months[-1],
        replaced=replaced,
    )
    record.original_file.save(filename[:100] or "import", ContentFile(data), save=False)
    record.save()
    IncidentCount.objects.bulk_create(
        [
            IncidentCount(
                program=program,
                place_id=place_id,
                month=month,
                area=area,
                category_id=category_id,
                source=source,
                count=count,
                source_import=record,
            )
            for (place_id, month, area, category_id), count in parsed.counts.items()
        ],
        batch_size=2000,
    )
    record.log_action(
        AuditEntry.Action.CREATE,
        actor=user,
        changes={"rows": parsed.row_count, "counts": len(parsed.counts), "replaced": replaced},
    )
    return record, True


@transaction.atomic
def undo_import(record: IncidentImport, *, user) -> int:
    """Remove every figure the import brought; the import itself is kept, marked undone."""
    removed, _detail = IncidentCount.objects.filter(source_import=record).delete()
    record.undone_at = timezone.now()
    record.undone_by = user
    record.save(update_fields=["undone_at", "undone_by"])
    record.log_action(
        AuditEntry.Action.UPDATE,
        actor=user,
        changes={"undone_at": [None, record.undone_at.isoformat()], "removed": removed},
    )
    return removed


def export_rows(program, *, source: str | None = None) -> list[list[str]]:
    """The stored counts as aggregated rows (header first), the import's own format."""
    labels = {
        AreaKind.TARGET: "plats",
        AreaKind.BUFFER: "buffert",
        AreaKind.COMPARISON: "jämförelse",
    }
    counts = IncidentCount.objects.filter(program=program).select_related("place", "category")
    if source:
        counts = counts.filter(source=source)
    rows = [["Månad", "Plats", "Område", "Kategori", "Antal"]]
    for row in counts.order_by("month", "place__name", "area", "category__name"):
        rows.append(
            [
                f"{row.month:%Y-%m}",
                row.place.name,
                labels[row.area],
                row.category.name,
                str(row.count),
            ]
        )
    return rows
