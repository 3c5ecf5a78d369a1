"""Writes for surveys: the builder, the program's own questions and the responses.

Builder and question services take an explicit ``actor`` and write one audit entry. A web
response is written without any audit entry on purpose: the audit log stores a timestamp and
an actor, which would undo the anonymity (the response keeps only the date).
"""

import datetime
import json
import uuid
from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils.translation import gettext as _

from partnerships.exceptions import DomainError
from partnerships.models import AuditEntry, Program
from partnerships.services import delete_record, save_record

from . import selectors
from .models import (
    Answer,
    AnswerOption,
    Channel,
    Question,
    Response,
    Survey,
    SurveyQuestion,
)


class SurveyError(DomainError):
    """A survey rule was broken (e.g. its questions are locked); the message is Swedish."""


def _ensure_unlocked(survey: Survey) -> None:
    if selectors.has_responses(survey=survey):
        raise SurveyError(_("Enkäten har redan fått svar, så frågorna kan inte längre ändras."))


@transaction.atomic
def create_survey(*, actor, program: Program, survey: Survey, places, questions=()) -> Survey:
    """Create ``survey`` for ``places`` with ``questions`` (in order) and log it."""
    survey.program = program
    if not survey.languages:
        survey.languages = ["sv"]
    save_record(actor=actor, instance=survey)
    survey.places.set(places)
    for position, question in enumerate(questions, start=1):
        _check_question_allowed(survey, question)
        SurveyQuestion.objects.create(
            program=program, survey=survey, question=question, position=position
        )
    return survey


@transaction.atomic
def update_survey(*, actor, survey: Survey, places, fields: list[str] | None = None) -> Survey:
    """Save the survey's settings; its places cannot change once it has responses."""
    current = {p.pk for p in survey.places.all()}
    wanted = {p.pk for p in places}
    if current != wanted and selectors.has_responses(survey=survey):
        raise SurveyError(_("Enkäten har redan fått svar, så platserna kan inte längre ändras."))
    save_record(actor=actor, instance=survey, fields=fields)
    if current != wanted:
        survey.places.set(places)
    return survey


def _check_question_allowed(survey: Survey, question: Question) -> None:
    if question.program_id not in (None, survey.program_id):
        raise SurveyError(_("Frågan finns inte i frågebanken."))


@transaction.atomic
def add_question(*, actor, survey: Survey, question: Question) -> SurveyQuestion:
    """Append ``question`` (from the bank or the program's own) to an unanswered survey."""
    _ensure_unlocked(survey)
    _check_question_allowed(survey, question)
    if SurveyQuestion.objects.filter(survey=survey, question=question).exists():
        raise SurveyError(_("Frågan finns redan i enkäten."))
    last = SurveyQuestion.objects.filter(survey=survey).aggregate(m=Max("position"))["m"] or 0
    item = SurveyQuestion.objects.create(
        program=survey.program, survey=survey, question=question, position=last + 1
    )
    survey.log_action(
        AuditEntry.Action.UPDATE, actor=actor, changes={"questions": [None, f"+ {question}"]}
    )
    return item


@transaction.atomic
def remove_question(*, actor, survey: Survey, item: SurveyQuestion) -> None:
    """Take a question out of an unanswered survey and close the gap in the order."""
    _ensure_unlocked(survey)
    question = item.question
    item.delete()
    for position, rest in enumerate(
        SurveyQuestion.objects.filter(survey=survey).order_by("position"), start=1
    ):
        if rest.position != position:
            rest.position = position
            rest.save(update_fields=["position"])
    survey.log_action(
        AuditEntry.Action.UPDATE, actor=actor, changes={"questions": [f"- {question}", None]}
    )


@transaction.atomic
def move_question(*, actor, survey: Survey, item: SurveyQuestion, up: bool) -> None:
    """Swap ``item`` with its neighbour above (``up``) or below; nothing at either end."""
    _ensure_unlocked(survey)
    siblings = SurveyQuestion.objects.filter(survey=survey)
    neighbour = (
        siblings.filter(position__lt=item.position).order_by("-position").first()
        if up
        else siblings.filter(position__gt=item.position).order_by("position").first()
    )
    if neighbour is None:
        return
    # Positions are unique per survey: park one row on 0 while swapping.
    mine, theirs = item.position, neighbour.position
    item.position = 0
    item.save(update_fields=["position"])
    neighbour.position = mine
    neighbour.save(update_fields=["position"])
    item.position = theirs
    item.save(update_fields=["position"])
    survey.log_action(
        AuditEntry.Action.UPDATE,
        actor=actor,
        changes={"questions": [None, f"{item.question} → {theirs}"]},
    )


@transaction.atomic
def create_question(
    *, actor, program: Program, question: Question, options: list[tuple[str, str, bool]]
) -> Question:
    """Add one of the program's own questions with its answer options ``(sv, en, positive)``."""
    question.program = program
    question.code = ""
    save_record(actor=actor, instance=question)
    _create_options(question, options)
    return question


def _ensure_question_unanswered(question: Question) -> None:
    if selectors.question_in_answered_survey(question=question):
        raise SurveyError(
            _(
                "Frågan ingår i en enkät som har fått svar, så den kan inte längre ändras eller "
                "tas bort. Skapa en ny fråga i stället."
            )
        )


@transaction.atomic
def update_question(
    *,
    actor,
    question: Question,
    options: list[tuple[str, str, bool]],
    fields: list[str] | None = None,
) -> Question:
    """Change one of the program's own questions and replace its answer options.

    Only while no survey that includes it has been answered: what respondents saw must stay
    what the results say they answered.
    """
    _ensure_question_unanswered(question)
    options_before = question.options.order_by("position")
    stored = [(o.label_sv, o.label_en, o.is_positive) for o in options_before]
    save_record(actor=actor, instance=question, fields=fields)
    if stored != options:
        question.options.all().delete()
        _create_options(question, options)
        question.log_action(
            AuditEntry.Action.UPDATE,
            actor=actor,
            changes={"options": [_options_text(stored), _options_text(options)]},
        )
    return question


@transaction.atomic
def delete_question(*, actor, question: Question) -> None:
    """Delete one of the program's own questions, taking it out of the (unanswered) surveys
    that include it."""
    _ensure_question_unanswered(question)
    for item in SurveyQuestion.objects.filter(question=question).select_related("survey"):
        remove_question(actor=actor, survey=item.survey, item=item)
    delete_record(actor=actor, instance=question)


def _options_text(options) -> str:
    return " / ".join(("+" if positive else "") + sv for sv, _en, positive in options)


def _create_options(question: Question, options: list[tuple[str, str, bool]]) -> None:
    AnswerOption.objects.bulk_create(
        AnswerOption(
            question=question,
            position=position,
            value=position,
            label_sv=label_sv,
            label_en=label_en,
            is_positive=positive,
        )
        for position, (label_sv, label_en, positive) in enumerate(options, start=1)
    )


class SubmissionConflict(SurveyError):
    """A submission id already stored with other answers: not the same submission again."""


@dataclass
class AnswerData:
    """One validated answer, as the answering form hands it to ``submit_response``."""

    question: Question
    option: AnswerOption | None = None
    text: str = ""
    point: dict | None = None
    zone_id: int | None = None


def submit_response(
    *,
    survey: Survey,
    place,
    answers: list[AnswerData],
    submission_id: uuid.UUID | None,
    language: str,
    channel: str = Channel.WEB,
    submitted_on: datetime.date,
    actor=None,
) -> tuple[Response, bool]:
    """Store one anonymous response with its answers; ``(response, created)``.

    A ``submission_id`` seen before for this survey with the same place and answers returns the
    stored response unchanged, so a double click, a reload or a retry after a lost connection
    counts once; with other answers it raises ``SubmissionConflict`` (ODK Central answers 409
    too): they would otherwise be thanked for and silently dropped. Nothing about the
    respondent is stored (no IP, user agent, cookie or user); the time is the date only. Paper
    responses (``channel="papper"``) keyed in by ``actor`` get an audit entry; web ones do not.
    """
    submission_id = submission_id or uuid.uuid4()
    # No look-up first: the unique constraint on (survey, submission id) decides, so the usual
    # case (a new answer) costs no extra round trip at 200 answers a second.
    try:
        with transaction.atomic():
            response = Response.objects.create(
                program=survey.program,
                survey=survey,
                place=place,
                submitted_on=submitted_on,
                channel=channel,
                client_submission_id=submission_id,
                language=language,
            )
            Answer.objects.bulk_create(
                Answer(
                    program=survey.program,
                    survey=survey,
                    response=response,
                    question=answer.question,
                    option=answer.option,
                    text=answer.text,
                    point=answer.point,
                    zone_id=answer.zone_id,
                )
                for answer in answers
            )
            if channel == Channel.PAPER:
                response.log_action(
                    AuditEntry.Action.CREATE,
                    actor=actor,
                    changes={"channel": channel, "answers": len(answers)},
                )
    except IntegrityError:
        # Sent before (a double click, a retry after a lost connection), or twice at once.
        stored = Response.objects.get(survey=survey, client_submission_id=submission_id)
        if _content(stored.place_id, stored.answers.all()) != _content(
            getattr(place, "pk", None), answers
        ):
            raise SubmissionConflict(
                _("Svaren har redan skickats en gång med andra svar och sparades inte igen.")
            ) from None
        return stored, False
    return response, True


def _content(place_id, answers) -> tuple:
    """What makes two submissions the same: the place and each answer, in any order."""
    return place_id, sorted(_answer_key(answer) for answer in answers)


def _answer_key(answer) -> tuple:
    """An ``AnswerData`` and a stored ``Answer`` with the same content have the same key."""
    if isinstance(answer, AnswerData):
        question_id, option_id = answer.question.pk, answer.option.pk if answer.option else None
    else:
        question_id, option_id = answer.question_id, answer.option_id
    point = json.dumps(answer.point, sort_keys=True) if answer.point else ""
    return question_id, option_id or 0, answer.text or "", point, answer.zone_id or 0


def take_results_snapshots(snapshots) -> None:
    """Store moved ``ResultsSnapshot`` rows (``surveys.results.snapshots`` decides when): one
    insert for the new ones, one update for the others. No audit entry: nobody acted, and an
    entry per read would date every cached figure of the program anew."""
    from .models import ResultsSnapshot

    new = [s for s in snapshots if s.pk is None]
    old = [s for s in snapshots if s.pk is not None]
    if new:
        # Two first reads at once: the second finds the row and leaves it (ignore_conflicts).
        ResultsSnapshot.objects.bulk_create(new, ignore_conflicts=True)
    if old:
        ResultsSnapshot.objects.bulk_update(
            old, ["last_response_id", "responses", "taken_on", "final"]
        )
