"""platser.services: places, zones and stakeholders, each write with its audit entry."""

import pytest
from django_scopes import scope

from partnerships.models import AuditEntry, Municipality
from platser import services
from platser.models import Place, Stakeholder, Zone
from tests.factories import OrganisationFactory, StakeholderFactory, ZoneFactory, square

pytestmark = pytest.mark.django_db


def new_place(program, name="Falun Knutpunkten"):
    return Place(
        name=name,
        municipality=Municipality.objects.get(code="2080"),
        boundary=square(15.63, 60.60),
    )


def test_save_place_creates_the_place_with_zones_and_logs_it(program, coordinator):
    with scope(program=program):
        place = services.save_place(
            actor=coordinator,
            program=program,
            place=new_place(program),
            zones=["Årummet", "Holmtorget"],
        )

        assert Place.objects.get().name == "Falun Knutpunkten"
        assert sorted(place.zones.values_list("name", flat=True)) == ["Holmtorget", "Årummet"]
        assert set(Zone.objects.values_list("program_id", flat=True)) == {program.pk}
        created = AuditEntry.objects.get(action=AuditEntry.Action.CREATE)
        zones_entry = AuditEntry.objects.get(action=AuditEntry.Action.UPDATE)
    assert created.actor == coordinator
    assert created.model_label == "platser.Place"
    assert created.object_id == str(place.pk)
    assert created.object_repr == "Falun Knutpunkten"
    assert created.changes["name"] == "Falun Knutpunkten"
    assert created.changes["municipality"] == "Falun"
    assert zones_entry.changes == {"zones": [[], ["Holmtorget", "Årummet"]]}


def test_save_place_update_logs_only_the_changed_fields(program, place, place_lead):
    with scope(program=program):
        place.description = "Busstorget och stråket mot ån."
        services.save_place(actor=place_lead, program=program, place=place, zones=None)

        entry = AuditEntry.objects.get()
    assert entry.action == AuditEntry.Action.UPDATE
    assert entry.actor == place_lead
    assert entry.changes == {
        "description": ["Ett torg med busshållplats.", "Busstorget och stråket mot ån."]
    }


def test_save_place_syncs_zones_keeping_the_ones_still_listed(program, place, coordinator):
    stationen = ZoneFactory(place=place, name="Stationen")
    ZoneFactory(place=place, name="Stadsparken")

    with scope(program=program):
        services.save_place(
            actor=coordinator, program=program, place=place, zones=["Stationen", "Torget"]
        )

        zones = {z.name: z.pk for z in place.zones.all()}
        entry = AuditEntry.objects.filter(changes__has_key="zones").get()
    assert set(zones) == {"Stationen", "Torget"}
    assert zones["Stationen"] == stationen.pk  # kept, not recreated
    assert entry.changes["zones"] == [["Stadsparken", "Stationen"], ["Stationen", "Torget"]]


def test_save_place_with_unchanged_zones_logs_no_zone_change(program, place, coordinator):
    ZoneFactory(place=place, name="Torget")

    with scope(program=program):
        services.save_place(actor=coordinator, program=program, place=place, zones=["Torget"])

        assert not AuditEntry.objects.filter(changes__has_key="zones").exists()
        assert place.zones.count() == 1


def test_archive_and_restore_place_keep_everything_and_log_it(
    program, place, stakeholder, place_lead
):
    with scope(program=program):
        services.archive_place(actor=place_lead, place=place)
        place.refresh_from_db()
        assert place.is_archived
        assert Stakeholder.objects.filter(place=place).count() == 1

        services.restore_place(actor=place_lead, place=place)
        place.refresh_from_db()
        assert not place.is_archived

        actions = list(AuditEntry.objects.order_by("id").values_list("action", "actor"))
    assert actions == [
        (AuditEntry.Action.ARCHIVE, place_lead.pk),
        (AuditEntry.Action.UPDATE, place_lead.pk),
    ]


def test_save_stakeholder_sets_place_and_program_and_logs(program, place, coordinator):
    organisation = OrganisationFactory(program=program, name="Polisen")

    with scope(program=program):
        stakeholder = services.save_stakeholder(
            actor=coordinator,
            place=place,
            stakeholder=Stakeholder(organisation=organisation, group=Stakeholder.Group.STEERING),
        )

        stored = Stakeholder.objects.get()
        entry = AuditEntry.objects.get()
    assert stored.pk == stakeholder.pk
    assert (stored.place, stored.program_id) == (place, program.pk)
    assert entry.action == AuditEntry.Action.CREATE
    assert entry.object_repr == "Polisen @ Avesta centrum"
    assert entry.changes["group"] == "styrgrupp"


def test_remove_stakeholder_deletes_and_keeps_what_it_was_in_the_log(
    program, stakeholder, coordinator
):
    with scope(program=program):
        services.remove_stakeholder(actor=coordinator, stakeholder=stakeholder)

        assert not Stakeholder.objects.exists()
        entry = AuditEntry.objects.get()
    assert entry.action == AuditEntry.Action.DELETE
    assert entry.changes["organisation"] == "Avestahem AB"
    assert entry.changes["commitment"] == "Belysning och städning av gården."


def test_stakeholder_of_another_program_is_not_found_in_this_scope(
    program, other_program, stakeholder, other_place
):
    StakeholderFactory(place=other_place)
    with scope(program=program):
        assert list(Stakeholder.objects.all()) == [stakeholder]
    with scope(program=other_program):
        assert Stakeholder.objects.get().place == other_place
