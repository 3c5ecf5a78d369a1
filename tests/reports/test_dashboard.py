"""The county dashboard (reports:dashboard): figures, links, sorting, period, personal data."""

import datetime
import json
import re
from decimal import Decimal
from urllib.parse import parse_qs, urlsplit

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import resolve, reverse
from django.utils import timezone
from django.utils.http import urlencode
from django_scopes import scope, scopes_disabled

from measures.models import Measure
from measures.services import change_status, log_activity
from reports import dashboard
from reports.dashboard import SORT_KEYS
from surveys.models import Question, Survey
from surveys.services import AnswerData, submit_response
from tests.factories import (
    ActivityFactory,
    AttendanceFactory,
    ContactFactory,
    FindingFactory,
    MeasureFactory,
    MeetingFactory,
    OrganisationFactory,
    PlaceFactory,
    StakeholderFactory,
    SurveyFactory,
    square,
)
from tests.surveys.results_data import respond

TODAY = timezone.localdate()
DAY = datetime.timedelta(days=1)
START, END = TODAY - 90 * DAY, TODAY


def _at(days_ago: int, hour=12):
    """An aware datetime ``days_ago`` days before now (past meetings)."""
    return timezone.now().replace(microsecond=0) - datetime.timedelta(days=days_ago, hours=hour)


def _survey(program, place, *, wave, opens, closes, safe, unsafe):
    survey = SurveyFactory(
        program=program,
        places=[place],
        codes=["plats-trygg-kvall"],
        wave=wave,
        opens_on=opens,
        closes_on=closes,
    )
    respond(
        survey,
        place,
        [{"plats-trygg-kvall": 1}] * safe + [{"plats-trygg-kvall": 4}] * unsafe,
        day=opens,
    )
    return survey


@pytest.fixture
def board_world(program, place, second_place, other_place):
    """Avesta with one of everything (exact numbers below), Sala with one done measure, an
    archived place and another program's place that must not show."""
    kommun = OrganisationFactory(program=program, name="Avesta kommun", category="kommun")
    hem = OrganisationFactory(
        program=program, name="Avesta Hem Fastigheter", category="fastighetsagare"
    )
    torg = OrganisationFactory(program=program, name="Torgfastigheter", category="fastighetsagare")
    for org in (kommun, hem, torg):
        StakeholderFactory(place=place, organisation=org)
    anna = ContactFactory(organisation=hem, name="Anna Hemlig", email="anna.hemlig@example.com")
    bo = ContactFactory(organisation=kommun, name="Bo Privat", email="bo.privat@example.com")
    # Two meetings held in the period (5 present of 7 registered), one before it, one ahead.
    first = MeetingFactory(place=place, starts_at=_at(30))
    for status in ("narvarande", "narvarande", "narvarande", "franvarande"):
        AttendanceFactory(meeting=first, status=status)
    second = MeetingFactory(place=place, starts_at=_at(10))
    AttendanceFactory(meeting=second, contact=anna, organisation=hem, status="narvarande")
    AttendanceFactory(meeting=second, contact=bo, organisation=kommun, status="narvarande")
    AttendanceFactory(meeting=second, status="anmalt_forhinder")
    MeetingFactory(place=place, starts_at=_at(200))
    MeetingFactory(place=place)  # next week
    # Measures: 1 proposed + 2 planned (one overdue), 3 ongoing (one overdue), 4 done, 1
    # cancelled (overdue but closed): 7 of 10 done or started, 2 overdue.
    past = TODAY - 5 * DAY
    measures = [("foreslagen", None), ("planerad", None), ("planerad", past)]
    measures += [("pagaende", None), ("pagaende", None), ("pagaende", past)]
    measures += [("genomford", None)] * 4 + [("installd", past)]
    for status, planned_end in measures:
        MeasureFactory(
            place=place,
            responsible=hem,
            status=status,
            cancel_reason="Ersatt av en annan åtgärd." if status == "installd" else "",
            **({"planned_end": planned_end} if planned_end else {}),
        )
    ActivityFactory(
        place=place,
        organisation=hem,
        date=TODAY - 3 * DAY,
        hours=Decimal("2.5"),
        cost=Decimal("300"),
    )
    ActivityFactory(
        place=place,
        organisation=hem,
        date=TODAY - 40 * DAY,
        hours=Decimal("1.5"),
        cost=Decimal("0"),
    )
    ActivityFactory(
        place=place,
        organisation=kommun,
        date=TODAY - 60 * DAY,
        hours=Decimal("4"),
        cost=Decimal("1200"),
    )
    ActivityFactory(place=place, organisation=kommun, date=TODAY - 200 * DAY, hours=Decimal("9"))
    for status in ("oppen", "oppen", "atgardad", "stangd"):
        FindingFactory(place=place, status=status)
    # Nollmätning 50 % (closed), uppföljning 1 75 % (closed), uppföljning 2 still open (100 %).
    _survey(
        program,
        place,
        wave=0,
        opens=TODAY - 300 * DAY,
        closes=TODAY - 270 * DAY,
        safe=10,
        unsafe=10,
    )
    _survey(
        program, place, wave=1, opens=TODAY - 60 * DAY, closes=TODAY - 30 * DAY, safe=15, unsafe=5
    )
    _survey(
        program, place, wave=2, opens=TODAY - 5 * DAY, closes=TODAY + 20 * DAY, safe=20, unsafe=0
    )
    MeasureFactory(place=second_place, status="genomford")
    archived = PlaceFactory(program=program, name="Gamla torget", boundary=square(lon=15.0))
    with scopes_disabled():  # test set-up: archive an explicit program's place
        archived.archived_at = timezone.now()
        archived.save(update_fields=["archived_at"])
    MeasureFactory(place=other_place, status="genomford")
    return {"contacts": [anna, bo], "archived": archived}


def _get(client, program, **query):
    url = reverse("reports:dashboard", kwargs={"program": program.slug})
    return client.get(url, {"fran": START.isoformat(), "till": END.isoformat(), **query})


def _row(response, name):
    return next(r for r in response.context["rows"] if r.place.name == name)


def test_dashboard_figures_equal_what_the_database_holds(
    client_for, program, coordinator, board_world
):
    response = _get(client_for(coordinator), program)
    assert response.status_code == 200
    names = [r.place.name for r in response.context["rows"]]
    assert names == ["Avesta centrum", "Sala centrum"]  # not archived, not program B's
    row = _row(response, "Avesta centrum")
    s = row.summary
    assert (s.stakeholders, s.stakeholders_by_category) == (3, {"kommun": 1, "fastighetsagare": 2})
    assert (s.meetings, s.attendances, row.registered, row.attendance_rate) == (2, 5, 7, 71)
    assert (s.measures_planned, s.measures_ongoing, s.measures_done) == (3, 3, 4)
    assert (s.measures_overdue, s.measures_total, s.share_done_or_started) == (2, 10, 70)
    assert (s.activities, s.hours, s.cost) == (3, Decimal("8"), Decimal("1500"))
    assert (s.findings_open, s.findings_closed) == (2, 2)
    # The open follow-up (wave 2) is never the headline, for the coordinator neither.
    assert row.index_before.share.p == 0.5 and row.index_after.wave == 1
    assert (row.index_percent, row.change_points) == (75, 25)

    html = response.content.decode()
    assert "7 av 10 (70 %)" in html
    assert "8 av 11 (73 %)" in html  # program totals: Sala's one done measure added
    assert "+25 procentenheter" in html
    assert "Trygghetsindex: andelen av dem som besvarat" in html  # the definition beside it
    assert re.search(r'class="dash-overdue" href="[^"]*forsenade=1">2</a>', html)
    totals = response.context["board"].totals
    assert (totals.places, totals.measures_overdue, totals.activities) == (2, 2, 3)
    sala = _row(response, "Sala centrum")
    assert sala.index_before is None and sala.index_after is None
    assert "1 av 1 (100 %)" in html


def test_dashboard_observer_sees_closed_surveys_only_and_no_personal_data(
    client_for, program, coordinator, observer, partner, board_world
):
    for user in (observer, partner):
        response = _get(client_for(user), program)
        assert response.status_code == 200
        row = _row(response, "Avesta centrum")
        assert row.index_after.wave == 1  # the open wave 2 is hidden until it closes
        assert (row.index_percent, row.change_points) == (75, 25)
        html = response.content.decode()
        assert "+25 procentenheter" in html
        for contact in board_world["contacts"]:
            assert contact.name not in html and contact.email not in html
        for person in (coordinator, partner):
            assert person.email not in html
        assert not re.search(r"[\w.]+@example\.com", html)


def test_dashboard_place_lead_sees_the_closed_follow_up_too(
    client_for, program, place_lead, board_world
):
    row = _row(_get(client_for(place_lead), program), "Avesta centrum")
    assert row.index_after.wave == 1  # the open wave 2 of their own place is no headline


def test_dashboard_links_open_the_pages_behind_the_figures(
    client_for, program, coordinator, place, board_world
):
    client = client_for(coordinator)
    response = _get(client, program)
    row = _row(response, "Avesta centrum")
    board = response.context["board"]
    period = {"fran": [board.period_start.isoformat()], "till": [board.period_end.isoformat()]}
    expected = {
        "place": ("platser:place", {}),
        "stakeholders": ("platser:stakeholders", {}),
        "meetings": (
            "meetings:meetings",
            {"plats": [str(place.pk)], "tid": ["genomforda"], **period},
        ),
        "ongoing": ("measures:plan", {"status": ["pagaende"]}),
        "done": ("measures:plan", {"status": ["genomford"]}),
        "overdue": ("measures:plan", {"forsenade": ["1"]}),
        "share": ("measures:plan", {"status": ["paborjade"]}),
        "planned": ("measures:plan", {"status": ["ej_paborjade"]}),
        "activities": ("measures:activities", period),
        "findings_open": ("platser:findings", {"status": ["oppen"]}),
        "findings_closed": ("platser:findings", {"status": ["stangda"]}),
        "waves": ("surveys:place_waves", {}),
    }
    for key, (name, query) in expected.items():
        parts = urlsplit(row.links[key])
        match = resolve(parts.path)
        assert match.view_name == name, key
        assert match.kwargs["program"] == program.slug
        assert parse_qs(parts.query) == query, key
        if name != "meetings:meetings":
            assert place.pk in (match.kwargs.get("pk"), match.kwargs.get("place")), key
    # The filtered pages list exactly the rows the figures count.
    s = row.summary
    plan = client.get(row.links["overdue"])
    assert len(plan.context["measures"]) == s.measures_overdue == 2
    assert len(client.get(row.links["done"]).context["measures"]) == s.measures_done
    assert len(client.get(row.links["ongoing"]).context["measures"]) == s.measures_ongoing
    planned = client.get(row.links["planned"]).context["measures"]
    assert len(planned) == s.measures_planned == 3
    assert {m.status for m in planned} == {"foreslagen", "planerad"}
    started = client.get(row.links["share"]).context["measures"]
    assert len(started) == row.done_or_started == 7
    findings = client.get(row.links["findings_open"]).context["findings"]
    assert len(findings) == s.findings_open
    closed = client.get(row.links["findings_closed"])
    assert len(closed.context["findings"]) == s.findings_closed == 2
    assert 'value="stangda" selected' in closed.content.decode()  # the filter shows its choice
    meetings = client.get(row.links["meetings"])
    assert meetings.context["paginator"].count == s.meetings
    activities = client.get(row.links["activities"])
    assert activities.context["paginator"].count == s.activities
    assert activities.context["totals"].hours == s.hours
    assert activities.context["totals"].cost == s.cost
    for category in row.categories:
        page = client.get(category.url)
        assert page.context["category"] == category.value
        assert len(page.context["stakeholders"]) == category.count
    waves = client.get(row.links["waves"])
    assert waves.status_code == 200
    assert waves.context["comparison"].index_after.survey.pk == row.index_after.survey.pk


@pytest.fixture
def three_places(program):
    """Three places whose figures differ in every column (and tie nowhere)."""
    places = []
    for n, name in enumerate(["Örebro torg", "Avesta torg", "Ängby centrum"], start=1):
        place = PlaceFactory(
            program=program,
            name=name,
            phase=["start", "analys", "uppfoljning"][n - 1],
            boundary=square(lon=15 + n),
        )
        for _ in range(n):
            StakeholderFactory(place=place, organisation=OrganisationFactory(program=program))
            ActivityFactory(place=place, date=TODAY - DAY, hours=Decimal(n), cost=Decimal(100 * n))
            FindingFactory(place=place, status="oppen")
            MeasureFactory(place=place, status="planerad")
        for _ in range(4 - n):
            FindingFactory(place=place, status="stangd")
            MeasureFactory(place=place, status="pagaende", planned_end=TODAY - DAY)
        for _ in range(n * 2):
            MeasureFactory(place=place, status="genomford")
        for days_ago in range(5, 5 + n):
            meeting = MeetingFactory(place=place, starts_at=_at(days_ago))
        for status in ["narvarande"] * n + ["franvarande"] * (4 - n):
            AttendanceFactory(meeting=meeting, status=status)
        if n < 3:  # the third place has no survey: its index sorts last
            _survey(
                program,
                place,
                wave=0,
                opens=TODAY - 300 * DAY,
                closes=TODAY - 200 * DAY,
                safe=10,
                unsafe=10,
            )
            _survey(
                program,
                place,
                wave=1,
                opens=TODAY - 50 * DAY,
                closes=TODAY - 20 * DAY,
                safe=10 + 5 * n,
                unsafe=10 - 3 * n,
            )
        places.append(place)
    return places


@pytest.mark.parametrize("key", sorted(SORT_KEYS))
def test_dashboard_sorts_by_every_key(client_for, program, coordinator, three_places, key):
    client = client_for(coordinator)
    for direction in ("asc", "desc"):
        response = _get(client, program, sort=key, dir=direction)
        rows = response.context["rows"]
        values = [SORT_KEYS[key](r) for r in rows]
        present = [v for v in values if v is not None]
        assert values == present + [None] * (len(values) - len(present))
        assert present == sorted(present, reverse=direction == "desc"), (key, direction)
        assert len(set(present)) == len(present), f"{key}: the fixture should not tie"
        html = response.content.decode()
        aria = "ascending" if direction == "asc" else "descending"
        assert html.count("aria-sort=") == 1
        header = re.search(r'<th[^>]*aria-sort="(\w+)"[^>]*><a[^>]*href="([^"]*)"', html)
        assert header.group(1) == aria
        # The sorted column's link flips the direction; the period stays.
        query = parse_qs(urlsplit(header.group(2).replace("&amp;", "&")).query)
        assert query["sort"] == [key]
        assert query["dir"] == ["desc" if direction == "asc" else "asc"]
        assert query["fran"] == [START.isoformat()]


def test_dashboard_sorts_names_in_swedish_order(client_for, program, coordinator, three_places):
    rows = _get(client_for(coordinator), program, sort="plats", dir="asc").context["rows"]
    assert [r.place.name for r in rows] == ["Avesta torg", "Ängby centrum", "Örebro torg"]


def test_dashboard_period_filter(client_for, program, coordinator, board_world):
    client = client_for(coordinator)
    # The last 20 days: one meeting and one activity.
    row = _row(
        client.get(
            reverse("reports:dashboard", kwargs={"program": program.slug}),
            {"fran": (TODAY - 20 * DAY).isoformat(), "till": TODAY.isoformat()},
        ),
        "Avesta centrum",
    )
    assert (row.summary.meetings, row.registered, row.summary.activities) == (1, 3, 1)
    assert row.summary.hours == Decimal("2.5")
    # A year back: the meeting 200 days ago and the activity too.
    row = _row(_get(client, program, fran=(TODAY - 365 * DAY).isoformat()), "Avesta centrum")
    assert (row.summary.meetings, row.summary.activities) == (3, 4)
    # Before the follow-up opened, the index has only the nollmätning.
    row = _row(
        _get(
            client,
            program,
            fran=(TODAY - 400 * DAY).isoformat(),
            till=(TODAY - 100 * DAY).isoformat(),
        ),
        "Avesta centrum",
    )
    assert row.index_after is None and row.index_percent == 50


def test_dashboard_bad_period_shows_an_error_and_the_default(
    client_for, program, coordinator, board_world
):
    response = _get(
        client_for(coordinator),
        program,
        fran=TODAY.isoformat(),
        till=(TODAY - 10 * DAY).isoformat(),
    )
    assert response.status_code == 200
    assert "Periodens slut kan inte ligga före dess början." in response.content.decode()
    board = response.context["board"]
    assert board.period_end == TODAY and board.period_start < TODAY - 300 * DAY


def test_dashboard_default_period_is_the_running_program_period_or_the_last_year(
    client_for, program, coordinator, board_world
):
    url = reverse("reports:dashboard", kwargs={"program": program.slug})
    board = client_for(coordinator).get(url).context["board"]
    assert (board.period_start, board.period_end) == (
        TODAY.replace(year=TODAY.year - 1) + DAY
        if not (TODAY.month == 2 and TODAY.day == 29)
        else datetime.date(TODAY.year - 1, 3, 1),
        TODAY,
    )
    program.period_start, program.period_end = TODAY - 100 * DAY, TODAY + 100 * DAY
    program.save()
    board = client_for(coordinator).get(url).context["board"]
    assert (board.period_start, board.period_end) == (program.period_start, program.period_end)


def test_dashboard_map_has_every_active_place(client_for, program, coordinator, board_world):
    client = client_for(coordinator)
    response = _get(client, program)
    assert "Avesta centrum med" not in response.content.decode().split("<table")[0]
    features = _map_features(client, response)
    assert sorted(f["properties"]["name"] for f in features) == ["Avesta centrum", "Sala centrum"]
    avesta = next(f for f in features if f["properties"]["name"] == "Avesta centrum")
    assert resolve(avesta["properties"]["url"]).view_name == "platser:place"
    assert "7 av 10" in avesta["properties"]["summary"]
    assert avesta["geometry"]["type"] == "Polygon"


def _map_features(client, response) -> list[dict]:
    """The map's GeoJSON features as the browser fetches them: from the URL the page names."""
    match = re.search(r'data-features-url="([^"]+)"', response.content.decode())
    assert match, "the page has no map"
    data = client.get(match.group(1).replace("&amp;", "&"))
    assert data.status_code == 200 and data["Content-Type"] == "application/json"
    return json.loads(data.content)["features"]


def test_dashboard_map_is_a_request_of_its_own_for_the_same_period(
    client_for, program, coordinator, board_world, django_capture_on_commit_callbacks
):
    client = client_for(coordinator)
    url = reverse("reports:dashboard_map", kwargs={"program": program.slug})
    year = {"fran": (TODAY - 365 * DAY).isoformat(), "till": END.isoformat()}
    page = client.get(reverse("reports:dashboard", kwargs={"program": program.slug}), year)
    assert f'data-features-url="{url}?{urlencode(year).replace("&", "&amp;")}"' in (
        page.content.decode()
    )
    first = client.get(url, year)
    assert first["Cache-Control"] == "private, no-cache" and first["ETag"]
    # Asked again with its ETag: not modified, no body.
    again = client.get(url, year, HTTP_IF_NONE_MATCH=first["ETag"])
    assert again.status_code == 304 and not again.content
    # A change in the figures: once the board is counted again the old ETag no longer matches.
    with scope(program=program):
        measure = Measure.objects.filter(status="planerad", place__name="Avesta centrum").first()
        change_status(actor=coordinator, measure=measure, to_status="pagaende")
    with django_capture_on_commit_callbacks(execute=True):
        client.get(url, year)  # the board from before the change; its recount is queued
    changed = client.get(url, year, HTTP_IF_NONE_MATCH=first["ETag"])
    assert changed.status_code == 200 and changed["ETag"] != first["ETag"]
    avesta = next(
        f
        for f in json.loads(changed.content)["features"]
        if f["properties"]["name"] == "Avesta centrum"
    )
    assert "8 av 10" in avesta["properties"]["summary"]


def test_dashboard_map_names_are_data_not_markup(client_for, program, coordinator, place):
    with scopes_disabled():
        place.name = "Torget </script><script>alert(1)</script> & co"
        place.save()
    client = client_for(coordinator)
    response = _get(client, program)
    html = response.content.decode()
    assert "<script>alert(1)" not in html
    assert [f["properties"]["name"] for f in _map_features(client, response)] == [place.name]


def test_dashboard_is_linked_from_the_menu_and_the_program_page(
    client_for, program, observer, place
):
    client = client_for(observer)
    url = reverse("reports:dashboard", kwargs={"program": program.slug})
    home = client.get(reverse("platser:overview", kwargs={"program": program.slug}))
    html = home.content.decode()
    assert f'href="{url}"' in html and "Jämför platserna" in html and "Översikt" in html


# --- query count --------------------------------------------------------------------------------


def _places_with_everything(program, count):
    for n in range(count):
        place = PlaceFactory(program=program, boundary=square(lon=14 + n / 10))
        org = OrganisationFactory(program=program, category=["kommun", "polis"][n % 2])
        StakeholderFactory(place=place, organisation=org)
        MeasureFactory(place=place, responsible=org, status="genomford")
        MeasureFactory(place=place, responsible=org, status="planerad", planned_end=TODAY - DAY)
        ActivityFactory(place=place, organisation=org, date=TODAY - DAY)
        FindingFactory(place=place)
        meeting = MeetingFactory(place=place, starts_at=_at(3))
        AttendanceFactory(meeting=meeting)
        _survey(
            program,
            place,
            wave=0,
            opens=TODAY - 50 * DAY,
            closes=TODAY - 20 * DAY,
            safe=6,
            unsafe=6,
        )


@pytest.mark.parametrize("user", ["coordinator", "place_lead", "observer"])
def test_dashboard_query_count_does_not_grow_with_places(
    client_for, program, request, user, monkeypatch
):
    monkeypatch.setattr(dashboard, "STALE_SECONDS", 0)  # after a change, count at once
    client = client_for(request.getfixturevalue(user))
    _places_with_everything(program, 3)
    with CaptureQueriesContext(connection) as small:
        response = _get(client, program)
    small = [q["sql"] for q in small.captured_queries]  # before the next request resets the log
    assert len(response.context["rows"]) >= 3
    _places_with_everything(program, 27)
    with CaptureQueriesContext(connection) as large:
        response = _get(client, program)
    large = [q["sql"] for q in large.captured_queries]
    assert len(response.context["rows"]) >= 30
    assert sum(row.index_before is not None for row in response.context["rows"]) >= 30
    # Both counted afresh (the new survey responses changed the data version) …
    assert all(any("measures_measure" in sql for sql in run) for run in (small, large))
    assert 10 < len(small) == len(large), "\n".join(sql[:150] for sql in large)
    # … and from the cache the page needs a handful, whatever the number of places.
    with CaptureQueriesContext(connection) as cached:
        _get(client, program)
    assert len(cached.captured_queries) < len(small) - 5
    assert not any("measures_measure" in q["sql"] for q in cached.captured_queries)


def _figures(response, name="Avesta centrum"):
    row = _row(response, name)
    s = row.summary
    return (
        s.measures_done,
        s.measures_ongoing,
        s.activities,
        s.hours,
        row.index_percent,
        row.index_after.wave if row.index_after else None,
    )


def _table(response) -> str:
    html = response.content.decode()
    return html[html.index("<table") : html.index("</table>")]


def _tables(queries) -> str:
    return " ".join(q["sql"] for q in queries.captured_queries)


def test_dashboard_figures_are_cached_until_something_changes_in_the_product(
    client_for, program, coordinator, place, board_world, django_capture_on_commit_callbacks
):
    client = client_for(coordinator)
    with CaptureQueriesContext(connection) as cold:
        first = _get(client, program)
    assert "measures_measure" in _tables(cold)
    with CaptureQueriesContext(connection) as warm:
        second = _get(client, program)
    # From the cache: no aggregate over measures, activities, findings or answers.
    for table in ("measures_measure", "measures_activity", "platser_finding", "surveys_answer"):
        assert table not in _tables(warm)
    assert len(warm.captured_queries) < len(cold.captured_queries)
    assert _figures(second) == _figures(first) == (4, 3, 3, Decimal("8"), 75, 1)
    assert _table(second) == _table(first)
    assert _map_features(client, second) == _map_features(client, first)

    # A measure finished and an activity logged through the services show at once …
    with scope(program=program):
        measure = Measure.objects.filter(place=place, status="pagaende").first()
        change_status(actor=coordinator, measure=measure, to_status="genomford")
        log_activity(
            actor=coordinator,
            place=place,
            organisation=measure.responsible,
            description="Klottersanering",
            date=TODAY,
            hours=Decimal("2"),
        )
    # The board from before the change is shown, marked, while a task counts it again …
    with django_capture_on_commit_callbacks(execute=True) as queued:
        stale = _get(client, program)
    assert _figures(stale) == (4, 3, 3, Decimal("8"), 75, 1)
    assert "Siffrorna räknas om" in stale.content.decode()
    assert len(queued) == 1
    # … and the next request has the new figures.
    fresh = _get(client, program)
    assert _figures(fresh) == (5, 2, 4, Decimal("10"), 75, 1)
    assert "Siffrorna räknas om" not in fresh.content.decode()
    # … and a resident's anonymous answer (not audited) to the open follow-up is counted too.
    with scope(program=program):
        survey = Survey.objects.get(program=program, wave=2)
        question = Question.bank.get(code="plats-trygg-kvall")
        unsafe = question.options.get(position=4)
        for _ in range(5):  # fewer than 5 "unsafe" would hide the index altogether
            submit_response(
                survey=survey,
                place=place,
                answers=[AnswerData(question=question, option=unsafe)],
                submission_id=None,
                language="sv",
                submitted_on=TODAY,
            )
    with django_capture_on_commit_callbacks(execute=True):
        assert _figures(_get(client, program))[4] == 75  # counted again meanwhile …
    # … but an open wave is never the headline: the closed follow-up's 75 % stays.
    assert _figures(_get(client, program))[4] == 75


def test_dashboard_change_is_counted_again_once_and_old_boards_are_not_shown_for_long(
    client_for,
    program,
    coordinator,
    place,
    board_world,
    django_capture_on_commit_callbacks,
    monkeypatch,
):
    client = client_for(coordinator)
    _get(client, program)
    with scope(program=program):
        measure = Measure.objects.filter(place=place, status="pagaende").first()
        change_status(actor=coordinator, measure=measure, to_status="genomford")
    # Two requests before the recount has run: one task queued, not two.
    with django_capture_on_commit_callbacks(execute=False) as queued:
        first, second = _get(client, program), _get(client, program)
    assert _figures(first)[0] == _figures(second)[0] == 4
    assert len(queued) == 1
    # The task never ran (a lost worker): once the board is older than STALE_SECONDS the
    # request counts for itself instead of showing it.
    monkeypatch.setattr(dashboard, "STALE_SECONDS", 0)
    with django_capture_on_commit_callbacks(execute=False) as queued:
        response = _get(client, program)
    assert _figures(response)[0] == 5
    assert "Siffrorna räknas om" not in response.content.decode()
    assert not queued


def test_dashboard_shows_every_member_the_same_closed_waves(
    client_for, program, coordinator, observer, place_lead, board_world
):
    # An open wave counts for nobody, so one board serves every member.
    assert _figures(_get(client_for(coordinator), program))[4:] == (75, 1)
    assert _figures(_get(client_for(observer), program))[4:] == (75, 1)
    assert _figures(_get(client_for(place_lead), program))[4:] == (75, 1)


def test_dashboard_cache_is_kept_apart_by_period(client_for, program, coordinator, board_world):
    client = client_for(coordinator)
    assert _figures(_get(client, program))[2] == 3
    response = client.get(
        reverse("reports:dashboard", kwargs={"program": program.slug}),
        {"fran": (TODAY - 365 * DAY).isoformat(), "till": END.isoformat()},
    )
    assert _figures(response)[2] == 4  # the activity 200 days ago is inside this period


def test_dashboard_works_when_the_cache_is_down(
    client_for, program, coordinator, board_world, settings
):
    # A Redis nobody listens on (port 9 is discard; connections are refused at once).
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": "redis://127.0.0.1:9/0",
            "OPTIONS": {"socket_connect_timeout": 0.2, "socket_timeout": 0.2},
        }
    }
    client = client_for(coordinator)
    response = _get(client, program)
    assert response.status_code == 200
    assert _figures(response) == (4, 3, 3, Decimal("8"), 75, 1)


def test_a_cancelled_meeting_is_not_counted_as_held(program, coordinator, board_world):
    from meetings.models import Meeting
    from meetings.services import cancel_meeting
    from reports.selectors import meetings_in_period, place_summaries

    def held():
        summary = next(
            s
            for s in place_summaries(program, TODAY - 365 * DAY, TODAY)
            if s.place.name == "Avesta centrum"
        )
        listed = meetings_in_period(
            program, TODAY - 365 * DAY, TODAY, places=program.places.all(), program_wide=False
        )
        return summary.meetings, len(listed)

    with scope(program=program):
        assert held() == (3, 3)
        oldest = Meeting.objects.filter(place__name="Avesta centrum").order_by("starts_at")[0]
        cancel_meeting(actor=coordinator, meeting=oldest)
        assert held() == (2, 2)


def test_dashboard_shows_the_priority_columns_and_the_rest_on_request(
    client_for, program, coordinator, board_world
):
    client = client_for(coordinator)

    def headers(response):
        table = response.content.decode().split('<table class="table dash-table">')[1]
        head = table.split("</thead>")[0]
        return re.findall(r'class="dash-sort[^"]*" href="[^"]*">([^<]+)<', head)

    def cells(response):
        body = response.content.decode().split("<tbody>")[1].split("</tr>")[0]
        return body.count("<td")

    short = _get(client, program)
    assert headers(short) == [
        "Plats", "Aktörer", "Hållna", "Närvaro", "Försenade", "Genomförda eller påbörjade",
        "Partnertimmar", "Senaste mätningen", "Förändring", "Förändring (RES)",
    ]  # fmt: skip
    assert cells(short) == 9  # the place is the row's header
    assert 'colspan="2" class="dash-group">Åtgärder' in short.content.decode()
    assert "kolumner=alla" in short.content.decode()
    full = _get(client, program, kolumner="alla")
    assert len(headers(full)) == 18 and cells(full) == 17
    assert "Visa färre kolumner" in full.content.decode()
    # Sorting on a column not shown by default shows it.
    by_cost = _get(client, program, sort="kostnader", dir="desc")
    assert "Kostnader (kr)" in headers(by_cost)
    assert by_cost.content.decode().count("aria-sort=") == 1
