"""Isolation and permission tests for every URL under ``/p/<program>/``, generated from the
URL resolver (healthchecks' three personas; 18F tock's ``test_url_auth.py``).

Every route needs an entry in ``ROUTE_KWARGS`` saying how to fill its URL from program A's
objects. A route without one fails the suite, so a new route cannot slip past. For each route:

(a) the coordinator of another program gets 404 on GET and POST and nothing is written;
(b) an anonymous visitor is sent to the login page, and nothing is written;
(c) a member without the view's ``permission`` gets 403 on GET and POST, and nothing is written;
(d) a member with it gets a real answer on GET, and the POST data used above is shown to be
    effective, so the 404s and 403s above are not just invalid forms.
"""

import io
import json
from types import SimpleNamespace
from urllib.parse import parse_qs, urlsplit

import pytest
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import resolve, reverse
from django_scopes import scopes_disabled
from PIL import Image

from measures.models import MeasurePhoto
from partnerships.models import Municipality
from platser.models import IncidentImport
from records.models import ProgramExport
from surveys.models import Question
from tests.conftest import program_rows
from tests.factories import (
    ActivityFactory,
    AgendaItemFactory,
    CalendarFeedFactory,
    ContactFactory,
    DecisionFactory,
    FindingFactory,
    IncidentCountFactory,
    InvitationFactory,
    MeasureFactory,
    MeetingFactory,
    OrganisationFactory,
    ReportFactory,
    ReportScheduleFactory,
    SafetyWalkFactory,
    StakeholderFactory,
    SurveyFactory,
    ZoneFactory,
    pdf_bytes,
    square,
)
from tests.routes import PROGRAM_PREFIX, collect_routes, walk

PDF = pdf_bytes()
ZIP = b"PK\x05\x06" + b"\x00" * 18  # an empty .zip


ALL_ROUTES = collect_routes()
PROGRAM_ROUTES = sorted(
    name for name, route in ALL_ROUTES.items() if route.startswith(PROGRAM_PREFIX)
)
# The program routes whose view accepts POST: only these get the "POST is effective" check.
POST_ROUTES = sorted(
    name
    for name, route, callback in walk()
    if route.startswith(PROGRAM_PREFIX) and hasattr(getattr(callback, "view_class", None), "post")
)

# How to fill each program route's URL from program A's objects (see the ``world`` fixture).
ROUTE_KWARGS = {
    "platser:overview": lambda w: {},
    "platser:place_create": lambda w: {},
    "platser:place": lambda w: {"pk": w.place.pk},
    "platser:place_update": lambda w: {"pk": w.place.pk},
    "platser:place_archive": lambda w: {"pk": w.place.pk},
    "platser:zone_boundary": lambda w: {"pk": w.place.pk, "zone": w.zone.pk},
    "platser:stakeholders": lambda w: {"pk": w.place.pk},
    "platser:stakeholder_create": lambda w: {"place": w.place.pk},
    "platser:stakeholder_update": lambda w: {"place": w.place.pk, "pk": w.stakeholder.pk},
    "platser:stakeholder_delete": lambda w: {"place": w.place.pk, "pk": w.stakeholder.pk},
    "platser:agreement": lambda w: {"place": w.place.pk, "pk": w.stakeholder.pk},
    "platser:findings": lambda w: {"place": w.place.pk},
    "platser:finding_create": lambda w: {"place": w.place.pk},
    "platser:finding": lambda w: {"place": w.place.pk, "pk": w.finding.pk},
    "platser:finding_update": lambda w: {"place": w.place.pk, "pk": w.finding.pk},
    "platser:finding_status": lambda w: {"place": w.place.pk, "pk": w.finding.pk},
    "platser:finding_photo": lambda w: {"place": w.place.pk, "pk": w.finding.pk},
    "measures:place_effects": lambda w: {"place": w.place.pk},
    "platser:incident_import": lambda w: {"place": w.place.pk},
    "platser:incident_import_undo": lambda w: {"place": w.place.pk, "pk": w.incident_import.pk},
    "platser:walks": lambda w: {"place": w.place.pk},
    "platser:walk_create": lambda w: {"place": w.place.pk},
    "platser:walk": lambda w: {"place": w.place.pk, "pk": w.walk.pk},
    "platser:walk_update": lambda w: {"place": w.place.pk, "pk": w.walk.pk},
    "platser:walk_followed_up": lambda w: {"place": w.place.pk, "pk": w.walk.pk},
    "platser:walk_protocol": lambda w: {"place": w.place.pk, "pk": w.walk.pk},
    "partnerships:organisations": lambda w: {},
    "partnerships:organisation_create": lambda w: {},
    "partnerships:organisation": lambda w: {"pk": w.organisation.pk},
    "partnerships:organisation_update": lambda w: {"pk": w.organisation.pk},
    "partnerships:contact_create": lambda w: {"organisation": w.organisation.pk},
    "partnerships:contact_update": lambda w: {
        "organisation": w.organisation.pk,
        "pk": w.contact.pk,
    },
    "partnerships:contact_delete": lambda w: {
        "organisation": w.organisation.pk,
        "pk": w.contact.pk,
    },
    "partnerships:members": lambda w: {},
    "partnerships:invite": lambda w: {},
    "partnerships:membership_update": lambda w: {"pk": w.observer_membership.pk},
    "partnerships:invitation_revoke": lambda w: {"pk": w.invitation.pk},
    "partnerships:audit_log": lambda w: {},
    "meetings:meetings": lambda w: {},
    "meetings:meeting_create": lambda w: {},
    "meetings:meeting": lambda w: {"pk": w.meeting.pk},
    "meetings:meeting_update": lambda w: {"pk": w.meeting.pk},
    "meetings:meeting_attendance": lambda w: {"pk": w.meeting.pk},
    "meetings:meeting_minutes": lambda w: {"pk": w.meeting.pk},
    "meetings:meeting_minutes_pdf": lambda w: {"pk": w.meeting.pk},
    "meetings:meeting_ics": lambda w: {"pk": w.meeting.pk},
    "meetings:meeting_invite": lambda w: {"pk": w.meeting.pk},
    "meetings:meeting_cancel": lambda w: {"pk": w.meeting.pk},
    "meetings:decision_create": lambda w: {"meeting": w.meeting.pk},
    "meetings:decision_update": lambda w: {"meeting": w.meeting.pk, "pk": w.decision.pk},
    "meetings:calendar_feeds": lambda w: {},
    "meetings:calendar_feed_revoke": lambda w: {"pk": w.calendar_feed.pk},
    "surveys:list": lambda w: {},
    "surveys:create": lambda w: {},
    "surveys:question_list": lambda w: {},
    "surveys:question_create": lambda w: {},
    "surveys:question_update": lambda w: {"pk": w.own_question.pk},
    "surveys:question_delete": lambda w: {"pk": w.own_question.pk},
    "surveys:detail": lambda w: {"pk": w.survey.pk},
    "surveys:update": lambda w: {"pk": w.survey.pk},
    "surveys:questions": lambda w: {"pk": w.survey.pk},
    "surveys:poster": lambda w: {"pk": w.survey.pk},
    "surveys:paper": lambda w: {"pk": w.survey.pk},
    "surveys:results": lambda w: {"pk": w.survey.pk},
    "surveys:results_csv": lambda w: {"pk": w.survey.pk},
    "surveys:results_xlsx": lambda w: {"pk": w.survey.pk},
    "surveys:responses_csv": lambda w: {"pk": w.survey.pk},
    "surveys:responses_xlsx": lambda w: {"pk": w.survey.pk},
    "surveys:place_waves": lambda w: {"place": w.place.pk},
    "measures:plan": lambda w: {"place": w.place.pk},
    "measures:plan_csv": lambda w: {"place": w.place.pk},
    "measures:plan_xlsx": lambda w: {"place": w.place.pk},
    "measures:measure_create": lambda w: {"place": w.place.pk},
    "measures:decision_measure": lambda w: {"decision": w.decision.pk},
    "measures:measure": lambda w: {"pk": w.measure.pk},
    "measures:measure_effects": lambda w: {"pk": w.measure.pk},
    "measures:measure_update": lambda w: {"pk": w.measure.pk},
    "measures:measure_status": lambda w: {"pk": w.measure.pk},
    "measures:photo_create": lambda w: {"pk": w.measure.pk},
    "measures:photo": lambda w: {"measure": w.measure.pk, "pk": w.measure_photo.pk},
    "measures:activity_start": lambda w: {},
    "measures:activities": lambda w: {"place": w.place.pk},
    "measures:activity_create": lambda w: {"place": w.place.pk},
    "measures:activity_photo": lambda w: {"pk": w.activity.pk},
    "measures:cofinancing": lambda w: {},
    "reports:dashboard": lambda w: {},
    "reports:dashboard_map": lambda w: {},
    "reports:list": lambda w: {},
    "reports:create": lambda w: {},
    "reports:detail": lambda w: {"pk": w.report.pk},
    "reports:status": lambda w: {"pk": w.report.pk},
    "reports:retry": lambda w: {"pk": w.failed_report.pk},
    "reports:download": lambda w: {"pk": w.report.pk},
    "reports:schedules": lambda w: {},
    "records:exports": lambda w: {},
    "records:export": lambda w: {"pk": w.export.pk},
    "records:export_status": lambda w: {"pk": w.export.pk},
    "records:export_download": lambda w: {"pk": w.export.pk},
    "records:personal_data": lambda w: {},
    "records:user_extract": lambda w: {"pk": w.users["partner"].pk},
    "records:contact_extract": lambda w: {"pk": w.contact.pk},
    "records:user_erase": lambda w: {"pk": w.users["partner"].pk},
    "records:contact_erase": lambda w: {"pk": w.contact.pk},
    "records:retention": lambda w: {},
    "reports:schedule_create": lambda w: {},
    "reports:schedule_update": lambda w: {"pk": w.schedule.pk},
    "reports:schedule_deactivate": lambda w: {"pk": w.schedule.pk},
}


def _finding_data(w, description):
    return {
        "point": json.dumps({"type": "Point", "coordinates": [16.1685, 60.1455]}),
        "category": "belysning",
        "description": description,
        "source": "partner",
        "responsible_organisation": w.organisation.pk,
    }


def _walk_data(w, notes):
    return {
        "date": "2025-11-12",
        "light": "morker",
        "route": json.dumps(
            {"type": "LineString", "coordinates": [[16.1685, 60.1455], [16.169, 60.146]]}
        ),
        "women": 3,
        "men": 2,
        f"org_{w.organisation.pk}": 2,
        "notes": notes,
        "follow_up_date": "2026-05-12",
    }


def _finding_jpeg() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (8, 8), "red").save(out, "JPEG")
    return out.getvalue()


def _meeting_data(w, title):
    return {
        "title": title,
        "kind": "arbetsgruppsmote",
        "place": w.place.pk,
        "date": "2026-03-12",
        "start_time": "13:00",
        "end_time": "15:00",
        "location": "Stadshuset",
        "agenda-TOTAL_FORMS": "1",
        "agenda-INITIAL_FORMS": "0",
        "agenda-0-title": "Lägesbild",
        "agenda-0-ORDER": "1",
    }


def _place_data(w, name):
    return {
        "name": name,
        "municipality": w.avesta.pk,
        "description": "Torget och busstationen.",
        "phase": "analys",
        "baseline_date": "",
        "boundary": json.dumps(square(lon=16.17, lat=60.15)),
        "zones": "Torget\nBusstorget",
    }


def _measure_data(w, title):
    return {
        "title": title,
        "description": "Nya armaturer vid busstorget.",
        "category": "trygghetsskapande",
        "type": "situationell",
        "technique": "scp07",
        "responsible": w.organisation.pk,
        "priority": "hog",
        "status": "planerad",
        "planned_start": "2026-03-01",
        "planned_end": "2026-06-30",
        "budget": "45000",
        "origin": "annat",
        "location": "",
    }


def _tiny_jpeg():
    from io import BytesIO

    from django.core.files.uploadedfile import SimpleUploadedFile
    from PIL import Image

    out = BytesIO()
    Image.new("RGB", (8, 8), "blue").save(out, "JPEG")
    return SimpleUploadedFile("foto.jpg", out.getvalue(), content_type="image/jpeg")


def _bank(code):
    return Question.bank.get(code=code)


def _survey_data(w, title):
    return {
        "title": title,
        "places": [w.place.pk],
        "wave": "1",
        "target_group": "besokare",
        "opens_on": "2026-03-01",
        "closes_on": "2026-03-31",
        "languages": ["sv", "en"],
        "questions": [_bank("plats-trygg-kvall").pk],
    }


# POST data that would change something if the request were allowed (checked by
# ``test_post_data_is_effective_for_a_member_with_the_right``). Routes without an entry post {}.
POST_DATA = {
    "meetings:meeting_create": lambda w: _meeting_data(w, "Arbetsgruppsmöte i mars"),
    "meetings:meeting_update": lambda w: _meeting_data(w, "Styrgruppsmöte (flyttat)"),
    "meetings:meeting_attendance": lambda w: {f"person_c{w.contact.pk}": "narvarande"},
    "meetings:meeting_minutes": lambda w: {
        f"item_{w.agenda_item.pk}": "Vi gick igenom lägesbilden.",
        "notes": "",
    },
    "meetings:decision_create": lambda w: {"text": "Kommunen byter armaturer."},
    "meetings:decision_update": lambda w: {"text": "Ändrat beslut."},
    "meetings:calendar_feeds": lambda w: {"place": w.place.pk},
    "platser:finding_create": lambda w: _finding_data(w, "Trasig lampa vid trappan."),
    "platser:incident_import": lambda w: {
        "source": "polisen",
        "confirm": "1",
        "file": SimpleUploadedFile(
            "polisen.csv", "Månad;Brottstyp;Antal\r\nmars 2025;Rån;3\r\n".encode("cp1252")
        ),
    },
    "platser:finding_update": lambda w: _finding_data(w, "Ändrad beskrivning."),
    "platser:finding_status": lambda w: {"status": "atgardad"},
    "platser:walk_create": lambda w: _walk_data(w, "Kvällsvandring."),
    "platser:walk_update": lambda w: _walk_data(w, "Ändrade anteckningar."),
    "platser:place_create": lambda w: _place_data(w, "Ny plats"),
    "platser:place_update": lambda w: _place_data(w, "Avesta centrum och busstorget"),
    "platser:zone_boundary": lambda w: {
        "boundary": json.dumps(square(lon=16.1685, lat=60.1455, size=0.0005))
    },
    "platser:stakeholder_create": lambda w: {
        "organisation": w.second_organisation.pk,
        "group": "styrgrupp",
        "commitment": "Kameror vid entrén.",
        "agreement_type": "",
    },
    "platser:stakeholder_update": lambda w: {
        "group": "styrgrupp",
        "commitment": "Ändrat åtagande.",
        "agreement_type": "samverkansavtal",
    },
    "partnerships:organisation_create": lambda w: {"name": "Polisen Avesta", "category": "polis"},
    "partnerships:organisation_update": lambda w: {
        "name": "Avestahem AB (ändrad)",
        "category": "fastighetsagare",
    },
    "partnerships:contact_create": lambda w: {
        "name": "Bo Ek",
        "email": "bo.ek@example.com",
        "phone": "070-765 43 21",
    },
    "partnerships:contact_update": lambda w: {
        "name": "Anna Andersson",
        "email": "anna.ny@example.com",
        "phone": "070-123 45 67",
    },
    "partnerships:invite": lambda w: {"email": "ny.person@example.com", "role": "observer"},
    "partnerships:membership_update": lambda w: {"role": "place_lead", "places": [w.place.pk]},
    "surveys:create": lambda w: _survey_data(w, "Uppföljning 1"),
    "surveys:update": lambda w: _survey_data(w, "Nollmätning (ändrad)"),
    "surveys:questions": lambda w: {"action": "add", "question": _bank("boverket-oro").pk},
    "surveys:question_create": lambda w: {
        "kind": "skala",
        "text_sv": "Hur trivs du på torget?",
        "text_en": "",
        "source": "",
        "options": "+Bra | Good\nDåligt | Bad",
    },
    "surveys:question_update": lambda w: {
        "kind": "skala",
        "text_sv": "Hur trivs du vid stationen?",
        "text_en": "",
        "source": "",
        "options": "+Bra | Good\nDåligt | Bad",
    },
    "surveys:question_delete": lambda w: {},
    "surveys:paper": lambda w: {
        "submitted_on": "2026-01-10",
        f"q{_bank('plats-trygg-kvall').pk}": _bank("plats-trygg-kvall").options.first().pk,
    },
    "measures:measure_create": lambda w: _measure_data(w, "Belysning vid busstorget"),
    "measures:measure_update": lambda w: _measure_data(w, "Belysning vid busstorget (ändrad)"),
    "measures:measure_status": lambda w: {"status": "pagaende", "reason": "Startat."},
    "measures:photo_create": lambda w: {"kind": "efter", "image": _tiny_jpeg(), "caption": "x"},
    "measures:activity_create": lambda w: {
        "description": "Plockstädning vid busstorget",
        "date": "2026-03-14",
        "hours": "2,5",
        "cost": "150",
        "client_id": "5b0f3d1e-3c5e-4f7e-9a57-0c4c8d1f2a11",
    },
    "reports:create": lambda w: {
        "kind": "plats",
        "place": w.place.pk,
        "period_start": "2026-01-01",
        "period_end": "2026-03-31",
        "purpose": "Öka tryggheten vid busstorget.",
    },
    "reports:schedule_create": lambda w: {
        "kind": "vinnova",
        "frequency": "manad",
        "recipient_emails": "vinnova@example.com",
    },
    "records:user_erase": lambda w: {"reason": "Begäran", "confirm": "on"},
    "records:contact_erase": lambda w: {"reason": "Begäran", "confirm": "on"},
    "records:retention": lambda w: {"fyndfoton": "36"},
    "reports:schedule_update": lambda w: {
        "kind": "vinnova",
        "frequency": "manad",
        "recipient_emails": "ny.mottagare@example.com",
        "active": "on",
    },
}

# Who lacks each permission (a fixture name each). Reading permissions have nobody: every member
# may read every place and the non-personal pages.
PERSONAS_WITHOUT = {
    "can_manage_program": ["place_lead", "partner", "observer"],
    "can_create_places": ["place_lead", "partner", "observer"],
    "can_manage_place": ["partner", "observer", "other_place_lead"],
    "can_manage_organisations": ["partner", "observer"],
    "is_member": [],
    "can_view_place": [],
    "can_view_meetings": [],
    "can_manage_meeting": ["partner", "observer", "other_place_lead"],
    "can_create_meetings": ["partner", "observer"],
    "can_view_surveys": [],
    "can_create_surveys": ["partner", "observer"],
    "can_manage_surveys": ["partner", "observer", "other_place_lead"],
    "can_enter_paper_responses": ["place_lead", "partner", "observer"],
    "can_manage_questions": ["place_lead", "partner", "observer"],
    # The world's survey is open: only coordinators see its (preliminary) figures.
    "can_view_survey_results": ["place_lead", "partner", "observer", "other_place_lead"],
    # The results page itself: everyone (a response count while the survey is open).
    "can_view_survey_progress": [],
    "can_export_responses": ["place_lead", "partner", "observer"],
    "can_view_place_results": [],
    "can_add_finding": ["observer", "other_place_lead"],
    "can_manage_findings": ["partner", "observer", "other_place_lead"],
    "can_manage_walks": ["partner", "observer", "other_place_lead"],
    "can_manage_measures": ["partner", "observer", "other_place_lead"],
    "can_update_measure": ["observer", "other_place_lead"],
    "can_log_activity": ["observer", "other_place_lead"],
    "can_log_activities": ["observer"],
    "can_view_reports": ["partner"],
    "can_request_reports": ["partner", "observer"],
    "can_manage_report": ["partner", "observer", "other_place_lead"],
    "can_manage_schedules": ["place_lead", "partner", "observer"],
    "can_export_program": ["place_lead", "partner", "observer"],
    "can_manage_personal_data": ["place_lead", "partner", "observer"],
}

# Someone who has each permission.
PERSONA_WITH = {
    "can_manage_program": "coordinator",
    "can_create_places": "coordinator",
    "can_manage_place": "place_lead",
    "can_manage_organisations": "place_lead",
    "is_member": "observer",
    "can_view_place": "partner",
    "can_view_meetings": "observer",
    "can_manage_meeting": "place_lead",
    "can_create_meetings": "place_lead",
    "can_view_surveys": "observer",
    "can_create_surveys": "place_lead",
    "can_manage_surveys": "place_lead",
    "can_enter_paper_responses": "coordinator",
    "can_manage_questions": "coordinator",
    "can_view_survey_results": "coordinator",
    "can_view_survey_progress": "observer",
    "can_export_responses": "coordinator",
    "can_view_place_results": "observer",
    "can_add_finding": "partner",
    "can_manage_findings": "place_lead",
    "can_manage_walks": "place_lead",
    "can_manage_measures": "place_lead",
    "can_update_measure": "partner",
    "can_log_activity": "partner",
    "can_log_activities": "coordinator",
    "can_view_reports": "observer",
    "can_request_reports": "place_lead",
    "can_manage_report": "place_lead",
    "can_manage_schedules": "coordinator",
    "can_export_program": "coordinator",
    "can_manage_personal_data": "coordinator",
}


@pytest.fixture
def world(
    program,
    place,
    organisation,
    contact,
    coordinator,
    place_lead,
    other_place_lead,
    partner,
    observer,
    outsider,
    other_place,
):
    """Program A with one of everything, and program B with its coordinator (the outsider)."""
    stakeholder = StakeholderFactory(
        place=place, organisation=organisation, agreement_type="samverkansavtal"
    )
    with scopes_disabled():  # test set-up: attach a file to a program-A row
        stakeholder.agreement_file.save("avtal.pdf", ContentFile(PDF), save=True)
        observer_membership = observer.memberships.get()
    # The action plan: a measure the partner's organisation is responsible for, with a photo,
    # and an activity with a photo.
    measure = MeasureFactory(place=place, responsible=organisation, status="planerad")
    activity = ActivityFactory(place=place, organisation=organisation, measure=measure)
    with scopes_disabled():  # test set-up: attach files to program-A rows
        measure_photo = MeasurePhoto(program=program, measure=measure, kind="fore")
        measure_photo.image.save("fore.jpg", _tiny_jpeg(), save=True)
        activity.photo.save("aktivitet.jpg", _tiny_jpeg(), save=True)
    # A finding with a photo and a safety walk.
    finding = FindingFactory(place=place, responsible_organisation=organisation)
    with scopes_disabled():  # test set-up: attach a photo to a program-A row
        finding.photo.save("fynd.jpg", ContentFile(_finding_jpeg()), save=True)
    # A meeting at the place with an agenda item, a decision, an invitee with an address, and
    # the observer's calendar link (every member may manage their own links).
    meeting = MeetingFactory(place=place, title="Styrgruppsmöte")
    agenda_item = AgendaItemFactory(meeting=meeting, position=1, title="Lägesbild")
    decision = DecisionFactory(meeting=meeting, number=1)
    calendar_feed = CalendarFeedFactory(program=program, user=observer)
    # A ready program report with its PDF, a failed place report, and a schedule.
    report = ReportFactory(program=program, status="klar")
    with scopes_disabled():  # test set-up: attach the PDF to a program-A row
        report.pdf.save("rapport.pdf", ContentFile(PDF), save=True)
    failed_report = ReportFactory(
        program=program,
        kind="plats",
        place=place,
        status="misslyckades",
        failure_reason="Rapportmallen saknas eller är felaktig.",
    )
    schedule = ReportScheduleFactory(program=program)
    # An import of incident statistics with the count it brought.
    incident_count = IncidentCountFactory(place=place)
    with scopes_disabled():  # test set-up: the import the count came from
        incident_import = IncidentImport.objects.create(
            program=program,
            place=place,
            source="polisen",
            original_file="incident-imports/x",
            original_name="polisen.csv",
            sha256="0" * 64,
            row_count=1,
            period_start=incident_count.month,
            period_end=incident_count.month,
        )
        incident_count.source_import = incident_import
        incident_count.save()
    # A ready archive export with its .zip.
    with scopes_disabled():  # test set-up: attach the bag to a program-A row
        export = ProgramExport.objects.create(program=program, requested_by=coordinator)
        export.status = "klar"
        export.archive.save("arkiv.zip", ContentFile(ZIP), save=True)
    # Rows in program B too, so that a leak in either direction would show.
    ContactFactory(organisation=OrganisationFactory(program=other_place.program))
    return SimpleNamespace(
        program=program,
        place=place,
        organisation=organisation,
        second_organisation=OrganisationFactory(program=program, name="Polisen i Avesta"),
        contact=contact,
        stakeholder=stakeholder,
        meeting=meeting,
        agenda_item=agenda_item,
        decision=decision,
        calendar_feed=calendar_feed,
        finding=finding,
        walk=SafetyWalkFactory(place=place),
        zone=ZoneFactory(place=place, name="Busstorget"),
        invitation=InvitationFactory(program=program, email="vantar@example.com"),
        observer_membership=observer_membership,
        measure=measure,
        measure_photo=measure_photo,
        activity=activity,
        avesta=Municipality.objects.get(code="2084"),
        survey=SurveyFactory(program=program, places=[place], codes=["plats-trygg-kvall", "kon"]),
        own_question=_own_question(program),
        report=report,
        failed_report=failed_report,
        schedule=schedule,
        incident_import=incident_import,
        export=export,
        users={
            "coordinator": coordinator,
            "place_lead": place_lead,
            "other_place_lead": other_place_lead,
            "partner": partner,
            "observer": observer,
            "outsider": outsider,
        },
    )


def _own_question(program):
    with scopes_disabled():  # test set-up: one of program A's own questions
        question = Question.objects.create(program=program, kind="skala", text_sv="Trivs du?")
        question.options.create(position=1, value=1, label_sv="Ja", is_positive=True)
        question.options.create(position=2, value=2, label_sv="Nej")
    return question


def _rule(name):
    if name not in ROUTE_KWARGS:
        pytest.fail(f"add an isolation rule for {name} to ROUTE_KWARGS in tests/test_isolation.py")
    return ROUTE_KWARGS[name]


def _url(name, world):
    return reverse(name, kwargs={"program": world.program.slug, **_rule(name)(world)})


def _post_data(name, world):
    return POST_DATA.get(name, lambda w: {})(world)


def _view_class(url):
    func = resolve(url).func
    view_class = getattr(func, "view_class", None)
    assert view_class is not None, f"{url} is not a class-based view with a permission"
    return view_class


def _permission(name, url):
    permission = getattr(_view_class(url), "permission", None)
    if permission is None:
        pytest.fail(f"the view of {name} declares no `permission`")
    if permission not in PERSONAS_WITHOUT or permission not in PERSONA_WITH:
        pytest.fail(f"add {permission!r} (used by {name}) to PERSONAS_WITHOUT and PERSONA_WITH")
    return permission


def test_every_program_route_has_an_isolation_rule():
    missing = [name for name in PROGRAM_ROUTES if name not in ROUTE_KWARGS]
    stale = [name for name in ROUTE_KWARGS if name not in PROGRAM_ROUTES]
    assert not missing, f"add an isolation rule for {', '.join(missing)}"
    assert not stale, f"ROUTE_KWARGS names routes that no longer exist: {', '.join(stale)}"


def test_route_collection_finds_the_program_routes():
    # Guards the walker itself: if it found nothing, every parametrised test would vanish.
    assert "platser:place" in PROGRAM_ROUTES
    assert "partnerships:audit_log" in PROGRAM_ROUTES
    assert len(PROGRAM_ROUTES) >= 20


@pytest.mark.parametrize("name", PROGRAM_ROUTES)
def test_outsider_gets_404_and_writes_nothing(name, world, client_for):
    url = _url(name, world)
    client = client_for(world.users["outsider"])
    before = program_rows(world.program)

    get = client.get(url)
    post = client.post(url, _post_data(name, world))

    assert get.status_code == 404, f"GET {url}"
    assert post.status_code == 404, f"POST {url}"
    for response in (get, post):
        html = response.content.decode()
        assert "Sidan finns inte" in html
        assert "Avesta centrum" not in html
        assert "Avestahem AB" not in html
    assert program_rows(world.program) == before


@pytest.mark.parametrize("name", PROGRAM_ROUTES)
def test_anonymous_is_sent_to_login_and_writes_nothing(name, world, client_for):
    url = _url(name, world)
    client = client_for(None)
    before = program_rows(world.program)

    for response in (client.get(url), client.post(url, _post_data(name, world))):
        assert response.status_code == 302
        location = urlsplit(response["Location"])
        assert location.path == reverse("account_login") == "/konto/login/"
        assert parse_qs(location.query)["next"] == [url]
    assert program_rows(world.program) == before


@pytest.mark.parametrize("name", PROGRAM_ROUTES)
def test_member_without_the_right_gets_403_and_writes_nothing(name, world, client_for):
    url = _url(name, world)
    permission = _permission(name, url)
    for persona in PERSONAS_WITHOUT[permission]:
        client = client_for(world.users[persona])
        before = program_rows(world.program)

        get = client.get(url)
        post = client.post(url, _post_data(name, world))

        assert get.status_code == 403, f"GET {url} as {persona}"
        assert post.status_code == 403, f"POST {url} as {persona}"
        assert "Ingen behörighet" in post.content.decode()
        assert program_rows(world.program) == before, f"POST {url} as {persona} wrote"


@pytest.mark.parametrize("name", PROGRAM_ROUTES)
def test_member_with_the_right_gets_the_page(name, world, client_for):
    url = _url(name, world)
    view_class = _view_class(url)
    persona = PERSONA_WITH[_permission(name, url)]

    response = client_for(world.users[persona]).get(url)

    if not hasattr(view_class, "get"):
        # A POST-only action (archive, delete, revoke): GET is refused, not hidden.
        assert response.status_code == 405
    elif response.get("Content-Type", "").startswith("text/calendar"):
        assert response.status_code == 200
        assert response.content.startswith(b"BEGIN:VCALENDAR\r\n")
    elif response.get("Content-Type", "").startswith("application/json"):
        assert response.status_code == 200
        data = response.json()
        # a status, map data, or a register extract (a download)
        assert (
            data.get("status")
            or data.get("type") == "FeatureCollection"
            or data.get("person", {}).get("id")
        )
    elif response.get("Content-Type", "").startswith("application/pdf"):
        assert response.status_code == 200
        assert b"".join(response.streaming_content).startswith(b"%PDF-")
    elif response.get("Content-Type", "").startswith("image/jpeg"):
        assert response.status_code == 200
        assert b"".join(response.streaming_content).startswith(b"\xff\xd8")
    elif response.get("Content-Type", "").startswith("application/zip"):
        assert response.status_code == 200
        assert b"".join(response.streaming_content).startswith(b"PK")
    elif response.get("Content-Type", "").startswith(("text/csv", "application/vnd.openxml")):
        assert response.status_code == 200
        assert "attachment" in response["Content-Disposition"]
        assert response.content
    else:
        assert response.status_code == 200, f"GET {url} as {persona}"
        html = response.content.decode()
        # Every program page shows the program bar with the program's name and the role.
        assert 'class="program-bar__name">Trygga platser<' in html
        assert "<form" in html or "<table" in html or "<dl" in html


@pytest.mark.parametrize("name", POST_ROUTES)
def test_post_data_is_effective_for_a_member_with_the_right(name, world, client_for):
    """The POSTs above would have written something had they been allowed."""
    url = _url(name, world)
    persona = PERSONA_WITH[_permission(name, url)]
    before = program_rows(world.program)

    response = client_for(world.users[persona]).post(url, _post_data(name, world))

    assert response.status_code == 302, (
        f"POST {url} did not succeed: {response.status_code}"
        f" {getattr(response, 'context', None) and response.context.get('form').errors}"
    )
    assert program_rows(world.program) != before


def test_place_lead_of_the_place_may_manage_it_but_not_create_places(world, client_for):
    client = client_for(world.users["place_lead"])

    assert client.get(_url("platser:place_update", world)).status_code == 200
    assert client.get(_url("platser:place_create", world)).status_code == 403


def test_outsider_is_a_normal_member_of_their_own_program(world, client_for, other_place):
    # The 404s above come from the program boundary, not from a broken account.
    response = client_for(world.users["outsider"]).get(
        reverse("platser:place", kwargs={"program": other_place.program.slug, "pk": other_place.pk})
    )
    assert response.status_code == 200
    assert "Borlänge centrum" in response.content.decode()


def test_outsider_cannot_reach_program_a_objects_through_their_own_program(
    world, client_for, other_program
):
    # Program B's slug with program A's ids: the view fetches through request.program -> 404.
    client = client_for(world.users["outsider"])
    other_slug = other_program.slug
    for name in ("platser:place", "partnerships:organisation", "platser:agreement"):
        kwargs = {**ROUTE_KWARGS[name](world), "program": other_slug}
        response = client.get(reverse(name, kwargs=kwargs))
        assert response.status_code == 404, name
        assert "Avestahem AB" not in response.content.decode()


def test_unknown_program_is_404_for_a_logged_in_user(world, client_for):
    response = client_for(world.users["coordinator"]).get("/p/finns-inte/")
    assert response.status_code == 404
    assert "Sidan finns inte" in response.content.decode()


# Routes outside /p/<program>/, each with why it may be reached without a program membership.
PUBLIC_PREFIXES = ("konto/", "admin/", "i18n/")  # allauth, Django admin, language switch
PUBLIC_ROUTES = {
    "home": "the user's own programs (login required)",
    "invitation_accept": "the invitation token is the key",
    "accessibility": "public statement",
    "health": "load balancer check",
    "meeting_feed": "the calendar feed token is the key (tests/partnerships/test_meetings_ical.py)",
    "surveys_public:answer": "anonymous survey: the unguessable token is the key",
    "surveys_public:thanks": "anonymous survey: the unguessable token is the key",
    "surveys_public:qr": "the survey's public link as a QR code, by the same token",
    "service_worker": "the field app's service worker: the same plain JS for everyone",
    "manifest": "the web app manifest: names and icons, nothing of any program",
    "map_tile": "a background map tile from the caching proxy: the same for everyone",
}


def test_every_route_outside_programs_is_known():
    unknown = [
        f"{name} ({route})"
        for name, route in ALL_ROUTES.items()
        if not route.startswith(PROGRAM_PREFIX)
        and not route.startswith(PUBLIC_PREFIXES)
        and name not in PUBLIC_ROUTES
    ]
    assert not unknown, f"new routes outside /p/<program>/ need a rule: {unknown}"


@pytest.mark.django_db
def test_health_reports_the_database(client):
    response = client.get("/health/")
    assert response.status_code == 200
    assert response.json()["database"] == "ok"


@pytest.mark.django_db
def test_accessibility_statement_is_public(client):
    response = client.get("/tillganglighet/")
    assert response.status_code == 200
    assert "Tillgänglighet" in response.content.decode()


@pytest.mark.django_db
def test_invitation_with_a_bogus_token_is_404(client_for, coordinator):
    url = reverse("invitation_accept", kwargs={"token": "finns-inte"})
    for client in (client_for(None), client_for(coordinator)):
        assert client.get(url).status_code == 404
        assert client.post(url).status_code == 404
