"""Survey fixtures: an open survey of ``place`` with a scale, a multiple-choice, a map, a text
and a gender question."""

import pytest
from django.urls import reverse

from tests.factories import SurveyFactory

CODES = ["plats-trygg-kvall", "ntu-utsatt", "karta-otrygg", "fritext-tryggare", "kon"]


@pytest.fixture
def survey(program, place):
    return SurveyFactory(program=program, places=[place], title="Trygghet på torget", codes=CODES)


@pytest.fixture
def answer_url(survey):
    return reverse("surveys_public:answer", kwargs={"token": survey.token})
