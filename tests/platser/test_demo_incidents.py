"""The demo's incident statistics (demo.incidents): Avesta a clear reduction, Falun
displacement into its buffer, Sala no change, as the follow-up page computes them."""

import pytest
from django.utils import timezone
from django_scopes import scope, scopes_disabled

from demo import incidents as demo_incidents
from demo.places import load_demo
from platser import followup
from platser.models import IncidentCount

pytestmark = pytest.mark.django_db


def _total(place):
    start = followup.add_months(timezone.localdate().replace(day=1), -12)
    with scope(program=place.program):
        return followup.follow_up(place, followup.Windows.around(start)).total


def test_three_stories_and_idempotent():
    result = load_demo(steps=[demo_incidents.load])
    avesta, falun, sala = (result.places[k] for k in ("avesta", "falun", "sala"))
    with scopes_disabled():
        counted = IncidentCount.objects.count()
    assert counted == 3 * 36 * 9 * 3

    reduction = _total(avesta)
    assert reduction.res.low > 1 and reduction.res_reading.label == "Minskning"
    assert reduction.wdq_reading.label in ("Ingen förflyttning", "Spridning av vinster",
                                           "Förflyttning, mindre än effekten")  # fmt: skip
    assert abs(reduction.b_after - reduction.b_before) < 0.1 * reduction.b_before

    moved = _total(falun)
    assert moved.res.low > 1
    assert moved.wdq < 0 and moved.wdq_reading.label.startswith("Förflyttning")

    flat = _total(sala)
    assert flat.res.low < 1 < flat.res.high
    assert flat.res_reading.label == "Ingen säker förändring"

    again = load_demo(steps=[demo_incidents.load])
    assert again.created == 0
    with scopes_disabled():
        assert IncidentCount.objects.count() == counted
