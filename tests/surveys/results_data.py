"""Bulk answers for results tests: ``respond(survey, place, [{"plats-trygg-kvall": 1}, …])``.

Values: an option position (1-based) or a list of them for choice questions, a ``Zone``, a
``(lon, lat)`` tuple for map questions, or a string for free text.
"""

import datetime
import uuid

from django_scopes import scopes_disabled

from platser.models import Zone
from surveys.models import Answer, Question, Response


def respond(survey, place, rows, *, day=datetime.date(2026, 1, 10)):
    with scopes_disabled():  # test set-up across the survey's questions and options
        questions = {q.code: q for q in Question.bank.filter(code__in={c for r in rows for c in r})}
        options = {
            (o.question_id, o.position): o for q in questions.values() for o in q.options.all()
        }
        responses = Response.objects.bulk_create(
            [
                Response(
                    program=survey.program,
                    survey=survey,
                    place=place,
                    submitted_on=day,
                    client_submission_id=uuid.uuid4(),
                )
                for _row in rows
            ]
        )
        answers = []
        for response, row in zip(responses, rows, strict=True):
            for code, value in row.items():
                question = questions[code]
                base = {
                    "program": survey.program,
                    "survey": survey,
                    "response": response,
                    "question": question,
                }
                if isinstance(value, Zone):
                    answers.append(Answer(zone=value, **base))
                elif isinstance(value, tuple):
                    point = {"type": "Point", "coordinates": list(value)}
                    answers.append(Answer(point=point, **base))
                elif isinstance(value, str):
                    answers.append(Answer(text=value, **base))
                else:
                    for position in value if isinstance(value, list) else [value]:
                        answers.append(Answer(option=options[(question.pk, position)], **base))
        Answer.objects.bulk_create(answers)
    return responses
