"""The differencing audit (``tests/surveys/audit.py``) over the demo surveys and over
generated surveys with thin groups: no cell of 1–4 respondents can be pinned between 1 and 4
from everything a coordinator can see."""

import datetime
import random

import pytest
from django_scopes import scope, scopes_disabled

from demo import places as platser_demo
from demo import surveys as demo
from partnerships.models import Membership, Role
from surveys.models import Survey
from tests.factories import PlaceFactory, SurveyFactory, ZoneFactory, square
from tests.surveys.audit import audit
from tests.surveys.results_data import respond

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo_surveys():
    platser_demo.load_demo(steps=[demo.load])
    with scopes_disabled():  # test set-up: the demo program and its coordinator
        survey = Survey.objects.select_related("program").get(title="Nollmätning Avesta centrum")
        program = survey.program
        coordinator = Membership.objects.filter(program=program, role=Role.COORDINATOR).first()
    return program, coordinator


def test_no_hidden_cell_of_the_demo_can_be_worked_out(demo_surveys):
    program, coordinator = demo_surveys
    report = {}
    with scope(program=program):
        for survey in Survey.objects.filter(program=program).order_by("pk"):
            exposed, model = audit(survey, coordinator)
            report[survey.title] = exposed
            print(survey.title, len(model.names), "cells", model.published, "figures")
            for e in exposed:
                print("   ", e)
    assert not any(report.values()), {k: [str(e) for e in v] for k, v in report.items() if v}


def _thin_rows(rng, n, zones=()):
    """``n`` generated respondents: thin gender and age groups, skipped questions, a few
    zones; the safety answers lean on the groups so that cells differ."""
    rows = []
    for _ in range(n):
        gender = rng.choices([1, 2, 3, 4, None], weights=[45, 40, 4, 2, 4])[0]
        age = rng.choices([1, 2, 3, 4, 5, 6, None], weights=[3, 14, 30, 28, 18, 2, 5])[0]
        safe = rng.choices([1, 2, 3, 4, 5], weights=[20, 30, 25, 15, 4 + 6 * (gender == 1)])[0]
        row = {}
        if rng.random() < 0.97:
            row["plats-trygg-kvall"] = safe
        if rng.random() < 0.9:
            row["ntu-oro-brottslighet"] = rng.choice([1, 2, 3, 4, 5])
        if rng.random() < 0.8:
            row["ntu-undvikit"] = rng.sample([1, 2, 3], rng.choice([1, 1, 2])) or [4]
        if gender:
            row["kon"] = gender
        if age:
            row["alder"] = age
        if zones and rng.random() < 0.9:
            row["zon"] = rng.choices(zones, weights=[6, 3, 1][: len(zones)])[0]
        rows.append(row)
    return rows


THIN = ["plats-trygg-kvall", "ntu-oro-brottslighet", "ntu-undvikit", "kon", "alder"]


@pytest.mark.parametrize("seed,size", [(1, 45), (2, 80), (3, 140), (4, 260)])
def test_no_hidden_cell_of_a_thin_survey_can_be_worked_out(seed, size, program, coordinator):
    rng = random.Random(seed)
    place = PlaceFactory(program=program, boundary=square())
    zones = [ZoneFactory(place=place, name=name) for name in ("Torget", "Parken", "Stationen")]
    survey = SurveyFactory(
        program=program,
        places=[place],
        codes=[*THIN, "zon"],
        opens_on=datetime.date(2025, 9, 1),
        closes_on=datetime.date(2025, 9, 30),
    )
    respond(survey, place, _thin_rows(rng, size, zones))
    with scope(program=program):
        exposed, model = audit(survey, coordinator)
    assert model.published > 50  # the breakdowns were published and are in the model
    assert not exposed, [str(e) for e in exposed]


@pytest.mark.parametrize("seed", [5, 6])
def test_no_hidden_cell_of_a_thin_survey_of_several_places_can_be_worked_out(
    seed, program, coordinator
):
    rng = random.Random(seed)
    places = [PlaceFactory(program=program, boundary=square()) for _ in range(4)]
    survey = SurveyFactory(
        program=program,
        places=places,
        codes=THIN,
        opens_on=datetime.date(2025, 9, 1),
        closes_on=datetime.date(2025, 9, 30),
    )
    for place, size in zip(places, (90, 40, 12, 3), strict=True):
        respond(survey, place, _thin_rows(rng, size))
    with scope(program=program):
        exposed, model = audit(survey, coordinator)
    assert not exposed, [str(e) for e in exposed]


def test_the_audit_finds_what_a_line_without_complements_gives_away(
    program, coordinator, monkeypatch
):
    """The audit is no formality: without complementary suppression (only the small cells
    hidden), it pins hidden cells down."""
    from surveys.results import disclosure

    monkeypatch.setattr(disclosure, "complete_line", lambda counts, hidden, members=None: False)
    place = PlaceFactory(program=program, boundary=square())
    survey = SurveyFactory(
        program=program,
        places=[place],
        codes=THIN,
        opens_on=datetime.date(2025, 9, 1),
        closes_on=datetime.date(2025, 9, 30),
    )
    respond(survey, place, _thin_rows(random.Random(2), 80))
    with scope(program=program):
        exposed, _model = audit(survey, coordinator)
    assert exposed
    assert all(e.low == e.high or e.high < 5 for e in exposed)
