"""The archive of a whole program as a BagIt bag (RFC 8493, written by the ``bagit`` library).

The payload (``data/``) holds one UTF-8 CSV per record type with the model's field names as
columns (a foreign key is ``<name>_id``, so ids join across files), one CSV per many-to-many
relation, a GeoJSON file (RFC 7946, outer rings counter-clockwise) per geometry column, every
stored file (agreements, photos, report PDFs) under ``files/<record type>/<id>/`` and the minutes
of every meeting rendered as PDF, and ``README.txt``: each file and column described in Swedish.
``bag-info.txt`` names the program, the export time and who exported it.

Memory stays bounded: rows are read in keyset pages of ``PAGE`` and written as they come, files
are copied from the storage in chunks, and the checksums are computed by ``bagit`` from disk.
Everything is read inside the program's scope and filtered by the program, so no other
program's rows can enter the bag.
"""

import csv
import datetime
import decimal
import json
import os
import shutil
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import bagit
from django.apps import apps
from django.db import models
from django.utils import timezone
from django_scopes import scope

from meetings import selectors as meeting_selectors
from partnerships.models import Program
from partnerships.pdf import render_pdf

#: Rows read per query (keyset pagination: works with PgBouncer, where server-side cursors of
#: ``.iterator()`` are off, and keeps memory flat at national volume).
PAGE = 2000

#: Columns never exported: secrets that would open the system to whoever reads the archive.
SECRET_FIELDS = {"password", "token"}

#: ``(file name, model label)`` in the order of the README: one CSV per record type.
RECORD_TYPES = [
    ("program", "partnerships.Program"),
    ("municipalities", "partnerships.Municipality"),
    ("users", "partnerships.User"),
    ("organisations", "partnerships.Organisation"),
    ("contacts", "partnerships.Contact"),
    ("memberships", "partnerships.Membership"),
    ("invitations", "partnerships.Invitation"),
    ("places", "platser.Place"),
    ("zones", "platser.Zone"),
    ("stakeholders", "platser.Stakeholder"),
    ("walks", "platser.SafetyWalk"),
    ("walk_participations", "platser.WalkParticipation"),
    ("findings", "platser.Finding"),
    ("meetings", "meetings.Meeting"),
    ("agenda_items", "meetings.AgendaItem"),
    ("attendance", "meetings.Attendance"),
    ("decisions", "meetings.Decision"),
    ("meeting_invitations", "meetings.MeetingInvitation"),
    ("calendar_feeds", "meetings.CalendarFeed"),
    ("questions", "surveys.Question"),
    ("answer_options", "surveys.AnswerOption"),
    ("surveys", "surveys.Survey"),
    ("survey_questions", "surveys.SurveyQuestion"),
    ("responses", "surveys.Response"),
    ("answers", "surveys.Answer"),
    ("results_snapshots", "surveys.ResultsSnapshot"),
    ("measures", "measures.Measure"),
    ("measure_status_history", "measures.MeasureStatusChange"),
    ("measure_photos", "measures.MeasurePhoto"),
    ("activities", "measures.Activity"),
    ("overdue_digests", "measures.OverdueDigest"),
    ("report_schedules", "reports.ReportSchedule"),
    ("reports", "reports.Report"),
    ("exports", "records.ProgramExport"),
    ("audit_log", "partnerships.AuditEntry"),
]

#: Geometry columns (GeoJSON stored in a JSONField).
GEOMETRY_FIELDS = {
    "places": ["boundary"],
    "zones": ["boundary"],
    "walks": ["route"],
    "findings": ["point"],
    "measures": ["location"],
    "activities": ["point"],
    "answers": ["point"],
}


def record_queryset(name: str, label: str, program: Program) -> models.QuerySet:
    """The rows of one record type that belong to ``program`` (call inside its scope)."""
    model = apps.get_model(label)
    if name == "program":
        return Program.objects.filter(pk=program.pk)
    if name == "municipalities":
        # Reference data: the municipalities the places and organisations name.
        places = apps.get_model("platser.Place")._default_manager.filter(program=program)
        organisations = apps.get_model("partnerships.Organisation")._default_manager.filter(
            program=program
        )
        return model.objects.filter(
            models.Q(pk__in=places.values("municipality_id"))
            | models.Q(pk__in=organisations.values("municipality_id"))
        )
    if name == "users":
        # The members, and everyone the records name (who made, logged or changed something).
        return model.objects.filter(memberships__program=program).distinct()
    if name == "questions":
        # The standard bank the surveys draw from, and the program's own questions.
        return model.bank.all() | model.objects.filter(program=program)
    if name == "answer_options":
        questions = record_queryset("questions", "surveys.Question", program)
        return model.objects.filter(question__in=questions.values("pk"))
    return model._default_manager.filter(program=program)


def columns(model) -> list[models.Field]:
    return [f for f in model._meta.concrete_fields if f.name not in SECRET_FIELDS]


def m2m_fields(model) -> list[models.ManyToManyField]:
    return [f for f in model._meta.local_many_to_many if f.remote_field.through._meta.auto_created]


def cell(value) -> str:
    """One CSV cell: ISO dates, JSON for structured values, ``true``/``false``, empty for NULL."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, datetime.datetime):
        return value.astimezone(datetime.UTC).isoformat() if value.tzinfo else value.isoformat()
    if isinstance(value, datetime.date | decimal.Decimal):
        return str(value)
    if isinstance(value, dict | list):
        return json.dumps(value, ensure_ascii=False, sort_keys=True)
    return str(value)


def pages(queryset: models.QuerySet, fields: list[str]) -> Iterator[tuple]:
    """``values_list(*fields)`` in pk order, a page of ``PAGE`` rows at a time (``pk`` first)."""
    last = None
    queryset = queryset.order_by("pk")
    while True:
        page = queryset if last is None else queryset.filter(pk__gt=last)
        rows = list(page.values_list("pk", *fields)[:PAGE])
        if not rows:
            return
        yield from rows
        last = rows[-1][0]


# --- GeoJSON, RFC 7946 ------------------------------------------------------------------------


def _signed_area(ring: list) -> float:
    """Twice the ring's signed area (shoelace): positive when counter-clockwise."""
    return sum(a[0] * b[1] - b[0] * a[1] for a, b in zip(ring, ring[1:], strict=False))


def _oriented(ring: list, *, counter_clockwise: bool) -> list:
    if len(ring) < 4:
        return ring
    is_ccw = _signed_area(ring) > 0
    return ring if is_ccw == counter_clockwise else list(reversed(ring))


def rfc7946(geometry: dict | None) -> dict | None:
    """``geometry`` with its polygons' outer rings counter-clockwise and holes clockwise (RFC
    7946 §3.1.6); other geometries as they are."""
    if not isinstance(geometry, dict):
        return None
    kind = geometry.get("type")

    def polygon(rings):
        return [_oriented(ring, counter_clockwise=(i == 0)) for i, ring in enumerate(rings or [])]

    if kind == "Polygon":
        return {**geometry, "coordinates": polygon(geometry.get("coordinates"))}
    if kind == "MultiPolygon":
        return {**geometry, "coordinates": [polygon(p) for p in geometry.get("coordinates") or []]}
    return geometry


# --- the bag ----------------------------------------------------------------------------------


@dataclass
class Manifest:
    """What went into the payload: rows per CSV, files copied, stored files that were missing."""

    counts: dict[str, int] = field(default_factory=dict)
    files: list[str] = field(default_factory=list)
    missing: list[tuple[str, int, str]] = field(default_factory=list)
    readme: list[str] = field(default_factory=list)


def _copy_file(storage, name: str, target: Path) -> bool:
    try:
        source = storage.open(name, "rb")
    except (FileNotFoundError, OSError):
        return False
    target.parent.mkdir(parents=True, exist_ok=True)
    with source, open(target, "wb") as out:
        shutil.copyfileobj(source, out, 1024 * 1024)
    return True


def _write_records(data: Path, program: Program, manifest: Manifest) -> None:
    for name, label in RECORD_TYPES:
        model = apps.get_model(label)
        fields = columns(model)
        queryset = record_queryset(name, label, program)
        attnames = [f.attname for f in fields]
        file_fields = {i for i, f in enumerate(fields) if isinstance(f, models.FileField)}
        count = 0
        with open(data / f"{name}.csv", "w", encoding="utf-8", newline="") as out:
            writer = csv.writer(out)
            writer.writerow(attnames)
            for row in pages(queryset, attnames):
                pk, values = row[0], list(row[1:])
                for i in file_fields:
                    if values[i]:
                        stored = values[i]
                        relative = f"files/{name}/{pk}/{os.path.basename(stored)}"
                        if _copy_file(fields[i].storage, stored, data / relative):
                            values[i] = relative
                            manifest.files.append(relative)
                        else:
                            manifest.missing.append((name, pk, stored))
                            values[i] = ""
                writer.writerow([cell(v) for v in values])
                count += 1
        manifest.counts[f"{name}.csv"] = count
        manifest.readme.append(_describe(f"{name}.csv", model, fields, count))
        for m2m in m2m_fields(model) if name != "users" else []:
            _write_relation(data, name, model, m2m, queryset, manifest)
        for geometry in GEOMETRY_FIELDS.get(name, []):
            _write_geojson(data, name, model, geometry, queryset, manifest)


def _write_relation(data, name, model, m2m, queryset, manifest) -> None:
    through = m2m.remote_field.through
    source = m2m.m2m_field_name()
    target = m2m.m2m_reverse_field_name()
    file_name = f"{name}_{m2m.name}.csv"
    rows = through.objects.filter(**{f"{source}__in": queryset.values("pk")})
    count = 0
    with open(data / file_name, "w", encoding="utf-8", newline="") as out:
        writer = csv.writer(out)
        writer.writerow([f"{source}_id", f"{target}_id"])
        for _pk, left, right in pages(rows, [f"{source}_id", f"{target}_id"]):
            writer.writerow([left, right])
            count += 1
    manifest.counts[file_name] = count
    manifest.readme.append(
        f"{file_name} ({count} rader)\n"
        f"  Kopplingen {model._meta.verbose_name}: {m2m.verbose_name}.\n"
        f"  {source}_id: id i {name}.csv\n"
        f"  {target}_id: id för {m2m.related_model._meta.verbose_name}\n"
    )


def _write_geojson(data, name, model, geometry, queryset, manifest) -> None:
    file_name = f"geo/{name}_{geometry}.geojson"
    (data / "geo").mkdir(exist_ok=True)
    count = 0
    with open(data / file_name, "w", encoding="utf-8") as out:
        out.write('{"type": "FeatureCollection", "features": [\n')
        for pk, value in pages(queryset.exclude(**{f"{geometry}__isnull": True}), [geometry]):
            shape = rfc7946(value)
            if shape is None:
                continue
            feature = {"type": "Feature", "id": pk, "geometry": shape, "properties": {"id": pk}}
            out.write((",\n" if count else "") + json.dumps(feature, ensure_ascii=False))
            count += 1
        out.write("\n]}\n")
    manifest.counts[file_name] = count
    label = model._meta.get_field(geometry).verbose_name
    manifest.readme.append(
        f"{file_name} ({count} objekt)\n"
        f"  GeoJSON (RFC 7946, WGS 84): {label} för {model._meta.verbose_name_plural}; "
        f"properties.id är id i {name}.csv. Polygonernas yttre ringar är moturs.\n"
    )


def _write_minutes(data: Path, program: Program, manifest: Manifest) -> None:
    """Every meeting's minutes as the PDF the meeting page renders (with names: the archive is
    the full record)."""
    queryset = meeting_selectors.meetings_for_detail(program=program)
    ids = [pk for (pk,) in pages(queryset, [])]
    count = 0
    for start in range(0, len(ids), 50):
        for meeting in queryset.filter(pk__in=ids[start : start + 50]):
            pdf = render_pdf(
                "meetings/pdf/minutes.html",
                {
                    "meeting": meeting,
                    "attendance": meeting_selectors.attendance_by_organisation(meeting),
                    "show_names": True,
                    "generated_at": timezone.now(),
                },
            )
            relative = f"files/meetings/{meeting.pk}/protokoll.pdf"
            (data / relative).parent.mkdir(parents=True, exist_ok=True)
            (data / relative).write_bytes(pdf)
            manifest.files.append(relative)
            count += 1
    manifest.readme.append(
        f"files/meetings/<id>/protokoll.pdf ({count} filer)\n"
        "  Protokollet från varje möte som PDF, skapat vid exporten; <id> är id i meetings.csv.\n"
    )


def _type_name(f: models.Field) -> str:
    if isinstance(f, models.ForeignKey):
        return f"id för {f.related_model._meta.verbose_name}"
    if isinstance(f, models.FileField):
        return "sökväg till filen i paketet"
    if isinstance(f, models.JSONField):
        return "JSON"
    if isinstance(f, models.BooleanField):
        return "true/false"
    if isinstance(f, models.DateTimeField):
        return "tidpunkt (ISO 8601, UTC)"
    if isinstance(f, models.DateField):
        return "datum (ÅÅÅÅ-MM-DD)"
    if isinstance(f, models.DecimalField | models.FloatField):
        return "decimaltal"
    if isinstance(f, models.IntegerField | models.AutoField):
        return "heltal"
    return "text"


def _describe(file_name: str, model, fields, count: int) -> str:
    plural = str(model._meta.verbose_name_plural).capitalize()
    lines = [f"{file_name} ({count} rader)", f"  {plural}."]
    for f in fields:
        text = f"  {f.attname}: {f.verbose_name} ({_type_name(f)})"
        if f.choices:
            text += "; värden: " + ", ".join(f"{k} = {v}" for k, v in f.flatchoices)
        lines.append(text)
    return "\n".join(lines) + "\n"


def _readme(program: Program, exported_at, exported_by: str, manifest: Manifest) -> str:
    head = [
        f"Arkivpaket för programmet {program.name} ({program.slug})",
        f"Exporterat {exported_at:%Y-%m-%d %H:%M} UTC av {exported_by}.",
        "",
        "Paketet följer BagIt (RFC 8493): filerna ligger i data/, deras kontrollsummor (SHA-256)",
        "i manifest-sha256.txt och uppgifter om exporten i bag-info.txt. Alla CSV-filer är UTF-8,",
        "kommaseparerade med citattecken vid behov (RFC 4180) och har kolumnnamnen på första",
        "raden.",
        "Varje post har kolumnen id; en kolumn som slutar på _id är id för en post i en annan fil,",
        "så att filerna kan kopplas ihop. Tomma celler betyder att uppgiften saknas.",
        "Lösenord och hemliga nycklar (inbjudningslänkar, kalenderlänkar) exporteras inte.",
        "",
        "Filer",
        "=====",
        "",
    ]
    body = "\n".join(manifest.readme)
    tail = ""
    if manifest.missing:
        tail = "\nFiler som saknades i lagringen vid exporten\n" + "".join(
            f"  {name} id {pk}: {stored}\n" for name, pk, stored in manifest.missing
        )
    return "\n".join(head) + body + tail


def write_bag(program: Program, target: Path, *, exported_by: str) -> tuple[bagit.Bag, Manifest]:
    """Write ``program``'s archive as a BagIt bag into the new directory ``target``."""
    target = Path(target)
    target.mkdir(parents=True)
    manifest = Manifest()
    exported_at = timezone.now().astimezone(datetime.UTC)
    with scope(program=program):
        _write_records(target, program, manifest)
        _write_minutes(target, program, manifest)
    (target / "README.txt").write_text(
        _readme(program, exported_at, exported_by, manifest), encoding="utf-8"
    )
    bag = bagit.make_bag(
        str(target),
        bag_info={
            "Source-Organization": program.coordinator_name or program.name,
            "External-Identifier": program.slug,
            "External-Description": f"Arkivpaket för programmet {program.name}",
            "Program-Name": program.name,
            "Export-Time": exported_at.isoformat(),
            "Exported-By": exported_by,
            "Contact-Name": exported_by,
        },
        checksums=["sha256"],
    )
    return bag, manifest


def zip_bag(bag_dir: Path, zip_path: Path) -> None:
    """The bag as one .zip with the bag's directory at its top (files streamed from disk)."""
    bag_dir = Path(bag_dir)
    with zipfile.ZipFile(zip_path, "w", compression=zipfile.ZIP_DEFLATED, allowZip64=True) as zf:
        for path in sorted(bag_dir.rglob("*")):
            if path.is_file():
                zf.write(path, f"{bag_dir.name}/{path.relative_to(bag_dir)}")
