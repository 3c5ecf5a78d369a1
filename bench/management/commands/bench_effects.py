"""Time the crime-statistics import and a place's follow-up page.

    manage.py bench_effects [--rows 100000] [--requests 20] [--keep]

Creates a throwaway program with one place (its buffer and comparison areas the default rings)
and a coordinator, writes a police file of ``--rows`` single events (date, longitude,
latitude, category; Windows-1252 with semicolons, as the police deliver them) spread over 36
months in and around the place, and imports it through the same functions as the import page
(read, map the columns, check every row, count the points per area, save), timed whole. Then
it requests the place's follow-up page ``--requests`` times with Django's test client (after a
warm-up), for a 12-month and a 24-month after window, and the bare ``/health/`` view beside it
in the same run (the machine is shared and noisy: compare the ratio). It prints the medians,
p95 and query counts; the query count must not grow with the window. Everything is deleted
afterwards (unless ``--keep``).

Targets (issue 12): the 100,000-row import under 10 s; the follow-up page p95 under 150 ms.
"""

import datetime
import io
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
from platser import incidents
from platser.followup import add_months
from platser.models import STANDARD_INCIDENT_CATEGORIES, IncidentCount, IncidentImport, Place

LON, LAT = 16.168, 60.145
SIZE = 0.004  # the place: about 220 × 450 m


class Command(BaseCommand):
    help = "Time a 100,000-row police import and the follow-up page (throwaway data)."

    def add_arguments(self, parser):
        parser.add_argument("--rows", type=int, default=100_000)
        parser.add_argument("--requests", type=int, default=20)
        parser.add_argument("--keep", action="store_true", help="keep the generated program")

    def handle(self, *args, rows, requests, keep, **options):
        slug = f"bench-{uuid.uuid4().hex[:8]}"
        program, place, user = self._create(slug)
        try:
            data = self._file(rows)
            self.stdout.write(f"police file: {rows} rows, {len(data) / 1e6:.1f} MB")
            seconds, counts = self._import(program, place, user, data)
            self.stdout.write(
                f"import: {seconds:.1f} s for {rows} rows ({counts} monthly counts saved; "
                f"target < 10 s) on {connection.vendor}; load average "
                f"{os.getloadavg()[0]:.1f} on {os.cpu_count()} cores"
            )
            if connection.vendor == "postgresql":
                with connection.cursor() as cursor:
                    cursor.execute("VACUUM (ANALYZE) platser_incidentcount")
            self._pages(program, place, user, requests)
        finally:
            if not keep:
                self._delete(program, user)

    @transaction.atomic
    def _create(self, slug):
        program = Program.objects.create(name=f"Benchmark {slug}", slug=slug)
        user = User.objects.create_user(email=f"{slug}@example.com", password=None)
        Membership.objects.create(user=user, program=program, role=Role.COORDINATOR)
        ring = [[LON, LAT], [LON + SIZE, LAT], [LON + SIZE, LAT + SIZE], [LON, LAT + SIZE]]
        with scope(program=program):
            place = Place.objects.create(
                program=program,
                name="Benchmarkplatsen",
                municipality=Municipality.objects.get(code="2084"),
                boundary={"type": "Polygon", "coordinates": [ring + [ring[0]]]},
            )
        return program, place, user

    def _file(self, rows: int) -> bytes:
        """Single events over the 36 whole months before this one, in and around the place."""
        rng = random.Random(12)
        first = add_months(datetime.date.today().replace(day=1), -36)
        names = [str(name) for _code, name in STANDARD_INCIDENT_CATEGORIES]
        out = io.StringIO()
        out.write("Datum;Longitud;Latitud;Brottstyp\r\n")
        for _i in range(rows):
            day = add_months(first, rng.randrange(36)) + datetime.timedelta(days=rng.randrange(28))
            # Within about 1.5 km: the place, its buffer and comparison rings, and beyond.
            lon = LON + SIZE / 2 + rng.gauss(0, 0.012)
            lat = LAT + SIZE / 2 + rng.gauss(0, 0.006)
            out.write(f"{day:%Y-%m-%d};{lon:.6f};{lat:.6f};{rng.choice(names)}\r\n")
        return out.getvalue().encode("cp1252")

    def _import(self, program, place, user, data):
        started = time.perf_counter()
        with scope(program=program), transaction.atomic():
            incidents.ensure_standard_categories(program)
            table = incidents.read_rows(data)
            mapping = incidents.guess_mapping(table[0])
            parsed = incidents.parse_file(program, table, mapping, only_place=place)
            if not parsed.valid:
                raise SystemExit(f"the generated file was refused: {parsed.errors[:3]}")
            incidents.save_import(
                program,
                user=user,
                source="polisen",
                data=data,
                filename="polisen.csv",
                parsed=parsed,
                place=place,
            )
        return time.perf_counter() - started, len(parsed.counts)

    def _pages(self, program, place, user, requests):
        storages = {
            **settings.STORAGES,
            "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
        }
        client = Client(HTTP_HOST=settings.ALLOWED_HOSTS[0], secure=True)
        client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
        url = reverse("measures:place_effects", kwargs={"program": program.slug, "place": place.pk})
        start = add_months(datetime.date.today().replace(day=1), -12)
        with override_settings(STORAGES=storages):
            self._time(client, reverse("health"), requests, "bare Django (/health/)")
            for months in (12, 24):
                after = add_months(start, 12 - months)
                query = f"?fran={after:%Y-%m}&manader={months}"
                self._time(client, url + query, requests, f"follow-up page, {months} months after")

    def _time(self, client, url, requests, label):
        response = client.get(url)  # warm-up
        if response.status_code != 200:
            raise SystemExit(f"{url} answered {response.status_code}")
        timings = []
        for _i in range(requests):
            with CaptureQueriesContext(connection) as queries:
                start = time.perf_counter()
                client.get(url)
                timings.append((time.perf_counter() - start) * 1000)
        timings.sort()
        p95 = timings[min(len(timings) - 1, round(0.95 * (len(timings) - 1)))]
        self.stdout.write(
            f"{label}: median {statistics.median(timings):.1f} ms, p95 {p95:.1f} ms, "
            f"{len(queries.captured_queries)} queries ({requests} requests)"
        )

    def _delete(self, program, user):
        # A throwaway benchmark program: delete its rows across models without a request.
        with cross_program("demo"):
            IncidentCount.objects.filter(program=program).delete()
            IncidentImport.objects.filter(program=program).delete()
            Place.objects.filter(program=program).delete()
            program.delete()
            user.delete()
