"""Results selectors: counts from the database, suppression, breakdowns, map cells, waves and
the safety index."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from django_scopes import scope

from surveys.results import (
    GRID_LAT,
    GRID_LON,
    safety_index,
    safety_indexes,
    survey_results,
    wave_comparison,
    wave_surveys,
)
from tests.factories import PlaceFactory, SurveyFactory, ZoneFactory, square
from tests.surveys.results_data import respond

SAFE = "plats-trygg-kvall"  # 1 Mycket trygg, 2 Ganska trygg (safe), 3, 4, 5 (not safe)
TOMORROW = timezone.localdate() + datetime.timedelta(days=1)


def _result(results, code):
    return next(r for r in results if r.question.code == code)


@pytest.fixture
def baseline(program, place):
    return SurveyFactory(
        program=program,
        places=[place],
        codes=[SAFE, "ntu-utsatt", "karta-otrygg", "fritext-tryggare", "kon"],
        opens_on=datetime.date(2025, 9, 1),
        closes_on=datetime.date(2025, 9, 30),
    )


def test_shares_and_intervals_per_option(program, place, baseline):
    respond(baseline, place, [{SAFE: 1}] * 10 + [{SAFE: 2}] * 20 + [{SAFE: 3}] * 20)
    with scope(program=program):
        result = _result(survey_results(baseline), SAFE)
    assert result.n == 50
    counts = [c.count for c in result.cells]
    assert counts == [10, 20, 20, 0, 0]
    # 20 of 50 = 40 %; Wilson: centre (0.4 + 0.0384146) / 1.0768292 = 0.407133,
    # half 1.820125 · sqrt(0.24/50 + 0.000384146) = 0.131051 → (0.276082, 0.538184)
    second = result.cells[1].share
    assert second.p == pytest.approx(0.4)
    assert second.low == pytest.approx(0.276082, abs=1e-5)
    assert second.high == pytest.approx(0.538184, abs=1e-5)


def test_cell_of_four_is_hidden_with_a_complement(program, place, baseline):
    respond(baseline, place, [{SAFE: 1}] * 4 + [{SAFE: 2}] * 10 + [{SAFE: 3}] * 12)
    with scope(program=program):
        result = _result(survey_results(baseline), SAFE)
    assert result.n == 26
    assert [c.count for c in result.cells] == [None, None, 12, 0, 0]
    assert result.cells[0].share is None and result.has_hidden


def test_cell_of_five_is_shown(program, place, baseline):
    respond(baseline, place, [{SAFE: 1}] * 5 + [{SAFE: 2}] * 10 + [{SAFE: 3}] * 12)
    with scope(program=program):
        result = _result(survey_results(baseline), SAFE)
    assert [c.count for c in result.cells] == [5, 10, 12, 0, 0]


def test_question_with_four_answers_shows_nothing(program, place, baseline):
    respond(baseline, place, [{SAFE: 1}] * 4)
    with scope(program=program):
        result = _result(survey_results(baseline), SAFE)
    assert result.n is None
    assert all(c.hidden for c in result.cells)


def test_free_text_needs_five_answers(program, place, baseline):
    respond(baseline, place, [{"fritext-tryggare": f"Mer ljus {i}"} for i in range(4)])
    with scope(program=program):
        assert _result(survey_results(baseline), "fritext-tryggare").texts == []
    respond(baseline, place, [{"fritext-tryggare": f"Fler vakter {i}"} for i in range(5)])
    with scope(program=program):
        texts = _result(survey_results(baseline, today=TOMORROW), "fritext-tryggare").texts
    assert len(texts) == 9 and "Fler vakter 4" in texts


def test_map_points_are_counted_in_grid_cells(program, place, baseline):
    lon, lat = 16.1691, 60.1461
    inside = [{"karta-otrygg": (lon, lat)}] * 5
    elsewhere = [{"karta-otrygg": (lon + 3 * GRID_LON, lat)}] * 4
    respond(baseline, place, inside + elsewhere)  # 4 hidden: each could be in any empty cell
    with scope(program=program):
        result = _result(survey_results(baseline), "karta-otrygg")
    assert len(result.map_cells) == 1
    cell = result.map_cells[0]
    assert cell.count == 5
    assert cell.west <= lon < cell.east and cell.south <= lat < cell.north
    assert cell.north - cell.south == pytest.approx(GRID_LAT)
    assert result.map_hidden == 4


def test_multiple_choice_counts_people_not_combinations(program, place, baseline):
    respond(
        baseline,
        place,
        [{"ntu-utsatt": [1, 2]}] * 6 + [{"ntu-utsatt": [1]}] * 5 + [{"ntu-utsatt": [1, 3]}] * 8,
    )
    with scope(program=program):
        result = _result(survey_results(baseline), "ntu-utsatt")
    assert result.n == 19
    assert result.cells[0].count == 19 and result.cells[0].share.p == 1.0
    assert result.cells[1].count == 6 and result.cells[1].share.p == pytest.approx(6 / 19)
    assert result.cells[2].count == 8


def test_multiple_choice_option_hidden_when_few_did_not_choose_it(program, place, baseline):
    # 10 chose option 1; of them 3 did not choose option 2: "not chosen" is a group of 3.
    respond(baseline, place, [{"ntu-utsatt": [1, 2]}] * 7 + [{"ntu-utsatt": [1]}] * 3)
    with scope(program=program):
        result = _result(survey_results(baseline), "ntu-utsatt")
    assert result.cells[0].count == 10  # nobody left out: 0 is shown
    assert result.cells[1].hidden


def test_breakdown_by_gender_coarsens_groups_and_protects_cells(program, place, baseline):
    # Women 40 (20 safe, 20 unsafe), men 33 (3 very safe, 25 unsafe, 5 who skipped the
    # question), 6 who said "Annat" and 3 without a gender: the last two are one group.
    rows = (
        [{SAFE: 1, "kon": 1}] * 20
        + [{SAFE: 3, "kon": 1}] * 20
        + [{SAFE: 1, "kon": 2}] * 3
        + [{SAFE: 3, "kon": 2}] * 25
        + [{"kon": 2}] * 5
        + [{SAFE: 3, "kon": 3}] * 6
        + [{SAFE: 4}] * 3
    )
    respond(baseline, place, rows)
    with scope(program=program):
        result = _result(survey_results(baseline, by="kon"), SAFE)
    groups = {g.label: g for g in result.groups}
    assert set(groups) == {"Kvinna", "Man", "Övriga och inget svar"}
    assert result.group_base == "group"
    assert (groups["Kvinna"].n, groups["Man"].n, groups["Övriga och inget svar"].n) == (40, 33, 9)
    men = [c.count for c in groups["Man"].cells]
    assert len(men) == 6 and groups["Man"].cells[-1].label == "Inget svar"
    assert men[0] is None  # 3 men very safe: hidden
    assert men[5] == 5  # the 5 men who skipped the question
    # 23 very safe in all, so the women's 20 would give the men's 3 away: hidden too.
    assert groups["Kvinna"].cells[0].hidden
    assert groups["Man"].cells[5].share.p == pytest.approx(5 / 33)  # a share of the group


def test_breakdown_needs_two_groups_of_twenty(program, place, baseline):
    respond(baseline, place, [{SAFE: 1, "kon": 1}] * 30 + [{SAFE: 3, "kon": 2}] * 19)
    with scope(program=program):
        assert _result(survey_results(baseline, by="kon"), SAFE).groups == []


def test_a_small_group_hides_a_large_one_which_then_joins_the_rest(program, place, baseline):
    # "Annat" = 3 is hidden, and men (33) with it in the gender question's own line: the
    # breakdown then compares women with everyone else.
    rows = [{SAFE: 1, "kon": 1}] * 40 + [{SAFE: 3, "kon": 2}] * 33 + [{SAFE: 3, "kon": 3}] * 3
    respond(baseline, place, rows)
    with scope(program=program):
        result = _result(survey_results(baseline, by="kon"), SAFE)
    assert [(g.label, g.n) for g in result.groups] == [
        ("Kvinna", 40),
        ("Övriga och inget svar", 36),
    ]


def test_query_count_does_not_grow_with_responses(program, place, baseline):
    def count(today):  # a new snapshot each time: counted afresh, nothing from the cache
        with scope(program=program), CaptureQueriesContext(connection) as ctx:
            survey_results(baseline, by="kon", today=today)
        return len(ctx.captured_queries)

    respond(baseline, place, [{SAFE: 1, "kon": 1, "fritext-tryggare": "a"}] * 30)
    small = count(TOMORROW)
    respond(baseline, place, [{SAFE: 2, "kon": 2, "karta-otrygg": (16.169, 60.146)}] * 200)
    assert count(TOMORROW + datetime.timedelta(days=1)) == small


@pytest.fixture
def follow_up(program, place):
    return SurveyFactory(
        program=program,
        places=[place],
        wave=1,
        codes=[SAFE, "kon"],
        opens_on=datetime.date(2026, 9, 1),
        closes_on=datetime.date(2026, 9, 30),
    )


def test_safety_index_and_wave_comparison(program, place, baseline, follow_up):
    respond(baseline, place, [{SAFE: 1}] * 30 + [{SAFE: 3}] * 20)  # 30/50 safe
    respond(follow_up, place, [{SAFE: 2}] * 40 + [{SAFE: 4}] * 10)  # 40/50 safe
    with scope(program=program):
        before = safety_index(place, 0)
        after = safety_index(place, 1)
        comparison = wave_comparison(place)
    assert before.share.p == pytest.approx(0.6) and after.share.p == pytest.approx(0.8)
    # Newcombe, see tests/surveys/test_stats.py: 0.2 (0.020134, 0.363592)
    assert comparison.index_change.diff == pytest.approx(0.2)
    assert comparison.index_change.low == pytest.approx(0.020134, abs=1e-5)
    assert comparison.index_change.significant
    question = comparison.questions[0]
    assert question.question.code == SAFE
    label, cell_before, cell_after, delta = question.rows[0]
    assert (cell_before.count, cell_after.count) == (30, 0)
    assert delta.diff == pytest.approx(-0.6)


def test_safety_index_hidden_when_fewer_than_five_feel_unsafe(program, place, baseline):
    respond(baseline, place, [{SAFE: 1}] * 30 + [{SAFE: 3}] * 4)
    with scope(program=program):
        assert safety_index(place, 0).share is None


def test_safety_indexes_query_count_is_constant_over_places(program, place):
    def make(n):
        places = [PlaceFactory(program=program, boundary=square()) for _ in range(n)]
        for p in places:
            survey = SurveyFactory(program=program, places=[p], codes=[SAFE])
            respond(survey, p, [{SAFE: 1}] * 6 + [{SAFE: 3}] * 6)
        return places

    few, many = make(2), make(6)
    with scope(program=program):
        with CaptureQueriesContext(connection) as small:
            indexes = safety_indexes(few)
        with CaptureQueriesContext(connection) as large:
            safety_indexes(many)
    assert len(small.captured_queries) == len(large.captured_queries)
    assert indexes[few[0].pk][0].share.p == pytest.approx(0.5)


def test_safety_counts_are_cached_until_the_survey_gets_a_new_response(
    program, place, baseline, follow_up
):
    respond(baseline, place, [{SAFE: 1}] * 6 + [{SAFE: 3}] * 6)
    respond(follow_up, place, [{SAFE: 1}] * 9 + [{SAFE: 3}] * 6)

    def run():
        with scope(program=program), CaptureQueriesContext(connection) as ctx:
            points = safety_indexes([place])[place.pk]
        answers_read = any('FROM "surveys_answer"' in q["sql"] for q in ctx.captured_queries)
        return [p.share.p for p in points], answers_read

    assert run() == ([0.5, 0.6], True)
    assert run() == ([0.5, 0.6], False)  # both surveys from the cache
    respond(follow_up, place, [{SAFE: 3}] * 5)  # only the follow-up is counted again, tomorrow
    assert run() == ([0.5, 0.6], False)  # results move at most once a day
    with scope(program=program), CaptureQueriesContext(connection) as ctx:
        points = safety_indexes([place], today=TOMORROW)[place.pk]
    assert [p.share.p for p in points] == [0.5, 0.45]
    counted = [q["sql"] for q in ctx.captured_queries if 'FROM "surveys_answer"' in q["sql"]]
    assert len(counted) == 1
    assert f'survey_id" = {follow_up.pk}' in counted[0].replace('"surveys_answer"."', '"')
    assert f'survey_id" = {baseline.pk}' not in counted[0].replace('"surveys_answer"."', '"')


def test_zone_breakdown_and_zone_counts(program, place):
    torget = ZoneFactory(place=place, name="Torget")
    buss = ZoneFactory(place=place, name="Busstorget")
    survey = SurveyFactory(program=program, places=[place], codes=[SAFE, "zon"])
    respond(
        survey,
        place,
        [{SAFE: 1, "zon": torget}] * 25 + [{SAFE: 3, "zon": buss}] * 22 + [{SAFE: 3}] * 6,
    )
    with scope(program=program):
        results = survey_results(survey, by="zon")
    zones = _result(results, "zon")
    assert {c.label: c.count for c in zones.cells} == {"Torget": 25, "Busstorget": 22}
    groups = {g.label: g for g in _result(results, SAFE).groups}
    assert groups["Torget"].n == 25 and groups["Torget"].cells[0].count == 25
    assert groups["Busstorget"].cells[2].count == 22
    assert groups["Övriga och inget svar"].cells[2].count == 6


def test_counts_are_cached_until_the_next_response(program, place, baseline):
    respond(baseline, place, [{SAFE: 1}] * 6)

    def run():
        with scope(program=program), CaptureQueriesContext(connection) as ctx:
            result = _result(survey_results(baseline, by="kon"), SAFE)
        return result, len(ctx.captured_queries)

    first, cold = run()
    again, warm = run()
    assert warm < cold and again.n == first.n == 6
    respond(baseline, place, [{SAFE: 2}] * 5)
    assert run()[0].n == 6  # the same day: the same snapshot
    with scope(program=program):
        fresh = _result(survey_results(baseline, by="kon", today=TOMORROW), SAFE)
    assert fresh.n == 11


def test_wave_comparison_pairs_the_same_target_group(program, place, baseline, follow_up):
    traders = SurveyFactory(
        program=program,
        places=[place],
        target_group="naringsidkare",
        codes=[SAFE],
        opens_on=datetime.date(2025, 11, 1),
        closes_on=datetime.date(2025, 11, 30),
    )
    with scope(program=program):
        before, after = wave_surveys(place)
    assert (before, after) == (baseline, follow_up)
    assert traders.wave == 0
