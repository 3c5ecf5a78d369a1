"""How audit entries are shown: verbose field names, old → new, reverse relations too."""

import pytest
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
    assert describe(entry) == [("namn", "Torget", "Stora torget"), ("fas", "start", "analys")]


def test_reverse_relation_and_unknown_fields_fall_back_to_their_names(program):
    entry = _entry(
        program,
        action="create",
        model_label="partnerships.Membership",
        changes={"places": ["Avesta"], "gone_field": "x", "role": "partner"},
    )
    assert describe(entry) == [
        ("places", None, ["Avesta"]),
        ("gone_field", None, "x"),
        ("roll", None, "partner"),
    ]


def test_empty_values_are_left_out_and_deletions_show_the_old_value(program):
    entry = _entry(
        program,
        action="delete",
        model_label="partnerships.Contact",
        changes={"name": "Anna", "phone": ""},
    )
    assert describe(entry) == [("namn", "Anna", None)]


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
