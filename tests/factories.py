"""factory_boy factories for the program-owned models and their people.

Program-owned models sit behind django-scopes' ``ScopedManager``, whose ``create()`` raises
outside a scope. The factories therefore create rows inside ``scopes_disabled()`` themselves
(``ScopedFactory._create`` and the post-generation hooks). Tests do *not* run under a global
``scopes_disabled()``: that would hide an unscoped query in a selector or view.
"""

import datetime
import io
from decimal import Decimal

import factory
from django.utils import timezone
from django_scopes import scopes_disabled
from factory.django import DjangoModelFactory

from measures.models import Activity, Category, Measure, MeasureType, Status
from partnerships.models import (
    AuditEntry,
    Contact,
    Invitation,
    Membership,
    Municipality,
    Organisation,
    OrganisationCategory,
    Program,
    Role,
    User,
)
from platser.models import (
    AreaKind,
    Finding,
    IncidentCategory,
    IncidentCount,
    IncidentSource,
    Place,
    PlaceAreas,
    SafetyWalk,
    Stakeholder,
    Zone,
)
from reports.models import Kind, Report, ReportSchedule

# The Avesta municipality (SCB code 2084) is loaded by the kernel's data migration.
AVESTA = "2084"


def square(lon: float = 16.168, lat: float = 60.145, size: float = 0.002) -> dict:
    """A small closed square polygon (GeoJSON) around (lon, lat), by default in Avesta."""
    return {
        "type": "Polygon",
        "coordinates": [
            [
                [lon, lat],
                [lon + size, lat],
                [lon + size, lat + size],
                [lon, lat + size],
                [lon, lat],
            ]
        ],
    }


class ScopedFactory(DjangoModelFactory):
    """Base for program-owned models: create the row with scopes disabled.

    A factory is test set-up, not application code: it writes one row whose program it sets
    explicitly, so bypassing the scope cannot leak anything. The code under test still runs with
    scoping on.
    """

    class Meta:
        abstract = True

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        with scopes_disabled():  # test set-up writes rows of an explicit program (see above)
            return super()._create(model_class, *args, **kwargs)


class UserFactory(DjangoModelFactory):
    class Meta:
        model = User

    email = factory.Sequence(lambda n: f"person{n}@example.com")
    name = factory.Sequence(lambda n: f"Person {n}")
    password = factory.django.Password("pw")


class ProgramFactory(DjangoModelFactory):
    class Meta:
        model = Program

    name = factory.Sequence(lambda n: f"Program {n}")
    slug = factory.Sequence(lambda n: f"program-{n}")
    coordinator_name = "Länsstyrelsen Dalarna"


class OrganisationFactory(ScopedFactory):
    class Meta:
        model = Organisation

    program = factory.SubFactory(ProgramFactory)
    name = factory.Sequence(lambda n: f"Organisation {n}")
    category = OrganisationCategory.FASTIGHETSAGARE


class ContactFactory(ScopedFactory):
    class Meta:
        model = Contact

    organisation = factory.SubFactory(OrganisationFactory)
    program = factory.SelfAttribute("organisation.program")
    name = factory.Sequence(lambda n: f"Kontakt {n}")
    role = "Fastighetsförvaltare"
    email = factory.Sequence(lambda n: f"kontakt{n}@example.com")
    phone = "070-123 45 67"


#: When factory-made places and measures were "created" (``created_at`` is auto_now_add): long
#: before any period a test reports on, so that a report as of a past period includes them.
#: ``PlaceFactory(created_at=...)`` sets another moment.
LONG_AGO = datetime.datetime(2020, 1, 1, 12, tzinfo=datetime.UTC)


def _created_at(obj, create, extracted, **kwargs):
    if create:
        obj.created_at = extracted or LONG_AGO
        with scopes_disabled():
            type(obj).objects.filter(pk=obj.pk).update(created_at=obj.created_at)


class PlaceFactory(ScopedFactory):
    class Meta:
        model = Place
        skip_postgeneration_save = True

    program = factory.SubFactory(ProgramFactory)
    name = factory.Sequence(lambda n: f"Plats {n}")
    municipality = factory.LazyFunction(lambda: Municipality.objects.get(code=AVESTA))
    description = "Ett torg med busshållplats."
    boundary = factory.LazyFunction(square)
    created_at = factory.PostGeneration(_created_at)


class ZoneFactory(ScopedFactory):
    class Meta:
        model = Zone

    place = factory.SubFactory(PlaceFactory)
    program = factory.SelfAttribute("place.program")
    name = factory.Sequence(lambda n: f"Zon {n}")


class PlaceAreasFactory(ScopedFactory):
    class Meta:
        model = PlaceAreas

    place = factory.SubFactory(PlaceFactory)
    program = factory.SelfAttribute("place.program")


class IncidentCategoryFactory(ScopedFactory):
    class Meta:
        model = IncidentCategory

    program = factory.SubFactory(ProgramFactory)
    code = factory.Sequence(lambda n: f"kategori-{n}")
    name = factory.Sequence(lambda n: f"Kategori {n}")


class IncidentCountFactory(ScopedFactory):
    class Meta:
        model = IncidentCount

    place = factory.SubFactory(PlaceFactory)
    program = factory.SelfAttribute("place.program")
    month = datetime.date(2025, 1, 1)
    area = AreaKind.TARGET
    category = factory.SubFactory(
        IncidentCategoryFactory, program=factory.SelfAttribute("..program")
    )
    source = IncidentSource.POLICE
    count = 10


class MembershipFactory(ScopedFactory):
    """A membership; pass ``places=[...]`` for a place lead or partner."""

    class Meta:
        model = Membership
        skip_postgeneration_save = True

    user = factory.SubFactory(UserFactory)
    program = factory.SubFactory(ProgramFactory)
    role = Role.COORDINATOR
    organisation = factory.Maybe(
        factory.LazyAttribute(lambda o: o.role == Role.PARTNER),
        yes_declaration=factory.SubFactory(
            OrganisationFactory, program=factory.SelfAttribute("..program")
        ),
        no_declaration=None,
    )

    @factory.post_generation
    def places(obj, create, extracted, **kwargs):
        if create and extracted:
            with scopes_disabled():  # test set-up; Place's related manager is scoped
                obj.places.set(extracted)


class StakeholderFactory(ScopedFactory):
    class Meta:
        model = Stakeholder

    place = factory.SubFactory(PlaceFactory)
    program = factory.SelfAttribute("place.program")
    organisation = factory.SubFactory(
        OrganisationFactory, program=factory.SelfAttribute("..program")
    )
    group = Stakeholder.Group.WORKING
    commitment = "Belysning och städning av gården."
    joined_on = datetime.date(2025, 3, 1)


class InvitationFactory(ScopedFactory):
    class Meta:
        model = Invitation
        skip_postgeneration_save = True

    program = factory.SubFactory(ProgramFactory)
    email = factory.Sequence(lambda n: f"inbjuden{n}@example.com")
    role = Role.OBSERVER
    expires_at = factory.LazyFunction(lambda: timezone.now() + datetime.timedelta(days=14))

    @factory.post_generation
    def places(obj, create, extracted, **kwargs):
        if create and extracted:
            with scopes_disabled():  # test set-up; Place's related manager is scoped
                obj.places.set(extracted)


class AuditEntryFactory(ScopedFactory):
    class Meta:
        model = AuditEntry

    program = factory.SubFactory(ProgramFactory)
    actor = factory.SubFactory(UserFactory)
    action = AuditEntry.Action.UPDATE
    model_label = "platser.Place"
    object_id = factory.Sequence(str)
    object_repr = factory.Sequence(lambda n: f"Plats {n}")
    changes = factory.LazyFunction(lambda: {"name": ["Före", "Efter"]})


class SafetyWalkFactory(ScopedFactory):
    class Meta:
        model = SafetyWalk

    place = factory.SubFactory(PlaceFactory)
    program = factory.SelfAttribute("place.program")
    date = datetime.date(2025, 11, 12)
    light = SafetyWalk.Light.DARK
    route = factory.LazyFunction(
        lambda: {"type": "LineString", "coordinates": [[16.1685, 60.1455], [16.1695, 60.1465]]}
    )
    women = 4
    men = 3
    age_20_39 = 3
    age_40_64 = 4
    follow_up_date = datetime.date(2026, 5, 12)


class FindingFactory(ScopedFactory):
    """A finding in the middle of the default ``square()`` place."""

    class Meta:
        model = Finding

    place = factory.SubFactory(PlaceFactory)
    program = factory.SelfAttribute("place.program")
    point = factory.LazyFunction(lambda: {"type": "Point", "coordinates": [16.169, 60.146]})
    category = Finding.Category.LIGHTING
    source = Finding.Source.WALK
    description = factory.Sequence(lambda n: f"Trasig belysning vid gångvägen {n}.")


class SurveyFactory(ScopedFactory):
    """An open survey (a week ago to three weeks ahead) of ``places`` with bank ``codes``.

    ``SurveyFactory(program=p, places=[place], codes=["plats-trygg-kvall", "kon"])``.
    """

    class Meta:
        model = "surveys.Survey"
        skip_postgeneration_save = True

    program = factory.SubFactory(ProgramFactory)
    title = factory.Sequence(lambda n: f"Trygghetsmätning {n}")
    wave = 0
    target_group = "boende"
    opens_on = factory.LazyFunction(lambda: timezone.localdate() - datetime.timedelta(days=7))
    closes_on = factory.LazyFunction(lambda: timezone.localdate() + datetime.timedelta(days=21))
    languages = factory.LazyFunction(lambda: ["sv", "en"])

    @factory.post_generation
    def places(self, create, extracted, **kwargs):
        if create and extracted:
            with scopes_disabled():  # test set-up, see ScopedFactory
                self.places.set(extracted)

    @factory.post_generation
    def codes(self, create, extracted, **kwargs):
        from surveys.models import Question, SurveyQuestion

        if not create or not extracted:
            return
        with scopes_disabled():  # test set-up, see ScopedFactory
            for position, code in enumerate(extracted, start=1):
                SurveyQuestion.objects.create(
                    program=self.program,
                    survey=self,
                    question=Question.bank.get(code=code),
                    position=position,
                )


# --- meetings (partnerships) ------------------------------------------------------------------


class MeetingFactory(ScopedFactory):
    """A meeting at ``place`` (pass ``place=None`` and ``program=…`` for a program-wide one)."""

    class Meta:
        model = "meetings.Meeting"

    place = factory.SubFactory(PlaceFactory)
    program = factory.LazyAttribute(lambda o: o.place.program if o.place else ProgramFactory())
    kind = "arbetsgruppsmote"
    title = factory.Sequence(lambda n: f"Arbetsgruppsmöte {n}")
    starts_at = factory.LazyFunction(
        lambda: timezone.now().replace(microsecond=0) + datetime.timedelta(days=7)
    )
    ends_at = factory.LazyAttribute(lambda o: o.starts_at + datetime.timedelta(hours=2))
    location = "Stadshuset, sal 3"


class AgendaItemFactory(ScopedFactory):
    class Meta:
        model = "meetings.AgendaItem"

    meeting = factory.SubFactory(MeetingFactory)
    program = factory.SelfAttribute("meeting.program")
    position = factory.Sequence(lambda n: n + 1)
    title = factory.Sequence(lambda n: f"Punkt {n}")


class AttendanceFactory(ScopedFactory):
    class Meta:
        model = "meetings.Attendance"

    meeting = factory.SubFactory(MeetingFactory)
    program = factory.SelfAttribute("meeting.program")
    contact = factory.SubFactory(
        ContactFactory,
        organisation=factory.SubFactory(
            OrganisationFactory, program=factory.SelfAttribute("...program")
        ),
    )
    organisation = factory.SelfAttribute("contact.organisation")
    status = "narvarande"


class DecisionFactory(ScopedFactory):
    class Meta:
        model = "meetings.Decision"

    meeting = factory.SubFactory(MeetingFactory)
    program = factory.SelfAttribute("meeting.program")
    number = factory.Sequence(lambda n: n + 1)
    text = factory.Sequence(lambda n: f"Beslut om åtgärd {n}.")


class CalendarFeedFactory(ScopedFactory):
    class Meta:
        model = "meetings.CalendarFeed"

    user = factory.SubFactory(UserFactory)
    program = factory.SubFactory(ProgramFactory)
    place = None


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
    created_at = factory.PostGeneration(_created_at)


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


def pdf_bytes(pages: int = 1) -> bytes:
    """A real (blank, A4) PDF of ``pages`` pages, as an uploaded agreement would be."""
    from pypdf import PdfWriter

    writer = PdfWriter()
    for _ in range(pages):
        writer.add_blank_page(width=595, height=842)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()
