"""Reads for survey results: counts aggregated in the database, suppressed, with intervals.

Every count comes from a GROUP BY over ``Answer`` (index ``answer_results``); responses are never
loaded into Python. One results page costs a fixed number of queries whatever the number of
responses or questions: the survey's questions, one GROUP BY over its answers, one respondent
count for the multiple-choice questions, map cells, the newest free-text answers, and two more
for a breakdown.

Suppression follows ``surveys.stats`` (MIN_CELL = 5, complementary suppression). A breakdown
(by place, zone, gender or age group) is always suppressed as a whole table against the overall
counts, so no combination of pages lets a hidden cell be worked out by subtraction.

The **safety index** of a place in a wave is the share of that place's respondents who chose an
answer marked ``is_positive`` ("safe") on the survey's main safety question: the first of
``SAFETY_CODES`` in the survey, else its first scale question that has a positive answer. All
who answered the question are in the denominator (also "never here in the evening").
"""

from .tables import (
    DIMENSIONS,
    GRID_LAT,
    GRID_LON,
    MIN_CELL,
    SAFETY_CODES,
    Cell,
    Group,
    MapCell,
    QuestionResult,
    breakdown_dimensions,
    survey_items,
    survey_results,
)
from .waves import (
    IndexPoint,
    QuestionChange,
    WaveComparison,
    safety_index,
    safety_indexes,
    wave_comparison,
    wave_surveys,
)

__all__ = [
    "DIMENSIONS",
    "GRID_LAT",
    "GRID_LON",
    "MIN_CELL",
    "SAFETY_CODES",
    "Cell",
    "Group",
    "IndexPoint",
    "MapCell",
    "QuestionChange",
    "QuestionResult",
    "WaveComparison",
    "breakdown_dimensions",
    "safety_index",
    "safety_indexes",
    "survey_items",
    "survey_results",
    "wave_comparison",
    "wave_surveys",
]
