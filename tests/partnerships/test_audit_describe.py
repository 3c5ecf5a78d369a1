"""How audit entries are shown: in words (Swedish field names, choice labels, names of related
records, local time to the minute), old → new; the log page's filters and its CSV."""

import datetime

import pytest
from django.urls import reverse
from django_scopes import scopes_disabled

from partnerships.audit import describe, kind
from partnerships.models import AuditEntry

pytestmark = pytest.mark.django_db


def _entry(program, **kwargs):
    with scopes_disabled():  # test setup
        return AuditEntry.objects.create(program=program, object_id="1", object_repr="x", **kwargs)


def test_update_shows_verbose_names_and_old_and_new(program):
    entry = _entry(
        program,
        action="update",
        model_label="platser.Place",
        changes={"name": ["Torget", "Stora torget"], "phase": ["start", "analys"]},
    )
    assert describe(entry) == [
        ("namn", "Torget", "Stora torget"),
        ("fas", "1. Uppstart och kartläggning", "2. Nulägesanalys"),
    ]


def test_reverse_relation_and_unknown_fields_fall_back_to_their_names(program):
    entry = _entry(
        program,
        action="create",
        model_label="partnerships.Membership",
        changes={"places": ["Avesta"], "gone_field": "x", "role": "partner"},
    )
    assert describe(entry) == [
        ("platser", "", "Avesta"),
        ("gone field", "", "x"),
        ("roll", "", "Partner"),
    ]


def test_empty_values_are_left_out_and_deletions_show_the_old_value(program):
    entry = _entry(
        program,
        action="delete",
        model_label="partnerships.Contact",
        changes={"name": "Anna", "phone": ""},
    )
    assert describe(entry) == [("namn", "Anna", "")]


def test_the_raw_values_the_issue_saw_read_as_words(program):
    """ "Status: pagaende → genomford", "Teknik: scp07", "Attendance: – → {'Karin Berg': …}",
    "2026-12-03 08:36:17.535452+00:00": each as a person reads it."""
    measure = _entry(
        program,
        action="update",
        model_label="measures.Measure",
        changes={
            "status": ["pagaende", "genomford"],
            "technique": ["", "scp07"],
            "actual_end": [None, "2026-12-03"],
        },
    )
    meeting = _entry(
        program,
        action="update",
        model_label="meetings.Meeting",
        changes={
            "attendance": {
                "Karin Berg": ["", "narvarande"],
                "Bo Ek": ["narvarande", "franvarande"],
            },
            "cancelled_at": [None, "2026-12-03 08:36:17.535452+00:00"],
        },
    )
    assert describe(measure) == [
        ("status", "Pågående", "Genomförd"),
        ("teknik", "", "Öka risken: Underlätta naturlig övervakning"),
        ("faktiskt klart", "", "2026-12-03"),
    ]
    assert describe(meeting) == [
        ("närvaro: Karin Berg", "", "Närvarande"),
        ("närvaro: Bo Ek", "Närvarande", "Frånvarande"),
        ("inställt", "", "2026-12-03 09:36"),  # Stockholm time, to the minute
    ]


def test_audit_log_page_renders_every_kind_of_entry(client_for, coordinator, program):
    _entry(
        program,
        action="create",
        model_label="partnerships.Membership",
        changes={"places": ["Avesta"], "role": "partner"},
    )
    _entry(
        program,
        action="update",
        model_label="platser.Place",
        changes={"name": ["Torget", "Stora torget"]},
    )
    response = client_for(coordinator).get(f"/p/{program.slug}/logg/")
    assert response.status_code == 200
    assert "Stora torget" in response.text
    assert "<del>Torget</del>" in response.text


def test_kind_names_the_record_type(program):
    assert kind(_entry(program, action="create", model_label="platser.Stakeholder")) == "aktör"
    assert kind(_entry(program, action="create", model_label="gone.Model")) == "gone.Model"


def test_the_log_filters_by_person_type_words_and_date_and_downloads_as_csv(
    client_for, coordinator, place_lead, program
):
    with scopes_disabled():  # test setup: three entries by two people on two days
        for actor, label, name, day in (
            (coordinator, "platser.Place", "Stora torget", 1),
            (place_lead, "platser.Place", "Busstorget", 2),
            (place_lead, "measures.Measure", "Belysning vid Busstorget", 2),
        ):
            AuditEntry.objects.create(
                program=program,
                actor=actor,
                action="update",
                model_label=label,
                object_id="1",
                object_repr=name,
                changes={"status": ["planerad", "pagaende"]} if "Measure" in label else {},
                created_at=datetime.datetime(2026, 11, day, 12, tzinfo=datetime.UTC),
            )
    client = client_for(coordinator)
    url = reverse("partnerships:audit_log", kwargs={"program": program.slug})

    def shown(**query):
        response = client.get(url, query)
        assert response.status_code == 200
        return [e.object_repr for e in response.context["entries"]]

    assert shown()[-1] == "Stora torget"  # newest first
    assert set(shown()) == {"Busstorget", "Belysning vid Busstorget", "Stora torget"}
    assert set(shown(person=place_lead.pk)) == {"Busstorget", "Belysning vid Busstorget"}
    assert shown(kind="measures.Measure") == ["Belysning vid Busstorget"]
    assert set(shown(text="busstorget")) == {"Busstorget", "Belysning vid Busstorget"}
    assert shown(date_from="2026-11-01", date_to="2026-11-01") == ["Stora torget"]
    page = client.get(url, {"person": place_lead.pk}).content.decode()
    assert f'<option value="{place_lead.pk}" selected>{place_lead.get_full_name()}' in page

    bad = client.get(url, {"date_from": "2026-11-05", "date_to": "2026-11-01"})
    assert "Från-datumet ligger efter till-datumet." in bad.content.decode()
    assert client.get(url, {"person": "x", "date_from": "i går"}).status_code == 200

    csv = client.get(url, {"kind": "measures.Measure", "format": "csv"})
    assert csv["Content-Type"].startswith("text/csv")
    lines = csv.content.decode("utf-8-sig").splitlines()
    assert lines[0] == "Tidpunkt;Vem;Händelse;Posttyp;Post;Uppgift;Före;Efter"
    assert lines[1:] == [
        f"2026-11-02 13:00;{place_lead.get_full_name()};Ändrade;åtgärd;Belysning vid Busstorget;"
        "status;Planerad;Pågående"
    ]


def test_an_unknown_action_is_refused_before_the_database_sees_it(place):
    """PostgreSQL refused "incidents.import_undone" (longer than the column) with a 500 where
    SQLite stored it: the action is checked against the choices on every database."""
    with pytest.raises(ValueError, match="unknown audit action"):
        place.log_action("incidents.import_undone", actor=None)
