"""Queueing background work without letting a broker outage break a user's request.

A user-facing POST never depends on the broker synchronously (tech-notes: a paused Redis blocked
``.delay()`` for 19 s; a dead one raised after the data was committed). Work is queued after the
transaction commits; if the broker is unreachable the failure is logged and the row that needs
the work stays marked as pending, so a periodic sweeper (celery beat) picks it up later.
"""

import logging

from django.db import transaction

logger = logging.getLogger(__name__)


def _send(task, kwargs: dict) -> bool:
    try:
        task.apply_async(kwargs=kwargs, retry=False)
    except Exception:  # noqa: BLE001 - any broker failure: log, keep the request alive
        logger.warning(
            "Could not queue %s %s; the sweeper will retry", task.name, kwargs, exc_info=True
        )
        return False
    return True


def enqueue_on_commit(task, **kwargs) -> None:
    """Queue ``task`` with keyword ``kwargs`` once the current transaction commits."""
    transaction.on_commit(lambda: _send(task, kwargs))
