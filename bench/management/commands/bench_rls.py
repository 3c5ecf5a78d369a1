"""``manage.py bench_rls``: what row-level security costs a page (issue 16).

Row-level security adds work to every request on PostgreSQL: one ``set_config`` per transaction
(the program context, ``config/postgresql``) and a policy predicate on every program-owned table
that the planner adds to each query. This command renders the coordinator's main pages (the
same ones as ``loadtest``) in this process with Django's test client, through two connections
to the same database, alternating request by request so that the machine's noise falls on both
alike:

* **utan RLS**: Django's own PostgreSQL backend as the role in ``DATABASE_URL`` (the owner,
  which PostgreSQL exempts from its tables' policies): the application's scoping alone;
* **med RLS**: our backend (``config.postgresql``) as ``DATABASE_APP_ROLE``, which the policies
  bind, as production runs.

It prints per page the median and 95th percentile of both and their ratio, with ``/health/``
(one ``SELECT 1``, the bare Django request) as the baseline beside them. Needs PostgreSQL with
a program in it (``load_demo``, or ``bench_dashboard --keep`` for national volume) and the
application role's grants (``migrate`` with ``DATABASE_APP_ROLE`` set)::

    manage.py bench_rls [--program SLUG] [--rounds 30]

Measured 4 December 2026 on the 2-core machine (other work running beside it), PostgreSQL 15,
the demo program: see README, "Benchmarks".
"""

import statistics
import time

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import connections
from django.db.utils import load_backend
from django.test import Client
from django.test.utils import override_settings

from bench.management.commands.loadtest import Command as LoadTest
from bench.management.commands.loadtest import _percentile
from partnerships.tenancy import cross_program


class Command(BaseCommand):
    help = "Sidornas tid med och utan radnivåsäkerhet (row-level security) i PostgreSQL."

    def add_arguments(self, parser):
        parser.add_argument("--program", help="programmets kortnamn (standard: störst)")
        parser.add_argument("--rounds", type=int, default=30, help="anrop per sida och läge")

    def handle(self, *args, program, rounds, **options):
        default = settings.DATABASES["default"]
        if "postgresql" not in default["ENGINE"]:
            raise CommandError("Mäter bara något på PostgreSQL: sätt DATABASE_URL=postgres://…")
        app_role = settings.DATABASE_APP_ROLE
        if not app_role:
            raise CommandError("Sätt DATABASE_APP_ROLE (t.ex. trygga_app) och kör migrate först.")

        loadtest = LoadTest()
        with cross_program("demo"):  # a benchmark reads its program outside any request
            program = loadtest._program(program)
            pages = {"Bara Django (/health/)": "/health/", **loadtest._pages(program)}
            cookie = loadtest._login(program)
        plain = self._connection("django.db.backends.postgresql", {})
        # The login role stays; every session becomes the application role at once.
        rls = self._connection("config.postgresql", {"options": f"-c role={app_role}"})
        modes = {"utan RLS": plain, "med RLS": rls}
        original = connections["default"]

        with override_settings(ALLOWED_HOSTS=[*settings.ALLOWED_HOSTS, "testserver"]):
            client = Client()
            client.cookies[settings.SESSION_COOKIE_NAME] = cookie
            times = {(page, mode): [] for page in pages for mode in modes}
            try:
                for round_ in range(rounds + 1):
                    for page, url in pages.items():
                        # Alternate which mode goes first, so neither always finds a warmer cache.
                        order = list(modes.items())
                        if round_ % 2:
                            order.reverse()
                        for mode, connection in order:
                            connections["default"] = connection
                            start = time.perf_counter()
                            response = client.get(url)
                            elapsed = (time.perf_counter() - start) * 1000
                            if response.status_code != 200:
                                raise CommandError(f"{page} ({mode}): HTTP {response.status_code}")
                            if round_:  # the first round warms up
                                times[page, mode].append(elapsed)
            finally:
                connections["default"] = original
                plain.close()
                rls.close()

        self.stdout.write(
            f"{program.name}: {rounds} anrop per sida och läge, växelvis, i samma process\n"
        )
        header = f"{'Sida':32} {'utan RLS p50/p95':>18} {'med RLS p50/p95':>18} {'kvot p50':>9}"
        self.stdout.write(header)
        ratios = []
        for page in pages:
            cells = []
            for mode in modes:
                values = times[page, mode]
                cells.append((statistics.median(values), _percentile(values, 0.95)))
            ratio = cells[1][0] / cells[0][0]
            if not page.startswith("Bara"):
                ratios.append(ratio)
            self.stdout.write(
                f"{page[:32]:32} {cells[0][0]:8.1f}/{cells[0][1]:6.1f} ms "
                f"{cells[1][0]:8.1f}/{cells[1][1]:6.1f} ms {ratio:8.2f}x"
            )
        self.stdout.write(
            f"Sidornas kvot med/utan RLS (median över sidorna): {statistics.median(ratios):.2f}x"
        )

    def _connection(self, engine: str, options: dict):
        settings_dict = {
            **connections["default"].settings_dict,
            "ENGINE": engine,
            "OPTIONS": {**connections["default"].settings_dict.get("OPTIONS", {}), **options},
        }
        return load_backend(engine).DatabaseWrapper(settings_dict, alias="default")
