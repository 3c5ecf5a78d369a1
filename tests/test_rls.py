"""Row-level security under the application (partnerships/tenancy.py), on PostgreSQL.

The tables come from the models, so a new program-owned model without a policy fails here. The
application role is the one the web and worker processes use in production
(``DATABASE_APP_ROLE``, ``trygga_app`` by default); a test becomes it with ``SET LOCAL ROLE``
inside its own transaction, which the test's rollback ends.

Marked ``postgres``: SQLite has no row-level security (the README says so), and ``make test``
deselects these there.
"""

import datetime
from contextlib import contextmanager

import pytest
from django.conf import settings
from django.core import mail
from django.core.management import call_command
from django.db import DatabaseError, connection, transaction
from django.http import JsonResponse
from django.urls import include, path
from django.utils import timezone
from django_scopes import scope

from partnerships import tenancy
from partnerships.models import Invitation, Program, Role
from platser.models import Place
from tests.conftest import _load_reference_data
from tests.factories import (
    CalendarFeedFactory,
    InvitationFactory,
    MembershipFactory,
    PlaceFactory,
    UserFactory,
)

pytestmark = [pytest.mark.postgres, pytest.mark.django_db]

APP_ROLE = settings.DATABASE_APP_ROLE or "trygga_app"
TABLES = tenancy.protected_tables()


def _quote(name: str) -> str:
    return connection.ops.quote_name(name)


@pytest.fixture
def as_app_role(db):
    """A context manager: the statements inside run as the application role.

    The role is made here if the database user may (CI makes it beforehand, ``.ci/run``), and
    gets its rights as ``migrate`` gives them when ``DATABASE_APP_ROLE`` is set.
    """
    assert connection.vendor == "postgresql", "needs DATABASE_URL=postgres://… (marker postgres)"
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_roles WHERE rolname = %s", [APP_ROLE])
        if cursor.fetchone() is None:
            try:
                with transaction.atomic():
                    cursor.execute(f"CREATE ROLE {_quote(APP_ROLE)} NOLOGIN")
                    cursor.execute(f"GRANT {_quote(APP_ROLE)} TO CURRENT_USER")
            except DatabaseError:
                pytest.fail(
                    f"the role {APP_ROLE} is missing and {connection.settings_dict['USER']} may "
                    f"not create it: CREATE ROLE {APP_ROLE} NOLOGIN; GRANT {APP_ROLE} TO "
                    f"{connection.settings_dict['USER']}; (as .ci/run does)"
                )
        cursor.execute("SELECT pg_has_role(CURRENT_USER, %s, 'MEMBER')", [APP_ROLE])
        assert cursor.fetchone()[0], f"GRANT {APP_ROLE} TO {connection.settings_dict['USER']}"
        assert not tenancy.role_can_bypass(connection, APP_ROLE), f"{APP_ROLE} bypasses RLS"
        # The rights migrate grants when DATABASE_APP_ROLE is set (CI sets it).
        for statement in tenancy.grant_statements(APP_ROLE, _quote):
            cursor.execute(statement)

    @contextmanager
    def become():
        with connection.cursor() as cursor:
            cursor.execute(f"SET LOCAL ROLE {_quote(APP_ROLE)}")
        try:
            yield
        finally:
            with connection.cursor() as cursor:
                cursor.execute("RESET ROLE")

    return become


def _count(table: tenancy.ProtectedTable, program_ids=None) -> int:
    """Rows of ``table`` (of these programs), counted with plain SQL."""
    sql = f"SELECT count(*) FROM {_quote(table.table)} AS t"
    params = []
    if program_ids is not None:
        if table.program_column:
            sql += f" WHERE t.{_quote(table.program_column)} = ANY(%s)"
        else:
            sql += (
                f" JOIN {_quote(table.parent_table)} AS parent"
                f" ON parent.id = t.{_quote(table.parent_column)}"
                " WHERE parent.program_id = ANY(%s)"
            )
        params = [list(program_ids)]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchone()[0]


def _shared_rows(table: tenancy.ProtectedTable) -> int:
    """Rows that belong to no program (the question bank), which every program may read."""
    if table.shared_rows:
        with connection.cursor() as cursor:
            column = _quote(table.program_column)
            cursor.execute(f"SELECT count(*) FROM {_quote(table.table)} WHERE {column} IS NULL")
            return cursor.fetchone()[0]
    if table.table == "surveys_answeroption":
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT count(*) FROM surveys_answeroption o JOIN surveys_question q"
                " ON q.id = o.question_id WHERE q.program_id IS NULL"
            )
            return cursor.fetchone()[0]
    return 0


# --- The policies follow the models --------------------------------------------------------


@pytest.mark.parametrize("table", TABLES, ids=[t.table for t in TABLES])
def test_every_program_owned_table_has_the_program_policy(table):
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT relrowsecurity FROM pg_class WHERE relname = %s AND relkind = 'r'",
            [table.table],
        )
        assert cursor.fetchone() == (True,), f"row-level security is off on {table.table}"
        cursor.execute(
            "SELECT cmd, qual, with_check FROM pg_policies"
            " WHERE tablename = %s AND policyname = %s",
            [table.table, tenancy.POLICY],
        )
        policies = cursor.fetchall()
    assert len(policies) == 1, f"{table.table} has no {tenancy.POLICY} policy"
    cmd, qual, with_check = policies[0]
    assert cmd == "ALL"
    expected = "app.programs" if table.program_column else table.parent_table
    assert expected in qual and expected in with_check


def test_every_table_of_the_apps_is_protected_or_named_as_shared():
    names = set(connection.introspection.table_names())
    ours = {n for n in names if n.split("_", 1)[0] in tenancy.APP_LABELS}
    protected = {t.table for t in TABLES}
    assert ours - protected - set(tenancy.SHARED_TABLES) == set()
    assert len(protected) >= 40


def test_a_model_without_a_program_or_a_program_owned_parent_is_refused():
    from django.apps import apps as registry
    from django.db import models

    class Loose(models.Model):  # noqa: DJ008
        note = models.TextField()

        class Meta:
            app_label = "platser"
            db_table = "platser_loose_for_test"

    try:
        with pytest.raises(LookupError, match="platser_loose_for_test"):
            tenancy.protected_tables()
    finally:
        del registry.all_models["platser"]["loose"]
        registry.clear_cache()


# --- What the application role sees ---------------------------------------------------------


# Record types the demo makes no rows of (jobs' and requests' traces); their policy is checked
# above all the same.
LEFT_EMPTY_BY_THE_DEMO = {
    "measures_measurephoto",
    "measures_overduedigest",
    "partnerships_meetinginvitation",
    "platser_incidentimport",
    "records_erasure",
    "records_programexport",
    "records_retentionrule",
    "reports_reportschedule_recipient_members",
    # Made when a results page is first opened; the demo uses the shared question bank only.
    "surveys_resultssnapshot",
    "surveys_question",
    "surveys_answeroption",
}


@pytest.fixture
def two_programs():
    """The demo (two programs, every record type), plus the few record types it leaves empty."""
    _load_reference_data()
    call_command("load_demo", verbosity=0)
    main = Program.objects.get(slug="trygga-platser")
    other = Program.objects.exclude(pk=main.pk).get()
    for program in (main, other):
        place = PlaceFactory(program=program)
        member = MembershipFactory(program=program, role=Role.COORDINATOR)
        InvitationFactory(program=program, places=[place])
        CalendarFeedFactory(program=program, user=member.user)
    return main, other


def test_the_application_role_sees_only_the_programs_of_its_context(two_programs, as_app_role):
    main, other = two_programs
    # As the owner (the migration role), for the comparison.
    expected = {
        table.table: {
            "all": _count(table),
            "main": _count(table, [main.pk]) + _shared_rows(table),
            "other": _count(table, [other.pk]) + _shared_rows(table),
            "both": _count(table, [main.pk, other.pk]) + _shared_rows(table),
            "none": _shared_rows(table),
        }
        for table in TABLES
    }
    seen = {}
    with as_app_role():
        for table in TABLES:
            counts = {"none": _count(table)}
            with scope(program=main):
                counts["main"] = _count(table)
            with scope(program=other.pk):
                counts["other"] = _count(table)
            with scope(program=[main, other]):
                counts["both"] = _count(table)
            with tenancy.cross_program("archive"):
                counts["all"] = _count(table)
            seen[table.table] = counts
    wrong = {
        name: (seen[name], counts)
        for name, counts in expected.items()
        if {k: seen[name][k] for k in counts} != counts
    }
    assert wrong == {}
    # The comparison means something: most tables hold rows of the main program, and the
    # other program's context hides them.
    filled = [name for name, counts in expected.items() if counts["main"] > counts["none"]]
    assert set(expected) - set(filled) <= LEFT_EMPTY_BY_THE_DEMO
    assert seen["platser_place"]["other"] < seen["platser_place"]["main"]


def test_without_a_context_every_program_owned_table_is_empty(two_programs, as_app_role):
    with as_app_role():
        visible = {t.table: _count(t) - _shared_rows(t) for t in TABLES}
    assert {name: n for name, n in visible.items() if n} == {}


# --- A view that forgets the scope ----------------------------------------------------------


def _raw_place_count(request, **kwargs):
    """Deliberately broken: raw SQL and the unscoped base manager, no program filter at all."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM platser_place")
        raw = cursor.fetchone()[0]
    return JsonResponse({"raw": raw, "orm": Place._base_manager.count()})


urlpatterns = [
    path("p/<slug:program>/trasig-vy/", _raw_place_count),
    path("trasig-vy/", _raw_place_count),
    path("", include("config.urls")),
]


@pytest.mark.urls(__name__)
def test_a_view_that_forgets_the_scope_leaks_nothing(two_programs, as_app_role, client_for):
    main, other = two_programs
    coordinator = MembershipFactory(program=main, role=Role.COORDINATOR).user
    client = client_for(coordinator)
    with scope(program=main):
        main_places = Place.objects.count()
    all_places = Place._base_manager.count()
    assert all_places > main_places  # the other program has places to leak

    # As the owner the view is as broken as it looks ...
    assert client.get(f"/p/{main.slug}/trasig-vy/").json() == {
        "raw": all_places,
        "orm": all_places,
    }
    with as_app_role():
        # ... as the application role, its program's rows only,
        assert client.get(f"/p/{main.slug}/trasig-vy/").json() == {
            "raw": main_places,
            "orm": main_places,
        }
        # and outside a program's URL, none at all.
        assert client.get("/trasig-vy/").json() == {"raw": 0, "orm": 0}


# --- The processes' own paths work under the policies ---------------------------------------


def test_pages_and_a_form_work_as_the_application_role(two_programs, as_app_role, client_for):
    main, _ = two_programs
    coordinator = MembershipFactory(program=main, role=Role.COORDINATOR).user
    client = client_for(coordinator)
    with scope(program=main):
        place = Place.objects.order_by("pk").first()
    with as_app_role():
        home = client.get("/")  # the program picker reads memberships of every program
        assert home.status_code == 302 and home["Location"] == f"/p/{main.slug}/"
        page = client.get(f"/p/{main.slug}/platser/{place.pk}/")
        assert page.status_code == 200 and place.name in page.content.decode()
        response = client.post(
            f"/p/{main.slug}/organisationer/ny/",
            {"name": "Gatuföreningen Torget", "category": "civilsamhalle"},
        )
        assert response.status_code == 302, response.content.decode()[:500]
    with scope(program=main):
        assert main.organisations.filter(name="Gatuföreningen Torget").count() == 1


def test_a_sweeper_and_its_task_work_as_the_application_role(two_programs, as_app_role):
    main, other = two_programs
    mail.outbox.clear()
    old = timezone.now() - datetime.timedelta(minutes=10)
    with tenancy.cross_program("sweeper"):
        Invitation.objects.update(email_sent_at=timezone.now())
        pending = [
            InvitationFactory(program=program, email=f"ny@{program.slug}.example")
            for program in (main, other)
        ]
        Invitation.objects.filter(pk__in=[i.pk for i in pending]).update(created_at=old)
    from partnerships.tasks import send_pending_invitation_emails

    with as_app_role():
        assert send_pending_invitation_emails() == 2
    assert sorted(m.to[0] for m in mail.outbox) == sorted(i.email for i in pending)
    with tenancy.cross_program("sweeper"):
        unsent = Invitation.objects.filter(pk__in=[i.pk for i in pending], email_sent_at=None)
        assert list(unsent) == []


def test_cross_program_takes_only_a_named_reason():
    with (
        pytest.raises(ValueError, match="unknown cross-program reason"),
        tenancy.cross_program("x"),
    ):
        pass


def test_the_context_follows_the_scope_in_a_transaction(two_programs, as_app_role):
    """Inside one transaction the setting is set once per change and forgotten with a rolled
    back savepoint, exactly as PostgreSQL forgets it."""
    main, other = two_programs
    with as_app_role(), transaction.atomic():
        with scope(program=main):
            main_count = Place._base_manager.count()
            try:
                with transaction.atomic():
                    with scope(program=other):
                        assert Place._base_manager.count() < main_count
                    raise RuntimeError
            except RuntimeError:
                pass
            assert Place._base_manager.count() == main_count
        assert Place._base_manager.count() == 0
    assert UserFactory()  # the connection is still usable


def test_a_failed_statement_in_a_savepoint_leaves_the_context_usable(two_programs, as_app_role):
    """A constraint violation aborts the transaction until its savepoint is rolled back; the
    rollback must reach PostgreSQL before anything else (CI once failed here with
    InFailedSqlTransaction), and the program context is set again after it."""
    main, _other = two_programs
    with as_app_role(), transaction.atomic(), scope(program=main):
        count = Place._base_manager.count()
        with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
            cursor.execute("INSERT INTO platser_place (id) VALUES (NULL)")
        assert Place._base_manager.count() == count > 0


def _place_row(place_id: int) -> dict:
    """The stored columns of a place but its id, read as the owner."""
    columns = [f.column for f in Place._meta.concrete_fields if f.column != "id"]
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT {', '.join(_quote(c) for c in columns)} FROM platser_place WHERE id = %s",
            [place_id],
        )
        return dict(zip(columns, cursor.fetchone(), strict=True))


def _insert_place(row: dict, program_id: int) -> None:
    """A raw INSERT of ``row`` as a place of ``program_id`` (with a name of its own: names are
    unique within a program)."""
    row = {**row, "program_id": program_id, "name": f"{row['name']} (kopia {program_id})"}
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO platser_place ({', '.join(_quote(c) for c in row)}) "
            f"VALUES ({', '.join(['%s'] * len(row))})",
            list(row.values()),
        )


def test_writes_outside_the_context_are_refused(two_programs, as_app_role):
    """WITH CHECK: the application role writes only rows of the programs in its context, and
    without a context none; updates and deletes of other programs' rows touch nothing."""
    main, other = two_programs
    place = Place._base_manager.filter(program=main).first()
    row = _place_row(place.pk)
    before = Place._base_manager.count()
    refused = pytest.raises(DatabaseError, match="row-level security")
    with as_app_role():
        # Without a context no row may be written,
        with refused, transaction.atomic():
            _insert_place(row, main.pk)
        with scope(program=main):
            # inside program main's context no row of another program,
            with refused, transaction.atomic():
                _insert_place(row, other.pk)
            # nor may a row move to another program,
            with refused, transaction.atomic(), connection.cursor() as cursor:
                cursor.execute(
                    "UPDATE platser_place SET program_id = %s WHERE id = %s", [other.pk, place.pk]
                )
            # and updates and deletes find no row of the other program.
            with connection.cursor() as cursor:
                cursor.execute(
                    "UPDATE platser_place SET name = 'x' WHERE program_id = %s", [other.pk]
                )
                assert cursor.rowcount == 0
                cursor.execute("DELETE FROM platser_place WHERE program_id = %s", [other.pk])
                assert cursor.rowcount == 0
            # Its own program's rows it writes as before.
            _insert_place(row, main.pk)
    assert Place._base_manager.count() == before + 1
