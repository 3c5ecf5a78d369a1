"""Reads for survey results: counts aggregated in the database, protected, with intervals.

Every count comes from a GROUP BY over ``Answer`` (index ``answer_results``); responses are never
loaded into Python. One results page costs a fixed number of queries whatever the number of
responses or questions: the survey's questions, its snapshot, one GROUP BY over its answers,
one respondent count for the multiple-choice questions, the responses per place, map cells,
the newest free-text answers, and one more for a breakdown.

What is published of the counts is decided in one place, ``disclosure`` (secondary suppression
over the linked tables with a protection check; see its docstring), and which responses count
in ``snapshots`` (results move at most daily, in steps of at least five). The safety index is
defined once in ``safety``; the baseline and follow-up of a place are chosen once in
``waves.headline``.
"""

from .disclosure import GROUP_MIN
from .safety import SAFETY_CODES, definition, index_item
from .snapshots import Snapshot, snapshot, snapshots
from .tables import (
    DIMENSIONS,
    GRID_LAT,
    GRID_LON,
    MIN_CELL,
    Cell,
    Group,
    MapCell,
    QuestionResult,
    breakdown_dimensions,
    survey_items,
    survey_results,
)
from .waves import (
    Headline,
    IndexPoint,
    QuestionChange,
    WaveComparison,
    headline,
    safety_index,
    safety_indexes,
    wave_comparison,
    wave_surveys,
)

__all__ = [
    "DIMENSIONS",
    "GRID_LAT",
    "GRID_LON",
    "GROUP_MIN",
    "MIN_CELL",
    "SAFETY_CODES",
    "Cell",
    "Group",
    "Headline",
    "IndexPoint",
    "MapCell",
    "QuestionChange",
    "QuestionResult",
    "Snapshot",
    "WaveComparison",
    "breakdown_dimensions",
    "definition",
    "headline",
    "index_item",
    "safety_index",
    "safety_indexes",
    "snapshot",
    "snapshots",
    "survey_items",
    "survey_results",
    "wave_comparison",
    "wave_surveys",
]
