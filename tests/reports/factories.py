"""factory_boy factories for reports (kept beside the reports tests)."""

import datetime

import factory

from reports.models import Kind, Report, ReportSchedule
from tests.factories import ProgramFactory, ScopedFactory


class ReportFactory(ScopedFactory):
    class Meta:
        model = Report

    program = factory.SubFactory(ProgramFactory)
    kind = Kind.PROGRAM
    period_start = datetime.date(2026, 1, 1)
    period_end = datetime.date(2026, 3, 31)


class ReportScheduleFactory(ScopedFactory):
    class Meta:
        model = ReportSchedule

    program = factory.SubFactory(ProgramFactory)
    kind = Kind.VINNOVA
    frequency = "kvartal"
    recipient_emails = factory.LazyFunction(lambda: ["vinnova@example.com"])
