"""``manage.py load_demo``: load the demo programs, places, organisations and logins."""

from django.core.management.base import BaseCommand

from platser.demo import load_demo


class Command(BaseCommand):
    help = (
        "Skapar demodata (Trygga platser och Tryggare Borlänge) med demoinloggningar. "
        "Kan köras flera gånger: det som redan finns lämnas orört."
    )

    def handle(self, *args, **options):
        # The service enters each program's scope itself: it writes to two programs.
        load_demo(stdout=self.stdout)
