"""Services and selectors of the action plan: status workflow, share, overdue, activities,
co-financing and e-mail."""

import datetime
import io
import uuid
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import IntegrityError
from django_scopes import scope, scopes_disabled
from PIL import Image

from measures import selectors, services
from measures.models import Activity, Measure, MeasureStatusChange, OverdueDigest, Status
from partnerships.models import AuditEntry
from platser.photos import clean_photo
from tests.factories import ActivityFactory, ContactFactory, MeasureFactory, OrganisationFactory

TODAY = datetime.date(2026, 11, 25)


@pytest.fixture
def measure(place, organisation):
    return MeasureFactory(place=place, responsible=organisation, status=Status.PROPOSED)


def test_change_status_moves_along_the_plan_and_writes_history(program, measure, coordinator):
    with scope(program=program):
        services.change_status(actor=coordinator, measure=measure, to_status=Status.PLANNED)
        services.change_status(actor=coordinator, measure=measure, to_status=Status.ONGOING)
        measure = services.change_status(
            actor=coordinator, measure=measure, to_status=Status.DONE, reason="Klart i tid."
        )
        history = list(measure.status_changes.values_list("from_status", "to_status", "actor"))
        audit = AuditEntry.objects.filter(model_label="measures.Measure", object_id=measure.pk)

        assert measure.status == Status.DONE
        assert measure.actual_start is not None and measure.actual_end is not None
        assert history == [
            ("foreslagen", "planerad", coordinator.pk),
            ("planerad", "pagaende", coordinator.pk),
            ("pagaende", "genomford", coordinator.pk),
        ]
        assert audit.count() == 3


def test_change_status_refuses_an_invalid_transition(program, measure, coordinator):
    with scope(program=program):
        with pytest.raises(services.MeasureError, match="kan inte gå från Föreslagen till"):
            services.change_status(actor=coordinator, measure=measure, to_status=Status.DONE)
        measure.refresh_from_db()
        assert measure.status == Status.PROPOSED
        assert not MeasureStatusChange.objects.filter(measure=measure).exists()


def test_cancelling_needs_a_reason(program, measure, coordinator):
    with scope(program=program):
        with pytest.raises(services.MeasureError, match="skälet"):
            services.change_status(
                actor=coordinator, measure=measure, to_status=Status.CANCELLED, reason="  "
            )
        measure = services.change_status(
            actor=coordinator,
            measure=measure,
            to_status=Status.CANCELLED,
            reason="Fastighetsägaren byggde om entrén själv.",
        )
        assert measure.cancel_reason == "Fastighetsägaren byggde om entrén själv."
        assert measure.status_changes.get().reason == measure.cancel_reason


def test_database_refuses_cancelled_without_reason_and_negative_budget(program, measure):
    with scopes_disabled():  # test of the database constraints themselves
        for bad in (
            {"status": "installd", "cancel_reason": ""},
            {"budget": Decimal("-1")},
            {"planned_start": datetime.date(2026, 5, 1), "planned_end": datetime.date(2026, 4, 1)},
        ):
            with pytest.raises(IntegrityError), __import__("django").db.transaction.atomic():
                Measure.objects.filter(pk=measure.pk).update(**bad)


def test_create_measure_writes_first_history_row_and_emails_contacts(
    program,
    place,
    organisation,
    contact,
    coordinator,
    mailoutbox,
    django_capture_on_commit_callbacks,
):
    with scope(program=program), django_capture_on_commit_callbacks(execute=True):
        measure = services.create_measure(
            actor=coordinator,
            place=place,
            measure=Measure(
                title="Röjning av buskage vid gångtunneln",
                category="trygghetsskapande",
                responsible=organisation,
                status=Status.PLANNED,
            ),
        )
    assert measure.program_id == program.pk
    with scope(program=program):
        assert list(measure.status_changes.values_list("from_status", "to_status")) == [
            ("", "planerad")
        ]
    assert len(mailoutbox) == 1
    assert mailoutbox[0].to == ["anna.andersson@example.com"]
    assert "Röjning av buskage vid gångtunneln" in mailoutbox[0].body
    assert f"/p/trygga-platser/atgarder/{measure.pk}/" in mailoutbox[0].body


def test_update_measure_emails_only_when_the_responsible_organisation_changes(
    program,
    measure,
    coordinator,
    mailoutbox,
    django_capture_on_commit_callbacks,
):
    police = OrganisationFactory(program=program, name="Polisen Avesta")
    ContactFactory(organisation=police, email="kommunpolis@example.com")
    with scope(program=program), django_capture_on_commit_callbacks(execute=True):
        measure.description = "Ny text"
        services.update_measure(actor=coordinator, measure=measure)
        assert mailoutbox == []
        measure.responsible = police
        services.update_measure(actor=coordinator, measure=measure)
    assert [m.to for m in mailoutbox] == [["kommunpolis@example.com"]]


def test_plan_share_counts_done_and_ongoing_over_all_not_cancelled(program, place, organisation):
    # Avesta's pilot figure: 22 of 28 done or started. 15 done, 7 ongoing, 4 planned,
    # 2 proposed, and 3 cancelled that do not count.
    for status, n in (
        (Status.DONE, 15),
        (Status.ONGOING, 7),
        (Status.PLANNED, 4),
        (Status.PROPOSED, 2),
    ):
        MeasureFactory.create_batch(n, place=place, responsible=organisation, status=status)
    MeasureFactory.create_batch(
        3,
        place=place,
        responsible=organisation,
        status=Status.CANCELLED,
        cancel_reason="Ej aktuell",
    )
    with scope(program=program):
        share = selectors.plan_share(place=place)
    assert (share.done_or_started, share.total, share.done, share.ongoing) == (22, 28, 15, 7)
    assert share.percent == 79


def test_plan_share_of_an_empty_plan_is_zero(program, place):
    with scope(program=program):
        share = selectors.plan_share(place=place)
    assert (share.done_or_started, share.total, share.percent) == (0, 0, 0)


def test_overdue_filter_takes_open_measures_past_their_planned_end(program, place, organisation):
    past = TODAY - datetime.timedelta(days=1)
    late = MeasureFactory(
        place=place, responsible=organisation, planned_end=past, status=Status.ONGOING
    )
    MeasureFactory(place=place, responsible=organisation, planned_end=past, status=Status.DONE)
    MeasureFactory(
        place=place,
        responsible=organisation,
        planned_end=past,
        status=Status.CANCELLED,
        cancel_reason="x",
    )
    MeasureFactory(place=place, responsible=organisation, planned_end=TODAY, status=Status.PLANNED)
    MeasureFactory(place=place, responsible=organisation, planned_end=None)
    with scope(program=program):
        overdue = list(selectors.action_plan(place=place, overdue=True, today=TODAY))
    assert overdue == [late]


def test_action_plan_filters_by_status_category_and_organisation(program, place, organisation):
    police = OrganisationFactory(program=program, name="Polisen")
    a = MeasureFactory(place=place, responsible=organisation, category="trivselskapande")
    b = MeasureFactory(
        place=place, responsible=police, category="brottsforebyggande", status=Status.ONGOING
    )
    with scopes_disabled():  # test set-up
        a.contributors.add(police)
    with scope(program=program):
        assert list(selectors.action_plan(place=place, category="trivselskapande")) == [a]
        assert list(selectors.action_plan(place=place, status="pagaende")) == [b]
        assert set(selectors.action_plan(place=place, organisation=police.pk)) == {a, b}
        assert list(selectors.action_plan(place=place, organisation=organisation.pk)) == [a]


def test_log_activity_with_the_same_client_id_stores_once(program, place, organisation, partner):
    client_id = uuid.uuid4()
    with scope(program=program):
        first, created = services.log_activity(
            actor=partner,
            place=place,
            organisation=organisation,
            description="Nattvandring",
            hours=Decimal("3"),
            cost=Decimal("0"),
            client_id=client_id,
        )
        again, created_again = services.log_activity(
            actor=partner,
            place=place,
            organisation=organisation,
            description="Nattvandring",
            hours=Decimal("3"),
            cost=Decimal("0"),
            client_id=client_id,
        )
        assert (created, created_again) == (True, False)
        assert again.pk == first.pk
        assert Activity.objects.count() == 1


def test_log_activity_refuses_a_measure_of_another_place(
    program, place, second_place, organisation, partner
):
    other = MeasureFactory(place=second_place, responsible=organisation)
    with scope(program=program), pytest.raises(services.MeasureError, match="annan plats"):
        services.log_activity(
            actor=partner, place=place, organisation=organisation, description="x", measure=other
        )


def test_cofinancing_sums_hours_and_costs_per_organisation_and_place(
    program, place, second_place, organisation
):
    police = OrganisationFactory(program=program, name="Polisen")
    ActivityFactory(
        place=place, organisation=organisation, hours=Decimal("2.5"), cost=Decimal("100")
    )
    ActivityFactory(place=place, organisation=organisation, hours=Decimal("1.5"), cost=Decimal("0"))
    ActivityFactory(
        place=second_place, organisation=police, hours=Decimal("4"), cost=Decimal("250")
    )
    with scope(program=program):
        totals = selectors.cofinancing(program=program)
    by_org = {
        r["organisation__name"]: (r["hours"], r["cost"], r["value"]) for r in totals.by_organisation
    }
    assert by_org == {
        "Avestahem AB": (Decimal("4"), Decimal("100"), Decimal("3200")),
        "Polisen": (Decimal("4"), Decimal("250"), Decimal("3200")),
    }
    by_place = {r["place__name"]: r["hours"] for r in totals.by_place}
    assert by_place == {"Avesta centrum": Decimal("4"), "Sala centrum": Decimal("4")}
    assert (totals.hours, totals.cost, totals.value) == (
        Decimal("8"),
        Decimal("350"),
        Decimal("6400"),
    )


def _overdue_setup(program, place, organisation):
    MeasureFactory(
        place=place,
        responsible=organisation,
        status=Status.ONGOING,
        planned_end=TODAY - datetime.timedelta(days=10),
        title="Klotterplan",
    )


def test_digest_is_sent_once_per_week_to_organisations_with_overdue_measures(
    program, place, organisation, contact, mailoutbox
):
    quiet = OrganisationFactory(program=program, name="Tyst AB")
    ContactFactory(organisation=quiet, email="tyst@example.com")
    MeasureFactory(place=place, responsible=quiet, planned_end=TODAY + datetime.timedelta(30))
    _overdue_setup(program, place, organisation)
    with scope(program=program):
        assert services.send_overdue_digests(program=program, today=TODAY) == 1
        assert services.send_overdue_digests(program=program, today=TODAY) == 0
        assert (
            services.send_overdue_digests(program=program, today=TODAY + datetime.timedelta(days=2))
            == 0
        )
        assert OverdueDigest.objects.get().iso_week == TODAY.isocalendar()[1]
        # Next week it is sent again.
        assert (
            services.send_overdue_digests(program=program, today=TODAY + datetime.timedelta(days=7))
            == 1
        )
    assert [m.to for m in mailoutbox] == [["anna.andersson@example.com"]] * 2
    assert "Klotterplan" in mailoutbox[0].body


def test_digest_sends_nothing_when_nothing_is_overdue(
    program, place, organisation, contact, mailoutbox
):
    MeasureFactory(place=place, responsible=organisation, planned_end=TODAY)
    MeasureFactory(
        place=place,
        responsible=organisation,
        status=Status.DONE,
        planned_end=TODAY - datetime.timedelta(days=3),
    )
    with scope(program=program):
        assert services.send_overdue_digests(program=program, today=TODAY) == 0
        assert not OverdueDigest.objects.exists()
    assert mailoutbox == []


def test_digest_task_runs_for_every_program(
    program, place, organisation, contact, mailoutbox, other_program
):
    from measures.tasks import send_overdue_digests

    _overdue_setup(program, place, organisation)
    assert send_overdue_digests() == 1
    assert send_overdue_digests() == 0
    assert len(mailoutbox) == 1


def _jpeg_with_gps() -> bytes:
    image = Image.new("RGB", (40, 30), "red")
    exif = Image.Exif()
    exif[0x8825] = {1: "N", 2: (60.0, 8.0, 42.0), 3: "E", 4: (16.0, 10.0, 5.0)}
    exif[0x010F] = "Telefonmärke"
    out = io.BytesIO()
    image.save(out, "JPEG", exif=exif)
    return out.getvalue()


def test_activity_photo_is_stored_without_exif(program, place, organisation, partner):
    upload = SimpleUploadedFile("foto.jpg", _jpeg_with_gps(), content_type="image/jpeg")
    with Image.open(io.BytesIO(_jpeg_with_gps())) as original:
        assert original.getexif().get(0x8825)  # the fixture really has GPS
    with scope(program=program):
        activity, _ = services.log_activity(
            actor=partner,
            place=place,
            organisation=organisation,
            description="Foto",
            photo=clean_photo(upload),
        )
        with activity.photo.open("rb") as f, Image.open(f) as stored:
            assert not stored.getexif()
            assert stored.format == "JPEG"


def test_assignment_task_is_safe_for_a_deleted_measure_and_an_org_without_addresses(
    program, place, mailoutbox
):
    from measures.tasks import send_assignment_email

    silent = OrganisationFactory(program=program, name="Utan kontakter AB")
    measure = MeasureFactory(place=place, responsible=silent)
    assert send_assignment_email(measure_id=measure.pk) == 0
    assert send_assignment_email(measure_id=999999) is None  # gone: nothing to do
    assert mailoutbox == []


def test_weekly_digest_is_in_the_beat_schedule(settings):
    entry = settings.CELERY_BEAT_SCHEDULE["send-overdue-measure-digests"]
    assert entry["task"] == "measures.send_overdue_digests"
    assert entry["schedule"].day_of_week == {1}
