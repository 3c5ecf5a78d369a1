"""Meeting services: the meeting and its agenda, attendance, minutes, numbered decisions and
e-mail invitations."""

import datetime
import threading

import pytest
from django.core import mail
from django.db import connection
from django.utils import timezone
from django_scopes import scope, scopes_disabled

from meetings import services
from meetings.exceptions import MeetingError
from meetings.models import Decision, Meeting, MeetingInvitation
from meetings.services import AgendaEntry, AttendanceEntry
from partnerships.models import AuditEntry
from tests.factories import (
    AgendaItemFactory,
    ContactFactory,
    MeetingFactory,
    OrganisationFactory,
    StakeholderFactory,
)

pytestmark = pytest.mark.django_db


def _new_meeting(program, place, **kwargs):
    start = timezone.now().replace(microsecond=0) + datetime.timedelta(days=3)
    values = {
        "place": place,
        "kind": Meeting.Kind.STEERING,
        "title": "Styrgruppsmöte",
        "starts_at": start,
        "ends_at": start + datetime.timedelta(hours=2),
        "location": "Stadshuset",
    }
    return Meeting(**{**values, **kwargs})


def test_save_meeting_creates_agenda_in_order_and_logs(program, place, coordinator):
    with scope(program=program):
        meeting = services.save_meeting(
            actor=coordinator,
            program=program,
            meeting=_new_meeting(program, place),
            agenda=[
                AgendaEntry(None, "Lägesbild"),
                AgendaEntry(None, " "),
                AgendaEntry(None, "Belysning"),
            ],
        )
        items = list(meeting.agenda_items.values_list("position", "title"))
        entry = AuditEntry.objects.get(model_label="meetings.Meeting")

    assert items == [(1, "Lägesbild"), (2, "Belysning")]
    assert entry.action == AuditEntry.Action.CREATE
    assert entry.changes["agenda"] == ["Lägesbild", "Belysning"]
    assert meeting.created_by == coordinator


def test_save_meeting_reorders_keeps_minutes_and_removes_left_out_items(
    program, place, coordinator
):
    meeting = MeetingFactory(place=place)
    first = AgendaItemFactory(meeting=meeting, position=1, title="Ett", minutes="Anteckning 1")
    second = AgendaItemFactory(meeting=meeting, position=2, title="Två")
    third = AgendaItemFactory(meeting=meeting, position=3, title="Tre")
    with scope(program=program):
        services.save_meeting(
            actor=coordinator,
            program=program,
            meeting=meeting,
            agenda=[
                AgendaEntry(third.pk, "Tre"),
                AgendaEntry(first.pk, "Ett (ändrad)"),
                AgendaEntry(None, "Fyra"),
            ],
        )
        items = list(meeting.agenda_items.order_by("position"))

    assert [(i.position, i.title) for i in items] == [(1, "Tre"), (2, "Ett (ändrad)"), (3, "Fyra")]
    assert items[1].pk == first.pk and items[1].minutes == "Anteckning 1"
    assert second.pk not in [i.pk for i in items]


def test_save_meeting_refuses_end_before_start_and_saves_nothing(program, place, coordinator):
    meeting = _new_meeting(program, place)
    meeting.ends_at = meeting.starts_at - datetime.timedelta(minutes=30)
    with scope(program=program), pytest.raises(MeetingError, match="sluta efter"):
        services.save_meeting(actor=coordinator, program=program, meeting=meeting, agenda=[])
    with scopes_disabled():  # test assertion across the table
        assert not Meeting.objects.exists()


def test_save_meeting_bumps_calendar_sequence_when_time_changes(program, place, coordinator):
    meeting = MeetingFactory(place=place)
    with scope(program=program):
        meeting.notes = "Bara anteckningar"
        services.save_meeting(actor=coordinator, program=program, meeting=meeting, agenda=[])
        assert Meeting.objects.get(pk=meeting.pk).sequence == 0
        meeting.starts_at += datetime.timedelta(hours=1)
        meeting.ends_at += datetime.timedelta(hours=1)
        services.save_meeting(actor=coordinator, program=program, meeting=meeting, agenda=[])
        assert Meeting.objects.get(pk=meeting.pk).sequence == 1


def test_save_meeting_refuses_a_place_of_another_program(program, other_place, coordinator):
    with scope(program=program), pytest.raises(MeetingError, match="hör inte till programmet"):
        services.save_meeting(
            actor=coordinator,
            program=program,
            meeting=_new_meeting(program, other_place),
            agenda=[],
        )


def test_decisions_are_numbered_per_meeting(program, place, coordinator):
    first_meeting = MeetingFactory(place=place)
    second_meeting = MeetingFactory(place=place)
    with scope(program=program):
        numbers = [
            services.add_decision(actor=coordinator, meeting=first_meeting, text=f"B{i}").number
            for i in range(3)
        ]
        other = services.add_decision(actor=coordinator, meeting=second_meeting, text="Annat")

    assert numbers == [1, 2, 3]
    assert other.number == 1


def test_decision_refuses_an_agenda_item_of_another_meeting(program, place, coordinator):
    meeting = MeetingFactory(place=place)
    foreign_item = AgendaItemFactory(meeting=MeetingFactory(place=place))
    with scope(program=program), pytest.raises(MeetingError, match="hör inte till mötet"):
        services.add_decision(
            actor=coordinator, meeting=meeting, text="X", agenda_item=foreign_item
        )
    with scopes_disabled():  # test assertion
        assert not Decision.objects.exists()


def test_decision_refuses_an_organisation_of_another_program(
    program, place, other_program, coordinator
):
    meeting = MeetingFactory(place=place)
    foreign = OrganisationFactory(program=other_program)
    with scope(program=program), pytest.raises(MeetingError, match="hör inte till programmet"):
        services.add_decision(
            actor=coordinator, meeting=meeting, text="X", responsible_organisation=foreign
        )


@pytest.mark.django_db(transaction=True)
@pytest.mark.postgres
def test_concurrent_decisions_get_consecutive_numbers(program, place, coordinator):
    assert connection.vendor == "postgresql", "needs DATABASE_URL=postgres://… (marker postgres)"
    meeting = MeetingFactory(place=place)
    errors = []

    def add(i):
        try:
            with scope(program=program):
                services.add_decision(actor=coordinator, meeting=meeting, text=f"Beslut {i}")
        except Exception as exc:  # noqa: BLE001 - collected and asserted below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=add, args=(i,)) for i in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()

    assert errors == []
    with scope(program=program):
        numbers = sorted(meeting.decisions.values_list("number", flat=True))
    assert numbers == list(range(1, 9))


def test_add_decision_locks_the_meeting_row(program, place, coordinator, django_assert_num_queries):
    # On SQLite FOR UPDATE is dropped; the query that would carry it must still be there
    # before the number is read (PostgreSQL runs test_concurrent_decisions_… for real).
    from django.test.utils import CaptureQueriesContext

    meeting = MeetingFactory(place=place)
    with scope(program=program), CaptureQueriesContext(connection) as queries:
        services.add_decision(actor=coordinator, meeting=meeting, text="Beslut")
    sqls = [q["sql"] for q in queries.captured_queries]
    lock = next(i for i, s in enumerate(sqls) if "partnerships_meeting" in s and "SELECT" in s)
    read_max = next(i for i, s in enumerate(sqls) if "MAX(" in s)
    assert lock < read_max
    if connection.vendor == "postgresql":
        assert "FOR UPDATE" in sqls[lock]


def test_record_attendance_sets_updates_and_clears(program, place, coordinator, contact):
    StakeholderFactory(place=place, organisation=contact.organisation)
    meeting = MeetingFactory(place=place)
    with scope(program=program):
        services.record_attendance(
            actor=coordinator,
            meeting=meeting,
            entries=[
                AttendanceEntry("narvarande", contact=contact),
                AttendanceEntry("anmalt_forhinder", user=coordinator),
            ],
        )
        assert {(a.person_name, a.status) for a in meeting.attendances.all()} == {
            ("Anna Andersson", "narvarande"),
            (str(coordinator), "anmalt_forhinder"),
        }
        assert meeting.attendances.get(contact=contact).organisation == contact.organisation
        services.record_attendance(
            actor=coordinator,
            meeting=meeting,
            entries=[
                AttendanceEntry("franvarande", contact=contact),
                AttendanceEntry("", user=coordinator),
            ],
        )
        assert [(a.person_name, a.status) for a in meeting.attendances.all()] == [
            ("Anna Andersson", "franvarande")
        ]


def test_record_attendance_refuses_a_contact_of_another_program(
    program, place, coordinator, contact, other_program
):
    meeting = MeetingFactory(place=place)
    stranger = ContactFactory(organisation=OrganisationFactory(program=other_program))
    with scope(program=program), pytest.raises(MeetingError) as error:
        services.record_attendance(
            actor=coordinator,
            meeting=meeting,
            entries=[
                AttendanceEntry("narvarande", contact=contact),
                AttendanceEntry("narvarande", contact=stranger),
            ],
        )
    assert "hör inte till programmet" in str(error.value)
    assert "Ingen närvaro sparades" in str(error.value)
    with scopes_disabled():  # test assertion: the whole call rolled back
        assert not meeting.attendances.exists()


def test_record_attendance_refuses_a_user_outside_the_program(
    program, place, coordinator, outsider
):
    meeting = MeetingFactory(place=place)
    with scope(program=program), pytest.raises(MeetingError, match="inte medlem"):
        services.record_attendance(
            actor=coordinator,
            meeting=meeting,
            entries=[AttendanceEntry("narvarande", user=outsider)],
        )


def test_write_minutes_per_item_and_notes(program, place, coordinator):
    meeting = MeetingFactory(place=place)
    item = AgendaItemFactory(meeting=meeting, position=1)
    with scope(program=program):
        services.write_minutes(
            actor=coordinator,
            meeting=meeting,
            minutes={item.pk: "Vi gick igenom läget."},
            notes="Övrigt",
        )
        item.refresh_from_db()
        meeting.refresh_from_db()
    assert item.minutes == "Vi gick igenom läget."
    assert meeting.notes == "Övrigt"


def test_invitations_go_once_to_contacts_with_email_with_an_ics(
    program, place, coordinator, organisation, django_capture_on_commit_callbacks
):
    StakeholderFactory(place=place, organisation=organisation)
    ContactFactory(organisation=organisation, name="Åsa Öberg", email="asa@example.com")
    ContactFactory(organisation=organisation, name="Utan E-post", email="")
    outside = OrganisationFactory(program=program)  # not a stakeholder of the place
    ContactFactory(organisation=outside, email="inte.inbjuden@example.com")
    meeting = MeetingFactory(place=place, title="Styrgrupp, möte 3")
    AgendaItemFactory(meeting=meeting, title="Belysning vid busstorget")

    # The task is queued on commit; Celery runs eagerly in tests, so the e-mail goes out here.
    with scope(program=program), django_capture_on_commit_callbacks(execute=True):
        queued = services.invite_to_meeting(actor=coordinator, meeting=meeting)
    assert queued == 1
    assert len(mail.outbox) == 1

    with scope(program=program):
        assert services.deliver_meeting_invitations(meeting=meeting) == 0  # task ran twice
        again = services.invite_to_meeting(actor=coordinator, meeting=meeting)
        invitation = MeetingInvitation.objects.get(meeting=meeting)

    assert again == 0
    assert invitation.sent_at is not None
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["asa@example.com"]
    assert "Styrgrupp, möte 3" in message.subject
    name, content, mimetype = message.attachments[0]
    assert name == "mote.ics"
    assert mimetype.startswith("text/calendar")
    assert "SUMMARY:Styrgrupp\\, möte 3" in content
    assert "Belysning vid busstorget" in content.replace("\r\n ", "")
    # An invitation a calendar can answer: REQUEST, the sender as organizer, the invitee asked.
    unfolded = content.replace("\r\n ", "")
    assert "method=REQUEST" in mimetype
    assert "METHOD:REQUEST\r\n" in unfolded
    assert f'ORGANIZER;CN="{coordinator.get_full_name() or coordinator.email}"' in unfolded
    assert f"mailto:{coordinator.email}\r\n" in unfolded
    assert (
        'ATTENDEE;CN="Åsa Öberg";CUTYPE=INDIVIDUAL;ROLE=REQ-PARTICIPANT;'
        "PARTSTAT=NEEDS-ACTION;RSVP=TRUE:mailto:asa@example.com\r\n"
    ) in unfolded
    assert "STATUS:CONFIRMED" in unfolded and "SEQUENCE:0" in unfolded


def test_cancelling_sends_each_invited_person_one_cancellation_their_calendar_applies(
    program, place, coordinator, organisation, django_capture_on_commit_callbacks
):
    StakeholderFactory(place=place, organisation=organisation)
    ContactFactory(organisation=organisation, name="Åsa Öberg", email="asa@example.com")
    ContactFactory(organisation=organisation, name="Bo Ek", email="bo@example.com")
    meeting = MeetingFactory(place=place, title="Styrgrupp")
    with scope(program=program), django_capture_on_commit_callbacks(execute=True):
        services.invite_to_meeting(actor=coordinator, meeting=meeting)
    mail.outbox.clear()

    with scope(program=program), django_capture_on_commit_callbacks(execute=True):
        assert services.cancel_meeting(actor=coordinator, meeting=meeting) == 2
    with scope(program=program):
        assert services.deliver_meeting_invitations(meeting=meeting) == 0  # task ran twice
        meeting.refresh_from_db()
        with pytest.raises(MeetingError, match="redan inställt"):
            services.cancel_meeting(actor=coordinator, meeting=meeting)
        with pytest.raises(MeetingError, match="Mötet är inställt"):
            services.invite_to_meeting(actor=coordinator, meeting=meeting, resend=True)
        feed = services.meeting_ics(meeting)

    assert meeting.cancelled_at is not None and meeting.sequence == 1
    assert sorted(m.to[0] for m in mail.outbox) == ["asa@example.com", "bo@example.com"]
    for message in mail.outbox:
        assert message.subject == "Inställt: Styrgrupp"
        _name, content, mimetype = message.attachments[0]
        unfolded = content.replace("\r\n ", "")
        assert "method=CANCEL" in mimetype and "METHOD:CANCEL\r\n" in unfolded
        assert "STATUS:CANCELLED" in unfolded and "SEQUENCE:1" in unfolded
        assert f"mailto:{message.to[0]}" in unfolded and "RSVP" not in unfolded
    # The download and the feeds say it is cancelled too, without attendees.
    assert "METHOD:PUBLISH" in feed and "STATUS:CANCELLED" in feed and "ATTENDEE" not in feed


def test_invitations_resend_when_asked(program, place, coordinator, contact):
    StakeholderFactory(place=place, organisation=contact.organisation)
    meeting = MeetingFactory(place=place)
    with scope(program=program):
        services.invite_to_meeting(actor=coordinator, meeting=meeting)
        services.deliver_meeting_invitations(meeting=meeting)
        assert services.invite_to_meeting(actor=coordinator, meeting=meeting, resend=True) == 1
        services.deliver_meeting_invitations(meeting=meeting)
    assert len(mail.outbox) == 2


def test_program_wide_meeting_invites_every_organisations_contacts(program, coordinator, contact):
    other = ContactFactory(organisation=OrganisationFactory(program=program))
    meeting = MeetingFactory(place=None, program=program)
    with scope(program=program):
        services.invite_to_meeting(actor=coordinator, meeting=meeting)
        emails = set(MeetingInvitation.objects.values_list("email", flat=True))
    assert emails == {contact.email, other.email}


def test_calendar_feed_new_link_revokes_the_old(program, place, coordinator):
    with scope(program=program):
        first = services.create_calendar_feed(actor=coordinator, program=program)
        second = services.create_calendar_feed(actor=coordinator, program=program)
        place_feed = services.create_calendar_feed(actor=coordinator, program=program, place=place)
        first.refresh_from_db()
    assert first.revoked_at is not None
    assert second.revoked_at is None and place_feed.revoked_at is None
    assert len(second.token) >= 43 and second.token != first.token
    assert services.find_calendar_feed(first.token) is None
    assert services.find_calendar_feed(second.token)[0] == second


def test_sweeper_sends_invitations_left_pending(program, place, coordinator, contact):
    from meetings.tasks import send_pending_meeting_invitations

    StakeholderFactory(place=place, organisation=contact.organisation)
    meeting = MeetingFactory(place=place)
    ended = MeetingFactory(
        place=place,
        starts_at=timezone.now() - datetime.timedelta(days=2),
        ends_at=timezone.now() - datetime.timedelta(days=2, hours=-1),
    )
    with scope(program=program):
        # Queued, but the broker was down: nothing was sent.
        services.invite_to_meeting(actor=coordinator, meeting=meeting)
        services.invite_to_meeting(actor=coordinator, meeting=ended)
        MeetingInvitation.objects.update(queued_at=timezone.now() - datetime.timedelta(minutes=5))

    assert send_pending_meeting_invitations() == 1
    assert [m.to for m in mail.outbox] == [[contact.email]]
    assert send_pending_meeting_invitations() == 0
