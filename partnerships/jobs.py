"""Background work: queueing a task without letting a broker outage break a user's request, and
the base of every task that works on one program-owned row.

A user-facing POST never depends on the broker synchronously (tech-notes: a paused Redis blocked
``.delay()`` for 19 s; a dead one raised after the data was committed). Work is queued after the
transaction commits; if the broker is unreachable the failure is logged and the row that needs
the work stays marked as pending, so a periodic sweeper (celery beat) picks it up later.

Services queue tasks by their registered name (``enqueue_on_commit("reports.render_report",
report_id=…)``), so that a service never imports its app's ``tasks`` module, which imports the
service: no import circles.
"""

import logging

from celery import Task, current_app
from django.apps import apps
from django.db import transaction
from django_scopes import scope

from .tenancy import cross_program

logger = logging.getLogger(__name__)


def registered(name: str) -> Task:
    """The task registered as ``name``. Celery finds the ``<app>.tasks`` modules lazily (a worker
    at start-up); a web process has them imported the first time it asks for one."""
    if name not in current_app.tasks:
        current_app.loader.import_default_modules()
    return current_app.tasks[name]


def _send(name: str, kwargs: dict) -> bool:
    try:
        registered(name).apply_async(kwargs=kwargs, retry=False)
    except Exception:  # noqa: BLE001 - any broker failure: log, keep the request alive
        logger.warning("Could not queue %s %s; the sweeper will retry", name, kwargs, exc_info=True)
        return False
    return True


def enqueue_on_commit(name: str, **kwargs) -> None:
    """Queue the task registered as ``name`` with keyword ``kwargs`` once the current
    transaction commits. ``apply_async`` (not ``send_task``) so that eager mode runs it inline."""
    transaction.on_commit(lambda: _send(name, kwargs))


class ProgramTask(Task):
    """The base of a task about one program-owned row (pretix's ``EventTask``).

    The task is called with the row's id as the keyword ``id_kwarg``; its function receives the
    row itself, loaded with ``select_related``, and runs inside the row's program's scope. A row
    that is gone by the time the task runs is not an error: the task returns ``None``. Declared
    with Celery's own decorator::

        @shared_task(name="measures.send_assignment_email", base=ProgramTask,
                     program_model="measures.Measure", id_kwarg="measure_id")
        def send_assignment_email(measure): ...
    """

    program_model: str = ""
    id_kwarg: str = ""
    select_related: tuple[str, ...] = ("program",)
    # Celery checks the call's arguments against the function's signature, which takes the row
    # where the call gives its id.
    typing = False

    def __call__(self, *args, **kwargs):
        pk = kwargs.pop(self.id_kwarg)
        model = apps.get_model(self.program_model)
        # A task has no request: the row is found by its id across programs, then the work runs
        # inside that row's own program's scope.
        with cross_program("task"):
            obj = model.objects.select_related(*self.select_related).filter(pk=pk).first()
        if obj is None:
            logger.info("%s: %s %s is gone", self.name, self.program_model, pk)
            return None
        with scope(program=obj.program):
            return super().__call__(obj, *args, **kwargs)
