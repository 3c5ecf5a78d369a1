"""A program with a quarter's worth of data in every app, for the report tests."""

import datetime
import io
import uuid
from decimal import Decimal
from types import SimpleNamespace

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from django_scopes import scopes_disabled
from PIL import Image

from measures.models import MeasurePhoto
from surveys.models import Answer, Question, Response
from tests.factories import (
    ActivityFactory,
    AttendanceFactory,
    DecisionFactory,
    FindingFactory,
    MeasureFactory,
    MeetingFactory,
    OrganisationFactory,
    StakeholderFactory,
    SurveyFactory,
)

Q1 = (datetime.date(2026, 1, 1), datetime.date(2026, 3, 31))


def jpeg(colour="blue") -> SimpleUploadedFile:
    out = io.BytesIO()
    Image.new("RGB", (64, 48), colour).save(out, "JPEG")
    return SimpleUploadedFile("foto.jpg", out.getvalue(), content_type="image/jpeg")


def add_responses(survey, place, *, safe: int, unsafe: int, code="plats-trygg-kvall"):
    """``safe`` + ``unsafe`` anonymous responses to one scale question of ``survey``."""
    question = Question.bank.get(code=code)
    options = list(question.options.order_by("position"))
    positive = next(o for o in options if o.is_positive)
    negative = next(o for o in options if not o.is_positive)
    with scopes_disabled():  # test set-up: anonymous responses of an explicit program
        for option in [positive] * safe + [negative] * unsafe:
            response = Response.objects.create(
                program=survey.program,
                survey=survey,
                place=place,
                submitted_on=survey.opens_on,
                client_submission_id=uuid.uuid4(),
            )
            Answer.objects.create(
                program=survey.program,
                survey=survey,
                response=response,
                question=question,
                option=option,
            )


def build_quarter(program, place):
    """Measures, activities, a meeting, findings and two survey waves at ``place`` in Q1 2026,
    plus rows outside the quarter that the report must not count."""
    kommun = OrganisationFactory(program=program, name="Avesta kommun", category="kommun")
    owner = OrganisationFactory(program=program, name="Avestahem AB", category="fastighetsagare")
    StakeholderFactory(place=place, organisation=kommun)
    StakeholderFactory(place=place, organisation=owner)
    done = [
        MeasureFactory(
            place=place,
            responsible=owner,
            status="genomford",
            title=f"Klar {n}",
            actual_start=datetime.date(2026, 1, 5),
            actual_end=datetime.date(2026, 2, n + 1),
            actual_cost=Decimal("12000"),
        )
        for n in range(3)
    ]
    MeasureFactory(
        place=place,
        responsible=owner,
        status="genomford",
        title="Klar i fjol",
        actual_start=datetime.date(2025, 5, 1),
        actual_end=datetime.date(2025, 6, 1),
    )
    MeasureFactory(place=place, responsible=kommun, status="pagaende", title="Pågår")
    MeasureFactory(
        place=place,
        responsible=kommun,
        status="planerad",
        title="Försenad",
        planned_end=datetime.date(2026, 2, 1),
    )
    with scopes_disabled():  # test set-up: attach photos to a program row
        for kind in ("fore", "efter"):
            photo = MeasurePhoto(program=program, measure=done[0], kind=kind, caption=kind)
            photo.image.save("foto.jpg", jpeg("red" if kind == "fore" else "green"), save=True)
    for hours in ("2.5", "4", "1.25"):
        ActivityFactory(
            place=place,
            organisation=owner,
            date=datetime.date(2026, 3, 10),
            hours=Decimal(hours),
            cost=Decimal("500"),
        )
    ActivityFactory(
        place=place,
        organisation=owner,
        date=datetime.date(2026, 4, 2),
        hours=Decimal("100"),
        cost=Decimal("99999"),
    )
    meeting = MeetingFactory(
        place=place,
        title="Styrgruppsmöte mars",
        kind="styrgruppsmote",
        starts_at=timezone.make_aware(datetime.datetime(2026, 3, 12, 9)),
        ends_at=timezone.make_aware(datetime.datetime(2026, 3, 12, 11)),
    )
    AttendanceFactory(meeting=meeting, organisation=owner, contact__organisation=owner)
    AttendanceFactory(meeting=meeting, organisation=kommun, contact__organisation=kommun)
    DecisionFactory(meeting=meeting, text="Styrgruppen beslutar att sätta upp belysning.")
    FindingFactory(place=place, status="oppen")
    FindingFactory(place=place, status="atgardad")
    baseline = SurveyFactory(
        program=program,
        places=[place],
        wave=0,
        codes=["plats-trygg-kvall"],
        opens_on=datetime.date(2025, 9, 1),
        closes_on=datetime.date(2025, 9, 30),
    )
    follow_up = SurveyFactory(
        program=program,
        places=[place],
        wave=1,
        codes=["plats-trygg-kvall"],
        opens_on=datetime.date(2026, 3, 1),
        closes_on=datetime.date(2026, 3, 20),
    )
    add_responses(baseline, place, safe=8, unsafe=12)  # 40 %
    add_responses(follow_up, place, safe=12, unsafe=8)  # 60 %
    return SimpleNamespace(done=done, meeting=meeting, owner=owner, kommun=kommun)


@pytest.fixture
def quarter(program, place):
    program.funder = "Vinnova"
    program.grant_reference = "2020-01234"
    program.save()
    return build_quarter(program, place)
