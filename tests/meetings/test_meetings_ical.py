"""The iCalendar writer and the calendar feeds: RFC 5545 line folding, CRLF, escaping, required
fields and Swedish characters; tokens that are unknown or revoked answer 404; a personal feed
holds only the user's meetings, and never another program's."""

import datetime
import re

import pytest
from django.urls import reverse
from django.utils import timezone
from django_scopes import scope

from meetings import ical, services
from partnerships.models import Membership, Role
from tests.factories import (
    AgendaItemFactory,
    CalendarFeedFactory,
    MeetingFactory,
    MembershipFactory,
    UserFactory,
)

UTC = datetime.UTC


def unfold(text: str) -> list[str]:
    """The logical content lines of an iCalendar text (RFC 5545 §3.1)."""
    assert text.endswith("\r\n")
    return text.replace("\r\n ", "").split("\r\n")[:-1]


def assert_rfc5545_lines(text: str) -> None:
    body = text.encode("utf-8")
    assert b"\n" not in body.replace(b"\r\n", b""), "bare LF"
    for line in body.split(b"\r\n"):
        assert len(line) <= 75, f"line of {len(line)} octets: {line!r}"
        line.decode("utf-8")  # a fold never splits a multi-byte character


def _event(**kwargs):
    start = datetime.datetime(2026, 11, 25, 12, 0, tzinfo=UTC)
    values = {
        "uid": "meeting-1@example.org",
        "start": start,
        "end": start + datetime.timedelta(hours=2),
        "stamp": start,
        "summary": "Styrgruppsmöte",
    }
    return ical.Event(**{**values, **kwargs})


def test_escape_text_handles_rfc_specials():
    assert ical.escape_text("a;b,c\\d\ne\r\nf") == "a\\;b\\,c\\\\d\\ne\\nf"


def test_fold_keeps_every_line_within_75_octets_without_splitting_characters():
    line = "DESCRIPTION:" + "Åtgärder på torget, ökad belysning och färre skräpkorgar. " * 6
    folded = ical.fold(line)

    pieces = folded.split("\r\n")
    assert len(pieces) > 3
    assert all(len(p.encode("utf-8")) <= 75 for p in pieces)
    assert all(p.startswith(" ") for p in pieces[1:])
    assert folded.replace("\r\n ", "") == line


def test_fold_leaves_short_lines_alone():
    assert ical.fold("SUMMARY:Kort") == "SUMMARY:Kort"


def test_calendar_has_required_fields_utc_times_and_swedish_text():
    text = ical.calendar(
        [
            _event(
                summary="Möte om Örngränd; belysning, städning",
                location="Stadshuset, sal 3",
                description="Dagordning:\n1. Lägesbild\n2. Åtgärder " + "ä" * 80,
                sequence=2,
            )
        ],
        name="Trygga platser – Avesta",
    )

    assert_rfc5545_lines(text)
    lines = unfold(text)
    assert lines[0] == "BEGIN:VCALENDAR" and lines[-1] == "END:VCALENDAR"
    assert "VERSION:2.0" in lines
    assert any(line.startswith("PRODID:") for line in lines)
    assert "METHOD:PUBLISH" in lines
    assert "UID:meeting-1@example.org" in lines
    assert "DTSTAMP:20261125T120000Z" in lines
    assert "DTSTART:20261125T120000Z" in lines
    assert "DTEND:20261125T140000Z" in lines
    assert "SEQUENCE:2" in lines
    assert "SUMMARY:Möte om Örngränd\\; belysning\\, städning" in lines
    assert "LOCATION:Stadshuset\\, sal 3" in lines
    assert any(
        line.startswith("DESCRIPTION:Dagordning:\\n1. Lägesbild\\n2. Åtgärder ") for line in lines
    )
    assert "X-WR-CALNAME:Trygga platser – Avesta" in lines


def test_local_times_are_written_in_utc():
    stockholm = timezone.get_fixed_timezone(60)
    start = datetime.datetime(2026, 11, 25, 13, 0, tzinfo=stockholm)
    text = ical.calendar([_event(start=start, end=start + datetime.timedelta(hours=1))])
    assert "DTSTART:20261125T120000Z" in unfold(text)


def test_the_output_parses_with_a_strict_reader():
    # A minimal independent reader: every logical line is NAME[;PARAMS]:VALUE, BEGIN/END nest.
    text = ical.calendar([_event(), _event(uid="meeting-2@example.org")], name="Test")
    stack = []
    events = 0
    for line in unfold(text):
        assert re.match(r"^[A-Z-]+(;[A-Z-]+=[^:;]+)*:", line), line
        name, value = line.split(":", 1)
        if name == "BEGIN":
            stack.append(value)
        elif name == "END":
            assert stack.pop() == value
            events += value == "VEVENT"
    assert stack == [] and events == 2


# --- feeds over HTTP ----------------------------------------------------------------------------


def feed_url(feed) -> str:
    return reverse("meeting_feed", kwargs={"token": feed.token})


@pytest.mark.django_db
def test_unknown_token_is_404(client):
    assert client.get(reverse("meeting_feed", kwargs={"token": "x" * 43})).status_code == 404
    assert client.get("/kalender/.ics").status_code == 404


@pytest.mark.django_db
def test_revoked_feed_is_404(client, program, place_lead):
    with scope(program=program):
        feed = services.create_calendar_feed(actor=place_lead, program=program)
    assert client.get(feed_url(feed)).status_code == 200
    with scope(program=program):
        services.revoke_calendar_feed(actor=place_lead, feed=feed)
    assert client.get(feed_url(feed)).status_code == 404


@pytest.mark.django_db
def test_feed_of_someone_no_longer_in_the_program_is_404(client, program, place_lead):
    feed = CalendarFeedFactory(program=program, user=place_lead)
    assert client.get(feed_url(feed)).status_code == 200
    from django_scopes import scopes_disabled

    with scopes_disabled():  # test set-up: the member leaves the program
        Membership.objects.filter(user=place_lead).delete()
    assert client.get(feed_url(feed)).status_code == 404


@pytest.mark.django_db
def test_personal_feed_has_only_the_users_meetings(
    client, program, place, second_place, other_place, place_lead, coordinator
):
    MeetingFactory(place=place, title="Möte vid Avesta")
    AgendaItemFactory(meeting=MeetingFactory(place=None, program=program, title="Programmöte"))
    MeetingFactory(place=second_place, title="Möte vid Sala")
    MeetingFactory(place=other_place, title="Borlänges möte")

    lead = CalendarFeedFactory(program=program, user=place_lead)
    coord = CalendarFeedFactory(program=program, user=coordinator)
    lead_text = client.get(feed_url(lead)).content.decode()
    coord_text = client.get(feed_url(coord)).content.decode()

    lead_summaries = {line for line in unfold(lead_text) if line.startswith("SUMMARY:")}
    coord_summaries = {line for line in unfold(coord_text) if line.startswith("SUMMARY:")}
    assert lead_summaries == {"SUMMARY:Möte vid Avesta", "SUMMARY:Programmöte"}
    assert coord_summaries == {
        "SUMMARY:Möte vid Avesta",
        "SUMMARY:Programmöte",
        "SUMMARY:Möte vid Sala",
    }
    assert_rfc5545_lines(coord_text)


@pytest.mark.django_db
def test_place_feed_has_the_places_meetings_only(client, program, place, second_place, observer):
    MeetingFactory(place=place, title="Avesta 1")
    MeetingFactory(place=second_place, title="Sala 1")
    feed = CalendarFeedFactory(program=program, user=observer, place=place)

    response = client.get(feed_url(feed))
    summaries = [line for line in unfold(response.content.decode()) if line.startswith("SUMMARY")]
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    assert summaries == ["SUMMARY:Avesta 1"]


@pytest.mark.django_db
def test_a_feed_never_shows_another_programs_meetings(client, program, other_program, other_place):
    # A user in both programs: their program-A feed must not list program B's meetings.
    user = UserFactory()
    MembershipFactory(user=user, program=program, role=Role.COORDINATOR)
    MembershipFactory(user=user, program=other_program, role=Role.COORDINATOR)
    MeetingFactory(place=other_place, title="Borlänges möte")
    MeetingFactory(place=None, program=other_program, title="Borlänges programmöte")
    feed = CalendarFeedFactory(program=program, user=user)

    text = client.get(feed_url(feed)).content.decode()
    assert "Borlänge" not in text
    assert "BEGIN:VEVENT" not in text


@pytest.mark.django_db
def test_feed_page_creates_copies_and_revokes_links(program, place, partner, client_for):
    client = client_for(partner)
    page_url = reverse("meetings:calendar_feeds", kwargs={"program": program.slug})

    client.post(page_url, {"place": ""})
    page = client.get(page_url).content.decode()
    token = re.search(r"/kalender/([A-Za-z0-9_-]{43})\.ics", page).group(1)
    assert "js-copy" in page
    assert client_for(None).get(f"/kalender/{token}.ics").status_code == 200

    client.post(page_url, {"place": ""})  # "Skapa ny länk": the old URL stops working
    assert client_for(None).get(f"/kalender/{token}.ics").status_code == 404


@pytest.mark.django_db
def test_cannot_revoke_someone_elses_feed(program, partner, coordinator, client_for):
    feed = CalendarFeedFactory(program=program, user=coordinator)
    response = client_for(partner).post(
        reverse("meetings:calendar_feed_revoke", kwargs={"program": program.slug, "pk": feed.pk})
    )
    feed.refresh_from_db()
    assert response.status_code == 404
    assert feed.revoked_at is None


@pytest.mark.django_db
def test_single_meeting_ics_download(program, place, partner, client_for):
    meeting = MeetingFactory(place=place, title="Platsvandring i Avesta", kind="platsvandring")
    response = client_for(partner).get(
        reverse("meetings:meeting_ics", kwargs={"program": program.slug, "pk": meeting.pk})
    )
    lines = unfold(response.content.decode())
    assert "SUMMARY:Platsvandring i Avesta" in lines
    assert any(line.startswith(f"UID:meeting-{meeting.pk}@") for line in lines)
