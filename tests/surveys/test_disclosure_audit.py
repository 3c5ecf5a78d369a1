"""The differencing audit (``tests/surveys/audit.py``) over the demo surveys and over
generated surveys with thin groups: no cell of 1–4 respondents can be pinned between 1 and 4
from everything a coordinator can see."""

import pytest
from django_scopes import scope, scopes_disabled

from partnerships.models import Membership, Role
from platser import demo as platser_demo
from surveys import demo
from surveys.models import Survey
from tests.surveys.audit import audit

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
