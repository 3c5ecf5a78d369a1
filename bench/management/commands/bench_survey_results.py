"""Time the survey results page for a large survey.

    manage.py bench_survey_results --responses 10000 [--requests 20] [--keep]

Creates a throwaway program with one place, a coordinator and a survey of 10 bank questions
(scales, a multiple choice, a map point, gender and age group), fills it with ``--responses``
random responses with ``bulk_create``, then requests the results page ``--requests`` times with
Django's test client (after one warm-up) and prints the median and p95 in ms and the number of
SQL queries, for the plain page and with a breakdown by gender: *cold* (the cache cleared before
each request, so every count is aggregated in the database) and *warm* (the aggregated counts
come from the cache; the key changes with each new response). Everything is deleted afterwards
(unless ``--keep``).

Measured 2026-11-25 on this 2-core machine, idle (load average 0.5), PostgreSQL 15, 10,000
responses × 10 questions = 105,000 answers; the target is under 150 ms:

    results page, cold: median  54 ms, p95  56 ms, 14 queries (35 ms of it SQL)
    results page, warm: median  18 ms, p95  22 ms, 11 queries
    by gender,    cold: median 111 ms, p95 113 ms, 16 queries (81 ms of it SQL)
    by gender,    warm: median  22 ms, p95  23 ms, 11 queries

Earlier the same day, with other test suites running (load average 6), the cold page took
199 / 247 ms and the breakdown 510 / 808 ms: the numbers scale with the CPU the machine has
left, so compare runs at a similar load (the command prints it).
"""

import datetime
import os
import random
import statistics
import time
import uuid

from django.conf import settings
from django.core.management.base import BaseCommand
from django.db import connection, transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext, override_settings
from django.urls import reverse
from django_scopes import scope

from partnerships.models import Membership, Municipality, Program, Role, User
from partnerships.tenancy import cross_program
from platser.models import Place
from surveys.models import Answer, Question, Response, Survey, SurveyQuestion

CODES = [
    "plats-trygg-kvall",
    "fohm-avstar-ga-ut",
    "ntu-otrygg-kvall",
    "ntu-oro-brottslighet",
    "ntu-undvikit",
    "fi-problem",
    "boverket-trygg-kvall",
    "karta-otrygg",
    "kon",
    "alder",
]
LON, LAT = 16.168, 60.145
NO_CACHE = {"default": {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}}


class Command(BaseCommand):
    help = "Time the survey results page for a survey with many responses (throwaway data)."

    def add_arguments(self, parser):
        parser.add_argument("--responses", type=int, default=10_000)
        parser.add_argument("--requests", type=int, default=20)
        parser.add_argument("--keep", action="store_true", help="keep the generated program")

    def handle(self, *args, responses, requests, keep, **options):
        slug = f"bench-{uuid.uuid4().hex[:8]}"
        started = time.perf_counter()
        program, survey, user = self._create(slug, responses)
        if connection.vendor == "postgresql":
            # What autovacuum does after a bulk load: planner statistics and the visibility map
            # (index-only scans). Without it the planner guesses one row and sorts on disk.
            with connection.cursor() as cursor:
                cursor.execute("VACUUM (ANALYZE) surveys_answer, surveys_response")
        self.stdout.write(
            f"created {responses} responses in {time.perf_counter() - started:.1f} s "
            f"on {connection.vendor}"
        )
        # Plain static storage: the page is timed without needing collectstatic's manifest.
        storages = {
            **settings.STORAGES,
            "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
        }
        try:
            client = Client(HTTP_HOST=settings.ALLOWED_HOSTS[0], secure=True)
            client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
            url = reverse("surveys:results", kwargs={"program": slug, "pk": survey.pk})
            with override_settings(STORAGES=storages):
                for label, query in (("results page", ""), ("by gender", "?uppdelning=kon")):
                    # Cold: no cache at all, so every request aggregates in the database (and
                    # nothing in a real cache is touched).
                    with override_settings(CACHES=NO_CACHE):
                        self._time(client, url + query, requests, f"{label}, cold")
                    self._time(client, url + query, requests, f"{label}, warm")
        finally:
            if not keep:
                self._delete(program, user)

    def _time(self, client, url, requests, label):
        response = client.get(url)  # warm-up
        if response.status_code != 200:
            raise SystemExit(f"{url} answered {response.status_code}")
        timings, cpu = [], []
        for _i in range(requests):
            with CaptureQueriesContext(connection) as queries:
                start, start_cpu = time.perf_counter(), time.process_time()
                client.get(url)
                timings.append((time.perf_counter() - start) * 1000)
                cpu.append((time.process_time() - start_cpu) * 1000)
        timings.sort()
        p95 = timings[min(len(timings) - 1, round(0.95 * (len(timings) - 1)))]
        database = sum(float(q["time"]) for q in queries.captured_queries) * 1000
        self.stdout.write(
            f"{label}: median {statistics.median(timings):.0f} ms, p95 {p95:.0f} ms, "
            f"{len(queries.captured_queries)} queries ({requests} requests); last request: "
            f"{database:.0f} ms in SQL, median Python CPU {statistics.median(cpu):.0f} ms; "
            f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores"
        )

    @transaction.atomic
    def _create(self, slug, count):
        rng = random.Random(4)
        program = Program.objects.create(name=f"Benchmark {slug}", slug=slug)
        user = User.objects.create_user(email=f"{slug}@example.com", password=None)
        Membership.objects.create(user=user, program=program, role=Role.COORDINATOR)
        with scope(program=program):
            place = Place.objects.create(
                program=program,
                name="Benchmarkplatsen",
                municipality=Municipality.objects.get(code="2084"),
                boundary={
                    "type": "Polygon",
                    "coordinates": [
                        [[LON, LAT], [LON + 0.01, LAT], [LON + 0.01, LAT + 0.01], [LON, LAT]]
                    ],
                },
            )
            today = datetime.date.today()
            survey = Survey.objects.create(
                program=program,
                title="Benchmark",
                opens_on=today - datetime.timedelta(days=30),
                closes_on=today - datetime.timedelta(days=1),
                languages=["sv"],
            )
            survey.places.set([place])
            questions = list(Question.bank.filter(code__in=CODES).prefetch_related("options"))
            SurveyQuestion.objects.bulk_create(
                SurveyQuestion(program=program, survey=survey, question=q, position=i)
                for i, q in enumerate(questions, start=1)
            )
            rows = Response.objects.bulk_create(
                (
                    Response(
                        program=program,
                        survey=survey,
                        place=place,
                        submitted_on=today - datetime.timedelta(days=rng.randrange(30)),
                        client_submission_id=uuid.uuid4(),
                    )
                    for _i in range(count)
                ),
                batch_size=2000,
            )
            answers = []
            for response in rows:
                for question in questions:
                    base = {
                        "program": program,
                        "survey": survey,
                        "response": response,
                        "question": question,
                    }
                    options = list(question.options.all())
                    if question.code == "karta-otrygg":
                        point = [LON + rng.random() * 0.01, LAT + rng.random() * 0.01]
                        answers.append(
                            Answer(point={"type": "Point", "coordinates": point}, **base)
                        )
                    elif question.kind == "flerval":
                        for option in rng.sample(options, rng.randint(1, 2)):
                            answers.append(Answer(option=option, **base))
                    else:
                        answers.append(Answer(option=rng.choice(options), **base))
            Answer.objects.bulk_create(answers, batch_size=5000)
        return program, survey, user

    def _delete(self, program, user):
        # A throwaway benchmark program: delete its rows across models without a request.
        with cross_program("demo"):
            Answer.objects.filter(program=program).delete()
            Response.objects.filter(program=program).delete()
            Survey.objects.filter(program=program).delete()
            Place.objects.filter(program=program).delete()
            program.delete()
            user.delete()
        self.stdout.write("deleted the benchmark program")
