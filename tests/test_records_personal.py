"""A person's data (issue 14, GDPR): the register extract, erasure on request and retention."""

import datetime
import json

import pytest
from django.apps import apps
from django.core.files.base import ContentFile
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django_scopes import scope, scopes_disabled

from meetings.models import Attendance, MeetingInvitation
from partnerships.exceptions import DomainError
from partnerships.models import AuditEntry, Contact, Invitation, Membership
from platser.models import Finding
from records import personal, retention, tasks
from records.models import Erasure, RetentionRule
from tests.factories import (
    AttendanceFactory,
    ContactFactory,
    FindingFactory,
    InvitationFactory,
    MeasureFactory,
    MeetingFactory,
    MembershipFactory,
    OrganisationFactory,
    StakeholderFactory,
)

JPEG = b"\xff\xd8\xff\xe0" + b"foto" * 50 + b"\xff\xd9"
PHONE = "070-123 45 67"


def _everywhere(text: str) -> list[str]:
    """Every row of every table (every text and JSON column) that contains ``text``."""
    found = []
    with scopes_disabled():  # the test searches the whole database
        for model in apps.get_models():
            for f in model._meta.concrete_fields:
                if not isinstance(f, models.CharField | models.TextField | models.JSONField):
                    continue
                for pk in model._base_manager.filter(**{f"{f.name}__icontains": text}).values_list(
                    "pk", flat=True
                ):
                    found.append(f"{model._meta.label}.{f.name} #{pk}")
    return found


@pytest.fixture
def person(program, place, organisation, coordinator):
    """Anna, a contact: attended a meeting, was invited to one, is named in its notes and in
    the audit log."""
    contact = ContactFactory(
        organisation=organisation,
        name="Anna Andersson",
        email="anna.andersson@example.com",
        phone=PHONE,
        role="Fastighetschef",
    )
    meeting = MeetingFactory(
        place=place,
        title="Styrgruppsmöte",
        notes="Anna Andersson redovisade läget. Nås på 070-123 45 67.",
    )
    attendance = AttendanceFactory(meeting=meeting, contact=contact)
    with scopes_disabled():  # test set-up
        invitation = MeetingInvitation.objects.create(
            program=program, meeting=meeting, contact=contact, email=contact.email
        )
        contact.log_action(
            "create",
            actor=coordinator,
            changes={"name": [None, contact.name], "email": [None, contact.email]},
        )
    # Someone else in the same program, and in another one: never in Anna's extract.
    ContactFactory(organisation=organisation, name="Bo Berg", email="bo.berg@example.com")
    return contact, meeting, attendance, invitation


def test_the_contact_extract_holds_every_record_of_the_person_and_nothing_else(
    program, person, coordinator, other_place
):
    contact, meeting, attendance, invitation = person
    ContactFactory(
        organisation=OrganisationFactory(program=other_place.program),
        name="Anna Andersson",
        email="anna.andersson@example.com",
    )

    with scope(program=program):
        data = personal.extract(program, contact, made_by=coordinator)

    assert data["person"]["name"] == "Anna Andersson"
    assert data["person"]["phone"] == PHONE
    assert [r["id"] for r in data["poster"]["meetings.Attendance.contact"]] == [str(attendance.pk)]
    assert [r["id"] for r in data["poster"]["meetings.MeetingInvitation.contact"]] == [
        str(invitation.pk)
    ]
    assert {"posttyp": "meetings.Meeting", "id": meeting.pk, "falt": "notes"}.items() <= (
        next(m for m in data["omnamnanden"] if m["posttyp"] == "meetings.Meeting").items()
    )
    assert len(data["andringslogg"]) == 1
    text = json.dumps(data, ensure_ascii=False)
    assert "Bo Berg" not in text
    assert str(other_place.program.pk) not in [r["program_id"] for r in data["andringslogg"]]


def test_the_user_extract_holds_what_they_did(program, place, coordinator, partner):
    finding = FindingFactory(place=place, reported_by=partner, description="Trasig lampa.")
    measure = MeasureFactory(place=place, created_by=partner)
    with scopes_disabled():  # test set-up: an audit entry by the partner
        finding.log_action("create", actor=partner)

    with scope(program=program):
        data = personal.extract(program, partner, made_by=coordinator)

    assert data["person"]["email"] == partner.email
    assert "password" not in data["person"]
    assert [r["id"] for r in data["poster"]["platser.Finding.reported_by"]] == [str(finding.pk)]
    assert [r["id"] for r in data["poster"]["measures.Measure.created_by"]] == [str(measure.pk)]
    assert len(data["poster"]["partnerships.Membership.user"]) == 1
    assert [e["actor_id"] for e in data["andringslogg"]] == [str(partner.pk)]


def test_erasing_a_contact_leaves_no_trace_of_name_email_or_phone(program, person, coordinator):
    contact, meeting, attendance, invitation = person
    assert _everywhere("Anna Andersson")  # the search does find her before

    with scope(program=program):
        erasure = personal.erase(
            actor=coordinator, program=program, subject=contact, reason="Begäran 2026-03-14"
        )

    for text in ("Anna Andersson", "anna.andersson@example.com", PHONE):
        assert _everywhere(text) == [], text
    with scopes_disabled():  # test read
        contact.refresh_from_db()
        meeting.refresh_from_db()
        assert contact.name == f"Borttagen person {erasure.pk}"
        assert contact.role == "Fastighetschef"  # what is not personal stays
        assert f"Borttagen person {erasure.pk} redovisade" in meeting.notes
        # The records stay: the attendance, and the audit trail now names the pseudonym.
        assert Attendance.objects.get(pk=attendance.pk).contact_id == contact.pk
        entry = AuditEntry.objects.get(model_label="partnerships.Contact")
        assert entry.actor == coordinator
        assert entry.changes["name"] == [None, f"Borttagen person {erasure.pk}"]
        logged = AuditEntry.objects.get(model_label="records.Erasure")
        assert logged.actor == coordinator and "Anna" not in json.dumps(logged.changes)
    with scope(program=program), pytest.raises(DomainError, match="redan raderade"):
        personal.erase(actor=coordinator, program=program, subject=contact)


def test_erasing_a_user_closes_the_account_and_leaves_no_trace(
    program, place, coordinator, partner, client_for
):
    partner.name = "Petra Partnersson"
    partner.phone = "073-999 88 77"
    partner.title = "Fastighetsvärd"
    partner.save()
    name, email = partner.name, partner.email
    FindingFactory(place=place, reported_by=partner, description=f"Sett av {name}.")
    with scopes_disabled():  # test set-up
        InvitationFactory(program=program, email=email)

    client = client_for(coordinator)
    url = reverse("records:user_erase", kwargs={"program": program.slug, "pk": partner.pk})
    response = client.post(url, {"reason": "Begäran", "confirm": "on"}, follow=True)

    assert "Personuppgifterna är raderade" in response.content.decode()
    for text in (name, email, "073-999 88 77"):
        assert _everywhere(text) == [], text
    partner.refresh_from_db()
    assert partner.title == ""
    assert not partner.is_active and not partner.has_usable_password()
    assert partner.name.startswith("Borttagen person ")
    assert (
        client_for(partner)
        .get(reverse("platser:overview", kwargs={"program": program.slug}))["Location"]
        .startswith("/konto/login/")
    )


def test_erasure_is_refused_with_a_reason_where_the_person_is_needed(
    program, coordinator, partner, other_program, client_for
):
    MembershipFactory(program=other_program, user=partner, role="partner")
    with scope(program=program):
        with pytest.raises(DomainError, match="annat program"):
            personal.erase(actor=coordinator, program=program, subject=partner)
        with pytest.raises(DomainError, match="egna uppgifter"):
            personal.erase(actor=coordinator, program=program, subject=coordinator)

    response = client_for(coordinator).post(
        reverse("records:user_erase", kwargs={"program": program.slug, "pk": partner.pk}),
        {"confirm": "on"},
    )
    assert response.status_code == 200
    assert "annat program" in response.content.decode()
    partner.refresh_from_db()
    assert partner.is_active
    with scopes_disabled():  # test read
        assert not Erasure.objects.exists()
        assert Membership.objects.filter(user=partner).count() == 2


def test_the_erase_form_needs_the_confirmation(program, coordinator, contact, client_for):
    response = client_for(coordinator).post(
        reverse("records:contact_erase", kwargs={"program": program.slug, "pk": contact.pk}), {}
    )
    assert response.status_code == 200
    assert "Kryssa i rutan" in response.content.decode()
    with scopes_disabled():  # test read
        assert Contact.objects.get(pk=contact.pk).name == "Anna Andersson"


def test_the_extract_downloads_as_json_and_is_audited(program, person, coordinator, client_for):
    contact = person[0]
    response = client_for(coordinator).get(
        reverse("records:contact_extract", kwargs={"program": program.slug, "pk": contact.pk})
    )

    assert response["Content-Type"].startswith("application/json")
    assert "attachment" in response["Content-Disposition"]
    assert response.json()["person"]["email"] == "anna.andersson@example.com"
    with scopes_disabled():  # test read
        assert AuditEntry.objects.filter(
            action="other", model_label="partnerships.Contact", actor=coordinator
        ).exists()


# --- retention --------------------------------------------------------------------------------


@pytest.fixture
def old_records(program, place, organisation, coordinator):
    long_ago = timezone.now() - datetime.timedelta(days=800)
    closed = FindingFactory(place=place, status="stangd")
    recent = FindingFactory(place=place, status="stangd")
    still_open = FindingFactory(place=place, status="oppen")
    departed = OrganisationFactory(program=program, name="Gamla bolaget")
    kept_org = OrganisationFactory(program=program, name="Aktören")
    StakeholderFactory(place=place, organisation=kept_org)
    gone = ContactFactory(organisation=departed, name="Gustav Gammal", email="gustav@example.com")
    kept = ContactFactory(organisation=kept_org, name="Karin Kvar", email="karin@example.com")
    used = InvitationFactory(program=program, email="anvand@example.com")
    with scopes_disabled():  # test set-up: files and ages
        for finding in (closed, recent, still_open):
            finding.photo.save("fynd.jpg", ContentFile(JPEG), save=True)
        Finding.objects.filter(pk__in=[closed.pk, still_open.pk]).update(status_changed_at=long_ago)
        Finding.objects.filter(pk=recent.pk).update(status_changed_at=timezone.now())
        type(departed).objects.filter(pk__in=[departed.pk, kept_org.pk]).update(created_at=long_ago)
        Invitation.objects.filter(pk=used.pk).update(created_at=long_ago, accepted_at=long_ago)
        for kind in ("fyndfoton", "kontakter", "inbjudningar"):
            RetentionRule.objects.create(program=program, kind=kind, months=24)
    return {"closed": closed, "gone": gone, "kept": kept, "used": used, "recent": recent}


def test_retention_removes_exactly_what_the_dry_run_listed(program, old_records):
    now = timezone.now()
    with scope(program=program):
        listed = {item.rule.kind: [o.pk for o in item.rows] for item in retention.due(program, now)}
        assert listed == {
            "fyndfoton": [old_records["closed"].pk],
            "kontakter": [old_records["gone"].pk],
            "inbjudningar": [old_records["used"].pk],
        }
        applied = retention.apply(program, now)
        assert {i.rule.kind: [o.pk for o in i.rows] for i in applied} == listed
        # Nothing is left to remove afterwards.
        assert all(not item.rows for item in retention.due(program, now))

    with scopes_disabled():  # test read
        closed = Finding.objects.get(pk=old_records["closed"].pk)
        assert not closed.photo
        assert Finding.objects.get(pk=old_records["recent"].pk).photo
        assert not Invitation.objects.filter(pk=old_records["used"].pk).exists()
        assert Contact.objects.get(pk=old_records["kept"].pk).name == "Karin Kvar"
        removed = AuditEntry.objects.filter(changes__has_key="gallring")
        assert removed.count() == 2  # the photo and the invitation; the contact's erasure below
        assert AuditEntry.objects.filter(model_label="records.Erasure").count() == 1
    assert _everywhere("Gustav Gammal") == []
    assert _everywhere("anvand@example.com") == []


def test_the_beat_task_applies_every_programs_rules(program, old_records, settings):
    assert settings.CELERY_BEAT_SCHEDULE["apply-retention"]["task"] == "records.apply_retention"
    assert tasks.apply_retention() == 3
    assert tasks.apply_retention() == 0


def test_the_coordinator_sets_rules_and_sees_the_dry_run(
    program, old_records, coordinator, client_for
):
    client = client_for(coordinator)
    url = reverse("records:retention", kwargs={"program": program.slug})

    page = client.get(url).content.decode()
    assert f"Foto till fynd {old_records['closed'].pk}" in page
    assert "Gustav" not in page

    response = client.post(url, {"fyndfoton": "36", "kontakter": "", "motesutskick": "x"})
    assert response.status_code == 200
    assert "Ange ett helt antal månader" in response.content.decode()

    response = client.post(url, {"fyndfoton": "36", "kontakter": ""})
    assert response.status_code == 302
    with scopes_disabled():  # test read
        assert dict(RetentionRule.objects.values_list("kind", "months")) == {"fyndfoton": 36}
        assert AuditEntry.objects.filter(model_label="records.RetentionRule").count() == 3


def test_a_member_downloads_their_own_extract_from_every_program(
    program, place, partner, other_program, coordinator, client_for
):
    MembershipFactory(program=other_program, user=partner, role="partner")
    finding = FindingFactory(place=place, reported_by=partner, description="Trasig lampa.")
    FindingFactory(place=place, reported_by=coordinator, description="Klotter.")
    client = client_for(partner)

    assert reverse("account_extract") in client.get(reverse("account_profile")).content.decode()
    response = client.get(reverse("account_extract"))

    assert "attachment" in response["Content-Disposition"]
    data = response.json()
    assert sorted(e["registerutdrag"]["program"] for e in data["program"]) == sorted(
        [program.name, other_program.name]
    )
    own = next(e for e in data["program"] if e["registerutdrag"]["program"] == program.name)
    assert [r["id"] for r in own["poster"]["platser.Finding.reported_by"]] == [str(finding.pk)]
    assert coordinator.email not in response.content.decode()
    with scopes_disabled():  # test read
        assert AuditEntry.objects.filter(actor=partner, action="other").count() == 2
    anonymous = client_for(None).get(reverse("account_extract"))
    assert anonymous.status_code == 302 and "/konto/login/" in anonymous["Location"]
