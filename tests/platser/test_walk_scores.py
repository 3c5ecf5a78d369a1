"""Scored safety walks: scores per criterion for the route and for each stop (finding), their
summary per walk, the comparison with the previous scored walk at the place, and the forms."""

import datetime
import io
import json

import pytest
from django.urls import reverse
from django_scopes import scope
from pypdf import PdfReader

from partnerships.models import AuditEntry
from platser import selectors, services
from platser.exceptions import FindingError
from platser.models import Criterion, Finding, SafetyWalk, WalkScore
from tests.factories import FindingFactory, SafetyWalkFactory

pytestmark = pytest.mark.django_db


def url(name, place, **kwargs):
    return reverse(name, kwargs={"program": place.program.slug, "place": place.pk, **kwargs})


def score(walk, criterion, value, finding=None, comment=""):
    with scope(program=walk.program):
        return WalkScore.objects.create(
            program=walk.program,
            walk=walk,
            finding=finding,
            criterion=criterion,
            score=value,
            comment=comment,
        )


def summary(walk):
    with scope(program=walk.program):
        return selectors.walk_score_summary(walk)


def test_summary_averages_the_route_and_every_stop_per_criterion(place):
    walk = SafetyWalkFactory(place=place)
    stop = FindingFactory(place=place, walk=walk)
    score(walk, "belysning", 2)
    score(walk, "belysning", 5, finding=stop)
    score(walk, "belysning", 4, finding=FindingFactory(place=place, walk=walk))
    score(walk, "folkliv", 3)

    result = summary(walk)

    rows = {row.criterion: row for row in result.rows}
    assert [row.criterion for row in result.rows] == [c.value for c in Criterion]
    assert (rows["belysning"].mean, rows["belysning"].count) == (3.7, 3)
    assert (rows["folkliv"].mean, rows["folkliv"].count) == (3.0, 1)
    assert rows["skotsel"].mean is None and rows["skotsel"].count == 0
    # Each criterion weighs the same in the overall mean: (3.7 + 3.0) / 2.
    assert result.mean == 3.4
    assert result.previous_walk is None and rows["belysning"].change is None


def test_summary_compares_with_the_previous_scored_walk_at_the_same_place(place, second_place):
    oldest = SafetyWalkFactory(place=place, date=datetime.date(2024, 11, 1))
    previous = SafetyWalkFactory(place=place, date=datetime.date(2025, 5, 1))
    unscored = SafetyWalkFactory(place=place, date=datetime.date(2025, 8, 1))
    elsewhere = SafetyWalkFactory(place=second_place, date=datetime.date(2025, 10, 1))
    later = SafetyWalkFactory(place=place, date=datetime.date(2026, 2, 1))
    walk = SafetyWalkFactory(place=place, date=datetime.date(2025, 11, 12))
    score(oldest, "belysning", 1)
    score(previous, "belysning", 2)
    score(previous, "trygghet", 4)
    score(elsewhere, "belysning", 5)
    score(later, "belysning", 5)
    score(walk, "belysning", 4)
    score(walk, "trygghet", 3)
    assert unscored.pk  # a walk without scores is passed over

    result = summary(walk)

    rows = {row.criterion: row for row in result.rows}
    assert result.previous_walk == previous
    assert (rows["belysning"].previous, rows["belysning"].change) == (2.0, 2.0)
    assert (rows["trygghet"].previous, rows["trygghet"].change) == (4.0, -1.0)
    assert rows["folkliv"].change is None
    assert (result.mean, result.previous_mean, result.change) == (3.5, 3.0, 0.5)


def test_set_walk_scores_replaces_the_scores_and_logs_the_change(place, coordinator):
    walk = SafetyWalkFactory(place=place)
    with scope(program=place.program):
        services.set_walk_scores(
            actor=coordinator,
            walk=walk,
            scores={"belysning": (2, "Mörkt vid tunneln"), "folkliv": (3, "")},
        )
        services.set_walk_scores(
            actor=coordinator, walk=walk, scores={"belysning": (4, ""), "folkliv": (None, "")}
        )
        stored = list(walk.scores.values_list("criterion", "score", "comment"))
        entries = AuditEntry.objects.filter(model_label="platser.SafetyWalk", object_id=walk.pk)
        assert stored == [("belysning", 4, "")]
        assert entries.count() == 2


def test_a_stop_score_must_belong_to_the_findings_walk(place, coordinator):
    walk = SafetyWalkFactory(place=place)
    other = SafetyWalkFactory(place=place)
    finding = FindingFactory(place=place, walk=other)
    with scope(program=place.program), pytest.raises(FindingError):
        services.set_walk_scores(
            actor=coordinator, walk=walk, finding=finding, scores={"belysning": (3, "")}
        )


def test_score_outside_1_to_5_is_refused(place, coordinator):
    walk = SafetyWalkFactory(place=place)
    with scope(program=place.program), pytest.raises(FindingError):
        services.set_walk_scores(actor=coordinator, walk=walk, scores={"belysning": (6, "")})


def walk_post(organisation, **overrides):
    data = {
        "date": "2025-11-12",
        "light": "morker",
        "route": "",
        "women": "2",
        f"org_{organisation.pk}": "2",
        "follow_up_date": "",
        "score_belysning": "2",
        "comment_belysning": "Trasig lykta vid gångtunneln",
        "score_gangvag": "4",
        "score_trygghet": "",
    }
    data.update(overrides)
    return data


def test_walk_form_stores_the_route_scores(
    program, place, place_lead, stakeholder, organisation, client_for
):
    response = client_for(place_lead).post(
        url("platser:walk_create", place), walk_post(organisation)
    )

    with scope(program=program):
        [walk] = SafetyWalk.objects.all()
        stored = set(walk.scores.values_list("finding", "criterion", "score", "comment"))
    assert response.status_code == 302
    assert stored == {
        (None, "belysning", 2, "Trasig lykta vid gångtunneln"),
        (None, "gangvag", 4, ""),
    }


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("score_belysning", "7", "Välj ett giltigt alternativ"),
        ("score_belysning", "", "Välj en poäng 1–5 till kommentaren"),
    ],
)
def test_walk_form_refuses_bad_scores_in_swedish(
    program, place, place_lead, stakeholder, organisation, client_for, field, value, message
):
    response = client_for(place_lead).post(
        url("platser:walk_create", place), walk_post(organisation, **{field: value})
    )

    assert response.status_code == 200
    assert message in response.content.decode()
    with scope(program=program):
        assert not SafetyWalk.objects.exists()


def test_walk_form_shows_the_stored_scores_when_editing(place, place_lead, client_for):
    walk = SafetyWalkFactory(place=place)
    score(walk, "skotsel", 5)

    html = client_for(place_lead).get(url("platser:walk_update", place, pk=walk.pk)).text

    after = html.split('name="score_skotsel" value="5"')[1]
    assert "checked" in after[: after.index(">")]


def finding_post(walk=None, **overrides):
    data = {
        "point": json.dumps({"type": "Point", "coordinates": [16.169, 60.146]}),
        "category": "belysning",
        "description": "Mörk passage under bron",
        "source": "trygghetsvandring",
        "walk": str(walk.pk) if walk else "",
        "score_belysning": "1",
        "score_overblick": "2",
        "comment_overblick": "Buskar skymmer",
    }
    data.update(overrides)
    return data


def test_finding_on_a_walk_carries_the_stop_scores(place, place_lead, client_for):
    walk = SafetyWalkFactory(place=place)

    response = client_for(place_lead).post(url("platser:finding_create", place), finding_post(walk))

    with scope(program=place.program):
        finding = Finding.objects.get()
        stored = set(finding.scores.values_list("walk", "criterion", "score", "comment"))
    assert response.status_code == 302
    assert stored == {
        (walk.pk, "belysning", 1, ""),
        (walk.pk, "overblick", 2, "Buskar skymmer"),
    }


def test_finding_scores_without_a_walk_are_refused(place, place_lead, client_for):
    response = client_for(place_lead).post(url("platser:finding_create", place), finding_post())

    assert response.status_code == 200
    assert "Bedömningar hör till en trygghetsvandring" in response.text
    with scope(program=place.program):
        assert not Finding.objects.exists()


def test_walk_page_and_protocol_show_the_summary_and_the_comparison(place, observer, client_for):
    previous = SafetyWalkFactory(place=place, date=datetime.date(2025, 5, 1))
    walk = SafetyWalkFactory(place=place, date=datetime.date(2025, 11, 12))
    stop = FindingFactory(place=place, walk=walk, description="Mörk passage under bron")
    score(previous, "belysning", 2)
    score(walk, "belysning", 4, comment="Mörkt längs hela ån")
    score(walk, "belysning", 3, finding=stop, comment="Lampan lyser svagt")

    page = client_for(observer).get(walk.get_absolute_url()).text
    response = client_for(observer).get(url("platser:walk_protocol", place, pk=walk.pk))
    pdf = "\n".join(
        p.extract_text() for p in PdfReader(io.BytesIO(b"".join(response.streaming_content))).pages
    )

    for text in (page, pdf):
        assert "jämfört med vandringen 2025-05-01" in text
        # Swedish decimals: the mean of 4 and 3 against 2 last time.
        assert "Belysning" in text and "3,5" in text and "+1,5" in text
        assert "Lampan lyser svagt" in text and "Mörkt längs hela ån" in text
