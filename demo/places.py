"""Demo data for ``make demo`` (and for tests): two programs, five places, their organisations,
contacts, stakeholders and one demo login per role.

The data itself is in ``demo/data/demo.toml``; this module loads it. Loading is idempotent:
every row is looked up by its natural key and written only when it is missing or differs, so a
second run changes nothing (not even the audit log). Writes go through the services, inside each
program's scope, with that program's demo coordinator as the actor.

Later issues add their own step (``_meetings()``, ``_measures()``, ``_surveys()`` …) to
``load_demo``, with their data in the same file.
"""

import datetime
import math
import tomllib
import unicodedata
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from functools import cache
from pathlib import Path

from allauth.account.models import EmailAddress
from django.apps import apps
from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.db import models, transaction
from django.utils import timezone
from django_scopes import scope

from partnerships import audit
from partnerships.models import (
    AuditEntry,
    Contact,
    Membership,
    Municipality,
    Organisation,
    Program,
    Role,
    User,
)
from partnerships.services import create_contact, create_organisation, save_record
from partnerships.tenancy import cross_program
from platser import geo
from platser.models import Place, Stakeholder, Zone
from platser.services import save_place, save_stakeholder

PASSWORD = "demo-trygga-platser"
DATA_FILE = Path(__file__).resolve().parent / "data" / "demo.toml"


@cache
def data() -> dict:
    """The demo data file, parsed (TOML dates arrive as ``datetime.date``)."""
    with DATA_FILE.open("rb") as f:
        return tomllib.load(f)


def polygon(centre: list[float], corners: list[list[int]]) -> dict:
    """A closed GeoJSON polygon from corners given in metres east/north of ``centre`` (lat, lon)."""
    lat0, lon0 = centre
    metres_per_degree_lat = 111_132.0
    metres_per_degree_lon = 111_320.0 * math.cos(math.radians(lat0))
    ring = [
        [
            round(lon0 + east / metres_per_degree_lon, 6),
            round(lat0 + north / metres_per_degree_lat, 6),
        ]
        for east, north in corners
    ]
    return geo.validate_polygon({"type": "Polygon", "coordinates": [ring + [ring[0]]]})


@dataclass
class Result:
    """What a run did: rows created and updated (zero and zero on a second run)."""

    created: int = 0
    updated: int = 0
    users: dict[str, User] = field(default_factory=dict)
    programs: dict[str, Program] = field(default_factory=dict)
    places: dict[str, Place] = field(default_factory=dict)


def load_demo(stdout=None, steps: Iterable[Callable[[Result], None]] = ()) -> Result:
    """Create the demo programs, places, organisations and logins, or bring them up to date.

    ``steps`` are the later apps' demo loaders (meetings, measures, surveys …), each called with
    the ``Result`` inside the same transaction; the command, which sits above every app, passes
    them in so that this app never imports the apps that depend on it.

    Safe to run any number of times; prints the demo logins to ``stdout`` when given (after the
    commit, so a closed pipe cannot roll the data back).
    """
    result = Result()
    with transaction.atomic():
        _users(result)  # first: the coordinators are the actors of everything below
        _programs(result)
        _places(result)
        _organisations(result)
        _memberships(result)
        for step in steps:
            step(result)
    if stdout is not None:
        _print_logins(result, stdout)
    return result


@transaction.atomic
def reset_demo() -> None:
    """Delete the demo programs (with everything in them) and the demo accounts.

    Only what ``load_demo`` creates is touched: the programs by slug, the users by e-mail.
    """
    # Deleting whole tenants: the rows of both programs are removed, so no single scope applies.
    with cross_program("demo"):
        programs = Program.objects.filter(slug__in=data()["programs"])
        # Organisations are PROTECTed from their stakeholders, partner memberships, and the
        # measures and activities of later apps (looked up by name: platser cannot import them).
        for label in ("measures.Activity", "measures.Measure"):
            apps.get_model(label).objects.filter(program__in=programs).delete()
        Stakeholder.objects.filter(program__in=programs).delete()
        Membership.objects.filter(program__in=programs).delete()
        programs.delete()
        User.objects.filter(email__in=[u["email"] for u in data()["users"]]).delete()


def _same(obj: models.Model, name: str, value) -> bool:
    if isinstance(value, models.Model):
        return getattr(obj, f"{name}_id") == value.pk
    return getattr(obj, name) == value


def _upsert(result: Result, model, *, actor, lookup: dict, values: dict, create):
    """Find ``model`` by ``lookup``; create it with ``create(obj)`` or save only changed fields."""
    obj = model.objects.filter(**lookup).first()
    if obj is None:
        obj = model(**lookup, **values)
        create(obj)
        result.created += 1
        return obj
    changed = [name for name, value in values.items() if not _same(obj, name, value)]
    if changed:
        for name in changed:
            setattr(obj, name, values[name])
        save_record(actor=actor, instance=obj, fields=changed)
        result.updated += 1
    return obj


def _actor(result: Result, program_slug: str) -> User:
    """The program's demo coordinator: the actor in its audit log."""
    email = next(
        u["email"]
        for u in data()["users"]
        if u["program"] == program_slug and u["role"] == Role.COORDINATOR
    )
    return result.users[email]


def _users(result: Result) -> None:
    """Accounts with a verified primary address, so login works with mandatory verification.

    The password is set only when an account is created, to one hash of the public demo password
    shared by all (one PBKDF2 run instead of eight).
    """
    password_hash = None
    for row in data()["users"]:
        email, name = row["email"], row["name"]
        user = User.objects.filter(email=email).first()
        if user is None:
            password_hash = password_hash or make_password(PASSWORD)
            user = User.objects.create(email=email, name=name, password=password_hash)
            result.created += 1
        elif user.name != name:
            user.name = name
            user.save(update_fields=["name"])
            result.updated += 1
        address, created = EmailAddress.objects.get_or_create(
            user=user, email=email, defaults={"verified": True, "primary": True}
        )
        if not created and not (address.verified and address.primary):
            address.verified = address.primary = True
            address.save(update_fields=["verified", "primary"])
        result.users[email] = user


def _programs(result: Result) -> None:
    """The programs. ``save_record`` needs a ``program_id``, so the tenant's own entry is
    written here."""
    for slug, row in data()["programs"].items():
        values = {
            "name": row["name"],
            "coordinator_name": row["coordinator_name"],
            "funder": row.get("funder", ""),
            "grant_reference": row.get("grant_reference", ""),
            "grant_amount": Decimal(row["grant_amount"]) if "grant_amount" in row else None,
            "period_start": row.get("period_start"),
            "period_end": row.get("period_end"),
            "method_template": row["method_template"],
        }
        program = Program.objects.filter(slug=slug).first()
        if program is None:
            program = Program.objects.create(slug=slug, **values)
            action, changes = AuditEntry.Action.CREATE, audit.snapshot(program)
            result.created += 1
        else:
            before = audit.snapshot(program)
            for name, value in values.items():
                setattr(program, name, value)
            changes = audit.diff(before, audit.snapshot(program))
            if changes:
                program.save()
                action = AuditEntry.Action.UPDATE
                result.updated += 1
        if changes:
            with scope(program=program):
                AuditEntry.objects.create(
                    program=program,
                    actor=_actor(result, slug),
                    action=action,
                    model_label=Program._meta.label,
                    object_id=str(program.pk),
                    object_repr=str(program),
                    changes=changes,
                )
        result.programs[slug] = program


def _places(result: Result) -> None:
    """The places with their boundaries, and their zones (Sala) with theirs."""
    places = data()["places"]
    municipalities = {
        m.name: m
        for m in Municipality.objects.filter(name__in={p["municipality"] for p in places.values()})
    }
    for key, row in places.items():
        program = result.programs[row["program"]]
        actor = _actor(result, row["program"])
        with scope(program=program):
            place = _upsert(
                result,
                Place,
                actor=actor,
                lookup={"program": program, "name": row["name"]},
                values={
                    "municipality": municipalities[row["municipality"]],
                    "description": row["description"],
                    "phase": row["phase"],
                    "baseline_date": row.get("baseline_date"),
                    "boundary": polygon(row["centre"], row["corners"]),
                },
                create=lambda obj, program=program, actor=actor: save_place(
                    actor=actor, program=program, place=obj
                ),
            )
            _began(place, program)
            for name, corners in row.get("zones", {}).items():
                _upsert(
                    result,
                    Zone,
                    actor=actor,
                    lookup={"place": place, "name": name},
                    values={"program": program, "boundary": polygon(row["centre"], corners)},
                    create=lambda obj, actor=actor: save_record(actor=actor, instance=obj),
                )
            result.places[key] = place


def _began(place: Place, program) -> None:
    """The demo's places were set up when their program began (or at their baseline, if that
    came first), not on the day the demo is loaded: a report on a past period includes them."""
    days = [d for d in (program.period_start, place.baseline_date) if d]
    if not days:
        return
    began = timezone.make_aware(datetime.datetime.combine(min(days), datetime.time(9, 0)))
    if place.created_at > began:
        Place.objects.filter(pk=place.pk).update(created_at=began)
        place.created_at = began


def contact_email(name: str) -> str:
    """``Åsa Berglund`` → ``asa.berglund@example.com``."""
    ascii_name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    return ascii_name.lower().replace(" ", ".") + "@example.com"


def contact_phone(index: int) -> str:
    """The ``index``-th number of the series PTS reserves for fiction (070-174 06 05–99)."""
    return f"070-174 06 {5 + index % 95:02d}"


def _organisations(result: Result) -> None:
    """Organisations, their contacts and their stakeholdings at the places."""
    municipalities = {m.name: m for m in Municipality.objects.all()}
    contact_index = 0
    for slug, organisations in data()["organisations"].items():
        program = result.programs[slug]
        actor = _actor(result, slug)
        with scope(program=program):
            for row in organisations:
                organisation = _upsert(
                    result,
                    Organisation,
                    actor=actor,
                    lookup={"program": program, "name": row["name"]},
                    values={
                        "category": row["category"],
                        "municipality": municipalities.get(row.get("municipality")),
                        "website": row.get("website", ""),
                    },
                    create=lambda obj, actor=actor, program=program: create_organisation(
                        actor=actor, program=program, organisation=obj
                    ),
                )
                for name, role in row["contacts"]:
                    _upsert(
                        result,
                        Contact,
                        actor=actor,
                        lookup={"organisation": organisation, "name": name},
                        values={
                            "role": role,
                            "email": contact_email(name),
                            "phone": contact_phone(contact_index),
                        },
                        create=lambda obj, actor=actor, organisation=organisation: create_contact(
                            actor=actor, organisation=organisation, contact=obj
                        ),
                    )
                    contact_index += 1
                for at in row["at"]:
                    for place_key in at["places"]:
                        place = result.places[place_key]
                        _upsert(
                            result,
                            Stakeholder,
                            actor=actor,
                            lookup={"place": place, "organisation": organisation},
                            values={
                                "group": at["group"],
                                "commitment": at["commitment"],
                                "joined_on": at["joined"],
                                "agreement_type": at.get("agreement", ""),
                                "agreement_signed_on": at.get("signed"),
                            },
                            create=lambda obj, actor=actor, place=place: save_stakeholder(
                                actor=actor, place=place, stakeholder=obj
                            ),
                        )


def _memberships(result: Result) -> None:
    """Each demo user's role in their program, with places and organisation where they apply.

    Written directly (the services create memberships only through an accepted invitation) and
    logged with the coordinator as the actor.
    """
    for row in data()["users"]:
        program = result.programs[row["program"]]
        actor = _actor(result, row["program"])
        user = result.users[row["email"]]
        role = row["role"]
        with scope(program=program):
            organisation = (
                program.organisations.get(name=row["organisation"])
                if "organisation" in row
                else None
            )
            places = [result.places[key] for key in row.get("places", [])]
            wanted = {"role": role, "organisation": str(organisation or "")}
            membership = Membership.objects.filter(user=user, program=program).first()
            existed = membership is not None
            if not existed:
                membership = Membership.objects.create(
                    user=user, program=program, role=role, organisation=organisation
                )
                membership.log_action(
                    AuditEntry.Action.CREATE,
                    actor=actor,
                    changes={"user": user.email, **wanted, "places": [p.name for p in places]},
                )
                result.created += 1
            else:
                before = {
                    "role": membership.role,
                    "organisation": str(membership.organisation or ""),
                }
                if before != wanted:
                    membership.role, membership.organisation = role, organisation
                    membership.save(update_fields=["role", "organisation"])
                    membership.log_action(
                        AuditEntry.Action.UPDATE, actor=actor, changes=audit.diff(before, wanted)
                    )
                    result.updated += 1
            if set(membership.places.values_list("pk", flat=True)) != {p.pk for p in places}:
                membership.places.set(places)
                result.updated += existed


def _print_logins(result: Result, stdout) -> None:
    """The demo logins as a table, with the password and the address to open."""
    stdout.write(
        f"Demodata klar: {result.created} poster skapade, {result.updated} uppdaterade.\n\n"
    )
    rows = [("Roll", "E-post", "Program / plats")]
    for row in data()["users"]:
        where = result.programs[row["program"]].name
        if row.get("places"):
            where += " / " + ", ".join(result.places[key].name for key in row["places"])
        if row.get("organisation"):
            where += f" ({row['organisation']})"
        rows.append((str(Role(row["role"]).label), row["email"], where))
    widths = [max(len(r[i]) for r in rows) for i in range(3)]
    for i, (role, email, where) in enumerate(rows):
        stdout.write(f"  {role:<{widths[0]}}  {email:<{widths[1]}}  {where}\n")
        if i == 0:
            stdout.write("  " + "  ".join("-" * width for width in widths) + "\n")
    stdout.write(f"\nLösenord för alla: {PASSWORD}\nÖppna {settings.SITE_URL}/ och logga in.\n")
