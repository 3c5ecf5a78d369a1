"""Shared fixtures: two programs and the healthchecks-style personas.

Program A ("Trygga platser") has a place, an organisation with a contact, a stakeholder and one
member of each role; program B ("Tryggare Borlänge") has its own place and its coordinator, the
``outsider`` whose view of A must always be a 404.
"""

import importlib
import uuid

import pytest
from django.apps import apps
from django.test import Client
from django_scopes import scopes_disabled

from partnerships.models import Municipality, Role
from tests.factories import (
    ContactFactory,
    MembershipFactory,
    OrganisationFactory,
    PlaceFactory,
    ProgramFactory,
    StakeholderFactory,
    UserFactory,
    square,
)

# The ``real_worker`` fixture for the tests marked ``worker``; the S3 API server and buckets.
pytest_plugins = ["tests.worker", "tests.s3"]


def _load_reference_data() -> None:
    """Load the reference data that migrations put in (municipalities, the survey question bank)
    when it is missing."""
    from surveys.models import Question

    if not Municipality.objects.exists():
        importlib.import_module("partnerships.migrations.0004_load_municipalities").load(apps, None)
    if not Question.bank.exists():
        with scopes_disabled():  # bank items belong to no program
            importlib.import_module("surveys.migrations.0002_seed_question_bank").seed(apps, None)


@pytest.fixture(autouse=True)
def _reference_data(request):
    """A transactional test (live_server, a real worker, row locks) flushes every table when it
    ends, reference data included, and pytest-django runs those tests last: each of them loads
    the reference data again first, whichever order they run in."""
    marker = request.node.get_closest_marker("django_db")
    transactional = bool(marker and marker.kwargs.get("transaction")) or any(
        name in request.fixturenames for name in ("transactional_db", "live_server")
    )
    if transactional:
        request.getfixturevalue("transactional_db")
        _load_reference_data()


@pytest.fixture(autouse=True)
def _own_cache_keys(settings):
    """Each test reads and writes its own cache keys. Ids start again in every test database
    (and Redis outlives a test run), so a key such as a program's cached dashboard would
    otherwise find what an earlier test left under the same ids. A prefix, not a flush: the
    Redis database is the real worker's broker too."""
    settings.CACHES = {
        alias: {**config, "KEY_PREFIX": f"test-{uuid.uuid4().hex[:12]}"}
        for alias, config in settings.CACHES.items()
    }


@pytest.fixture(autouse=True)
def _media_root(settings, tmp_path):
    """Uploaded files go to a per-test directory, never into the project tree."""
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def program(db):
    return ProgramFactory(name="Trygga platser", slug="trygga-platser")


@pytest.fixture
def other_program(db):
    return ProgramFactory(
        name="Tryggare Borlänge", slug="tryggare-borlange", coordinator_name="Borlänge kommun"
    )


@pytest.fixture
def place(program):
    return PlaceFactory(program=program, name="Avesta centrum")


@pytest.fixture
def second_place(program):
    return PlaceFactory(program=program, name="Sala centrum", boundary=square(lon=16.60, lat=59.92))


@pytest.fixture
def other_place(other_program):
    return PlaceFactory(
        program=other_program,
        name="Borlänge centrum",
        municipality=Municipality.objects.get(code="2081"),
        boundary=square(lon=15.43, lat=60.48),
    )


@pytest.fixture
def organisation(program):
    return OrganisationFactory(program=program, name="Avestahem AB")


@pytest.fixture
def contact(organisation):
    return ContactFactory(
        organisation=organisation, name="Anna Andersson", email="anna.andersson@example.com"
    )


@pytest.fixture
def stakeholder(place, organisation):
    return StakeholderFactory(place=place, organisation=organisation)


def _member(program, role, email, **kwargs):
    user = UserFactory(email=email, name=email.split("@")[0].title())
    MembershipFactory(user=user, program=program, role=role, **kwargs)
    return user


@pytest.fixture
def coordinator(program):
    return _member(program, Role.COORDINATOR, "samordnare@example.com")


@pytest.fixture
def place_lead(program, place):
    return _member(program, Role.PLACE_LEAD, "platsansvarig@example.com", places=[place])


@pytest.fixture
def other_place_lead(program, second_place):
    """A place lead in program A, but of another place than ``place``."""
    return _member(program, Role.PLACE_LEAD, "sala@example.com", places=[second_place])


@pytest.fixture
def partner(program, place, organisation):
    return _member(
        program, Role.PARTNER, "partner@example.com", organisation=organisation, places=[place]
    )


@pytest.fixture
def observer(program):
    return _member(program, Role.OBSERVER, "observator@example.com")


@pytest.fixture
def outsider(other_program):
    """Coordinator of program B: everything of program A must be a 404 to them."""
    return _member(other_program, Role.COORDINATOR, "borlange@example.com")


@pytest.fixture
def client_for(db):
    """``client_for(user)``: a test client logged in as ``user`` (anonymous for ``None``)."""

    def make(user=None) -> Client:
        client = Client()
        if user is not None:
            client.force_login(user)
        return client

    return make


def program_rows(program) -> dict:
    """Every row of every model that belongs to ``program``, plus the place–member links.

    Used to prove that a request wrote nothing: comparing the full values (not just counts)
    also catches an update.
    """
    rows = {}
    # A test-only read across every program-owned model, including the scoped ones.
    with scopes_disabled():
        for model in apps.get_models():
            if any(f.name == "program" and f.is_relation for f in model._meta.fields):
                rows[model._meta.label] = sorted(
                    map(repr, model._base_manager.filter(program=program).values())
                )
        from platser.models import Place

        rows["place_members"] = sorted(
            Place.members.through.objects.filter(place__program=program).values_list(
                "place_id", "membership_id"
            )
        )
    return rows


@pytest.fixture
def snapshot():
    """``snapshot(program)``: all of a program's rows, to compare before and after a request."""
    return program_rows
