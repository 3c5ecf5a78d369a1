"""get_FOO_display of program-owned models: the choices' dict is built once per field
(partnerships/models/base.py), and the label still follows the active language."""

from django.utils import translation

from measures.models import Measure, MeasureStatusChange, Status


def test_the_label_follows_the_language_and_unknown_values_stay_as_they_are():
    measure = Measure(status=Status.ONGOING)
    with translation.override("sv"):
        assert measure.get_status_display() == "Pågående"
    with translation.override("en"):
        assert measure.get_status_display() == "In progress"
    measure.status = Status.DONE
    with translation.override("sv"):
        assert measure.get_status_display() == "Genomförd"
    measure.status = "okand"
    assert measure.get_status_display() == "okand"


def test_each_field_keeps_its_own_choices():
    change = MeasureStatusChange(from_status="", to_status=Status.DONE)
    with translation.override("sv"):
        assert change.get_to_status_display() == "Genomförd"
        assert change.get_from_status_display() == ""
    field = MeasureStatusChange._meta.get_field("to_status")
    assert field.__dict__["_display_choices"][Status.DONE] == Status.DONE.label
