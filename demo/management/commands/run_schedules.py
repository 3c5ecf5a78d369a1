"""The schedules of celery beat without beat: for the embedded default (``make demo``), where no
broker runs and tasks are eager.

Every entry of ``CELERY_BEAT_SCHEDULE`` (invitation sweepers, report schedules, digests,
retention) is run once, in the order of the setting, and what each returned is printed.
``--every SECONDS`` keeps doing so until stopped (``make demo`` runs it that way beside the
server). Each task is safe to run more often than beat would: the schedules themselves decide
what is due (a report schedule makes one report per period), so nothing is done twice.
"""

import time

from celery import current_app
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError


class Command(BaseCommand):
    help = "Run every celery beat schedule once (or every N seconds) without beat or a broker."

    def add_arguments(self, parser):
        parser.add_argument("--every", type=int, default=0, help="repeat every N seconds")

    def handle(self, *args, every: int = 0, **options):
        if not settings.CELERY_TASK_ALWAYS_EAGER:
            raise CommandError(
                "run_schedules är till för inbäddat läge utan meddelandekö; med en kö kör du "
                "`celery beat` (make beat)."
            )
        current_app.loader.import_default_modules()  # every app's tasks, as a worker does
        while True:
            for name, entry in settings.CELERY_BEAT_SCHEDULE.items():
                try:
                    result = current_app.tasks[entry["task"]].apply().get()
                except Exception as error:  # noqa: BLE001 - one failing schedule must not stop the rest
                    self.stderr.write(f"{name}: {type(error).__name__}: {error}")
                    continue
                self.stdout.write(f"{name}: {result}")
            if not every:
                return
            time.sleep(every)
