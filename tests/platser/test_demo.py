"""The demo data (``manage.py load_demo``): complete, valid, isolated and idempotent.

The demo is loaded once for the module (``demo_output``, committed) and removed again after
it; each test runs in a transaction that is rolled back at its end, so a test that changes or
reloads the demo leaves the next one the demo as it was loaded.
"""

import io
import math
import re

import pytest
from allauth.account.models import EmailAddress
from django.core.management import call_command
from django.test import Client, override_settings
from django_scopes import scope, scopes_disabled

from demo import places as demo
from partnerships.models import (
    AuditEntry,
    Contact,
    Membership,
    Organisation,
    OrganisationCategory,
    Program,
    Role,
    User,
)
from platser import geo
from platser.models import Place, Stakeholder, Zone

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("demo_output")]

# The centres in shared/data/pilot-places.csv: each boundary must contain its centre.
CENTRES = {
    "Avesta centrum med busstorget": (60.1445, 16.1675),
    "Falun Knutpunkten och Årummet mot Holmtorget": (60.6065, 15.6355),
    "Sala centrum": (59.9203, 16.6063),
    "Hallstahammar centrum med stråket mot stationen": (59.6139, 16.2286),
    "Borlänge centrum": (60.4858, 15.4371),
}
PILOTS = list(CENTRES)[:4]
EMAILS = [row["email"] for row in demo.data()["users"]]


def _load(*args) -> str:
    out = io.StringIO()
    call_command("load_demo", *args, stdout=out)
    return out.getvalue()


def _counts() -> dict:
    # A test-only read across both programs to count every demo row.
    with scopes_disabled():
        counts = {
            model.__name__: model.objects.count()
            for model in (
                Program,
                Place,
                Zone,
                Organisation,
                Contact,
                Stakeholder,
                Membership,
                AuditEntry,
                User,
                EmailAddress,
            )
        }
        counts["place_members"] = Place.members.through.objects.count()
    return counts


@pytest.fixture(scope="module")
def demo_output(django_db_setup, django_db_blocker, tmp_path_factory):
    """What the first ``load_demo`` printed; the demo stays in the database for the module."""
    media = tmp_path_factory.mktemp("demo-media")
    with django_db_blocker.unblock(), override_settings(MEDIA_ROOT=media):
        before = _counts()
        output = _load()
    yield output
    with django_db_blocker.unblock(), override_settings(MEDIA_ROOT=media):
        demo.reset_demo()
        assert _counts() == before, "the demo's rows outlived the module"


def _programs():
    return Program.objects.get(slug="trygga-platser"), Program.objects.get(slug="tryggare-borlange")


def _extent_m(boundary: dict) -> tuple[float, float]:
    (min_lat, min_lon), (max_lat, max_lon) = geo.bounds([boundary])
    east = (max_lon - min_lon) * 111_320 * math.cos(math.radians(min_lat))
    north = (max_lat - min_lat) * 111_132
    return east, north


def test_load_demo_twice_changes_nothing():
    first = _counts()
    output = _load()
    assert _counts() == first
    assert "0 poster skapade, 0 uppdaterade" in output
    assert first["Program"] == 2
    assert first["Place"] == 5
    assert first["Zone"] == 3
    assert first["User"] == len(EMAILS)


def test_load_demo_repairs_a_changed_record():
    tp, _tb = _programs()
    with scope(program=tp):
        place = tp.places.get(name="Sala centrum")
        place.phase = "start"
        place.save()
        place.zones.get(name="Torget").delete()
    output = _load()
    assert "1 poster skapade, 1 uppdaterade" in output
    with scope(program=tp):
        place = tp.places.get(name="Sala centrum")
        assert place.phase == "uppfoljning"
        assert sorted(place.zones.values_list("name", flat=True)) == [
            "Stadsparken",
            "Stationen",
            "Torget",
        ]


def test_load_demo_reset_starts_over_and_keeps_other_programs(demo_output):
    first = _counts()
    other = Program.objects.create(name="Annat program", slug="annat", coordinator_name="X")
    with scope(program=other):
        Organisation.objects.create(program=other, name="Avesta kommun", category="kommun")
    tp, _tb = _programs()
    with scope(program=tp):
        tp.places.get(name="Sala centrum").zones.get(name="Torget").delete()
    output = _load("--reset")
    assert output.splitlines()[0] == demo_output.splitlines()[0]  # "N poster skapade, 0 …"
    counts = _counts()
    assert Program.objects.filter(slug="annat").exists()
    assert counts["Organisation"] == first["Organisation"] + 1
    assert counts["Zone"] == first["Zone"]
    assert counts["User"] == first["User"]


def test_load_demo_places_at_their_locations_with_valid_boundaries():
    # A test-only read across both programs.
    with scopes_disabled():
        places = {p.name: p for p in Place.objects.select_related("program", "municipality")}
        assert set(places) == set(CENTRES)
        for name, (lat, lon) in CENTRES.items():
            boundary = places[name].boundary
            assert geo.validate_polygon(boundary) == boundary, name
            corners = len(boundary["coordinates"][0]) - 1
            assert 5 <= corners <= 12, name
            assert geo.point_in_polygon((lon, lat), boundary), name
            assert all(250 <= side <= 750 for side in _extent_m(boundary)), name
            assert places[name].description.count(".") >= 2, name
        assert places["Borlänge centrum"].program.slug == "tryggare-borlange"
        assert places["Sala centrum"].municipality.name == "Sala"
        assert len({p.phase for p in places.values()}) == 5


def test_load_demo_sala_zones_lie_inside_the_place():
    tp, _tb = _programs()
    with scope(program=tp):
        sala = tp.places.get(name="Sala centrum")
        zones = {z.name: z.boundary for z in sala.zones.all()}
    assert set(zones) == {"Stationen", "Stadsparken", "Torget"}
    for name, boundary in zones.items():
        assert geo.validate_polygon(boundary) == boundary, name
        for lon, lat in boundary["coordinates"][0]:
            assert geo.point_in_polygon((lon, lat), sala.boundary), name


def test_load_demo_every_category_at_every_pilot_place():
    tp, _tb = _programs()
    with scope(program=tp):
        for name in PILOTS:
            place = tp.places.get(name=name)
            categories = set(place.stakeholders.values_list("organisation__category", flat=True))
            assert categories == set(OrganisationCategory.values), name
            assert place.stakeholders.filter(group=Stakeholder.Group.STEERING).exists(), name
            assert place.stakeholders.exclude(agreement_type="").exists(), name


def test_load_demo_stakeholders_are_plausible():
    # A test-only read across both programs.
    with scopes_disabled():
        for stakeholder in Stakeholder.objects.select_related("organisation", "place"):
            assert stakeholder.program_id == stakeholder.place.program_id
            assert stakeholder.organisation.program_id == stakeholder.program_id
            assert stakeholder.commitment
            assert 2024 <= stakeholder.joined_on.year <= 2025
            if stakeholder.agreement_type:
                assert stakeholder.agreement_signed_on >= stakeholder.joined_on
            else:
                assert stakeholder.agreement_signed_on is None


def test_load_demo_rows_pass_model_validation():
    for program in Program.objects.all():
        program.full_clean()
        with scope(program=program):
            for model in (Place, Zone, Organisation, Contact, Stakeholder, Membership):
                for obj in model.objects.filter(program=program):
                    obj.full_clean()


def test_load_demo_contacts_have_example_email_and_phone():
    # A test-only read across both programs.
    with scopes_disabled():
        contacts = list(Contact.objects.all())
        assert contacts
        for contact in contacts:
            assert re.fullmatch(r"[a-z.-]+@example\.com", contact.email), contact.email
            assert re.fullmatch(r"070-\d{3} \d{2} \d{2}", contact.phone), contact.phone
            assert contact.role
        assert len({c.email for c in contacts}) == len(contacts)
        for organisation in Organisation.objects.all():
            assert 1 <= organisation.contacts.count() <= 3, organisation.name


def test_load_demo_users_can_log_in():
    for email in EMAILS:
        client = Client()
        response = client.post("/konto/login/", {"login": email, "password": demo.PASSWORD})
        assert response.status_code == 302, email
        assert response.url == "/", email
        assert client.session["_auth_user_id"] == str(User.objects.get(email=email).pk), email


def test_load_demo_memberships_have_their_roles_and_places():
    tp, tb = _programs()
    with scope(program=tp):
        roles = {m.user.email: m for m in Membership.objects.select_related("user", "organisation")}
        assert roles["lansstyrelsen@demo.test"].role == Role.COORDINATOR
        assert roles["vinnova@demo.test"].role == Role.OBSERVER
        for town, name in zip(["avesta", "falun", "sala", "hallstahammar"], PILOTS, strict=True):
            membership = roles[f"{town}@demo.test"]
            assert membership.role == Role.PLACE_LEAD
            assert [p.name for p in membership.places.all()] == [name]
        partner = roles["partner@demo.test"]
        assert partner.role == Role.PARTNER
        assert partner.organisation.category == OrganisationCategory.FASTIGHETSAGARE
        assert partner.organisation.municipality.name == "Avesta"
        assert [p.name for p in partner.places.all()] == ["Avesta centrum med busstorget"]
        assert "borlange@demo.test" not in roles
    with scope(program=tb):
        members = list(Membership.objects.values_list("user__email", "role"))
        assert members == [("borlange@demo.test", Role.COORDINATOR)]


def test_load_demo_programs_are_isolated():
    tp, tb = _programs()
    assert tp.coordinator_name == "Länsstyrelsen Dalarna"
    assert tp.funder == "Vinnova"
    assert tp.grant_amount == 1800000
    assert tb.coordinator_name == "Borlänge kommun"
    with scope(program=tb):
        names = set(Organisation.objects.values_list("name", flat=True))
        assert "Borlänge kommun" in names
        assert "Avesta kommun" not in names
        assert list(Place.objects.values_list("name", flat=True)) == ["Borlänge centrum"]
    with scope(program=tp):
        assert not Organisation.objects.filter(name="Borlänge kommun").exists()


def test_load_demo_writes_the_audit_log_as_the_coordinator():
    tp, tb = _programs()
    with scope(program=tp):
        actors = set(AuditEntry.objects.values_list("actor__email", flat=True))
        assert actors == {"lansstyrelsen@demo.test"}
        labels = set(AuditEntry.objects.values_list("model_label", flat=True))
        assert {
            "platser.Place",
            "partnerships.Organisation",
            "partnerships.Contact",
            "platser.Stakeholder",
            "partnerships.Membership",
        } <= labels
    with scope(program=tb):
        actors = set(AuditEntry.objects.values_list("actor__email", flat=True))
        assert actors == {"borlange@demo.test"}


def test_load_demo_prints_the_logins(settings, demo_output):
    assert re.match(r"Demodata klar: [1-9]\d+ poster skapade, 0 uppdaterade", demo_output)
    for email in EMAILS:
        assert email in demo_output
    assert demo.PASSWORD in demo_output
    assert f"Öppna {settings.SITE_URL}/ och logga in." in demo_output
