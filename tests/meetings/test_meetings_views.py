"""Meeting pages with the three personas: a member with the right, one without, and another
program's member; bad input; the minutes PDF; query-count guards."""

import datetime
import io

import pytest
from django.urls import reverse
from django.utils import timezone
from django_scopes import scope, scopes_disabled
from pypdf import PdfReader

from meetings.models import Attendance, Decision, Meeting
from tests.factories import (
    AgendaItemFactory,
    AttendanceFactory,
    ContactFactory,
    DecisionFactory,
    MeetingFactory,
    OrganisationFactory,
    StakeholderFactory,
)

pytestmark = pytest.mark.django_db


def url(name, program, **kwargs):
    return reverse(f"meetings:{name}", kwargs={"program": program.slug, **kwargs})


def meeting_post(at, **overrides):
    data = {
        "title": "Arbetsgruppsmöte om belysning",
        "kind": "arbetsgruppsmote",
        "place": at.pk if at else "",
        "date": "2026-12-03",
        "start_time": "13:00",
        "end_time": "15:00",
        "location": "Stadshuset, sal 3",
        "agenda-TOTAL_FORMS": "3",
        "agenda-INITIAL_FORMS": "0",
        "agenda-0-title": "Lägesbild",
        "agenda-0-ORDER": "2",
        "agenda-1-title": "Belysning vid busstorget",
        "agenda-1-ORDER": "1",
        "agenda-2-title": "",
        "agenda-2-ORDER": "",
    }
    data.update(overrides)
    return data


@pytest.fixture
def meeting(place, organisation, contact):
    StakeholderFactory(place=place, organisation=organisation)
    meeting = MeetingFactory(place=place, title="Styrgruppsmöte november", kind="styrgruppsmote")
    AgendaItemFactory(meeting=meeting, position=1, title="Lägesbild", minutes="Lugnt i höst.")
    DecisionFactory(
        meeting=meeting,
        number=1,
        text="Kommunen byter armaturer på torget.",
        responsible_organisation=organisation,
    )
    AttendanceFactory(meeting=meeting, contact=contact, organisation=organisation)
    return meeting


# --- create / edit ------------------------------------------------------------------------------


def test_place_lead_creates_a_meeting_with_an_ordered_agenda(
    program, place, place_lead, client_for
):
    response = client_for(place_lead).post(url("meeting_create", program), meeting_post(place))

    with scope(program=program):
        meeting = Meeting.objects.get()
        agenda = list(meeting.agenda_items.values_list("position", "title"))
    assert response.status_code == 302 and response["Location"] == meeting.get_absolute_url()
    assert agenda == [(1, "Belysning vid busstorget"), (2, "Lägesbild")]
    local = timezone.localtime(meeting.starts_at)
    assert (local.date(), local.hour) == (datetime.date(2026, 12, 3), 13)
    assert meeting.created_by == place_lead


def test_place_lead_cannot_create_a_program_wide_or_other_place_meeting(
    program, place, second_place, place_lead, client_for
):
    client = client_for(place_lead)
    for place_value in ("", second_place.pk):
        response = client.post(
            url("meeting_create", program), meeting_post(None, place=place_value)
        )
        assert response.status_code == 200
        assert "field--error" in response.content.decode()
    with scopes_disabled():  # test assertion
        assert not Meeting.objects.exists()


def test_coordinator_creates_a_program_wide_meeting(program, coordinator, client_for):
    response = client_for(coordinator).post(url("meeting_create", program), meeting_post(None))
    with scope(program=program):
        meeting = Meeting.objects.get()
    assert response.status_code == 302
    assert meeting.place is None


def test_end_before_start_is_refused_with_a_swedish_message(program, place, place_lead, client_for):
    response = client_for(place_lead).post(
        url("meeting_create", program), meeting_post(place, start_time="15:00", end_time="14:00")
    )
    assert response.status_code == 200
    assert "Mötet måste sluta efter att det börjar." in response.content.decode()
    with scopes_disabled():  # test assertion
        assert not Meeting.objects.exists()


def test_over_long_title_is_refused(program, place, place_lead, client_for):
    response = client_for(place_lead).post(
        url("meeting_create", program), meeting_post(place, title="x" * 201)
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "som mest 200 tecken" in html
    with scopes_disabled():  # test assertion
        assert not Meeting.objects.exists()


def test_edit_reorders_and_deletes_agenda_items(program, meeting, place_lead, client_for):
    with scope(program=program):
        first = meeting.agenda_items.get()
    second = AgendaItemFactory(meeting=meeting, position=2, title="Klotter")
    data = meeting_post(
        meeting.place,
        **{
            "agenda-TOTAL_FORMS": "3",
            "agenda-INITIAL_FORMS": "2",
            "agenda-0-item": first.pk,
            "agenda-0-title": "Lägesbild",
            "agenda-0-ORDER": "2",
            "agenda-1-item": second.pk,
            "agenda-1-title": "Klotter i tunneln",
            "agenda-1-ORDER": "1",
            "agenda-2-title": "Nytt",
            "agenda-2-ORDER": "",
            "agenda-2-DELETE": "",
        },
    )
    response = client_for(place_lead).post(url("meeting_update", program, pk=meeting.pk), data)
    assert response.status_code == 302
    with scope(program=program):
        agenda = list(meeting.agenda_items.values_list("title", "minutes"))
    assert agenda == [("Klotter i tunneln", ""), ("Lägesbild", "Lugnt i höst."), ("Nytt", "")]

    data.update({"agenda-1-DELETE": "on"})
    client_for(place_lead).post(url("meeting_update", program, pk=meeting.pk), data)
    with scope(program=program):
        assert [i.title for i in meeting.agenda_items.all()] == ["Lägesbild", "Nytt"]


def test_other_place_lead_and_partner_cannot_edit(
    program, meeting, other_place_lead, partner, client_for, snapshot
):
    before = snapshot(program)
    for user in (other_place_lead, partner):
        client = client_for(user)
        assert client.get(url("meeting_update", program, pk=meeting.pk)).status_code == 403
        response = client.post(
            url("meeting_update", program, pk=meeting.pk),
            meeting_post(meeting.place, title="Kapat"),
        )
        assert response.status_code == 403
    assert snapshot(program) == before


def test_program_wide_meeting_is_coordinators_only(program, place_lead, coordinator, client_for):
    meeting = MeetingFactory(place=None, program=program)
    assert (
        client_for(place_lead).get(url("meeting_update", program, pk=meeting.pk)).status_code == 403
    )
    assert (
        client_for(coordinator).get(url("meeting_update", program, pk=meeting.pk)).status_code
        == 200
    )


def test_outsider_gets_404_for_a_meeting(program, meeting, outsider, other_program, client_for):
    client = client_for(outsider)
    assert client.get(url("meeting", program, pk=meeting.pk)).status_code == 404
    # Their own program's slug with program A's meeting id: fetched through the program -> 404.
    assert client.get(url("meeting", other_program, pk=meeting.pk)).status_code == 404


# --- detail: attendance and personal data -------------------------------------------------------


def test_detail_shows_agenda_decisions_and_names_to_partners(program, meeting, partner, client_for):
    html = client_for(partner).get(url("meeting", program, pk=meeting.pk)).content.decode()
    assert "Lugnt i höst." in html
    assert 'id="beslut-1"' in html and "Kommunen byter armaturer" in html
    assert "Anna Andersson" in html
    assert "Ändra" not in html  # partners read only


def test_observer_sees_attendance_counts_not_names(program, meeting, observer, client_for):
    response = client_for(observer).get(url("meeting", program, pk=meeting.pk))
    html = response.content.decode()
    assert response.status_code == 200
    assert "Anna Andersson" not in html
    assert "Avestahem AB" in html
    assert '<td class="num">1</td>' in html


def test_list_filters_upcoming_past_place_and_kind(
    program, place, second_place, observer, client_for
):
    now = timezone.now()
    MeetingFactory(
        place=place,
        title="Kommande Avesta",
        starts_at=now + datetime.timedelta(days=2),
        ends_at=now + datetime.timedelta(days=2, hours=1),
    )
    MeetingFactory(
        place=place,
        title="Tidigare Avesta",
        kind="styrgruppsmote",
        starts_at=now - datetime.timedelta(days=9),
        ends_at=now - datetime.timedelta(days=9, hours=-1),
    )
    MeetingFactory(
        place=second_place,
        title="Kommande Sala",
        starts_at=now + datetime.timedelta(days=3),
        ends_at=now + datetime.timedelta(days=3, hours=1),
    )
    client = client_for(observer)

    upcoming = client.get(url("meetings", program)).content.decode()
    past = client.get(url("meetings", program) + "?tid=tidigare").content.decode()
    at_place = client.get(url("meetings", program) + f"?plats={second_place.pk}").content.decode()
    steering = client.get(url("meetings", program) + "?tid=alla&typ=styrgruppsmote")

    assert "Kommande Avesta" in upcoming and "Kommande Sala" in upcoming
    assert "Tidigare Avesta" not in upcoming
    assert "Tidigare Avesta" in past and "Kommande Avesta" not in past
    assert "Kommande Sala" in at_place and "Kommande Avesta" not in at_place
    assert [m.title for m in steering.context["meetings"]] == ["Tidigare Avesta"]


# --- attendance, minutes, decisions -------------------------------------------------------------


def test_attendance_page_lists_stakeholder_contacts_and_saves_statuses(
    program, place, meeting, contact, place_lead, client_for
):
    ContactFactory(organisation=OrganisationFactory(program=program), name="Inte Aktör")
    client = client_for(place_lead)
    page = client.get(url("meeting_attendance", program, pk=meeting.pk)).content.decode()
    assert "Anna Andersson" in page and "Inte Aktör" not in page

    response = client.post(
        url("meeting_attendance", program, pk=meeting.pk),
        {
            f"person_c{contact.pk}": "anmalt_forhinder",
            f"person_u{place_lead.pk}": "narvarande",
        },
    )
    assert response.status_code == 302
    with scope(program=program):
        statuses = {(a.person_name, a.status) for a in meeting.attendances.all()}
    assert statuses == {("Anna Andersson", "anmalt_forhinder"), (str(place_lead), "narvarande")}


def test_attendance_for_another_programs_contact_is_refused(
    program, meeting, contact, other_program, place_lead, client_for, snapshot
):
    stranger = ContactFactory(organisation=OrganisationFactory(program=other_program))
    before = snapshot(program)
    response = client_for(place_lead).post(
        url("meeting_attendance", program, pk=meeting.pk),
        {
            f"person_c{contact.pk}": "franvarande",
            f"person_c{stranger.pk}": "narvarande",
        },
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "Närvaron kan bara anges för mötets aktörer" in html
    assert "Ingenting sparades" in html
    assert snapshot(program) == before
    with scope(program=program):
        assert meeting.attendances.get().status == Attendance.Status.PRESENT


def test_minutes_per_agenda_item(program, meeting, place_lead, client_for):
    with scope(program=program):
        item = meeting.agenda_items.get()
    response = client_for(place_lead).post(
        url("meeting_minutes", program, pk=meeting.pk),
        {
            f"item_{item.pk}": "Polisen rapporterar färre larm.",
            "notes": "Nästa möte i januari.",
        },
    )
    assert response.status_code == 302
    item.refresh_from_db()
    assert item.minutes == "Polisen rapporterar färre larm."


def test_over_long_minutes_are_refused(program, meeting, place_lead, client_for):
    with scope(program=program):
        item = meeting.agenda_items.get()
    response = client_for(place_lead).post(
        url("meeting_minutes", program, pk=meeting.pk),
        {
            f"item_{item.pk}": "x" * 20001,
            "notes": "",
        },
    )
    assert response.status_code == 200
    assert "som mest 20000 tecken" in response.content.decode().replace("\xa0", "")
    item.refresh_from_db()
    assert item.minutes == "Lugnt i höst."


def test_decision_gets_the_next_number(program, meeting, organisation, place_lead, client_for):
    with scope(program=program):
        item = meeting.agenda_items.get()
    response = client_for(place_lead).post(
        url("decision_create", program, meeting=meeting.pk),
        {
            "text": "Fastighetsägaren klipper buskarna vid gångtunneln.",
            "agenda_item": item.pk,
            "responsible_organisation": organisation.pk,
        },
    )
    with scope(program=program):
        decision = Decision.objects.get(meeting=meeting, number=2)
    assert response.status_code == 302
    assert response["Location"].endswith("#beslut-2")
    assert decision.agenda_item == item and decision.responsible_organisation == organisation


def test_decision_with_an_agenda_item_of_another_meeting_is_refused(
    program, meeting, place, place_lead, client_for
):
    foreign = AgendaItemFactory(meeting=MeetingFactory(place=place))
    response = client_for(place_lead).post(
        url("decision_create", program, meeting=meeting.pk),
        {
            "text": "X",
            "agenda_item": foreign.pk,
        },
    )
    assert response.status_code == 200
    with scopes_disabled():  # test assertion
        assert Decision.objects.count() == 1


def test_invite_page_sends_once(program, meeting, place_lead, client_for):
    client = client_for(place_lead)
    page = client.get(url("meeting_invite", program, pk=meeting.pk)).content.decode()
    assert "anna.andersson@example.com" in page
    first = client.post(url("meeting_invite", program, pk=meeting.pk), follow=True)
    assert "Inbjudan skickas till 1 person." in first.content.decode()  # not "1 personer"
    response = client.post(url("meeting_invite", program, pk=meeting.pk), follow=True)
    assert "Alla har redan fått inbjudan" in response.content.decode()
    with scope(program=program):
        assert meeting.invitations.count() == 1


# --- minutes PDF ----------------------------------------------------------------------------------


def _pdf_text(response) -> str:
    data = b"".join(response.streaming_content)
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)


def test_minutes_pdf_has_decisions_and_attendance(program, meeting, partner, client_for):
    response = client_for(partner).get(url("meeting_minutes_pdf", program, pk=meeting.pk))
    text = _pdf_text(response)
    assert response["Content-Type"] == "application/pdf"
    assert "Styrgruppsmöte november" in text
    assert "Beslut 1" in text and "Kommunen byter armaturer på torget." in text
    assert "Anna Andersson" in text and "Avestahem AB" in text
    assert " kl. " in text
    assert "Lugnt i höst." in text


def test_minutes_pdf_for_observers_has_no_names(program, meeting, observer, client_for):
    with scope(program=program):
        Meeting.objects.filter(pk=meeting.pk).update(chair="Karin Berg")
    text = _pdf_text(client_for(observer).get(url("meeting_minutes_pdf", program, pk=meeting.pk)))
    assert "Anna Andersson" not in text and "Karin Berg" not in text
    assert "Avestahem AB" in text and "Kommunen byter armaturer" in text
    # The minutes' free text may name people: the observer gets the decisions only.
    assert "Lugnt i höst." not in text
    assert "visas inte för din roll" in text
    page = client_for(observer).get(url("meeting", program, pk=meeting.pk)).content.decode()
    assert "Lugnt i höst." not in page and "Karin Berg" not in page
    assert "Kommunen byter armaturer" in page


def test_minutes_form_records_the_justering_and_the_pdf_has_the_block(
    program, meeting, place_lead, partner, client_for
):
    with scope(program=program):
        item = meeting.agenda_items.get()
    response = client_for(place_lead).post(
        url("meeting_minutes", program, pk=meeting.pk),
        {
            f"item_{item.pk}": "Lugnt i höst.",
            "notes": "",
            "chair": "Karin  Berg",
            "secretary": "Bo Ek",
            "adjuster": "Sara Lind",
        },
    )
    assert response.status_code == 302
    with scope(program=program):
        stored = Meeting.objects.get(pk=meeting.pk)
    assert (stored.chair, stored.secretary, stored.adjuster) == ("Karin Berg", "Bo Ek", "Sara Lind")

    text = " ".join(
        _pdf_text(
            client_for(partner).get(url("meeting_minutes_pdf", program, pk=meeting.pk))
        ).split()
    )
    assert "Justering" in text
    assert "Ordförande Karin Berg" in text and "Justerare Sara Lind" in text
    assert "Underskrift och datum" in text


def test_cancel_asks_first_then_marks_the_meeting_everywhere(
    program, meeting, place_lead, client_for
):
    client = client_for(place_lead)
    detail = client.get(url("meeting", program, pk=meeting.pk)).content.decode()
    assert url("meeting_cancel", program, pk=meeting.pk) in detail

    page = client.get(url("meeting_cancel", program, pk=meeting.pk)).content.decode()
    assert "Ställ in" in page and "inga återbud skickas" in page
    with scope(program=program):
        assert Meeting.objects.get(pk=meeting.pk).cancelled_at is None  # a GET changes nothing

    response = client.post(url("meeting_cancel", program, pk=meeting.pk), follow=True)
    html = response.content.decode()
    assert "Mötet är inställt." in html
    assert '<span class="badge badge--danger">Inställt</span>' in html
    assert url("meeting_invite", program, pk=meeting.pk) not in html
    listing = client.get(url("meetings", program)).content.decode()
    assert "Inställt" in listing

    again = client.post(url("meeting_cancel", program, pk=meeting.pk), follow=True)
    assert "Mötet är redan inställt." in again.content.decode()
