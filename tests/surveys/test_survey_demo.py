"""The demo surveys: complete, plausible, deterministic and idempotent."""

import pytest
from django.db.models import Count, Q
from django_scopes import scopes_disabled

from demo import places as platser_demo
from demo import surveys as demo
from platser import geo
from surveys.models import Answer, Response, Survey

pytestmark = pytest.mark.django_db


def _load():
    platser_demo.load_demo(steps=[demo.load])


def _safe_share(survey) -> float:
    answers = Answer.objects.filter(survey=survey, question__code="plats-trygg-kvall")
    counts = answers.aggregate(n=Count("pk"), safe=Count("pk", filter=Q(option__is_positive=True)))
    return counts["safe"] / counts["n"]


def test_demo_surveys_improve_suppress_and_stay_inside_their_places():
    _load()
    # Test inspection across the demo program.
    with scopes_disabled():
        for key, waves in demo.SURVEYS.items():
            base = Survey.objects.get(title=waves[0].title)
            follow_up = Survey.objects.get(title=waves[1].title)
            assert base.wave == 0 and follow_up.wave == 1
            assert base.responses.count() >= 100, key
            assert _safe_share(follow_up) > _safe_share(base), key
        small = Survey.objects.get(title="Näringsidkare i Hallstahammars centrum")
        cells = (
            Answer.objects.filter(survey=small, option__isnull=False)
            .values("option")
            .annotate(n=Count("pk"))
        )
        assert small.responses.count() < 20
        assert any(0 < cell["n"] < 5 for cell in cells)
        for answer in Answer.objects.filter(point__isnull=False).select_related("response__place")[
            :300
        ]:
            boundary = answer.response.place.boundary
            assert geo.point_in_polygon(tuple(answer.point["coordinates"]), boundary)


def test_demo_surveys_are_idempotent_and_deterministic():
    _load()
    with scopes_disabled():  # test inspection
        first = sorted(Response.objects.values_list("client_submission_id", flat=True))
        answers = Answer.objects.count()
    _load()
    with scopes_disabled():  # test inspection
        assert sorted(Response.objects.values_list("client_submission_id", flat=True)) == first
        assert Answer.objects.count() == answers
