"""Organisations, contacts, members, the audit log and the program switcher through the
client, with the three personas."""

import pytest
from django.urls import reverse
from django_scopes import scope, scopes_disabled

from partnerships.models import AuditEntry, Contact, Membership, Organisation, Role
from tests.factories import (
    AuditEntryFactory,
    InvitationFactory,
    MembershipFactory,
    OrganisationFactory,
    ProgramFactory,
    StakeholderFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


def url(name, program, **kwargs):
    return reverse(name, kwargs={"program": program.slug, **kwargs})


def organisations(program):
    with scope(program=program):
        return sorted(Organisation.objects.values_list("name", flat=True))


# --- organisations ---------------------------------------------------------------------------


def test_organisation_list_filters_by_category(program, organisation, observer, client_for):
    OrganisationFactory(program=program, name="Polisen Avesta", category="polis")
    client = client_for(observer)

    everyone = client.get(url("partnerships:organisations", program)).content.decode()
    police = client.get(url("partnerships:organisations", program) + "?kategori=polis")

    assert "Avestahem AB" in everyone and "Polisen Avesta" in everyone
    assert "Polisen Avesta" in police.content.decode()
    assert "Avestahem AB" not in police.content.decode()
    assert "Ny organisation" not in everyone  # observers cannot add organisations


def test_organisation_list_counts_places_and_contacts(
    program, organisation, stakeholder, contact, coordinator, client_for
):
    response = client_for(coordinator).get(url("partnerships:organisations", program))
    [row] = response.context["organisations"]
    assert (row.place_count, row.contact_count) == (1, 1)


def test_place_lead_creates_an_organisation(program, place_lead, client_for):
    response = client_for(place_lead).post(
        url("partnerships:organisation_create", program),
        {"name": "  Sala kommun ", "category": "kommun", "org_number": "212000-2080"},
    )

    with scope(program=program):
        organisation = Organisation.objects.get()
        entry = AuditEntry.objects.get()
    assert response["Location"] == organisation.get_absolute_url()
    assert organisation.name == "Sala kommun"
    assert organisation.org_number == "212000-2080"
    assert (entry.actor, entry.action) == (place_lead, AuditEntry.Action.CREATE)


@pytest.mark.parametrize("name", ["Avestahem AB", "avestahem ab", "AVESTAHEM AB  "])
def test_duplicate_organisation_name_is_refused_case_insensitively(
    program, organisation, coordinator, client_for, name
):
    response = client_for(coordinator).post(
        url("partnerships:organisation_create", program),
        {"name": name, "category": "kommun"},
    )

    assert response.status_code == 200
    assert "Det finns redan en organisation som heter" in response.content.decode()
    assert organisations(program) == ["Avestahem AB"]
    with scope(program=program):
        assert not AuditEntry.objects.exists()


def test_same_organisation_name_in_another_program_is_fine(
    program, other_program, coordinator, client_for
):
    OrganisationFactory(program=other_program, name="Avestahem AB")
    client_for(coordinator).post(
        url("partnerships:organisation_create", program),
        {"name": "Avestahem AB", "category": "fastighetsagare"},
    )
    assert organisations(program) == ["Avestahem AB"]


def test_organisation_keeps_its_own_name_on_edit(program, organisation, coordinator, client_for):
    response = client_for(coordinator).post(
        url("partnerships:organisation_update", program, pk=organisation.pk),
        {"name": "Avestahem AB", "category": "fastighetsagare", "website": "https://avestahem.se"},
    )
    assert response.status_code == 302
    with scope(program=program):
        organisation.refresh_from_db()
        entry = AuditEntry.objects.get()
    assert organisation.website == "https://avestahem.se"
    assert entry.changes == {"website": ["", "https://avestahem.se"]}


def test_organisation_rename_to_an_existing_name_is_refused(
    program, organisation, coordinator, client_for
):
    other = OrganisationFactory(program=program, name="Polisen")
    response = client_for(coordinator).post(
        url("partnerships:organisation_update", program, pk=other.pk),
        {"name": "AVESTAHEM ab", "category": "polis"},
    )
    assert "Det finns redan en organisation som heter AVESTAHEM ab" in response.content.decode()
    assert organisations(program) == ["Avestahem AB", "Polisen"]


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"name": "A" * 201}, "som mest 200 tecken (den har 201)"),
        ({"org_number": "12345"}, "Organisationsnumret ska ha tio siffror"),
        ({"org_number": "abcdef-ghij"}, "Organisationsnumret ska ha tio siffror"),
        ({"org_number": "212000-2206"}, "Organisationsnumret 212000-2206 stämmer inte"),
        ({"website": "inte en adress"}, "Fyll i en giltig URL."),
        ({"category": "hemlig"}, "Välj ett giltigt alternativ."),
        ({"name": ""}, "Detta fält måste fyllas i."),
    ],
)
def test_organisation_form_rejects_bad_input_with_a_message(
    program, coordinator, client_for, data, message
):
    response = client_for(coordinator).post(
        url("partnerships:organisation_create", program),
        {"name": "Ny förening", "category": "civilsamhalle", **data},
    )
    assert response.status_code == 200
    assert message in response.content.decode()
    assert organisations(program) == []


def test_organisation_detail_shows_places_and_contacts_to_members_with_personal_data(
    program, organisation, stakeholder, contact, partner, client_for
):
    html = (
        client_for(partner)
        .get(url("partnerships:organisation", program, pk=organisation.pk))
        .content.decode()
    )

    assert "Avesta centrum" in html
    assert "anna.andersson@example.com" in html
    assert "Ny kontaktperson" not in html  # partners do not manage contacts


def test_observer_sees_no_contacts_on_organisation_detail(
    program, organisation, contact, observer, client_for
):
    html = (
        client_for(observer)
        .get(url("partnerships:organisation", program, pk=organisation.pk))
        .content.decode()
    )

    assert "<h1>Avestahem AB</h1>" in html
    assert "anna.andersson@example.com" not in html
    assert "Anna Andersson" not in html
    assert "070-123 45 67" not in html


# --- contacts --------------------------------------------------------------------------------


def contact_url(name, program, organisation, **kwargs):
    return url(name, program, organisation=organisation.pk, **kwargs)


def test_place_lead_adds_edits_and_removes_a_contact(program, organisation, place_lead, client_for):
    client = client_for(place_lead)

    client.post(
        contact_url("partnerships:contact_create", program, organisation),
        {
            "name": "Bo Ek",
            "role": "Vaktmästare",
            "email": "bo@example.com",
            "phone": "070-111 22 33",
        },
    )
    with scope(program=program):
        contact = Contact.objects.get()
    assert (contact.organisation, contact.program) == (organisation, program)

    client.post(
        contact_url("partnerships:contact_update", program, organisation, pk=contact.pk),
        {"name": "Bo Ek", "role": "Förvaltare", "email": "bo@example.com", "phone": ""},
    )
    with scope(program=program):
        contact.refresh_from_db()
    assert (contact.role, contact.phone) == ("Förvaltare", "")

    response = client.post(
        contact_url("partnerships:contact_delete", program, organisation, pk=contact.pk),
        follow=True,
    )
    assert "Kontaktpersonen Bo Ek är borttagen." in response.content.decode()
    with scope(program=program):
        assert not Contact.objects.exists()
        actions = list(AuditEntry.objects.order_by("id").values_list("action", flat=True))
    assert actions == ["create", "update", "delete"]


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"phone": "ring mig"}, "Ange ett telefonnummer med siffror"),
        ({"phone": "12"}, "Ange ett telefonnummer med siffror"),
        ({"email": "inte-en-adress"}, "Fyll i en giltig e-postadress."),
        ({"name": "N" * 201}, "som mest 200 tecken (den har 201)"),
    ],
)
def test_contact_form_rejects_bad_input(
    program, organisation, coordinator, client_for, data, message
):
    response = client_for(coordinator).post(
        contact_url("partnerships:contact_create", program, organisation),
        {"name": "Bo Ek", "email": "", "phone": "", **data},
    )
    assert response.status_code == 200
    assert message in response.content.decode()
    with scope(program=program):
        assert not Contact.objects.exists()


def test_contact_under_the_wrong_organisation_is_404(
    program, organisation, contact, coordinator, client_for
):
    other = OrganisationFactory(program=program)
    client = client_for(coordinator)

    edit = client.get(contact_url("partnerships:contact_update", program, other, pk=contact.pk))
    delete = client.post(contact_url("partnerships:contact_delete", program, other, pk=contact.pk))

    assert (edit.status_code, delete.status_code) == (404, 404)
    with scope(program=program):
        assert Contact.objects.filter(pk=contact.pk).exists()


@pytest.mark.parametrize("persona", ["observer", "partner"])
def test_observer_and_partner_cannot_open_contact_forms(
    program, organisation, contact, client_for, persona, request
):
    client = client_for(request.getfixturevalue(persona))

    create = client.get(contact_url("partnerships:contact_create", program, organisation))
    edit = client.get(
        contact_url("partnerships:contact_update", program, organisation, pk=contact.pk)
    )
    post = client.post(
        contact_url("partnerships:contact_update", program, organisation, pk=contact.pk),
        {"name": "Kapad", "email": "", "phone": ""},
    )

    assert (create.status_code, edit.status_code, post.status_code) == (403, 403, 403)
    assert "anna.andersson@example.com" not in edit.content.decode()
    with scope(program=program):
        contact.refresh_from_db()
    assert contact.name == "Anna Andersson"


# --- members ---------------------------------------------------------------------------------


def test_member_list_shows_members_and_pending_invitations(
    program, place, coordinator, place_lead, observer, client_for
):
    InvitationFactory(program=program, email="vantar@example.com")
    html = client_for(coordinator).get(url("partnerships:members", program)).content.decode()

    for email in (coordinator.email, place_lead.email, observer.email, "vantar@example.com"):
        assert email in html
    assert "Avesta centrum" in html  # the place lead's place


def test_coordinator_changes_a_members_role(
    program, place, organisation, observer, coordinator, client_for
):
    with scope(program=program):
        membership = Membership.objects.get(user=observer)

    response = client_for(coordinator).post(
        url("partnerships:membership_update", program, pk=membership.pk),
        {"role": Role.PARTNER, "organisation": organisation.pk, "places": [place.pk]},
    )

    assert response["Location"] == url("partnerships:members", program)
    with scope(program=program):
        membership.refresh_from_db()
        assert list(membership.places.all()) == [place]
    assert (membership.role, membership.organisation) == (Role.PARTNER, organisation)


def test_coordinator_cannot_remove_their_own_coordinator_role(program, coordinator, client_for):
    with scope(program=program):
        membership = Membership.objects.get(user=coordinator)

    response = client_for(coordinator).post(
        url("partnerships:membership_update", program, pk=membership.pk), {"role": Role.OBSERVER}
    )

    assert "Du kan inte ta bort din egen samordnarroll." in response.content.decode()
    with scope(program=program):
        membership.refresh_from_db()
    assert membership.role == Role.COORDINATOR


def test_membership_of_another_program_is_404(program, outsider, coordinator, client_for):
    with scopes_disabled():  # test set-up: look up program B's membership id
        foreign = Membership.objects.get(user=outsider)
    response = client_for(coordinator).post(
        url("partnerships:membership_update", program, pk=foreign.pk), {"role": Role.OBSERVER}
    )
    assert response.status_code == 404
    with scopes_disabled():  # test check
        foreign.refresh_from_db()
    assert foreign.role == Role.COORDINATOR


# --- audit log -------------------------------------------------------------------------------


def test_audit_log_shows_entries_to_a_coordinator(program, coordinator, place_lead, client_for):
    AuditEntryFactory(program=program, actor=place_lead, object_repr="Avesta centrum")
    AuditEntryFactory(program=program, actor=None, object_repr="Systemändring")

    html = client_for(coordinator).get(url("partnerships:audit_log", program)).content.decode()

    assert "Avesta centrum" in html
    assert f"<td>{place_lead.get_full_name()}</td>" in html  # the name, not the address
    assert "Ändrade" in html
    assert "systemet" in html


def test_audit_log_shows_only_this_programs_entries(
    program, other_program, coordinator, client_for
):
    AuditEntryFactory(program=other_program, object_repr="Borlänge hemlig post")
    html = client_for(coordinator).get(url("partnerships:audit_log", program)).content.decode()
    assert "Borlänge hemlig post" not in html
    assert "Inga händelser ännu." in html


@pytest.mark.parametrize("persona", ["place_lead", "partner", "observer"])
def test_audit_log_is_403_to_everyone_but_coordinators(program, client_for, persona, request):
    AuditEntryFactory(program=program, object_repr="Avesta centrum")
    response = client_for(request.getfixturevalue(persona)).get(
        url("partnerships:audit_log", program)
    )
    assert response.status_code == 403
    assert "Avesta centrum" not in response.content.decode()
    assert "Ingen behörighet" in response.content.decode()


def test_audit_log_link_is_in_the_menu_only_for_coordinators(
    program, coordinator, observer, client_for
):
    log_url = url("partnerships:audit_log", program)
    assert log_url in client_for(coordinator).get(url("platser:overview", program)).content.decode()
    assert (
        log_url not in client_for(observer).get(url("platser:overview", program)).content.decode()
    )


# --- program switcher ------------------------------------------------------------------------


def test_home_with_one_program_goes_straight_to_it(program, observer, client_for):
    response = client_for(observer).get("/")
    assert response.status_code == 302
    assert response["Location"] == program.get_absolute_url()


def test_home_with_two_programs_lists_both(program, other_program, coordinator, client_for):
    MembershipFactory(user=coordinator, program=other_program, role=Role.OBSERVER)
    ProgramFactory(name="Ett program utan mig")
    client = client_for(coordinator)

    listing = client.get("/")
    chooser = client.get("/?valj=1")

    for response in (listing, chooser):
        html = response.content.decode()
        assert response.status_code == 200
        assert program.get_absolute_url() in html
        assert other_program.get_absolute_url() in html
        assert "Ett program utan mig" not in html


def test_choose_program_page_with_one_program_still_lists_it(program, observer, client_for):
    html = client_for(observer).get("/?valj=1").content.decode()
    assert program.get_absolute_url() in html


def test_home_without_programs_says_so(client_for):
    html = client_for(UserFactory()).get("/").content.decode()
    assert "Du är inte med i något program ännu." in html


def test_home_sends_anonymous_visitors_to_login(client_for):
    response = client_for(None).get("/")
    assert response.status_code == 302
    assert response["Location"].startswith("/konto/login/")


def test_user_in_two_programs_sees_each_programs_own_data(
    program, other_program, place, other_place, coordinator, client_for
):
    MembershipFactory(user=coordinator, program=other_program, role=Role.OBSERVER)
    StakeholderFactory(
        place=other_place,
        organisation=OrganisationFactory(program=other_program, name="Borlänge Energi"),
    )
    client = client_for(coordinator)

    a = client.get(url("platser:overview", program)).content.decode()
    b = client.get(url("platser:overview", other_program)).content.decode()

    assert "Avesta centrum" in a and "Borlänge centrum" not in a
    assert "Borlänge centrum" in b and "Avesta centrum" not in b
    # The role badge follows the program: coordinator in A, observer in B.
    assert "Samordnare" in a and "Observatör" in b
    assert "Ny plats" in a and "Ny plats" not in b
