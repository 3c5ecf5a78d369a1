"""The measures demo step: the pilots' headline figures, overdue measures, activities, and a
second run that writes nothing."""

import pytest
from django_scopes import scope

from demo import measures as measures_demo
from demo.places import load_demo, reset_demo
from measures import selectors
from measures.models import Activity, Measure

pytestmark = pytest.mark.django_db


def test_demo_action_plans_match_the_pilots_and_are_idempotent():
    result = load_demo(steps=[measures_demo.load])
    program = result.programs["trygga-platser"]
    with scope(program=program):
        avesta = selectors.plan_share(place=result.places["avesta"])
        sala = selectors.plan_share(place=result.places["sala"])
        measures = Measure.objects.filter(program=program).count()
        activities = Activity.objects.filter(program=program).count()
        overdue = selectors.overdue_filter(Measure.objects.filter(program=program)).count()
        per_place = [
            Measure.objects.filter(place=p).count()
            for k, p in result.places.items()
            if k != "borlange"
        ]

    assert (avesta.done_or_started, avesta.total) == (22, 28)
    assert (sala.done_or_started, sala.total) == (17, 19)
    assert all(15 <= n <= 30 for n in per_place)
    assert 100 <= activities <= 300
    assert overdue > 0

    again = load_demo(steps=[measures_demo.load])
    assert (again.created, again.updated) == (0, 0)
    with scope(program=program):
        assert Measure.objects.filter(program=program).count() == measures
        assert Activity.objects.filter(program=program).count() == activities


def test_reset_removes_measures_before_the_organisations():
    load_demo(steps=[measures_demo.load])
    reset_demo()
    load_demo(steps=[measures_demo.load])
