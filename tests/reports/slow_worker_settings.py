"""Settings for a worker that dies in the middle of a report (tests/reports/test_report_worker.py).

The first attempt at every report sleeps after its claim and before the PDF, long enough for the
test to kill the worker there; later attempts render as usual. The heartbeat is beaten every
0.2 s; ``STALE_HEARTBEAT_SECONDS`` in the environment shortens the time after which a claim
without one is dead (2 s instead of 45 s, so that a test need not wait).
"""

import datetime
import os
import time

from celery.signals import worker_process_init, worker_ready

from config.settings_worker_test import *  # noqa: F403

FIRST_ATTEMPT_SLEEP = 120  # seconds: the test kills the worker long before


def _install(**kwargs):
    from reports import services

    if getattr(services, "_slow_first_attempt", False):
        return
    real_render = services.render_pdf

    def render_pdf(template_name, context, **options):
        if context["report"].attempts == 1:
            time.sleep(FIRST_ATTEMPT_SLEEP)
        return real_render(template_name, context, **options)

    services.render_pdf = render_pdf
    services.HEARTBEAT_EVERY = datetime.timedelta(seconds=0.2)
    if os.environ.get("STALE_HEARTBEAT_SECONDS"):
        seconds = float(os.environ["STALE_HEARTBEAT_SECONDS"])
        services.STALE_HEARTBEAT = datetime.timedelta(seconds=seconds)
    services._slow_first_attempt = True


# A prefork child after the fork; the solo pool's one process once it is ready.
worker_process_init.connect(_install, weak=False)
worker_ready.connect(_install, weak=False)
