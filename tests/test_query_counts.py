"""Query-count guards (NetBox's baselines, pretalx's ``test_cards.py``; STYLE.md §26), generated
over every route the way ``tests/test_isolation.py`` is.

Every route under ``/p/<program>/`` is either a page in ``PAGES`` (how to reach it and how to
add n more of what it lists) or in ``NO_ROWS`` with the reason it lists nothing that grows. A
route in neither fails the suite, so a new list cannot slip past. Each page is asked for with 3
rows and with 30, as each persona that takes its own path through the code, and must make the
same number of queries both times (an N+1 in a selector or template fails here, with the
statements that grew). ``rows`` checks that the 30 really are on the page.
"""

import contextlib
import datetime
import io
import itertools
import re
from collections import Counter
from types import SimpleNamespace

import pytest
from django.core.files.base import ContentFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from django_scopes import scope, scopes_disabled
from PIL import Image

from measures.models import Measure, MeasurePhoto, MeasureStatusChange
from partnerships.models import Municipality, Role
from platser.models import IncidentImport, Place, WalkParticipation
from records.models import ProgramExport, RetentionRule
from reports import dashboard
from surveys.models import Question, SurveyQuestion
from tests.factories import (
    ActivityFactory,
    AgendaItemFactory,
    AttendanceFactory,
    AuditEntryFactory,
    ContactFactory,
    DecisionFactory,
    FindingFactory,
    IncidentCategoryFactory,
    IncidentCountFactory,
    InvitationFactory,
    MeasureFactory,
    MeetingFactory,
    MembershipFactory,
    OrganisationFactory,
    PlaceFactory,
    ReportFactory,
    ReportScheduleFactory,
    SafetyWalkFactory,
    StakeholderFactory,
    SurveyFactory,
    UserFactory,
    ZoneFactory,
    square,
)
from tests.routes import program_routes
from tests.surveys.helpers import time_machine
from tests.surveys.results_data import respond

pytestmark = pytest.mark.django_db

_counter = itertools.count()
SAFE = "plats-trygg-kvall"


class World:
    """Program A's objects the pages are about, made when first asked for."""

    def __init__(self, program, place, organisation):
        self.program, self.place, self.organisation = program, place, organisation

    def __getattr__(self, name):
        make = MAKERS[name]  # only the names below; anything else is a test error
        value = make(self)
        setattr(self, name, value)
        return value


def _closed_survey(w, title="Nollmätning", wave=0, months=6):
    closes = timezone.localdate() - datetime.timedelta(days=30 * months)
    return SurveyFactory(
        program=w.program,
        places=[w.place],
        title=title,
        wave=wave,
        codes=[SAFE, "kon"],
        opens_on=closes - datetime.timedelta(days=20),
        closes_on=closes,
    )


MAKERS = {
    "walk": lambda w: SafetyWalkFactory(place=w.place),
    "meeting": lambda w: MeetingFactory(place=w.place),
    "measure": lambda w: MeasureFactory(place=w.place, responsible=w.organisation),
    "survey": lambda w: SurveyFactory(program=w.program, places=[w.place]),
    "baseline": lambda w: _closed_survey(w),
    "follow_up": lambda w: _closed_survey(w, title="Uppföljning", wave=1, months=2),
    "positions": lambda w: itertools.count(1),
}


def _organisation(program, contacts=2):
    organisation = OrganisationFactory(
        program=program, municipality=Municipality.objects.get(code="2084")
    )
    for _ in range(contacts):
        ContactFactory(organisation=organisation)
    return organisation


def _jpeg() -> ContentFile:
    buffer = io.BytesIO()
    Image.new("RGB", (4, 4), "green").save(buffer, "JPEG")
    return ContentFile(buffer.getvalue(), name="foto.jpg")


# --- what each page lists: add n more of it -------------------------------------------------


def add_places(w, n):
    for _ in range(n):
        i = next(_counter)
        place = PlaceFactory(program=w.program, boundary=square(16.0 + i * 0.01, 60.0))
        ZoneFactory(place=place)
        ZoneFactory(place=place)
        StakeholderFactory(place=place, organisation=_organisation(w.program))


def add_archived_places(w, n):
    add_places(w, n)
    with scopes_disabled():  # test set-up: archive the generated places
        Place.objects.filter(program=w.program).exclude(pk=w.place.pk).update(
            archived_at=timezone.now()
        )


def add_places_with_figures(w, n):
    """Places with what the county dashboard counts."""
    for _ in range(n):
        i = next(_counter)
        place = PlaceFactory(program=w.program, boundary=square(15.0 + i * 0.01, 60.5))
        StakeholderFactory(place=place, organisation=_organisation(w.program, contacts=0))
        MeasureFactory(place=place, status="genomford", actual_end=timezone.localdate())
        ActivityFactory(place=place, date=timezone.localdate())
        FindingFactory(place=place)


def add_organisations(w, n):
    for _ in range(n):
        StakeholderFactory(place=w.place, organisation=_organisation(w.program))


def add_organisation_content(w, n):
    for i in range(n):
        ContactFactory(organisation=w.organisation)
        place = PlaceFactory(program=w.program, boundary=square(16.0 + i * 0.01, 61.0))
        StakeholderFactory(place=place, organisation=w.organisation)


def add_stakeholders(w, n):
    for i in range(n):
        StakeholderFactory(
            place=w.place,
            organisation=_organisation(w.program),
            agreement_type="avsiktsforklaring" if i % 2 else "",
        )


def add_members(w, n):
    for i in range(n):
        if i % 2:
            MembershipFactory(program=w.program, role=Role.PLACE_LEAD, places=[w.place])
        else:
            MembershipFactory(
                program=w.program,
                role=Role.PARTNER,
                organisation=w.organisation,
                places=[w.place],
            )
        InvitationFactory(
            program=w.program, role=Role.PARTNER, organisation=w.organisation, places=[w.place]
        )


def add_audit_entries(w, n):
    for _ in range(n):
        AuditEntryFactory(program=w.program)


def add_place_content(w, n):
    for _ in range(n):
        StakeholderFactory(place=w.place, organisation=_organisation(w.program))
        ZoneFactory(place=w.place)
        MembershipFactory(program=w.program, role=Role.PLACE_LEAD, places=[w.place])


def add_findings(w, n, walk=None):
    for _ in range(n):
        i = next(_counter)
        FindingFactory(
            place=w.place,
            walk=walk,
            category=["belysning", "klotter", "sikt", "vegetation"][i % 4],
            point={"type": "Point", "coordinates": [16.1682 + (i % 10) * 0.0001, 60.1455]},
            responsible_organisation=OrganisationFactory(program=w.program),
            reported_by=UserFactory(),
        )


def add_walks(w, n):
    for _ in range(n):
        i = next(_counter)
        walk = SafetyWalkFactory(
            place=w.place,
            date=datetime.date(2024, 1, 1) + datetime.timedelta(days=i),
            follow_up_date=datetime.date(2024, 8, 1) + datetime.timedelta(days=i),
        )
        _participate(walk)
        FindingFactory(place=w.place, walk=walk)


def _participate(walk):
    with scopes_disabled():  # test set-up
        WalkParticipation.objects.create(
            program=walk.program,
            walk=walk,
            organisation=OrganisationFactory(program=walk.program),
            count=2,
        )


def add_walk_content(w, n):
    add_findings(w, n, walk=w.walk)
    for _ in range(n):
        _participate(w.walk)


def add_meetings(w, n):
    for i in range(n):
        meeting = MeetingFactory(
            place=PlaceFactory(program=w.program), title=f"Möte {next(_counter)}"
        )
        AgendaItemFactory(meeting=meeting, position=1)
        DecisionFactory(meeting=meeting, number=1)
        AttendanceFactory(meeting=meeting, status=["narvarande", "franvarande"][i % 2])


def add_meeting_content(w, n):
    for i in range(n):
        item = AgendaItemFactory(meeting=w.meeting, position=next(w.positions))
        DecisionFactory(
            meeting=w.meeting,
            agenda_item=item,
            responsible_organisation=OrganisationFactory(program=w.program),
        )
        AttendanceFactory(meeting=w.meeting, status=["narvarande", "franvarande"][i % 2])


def add_surveys(w, n):
    for _ in range(n):
        SurveyFactory(program=w.program, places=[w.place], codes=[SAFE])


def _own_question(w):
    with scope(program=w.program):
        question = Question.objects.create(
            program=w.program, kind="fritext", text_sv=f"Egen fråga {next(_counter)}?"
        )
    return question


def add_own_questions(w, n):
    for _ in range(n):
        _own_question(w)


def add_survey_questions(w, n):
    with scopes_disabled():  # test set-up
        start = SurveyQuestion.objects.filter(survey=w.survey).count()
    for position in range(start + 1, start + n + 1):
        question = _own_question(w)
        with scopes_disabled():  # test set-up
            SurveyQuestion.objects.create(
                program=w.program, survey=w.survey, question=question, position=position
            )


def add_responses(w, n):
    respond(w.baseline, w.place, [{SAFE: 1 + i % 4, "kon": 1 + i % 2} for i in range(n * 5)])


def add_wave_responses(w, n):
    respond(w.baseline, w.place, [{SAFE: 1 + i % 4} for i in range(n * 5)])
    respond(w.follow_up, w.place, [{SAFE: 1 + i % 3, "kon": 1} for i in range(n * 5)])


def add_measures(w, n):
    for i in range(n):
        measure = MeasureFactory(
            place=w.place,
            responsible=OrganisationFactory(program=w.program),
            planned_end=datetime.date(2020, 1, 1) if i % 2 else None,
        )
        with scopes_disabled():  # test set-up
            measure.contributors.add(w.organisation)


def add_measure_content(w, n):
    with scopes_disabled():  # test set-up: history, photos and contributors of one measure
        for i in range(n):
            MeasureStatusChange.objects.create(
                program=w.program,
                measure=w.measure,
                from_status="planerad",
                to_status="pagaende",
                reason=f"Steg {i}",
                actor=UserFactory(),
            )
            MeasurePhoto.objects.create(
                program=w.program, measure=w.measure, image=_jpeg(), uploaded_by=UserFactory()
            )
            w.measure.contributors.add(OrganisationFactory(program=w.program))


def add_activities(w, n):
    measure = MeasureFactory(place=w.place, responsible=w.organisation)
    ActivityFactory.create_batch(n, place=w.place, organisation=w.organisation, measure=measure)


def add_cofinancing(w, n):
    for _ in range(n):
        ActivityFactory(place=w.place, organisation=OrganisationFactory(program=w.program))


def add_reports(w, n):
    for _ in range(n):
        ReportFactory(
            program=w.program, status="klar", kind="plats", place=PlaceFactory(program=w.program)
        )


def add_exports(w, n):
    for _ in range(n):
        ProgramExport.objects.create(
            program=w.program, requested_by=UserFactory(), status="klar", size=1000
        )


def add_people(w, n):
    for _ in range(n):
        ContactFactory(organisation=w.organisation)
        MembershipFactory(program=w.program, role=Role.PARTNER, organisation=w.organisation)


def add_retention_due(w, n):
    long_ago = timezone.now() - datetime.timedelta(days=900)
    with scopes_disabled():  # test set-up: closed findings with photos, long ago
        RetentionRule.objects.get_or_create(program=w.program, kind="fyndfoton", months=24)
        for _ in range(n):
            finding = FindingFactory(place=PlaceFactory(program=w.program), status="stangd")
            finding.photo.save("fynd.jpg", _jpeg(), save=True)
            type(finding).objects.filter(pk=finding.pk).update(status_changed_at=long_ago)


def add_schedules(w, n):
    for _ in range(n):
        ReportScheduleFactory(program=w.program, place=PlaceFactory(program=w.program))


# --- the pages ------------------------------------------------------------------------------


def _html_rows(content: str) -> int:
    return content.count("<tr") + content.count('class="chip ') + content.count('<li><a href="/p/')


def _list_items(content: str) -> int:
    return content.count("<li")


def _lines(content: str) -> int:
    return content.count("\n")


def _place(w):
    return {"pk": w.place.pk}


def _at_place(w):
    return {"place": w.place.pk}


def _walk(w):
    return {"place": w.place.pk, "pk": w.walk.pk}


def _meeting(w):
    return {"pk": w.meeting.pk}


def _baseline(w):
    return {"pk": w.baseline.pk}


def _none(w):
    return {}


# (url name, query string, add n rows, personas, URL kwargs, rows shown (None: figures, not
# lines, e.g. survey results; files are counted by lines where they are text))
def add_incident_categories(w, n):
    """n categories with counts in all three areas before and after: n rows on the page."""
    today = timezone.localdate().replace(day=1)
    for _ in range(n):
        category = IncidentCategoryFactory(program=w.program)
        for months_ago in (3, 15):
            month = (today - datetime.timedelta(days=30 * months_ago)).replace(day=1)
            for area in ("mal", "buffert", "jamforelse"):
                IncidentCountFactory(
                    place=w.place, program=w.program, category=category, month=month, area=area
                )


def add_incident_imports(w, n):
    for _ in range(n):
        i = next(_counter)
        with scopes_disabled():  # test set-up: an import of program A
            IncidentImport.objects.create(
                program=w.program,
                place=w.place,
                source="polisen",
                original_file=f"incident-imports/{w.program.pk}/{i}",
                original_name=f"polisen-{i}.csv",
                sha256=f"{i:064d}",
                row_count=12,
                period_start=datetime.date(2025, 1, 1),
                period_end=datetime.date(2025, 12, 1),
            )


def add_done_measure_effects(w, n):
    """The measure done nine months ago (its recorded end), n other done measures of the place
    to follow up with it, and n incident categories: n rows on the page."""
    done = timezone.localdate() - datetime.timedelta(days=270)
    with scopes_disabled():  # test set-up: measures of program A
        Measure.objects.filter(pk=w.measure.pk).update(status="genomford", actual_end=done)
        w.measure.refresh_from_db()
        for _ in range(n):
            MeasureFactory(
                place=w.measure.place,
                responsible=w.organisation,
                status="genomford",
                actual_end=done,
            )
    add_incident_categories(w, n)


P = SimpleNamespace
PAGES = [
    P(
        name="measures:place_effects",
        add=add_incident_categories,
        personas=["coordinator", "observer"],
        kwargs=_at_place,
        rows=lambda content: content.count("<tr data-category>"),
    ),
    P(
        name="measures:measure_effects",
        add=add_done_measure_effects,
        personas=["coordinator", "observer"],
        kwargs=lambda w: {"pk": w.measure.pk},
        rows=lambda content: content.count("<tr data-category>"),
    ),
    P(
        name="platser:incident_import",
        add=add_incident_imports,
        personas=["coordinator", "place_lead"],
        kwargs=_at_place,
        rows=lambda content: content.count("Ångra importen"),
    ),
    P(name="platser:overview", add=add_places, personas=["coordinator", "observer"]),
    P(name="platser:overview", query="?arkiverade=1", add=add_archived_places),
    P(
        name="platser:place",
        add=add_place_content,
        personas=["coordinator", "place_lead"],
        kwargs=_place,
    ),
    P(
        name="platser:stakeholders",
        add=add_stakeholders,
        personas=["coordinator", "place_lead", "observer"],
        kwargs=_place,
    ),
    P(
        name="platser:findings",
        add=add_findings,
        personas=["coordinator", "observer"],
        kwargs=_at_place,
    ),
    P(
        name="platser:findings",
        query="?kategori=belysning&status=oppen",
        add=add_findings,
        kwargs=_at_place,
        rows=None,
    ),
    P(name="platser:walks", add=add_walks, personas=["place_lead", "observer"], kwargs=_at_place),
    P(
        name="platser:walk",
        add=add_walk_content,
        personas=["coordinator", "observer"],
        kwargs=_walk,
    ),
    P(name="platser:walk_protocol", add=add_walk_content, kwargs=_walk, rows=None),
    P(
        name="partnerships:organisations",
        add=add_organisations,
        personas=["coordinator", "observer"],
    ),
    P(
        name="partnerships:organisation",
        add=add_organisation_content,
        personas=["coordinator", "observer"],
        kwargs=lambda w: {"pk": w.organisation.pk},
    ),
    P(name="partnerships:members", add=add_members),
    P(name="partnerships:audit_log", add=add_audit_entries),
    P(
        name="meetings:meetings",
        query="?tid=alla",
        add=add_meetings,
        personas=["coordinator", "partner"],
    ),
    P(
        name="meetings:meeting",
        add=add_meeting_content,
        personas=["coordinator", "observer"],
        kwargs=_meeting,
        rows=_list_items,
    ),
    P(name="meetings:meeting_minutes_pdf", add=add_meeting_content, kwargs=_meeting, rows=None),
    P(name="surveys:list", add=add_surveys, personas=["coordinator", "place_lead"]),
    P(name="surveys:question_list", add=add_own_questions),
    P(
        name="surveys:questions",
        add=add_survey_questions,
        kwargs=lambda w: {"pk": w.survey.pk},
        rows=_list_items,
    ),
    P(
        daily=True,
        name="surveys:results",
        query="?uppdelning=kon",
        add=add_responses,
        personas=["coordinator", "observer"],
        kwargs=_baseline,
        rows=None,
    ),
    P(daily=True, name="surveys:results_csv", add=add_responses, kwargs=_baseline, rows=None),
    P(daily=True, name="surveys:results_xlsx", add=add_responses, kwargs=_baseline, rows=None),
    P(daily=True, name="surveys:responses_csv", add=add_responses, kwargs=_baseline, rows=_lines),
    P(daily=True, name="surveys:responses_xlsx", add=add_responses, kwargs=_baseline, rows=None),
    P(
        daily=True,
        name="surveys:place_waves",
        add=add_wave_responses,
        personas=["coordinator", "partner"],
        kwargs=_at_place,
        rows=None,
    ),
    P(
        name="measures:plan",
        add=add_measures,
        personas=["coordinator", "partner"],
        kwargs=_at_place,
    ),
    P(name="measures:plan_csv", add=add_measures, kwargs=_at_place, rows=_lines),
    P(name="measures:plan_xlsx", add=add_measures, kwargs=_at_place, rows=None),
    P(
        name="measures:measure",
        add=add_measure_content,
        personas=["coordinator", "observer"],
        kwargs=lambda w: {"pk": w.measure.pk},
        rows=lambda c: c.count("<li") + c.count("<img"),
    ),
    P(name="measures:activity_start", add=add_places),
    P(name="measures:activities", add=add_activities, personas=["place_lead"], kwargs=_at_place),
    P(name="measures:cofinancing", add=add_cofinancing, personas=["coordinator", "observer"]),
    P(
        name="reports:dashboard",
        add=add_places_with_figures,
        personas=["coordinator", "place_lead", "observer"],
    ),
    P(
        name="reports:dashboard_map",
        add=add_places_with_figures,
        rows=lambda c: c.count('"Feature"'),
    ),
    P(name="reports:list", add=add_reports, personas=["coordinator", "observer"]),
    P(name="reports:schedules", add=add_schedules),
    P(name="records:exports", add=add_exports),
    P(name="records:personal_data", add=add_people),
    P(name="records:retention", add=add_retention_due, rows=_list_items),
]
for entry in PAGES:
    entry.__dict__.setdefault("query", "")
    entry.__dict__.setdefault("personas", ["coordinator"])
    entry.__dict__.setdefault("kwargs", _none)
    entry.__dict__.setdefault("rows", _html_rows)
    # Survey results move at most once a day (surveys.results.snapshots): measured a day apart.
    entry.__dict__.setdefault("daily", False)

# The program routes that list nothing that grows with the data, and why.
FORM = "a form: its choices come from one query each"
ONE_OBJECT = "one object and its own fields"
ACTION = "an action (POST) or a redirect"
FILE = "one stored file, served through the permission check"
NO_ROWS = {
    "platser:incident_import_undo": ACTION,
    "platser:place_create": FORM,
    "platser:place_update": FORM,
    "platser:zone_boundary": "a form; the place's other zones (at most 20) in one query",
    "platser:place_archive": ACTION,
    "platser:stakeholder_create": FORM,
    "platser:stakeholder_update": FORM,
    "platser:stakeholder_delete": ACTION,
    "platser:agreement": FILE,
    "platser:finding_create": FORM,
    "platser:finding": ONE_OBJECT,
    "platser:finding_update": FORM,
    "platser:finding_status": ACTION,
    "platser:finding_photo": FILE,
    "platser:walk_create": FORM,
    "platser:walk_update": FORM,
    "platser:walk_followed_up": ACTION,
    "partnerships:organisation_create": FORM,
    "partnerships:organisation_update": FORM,
    "partnerships:contact_create": FORM,
    "partnerships:contact_update": FORM,
    "partnerships:contact_delete": ACTION,
    "partnerships:invite": FORM,
    "partnerships:membership_update": FORM,
    "partnerships:invitation_revoke": ACTION,
    "meetings:meeting_create": FORM,
    "meetings:meeting_update": FORM,
    "meetings:meeting_attendance": FORM,
    "meetings:meeting_minutes": FORM,
    "meetings:meeting_ics": ONE_OBJECT,
    "meetings:meeting_invite": FORM,
    "meetings:meeting_cancel": ONE_OBJECT,
    "meetings:decision_create": FORM,
    "meetings:decision_update": FORM,
    "meetings:calendar_feeds": "a form and the person's own few calendar links",
    "meetings:calendar_feed_revoke": ACTION,
    "surveys:create": FORM,
    "surveys:question_create": FORM,
    "surveys:question_update": FORM,
    "surveys:question_delete": FORM,
    "surveys:detail": ONE_OBJECT,
    "surveys:update": FORM,
    "surveys:poster": ONE_OBJECT,
    "surveys:paper": FORM,
    "measures:measure_create": FORM,
    "measures:decision_measure": "a form: the member's places in one query",
    "measures:measure_update": FORM,
    "measures:measure_status": FORM,
    "measures:photo_create": FORM,
    "measures:photo": FILE,
    "measures:activity_create": FORM,
    "measures:activity_photo": FILE,
    "reports:create": FORM,
    "reports:detail": ONE_OBJECT,
    "reports:status": ONE_OBJECT,
    "reports:retry": ACTION,
    "reports:download": FILE,
    "reports:schedule_create": FORM,
    "reports:schedule_update": FORM,
    "reports:schedule_deactivate": ACTION,
    "records:export": "one export and its own counts",
    "records:export_status": ONE_OBJECT,
    "records:export_download": FILE,
    "records:user_extract": "one person: one query per record type, whatever their rows",
    "records:contact_extract": "one person: one query per record type, whatever their rows",
    "records:user_erase": FORM,
    "records:contact_erase": FORM,
}


def test_every_program_route_is_guarded_or_says_why_not():
    guarded = {entry.name for entry in PAGES}
    assert guarded.isdisjoint(NO_ROWS)
    assert sorted(set(program_routes()) - guarded - set(NO_ROWS)) == []
    assert sorted((guarded | set(NO_ROWS)) - set(program_routes())) == []


def _shapes(queries) -> Counter:
    """Statements with their literals blanked, counted: an N+1 shows as one shape repeated."""
    return Counter(re.sub(r"\b\d+\b|'[^']*'", "?", sql)[:300] for sql in queries)


def _get(client, url):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200, url
    content = b"".join(response) if response.streaming else response.content
    return [q["sql"] for q in queries.captured_queries], content.decode(errors="replace")


def _day(entry, days: int):
    if not entry.daily:
        return contextlib.nullcontext()
    return time_machine(timezone.localdate() + datetime.timedelta(days=days))


CASES = [
    pytest.param(entry, persona, id=f"{entry.name}{entry.query}-{persona}")
    for entry in PAGES
    for persona in entry.personas
]


@pytest.mark.parametrize(("entry", "persona"), CASES)
def test_query_count_is_the_same_for_3_and_30_rows(
    entry, persona, request, program, place, organisation, client_for, monkeypatch
):
    monkeypatch.setattr(dashboard, "STALE_SECONDS", 0)  # after a change, count again at once
    world = World(program, place, organisation)
    client = client_for(request.getfixturevalue(persona))
    url = reverse(entry.name, kwargs={"program": program.slug, **entry.kwargs(world)}) + entry.query

    client.get(url)  # warm up per-process caches (content types, sessions)
    entry.add(world, 3)
    # Both measurements are counted afresh: figures cached under a data version (the program
    # map, the dashboard) see a new audit entry (factories write none), survey results new
    # responses.
    AuditEntryFactory(program=program)
    with _day(entry, 1):
        small, _ = _get(client, url)

    entry.add(world, 27)
    AuditEntryFactory(program=program)
    with _day(entry, 2):
        large, content = _get(client, url)

    extra = "\n".join(f"{n} x {sql}" for sql, n in (_shapes(large) - _shapes(small)).most_common(5))
    assert len(small) == len(large), (
        f"{entry.name} as {persona}: {len(small)} queries with 3 rows, {len(large)} with 30.\n"
        f"Statements that grew with the data:\n{extra}"
    )
    if entry.rows is not None:
        assert entry.rows(content) >= 30, f"{entry.name}: the 30 rows are not in the answer"
