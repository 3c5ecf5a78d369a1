"""``manage.py load_demo``: load the demo programs, places, organisations and logins.

The ``demo`` app sits above every domain app, so it is the one place that may know them all. It
loads the programs, places and people (``demo.places``), then one step per app in dependency
order (``DEMO_STEPS``); every step writes through that app's services.
"""

from django.core.management.base import BaseCommand

from demo import incidents, measures, meetings, reports, surveys, walks
from demo.places import load_demo, reset_demo

DEMO_STEPS = [
    walks.load_walks,
    incidents.load,
    meetings.load,
    measures.load,
    surveys.load,
    reports.load,
]


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
