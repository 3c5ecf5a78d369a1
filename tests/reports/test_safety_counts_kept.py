"""The safety index's counts are kept beside the survey's snapshot (ResultsSnapshot.safety_counts):
a cold read (no cache, or Redis down) counts no answers again, and a moved snapshot counts only
the responses since (issue 15: the county dashboard without a cache)."""

import datetime

from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django_scopes import scope

from surveys.models import ResultsSnapshot
from surveys.results.waves import safety_indexes
from tests.factories import PlaceFactory, SurveyFactory
from tests.reports.conftest import add_responses

CLOSED = datetime.date(2026, 3, 1)


def _counted(row) -> int:
    return sum(n for _place, _option, n in row.safety_counts["answers"])


def test_the_counts_are_kept_then_read_without_counting(program):
    place = PlaceFactory(program=program)
    survey = SurveyFactory(
        program=program,
        places=[place],
        codes=["plats-trygg-kvall"],
        opens_on=datetime.date(2026, 1, 10),
        closes_on=datetime.date(2026, 2, 1),
    )
    add_responses(survey, place, safe=10, unsafe=10)
    cache.clear()
    with scope(program=program):
        first = safety_indexes([place], today=CLOSED)[place.pk][0].share
        row = ResultsSnapshot.objects.get(survey=survey)
        assert row.safety_counts["upto"] == row.last_response_id
        assert _counted(row) == 20
        assert (first.count, first.n) == (10, 20)
        first_upto = row.last_response_id

        cache.clear()  # a cold read: the counts come from the row, no answer is counted
        with CaptureQueriesContext(connection) as queries:
            again = safety_indexes([place], today=CLOSED)[place.pk][0].share
        assert not [q for q in queries.captured_queries if 'FROM "surveys_answer"' in q["sql"]]
        assert again == first

    # Paper answers keyed in later: the next day's snapshot takes them, counting only them.
    add_responses(survey, place, safe=0, unsafe=10)
    cache.clear()
    later_day = CLOSED + datetime.timedelta(days=1)
    with scope(program=program):
        with CaptureQueriesContext(connection) as queries:
            later = safety_indexes([place], today=later_day)[place.pk][0].share
        answers = [
            q["sql"] for q in queries.captured_queries if 'FROM "surveys_answer"' in q["sql"]
        ]
        assert len(answers) == 1 and f"> {first_upto}" in answers[0].replace('"', "")
        row.refresh_from_db()
        assert _counted(row) == 30 and row.safety_counts["upto"] == row.last_response_id
        assert (later.count, later.n) == (10, 30)

        # The same as counting everything from scratch.
        ResultsSnapshot.objects.filter(pk=row.pk).update(safety_counts={})
        cache.clear()
        assert safety_indexes([place], today=later_day)[place.pk][0].share == later
