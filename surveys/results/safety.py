"""The safety index (trygghetsindex), defined once for every page, export and report.

**Definition.** The safety index of a place in a survey is the share of those who answered the
survey's *main safety question* who chose an answer that counts as safe. The main question is
the first of ``SAFETY_CODES`` the survey asks (the bank's "Hur trygg eller otrygg känner du dig
när du vistas här på kvällen?" first), else its first scale question with an answer marked
*räknas som trygg*. Safe answers are those marked *räknas som trygg* in the question (for the
bank item: *Mycket trygg* and *Ganska trygg*). Everyone who answered the question is in the
denominator, also "Vistas aldrig där på kvällen". Those who skipped it are not.

``index_item`` finds the question, ``positive_keys`` its safe answers, ``definition`` says it
all in Swedish beside every index that is shown.
"""

from __future__ import annotations

from django.utils.translation import gettext as _

from ..models import QuestionKind, SurveyQuestion

#: Bank codes of the main safety question, in order of preference.
SAFETY_CODES = ("plats-trygg-kvall", "ntu-otrygg-kvall", "boverket-trygg-kvall")


def index_item(items: list[SurveyQuestion]) -> SurveyQuestion | None:
    """The survey's main safety question (see the module docstring), or None."""
    by_code = {i.question.code: i for i in items if i.question.code}
    for code in SAFETY_CODES:
        if code in by_code:
            return by_code[code]
    for item in items:
        if item.question.kind == QuestionKind.SCALE and any(
            o.is_positive for o in item.question.options.all()
        ):
            return item
    return None


def positive_keys(item: SurveyQuestion) -> set[int]:
    """The ids of the answers that count as safe."""
    return {o.pk for o in item.question.options.all() if o.is_positive}


def definition(item: SurveyQuestion | None = None) -> str:
    """The definition in words, with the question and its safe answers when known."""
    text = _(
        "Trygghetsindex: andelen av dem som besvarat enkätens huvudfråga om trygghet som valt "
        "ett svar som räknas som tryggt. Alla som besvarat frågan räknas, även de som inte "
        "vistas där. Tal som bygger på färre än 5 svar visas inte."
    )
    if item is None:
        return text
    safe = [o.label_sv for o in item.question.options.all() if o.is_positive]
    return (
        text
        + " "
        + _("Huvudfråga: ”%(question)s”; trygga svar: %(answers)s.")
        % {
            "question": item.question.text_sv,
            "answers": ", ".join(safe),
        }
    )
