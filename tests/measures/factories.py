"""factory_boy factories for measures (kept beside the measures tests: tests/factories.py is
being extended by several helpers at once)."""

import datetime
from decimal import Decimal

import factory

from measures.models import Activity, Category, Measure, MeasureType, Status
from tests.factories import OrganisationFactory, PlaceFactory, ScopedFactory


class MeasureFactory(ScopedFactory):
    class Meta:
        model = Measure
        skip_postgeneration_save = True

    place = factory.SubFactory(PlaceFactory)
    program = factory.SelfAttribute("place.program")
    title = factory.Sequence(lambda n: f"Belysning vid busstorget {n}")
    description = "Byt armaturer och lägg till två stolpar."
    category = Category.TRYGGHET
    type = MeasureType.SITUATIONAL
    responsible = factory.SubFactory(
        OrganisationFactory, program=factory.SelfAttribute("..program")
    )
    status = Status.PLANNED
    planned_end = datetime.date(2099, 6, 30)
    planned_start = factory.LazyAttribute(
        lambda o: min(datetime.date(2026, 1, 10), o.planned_end) if o.planned_end else None
    )
    budget = Decimal("45000")


class ActivityFactory(ScopedFactory):
    class Meta:
        model = Activity

    place = factory.SubFactory(PlaceFactory)
    program = factory.SelfAttribute("place.program")
    organisation = factory.SubFactory(
        OrganisationFactory, program=factory.SelfAttribute("..program")
    )
    date = datetime.date(2026, 3, 14)
    description = factory.Sequence(lambda n: f"Plockstädning runt busstorget {n}")
    hours = Decimal("2.5")
    cost = Decimal("300")
