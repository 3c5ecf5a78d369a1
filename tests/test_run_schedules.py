"""``manage.py run_schedules``: beat's schedules in the embedded default (``make demo``)."""

import io

import pytest
from django.core import mail
from django.core.management import CommandError, call_command
from django_scopes import scopes_disabled

from reports.models import Report
from tests.factories import ReportScheduleFactory

pytestmark = pytest.mark.django_db


def test_every_schedule_runs_once_and_a_due_report_is_made_once(
    program, settings, django_capture_on_commit_callbacks
):
    settings.CELERY_TASK_ALWAYS_EAGER = True
    schedule = ReportScheduleFactory(program=program, recipient_emails=["vinnova@demo.test"])
    out = io.StringIO()

    with django_capture_on_commit_callbacks(execute=True):
        call_command("run_schedules", stdout=out)
        call_command("run_schedules", stdout=io.StringIO())  # again: nothing is due any more

    lines = out.getvalue().splitlines()
    assert [line.split(":")[0] for line in lines] == list(settings.CELERY_BEAT_SCHEDULE)
    assert "run-report-schedules: 1" in lines
    with scopes_disabled():  # reading back what the schedule made
        reports = list(Report.objects.filter(schedule=schedule))
    assert [r.status for r in reports] == [Report.Status.READY]
    assert [m.to for m in mail.outbox] == [["vinnova@demo.test"]]


def test_with_a_broker_it_points_to_beat(settings):
    settings.CELERY_TASK_ALWAYS_EAGER = False
    with pytest.raises(CommandError, match="celery beat"):
        call_command("run_schedules")
