"""``manage.py load_demo``: load the demo programs, places, organisations and logins.

The command lives in ``reports``, the app at the top of the dependency chain, because it is the
one place that may know every app: each app contributes a demo step (``<app>/demo.py``), listed
in ``DEMO_STEPS`` in dependency order.
"""

from django.core.management.base import BaseCommand

from measures.demo import load as load_measures
from partnerships.demo import load as load_meetings
from platser.demo import load_demo, reset_demo
from platser.demo_walks import load_walks
from reports.demo import load as load_reports
from surveys.demo import load as load_surveys

# Later apps append their step here, e.g. ``measures.demo.load``.
DEMO_STEPS = [load_walks, load_meetings, load_measures, load_surveys, load_reports]


class Command(BaseCommand):
    help = (
        "Skapar demodata (Trygga platser och Tryggare Borlänge) med demoinloggningar. "
        "Kan köras flera gånger: det som redan finns lämnas orört."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--reset",
            action="store_true",
            help="Ta först bort demoprogrammen och demoanvändarna med allt innehåll.",
        )

    def handle(self, *args, reset=False, **options):
        # The service enters each program's scope itself: it writes to two programs.
        if reset:
            reset_demo()
        load_demo(stdout=self.stdout, steps=DEMO_STEPS)
