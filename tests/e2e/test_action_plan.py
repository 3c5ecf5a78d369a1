"""Journeys of the action plan: a partner logs an activity on a 360 px phone (also offline),
the place lead sees it, measures are created from a meeting decision and from a walk finding.
axe-core runs on every page visited (``visit``/``check_page``)."""

import io
import re
from decimal import Decimal

import pytest
from django_scopes import scopes_disabled
from PIL import Image
from playwright.sync_api import expect

from .conftest import DESKTOP, PHONE, check_page, log_in_with_cookie, make_user, screenshot, visit

PAGE_BUDGET = 300 * 1024


def _jpeg_bytes() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (320, 240), (40, 120, 60)).save(out, "JPEG", quality=80)
    return out.getvalue()


@pytest.fixture
def plan(world):
    """A place lead of Torget and two measures: one for the partner's organisation, one late."""
    import datetime

    from measures.models import Measure
    from partnerships.models import Membership, Role

    with scopes_disabled():  # test set-up before any request
        lead = make_user("platsansvarig@example.se", "Lena Ledare")
        membership = Membership.objects.create(
            user=lead, program=world.program, role=Role.PLACE_LEAD
        )
        world.place.members.add(membership)
        measure = Measure.objects.create(
            program=world.program,
            place=world.place,
            title="Belysning på gården",
            category="trygghetsskapande",
            responsible=world.bostader,
            status="pagaende",
            planned_end=datetime.date(2099, 1, 1),
        )
        Measure.objects.create(
            program=world.program,
            place=world.place,
            title="Röjning av buskage",
            category="trygghetsskapande",
            responsible=world.kommun,
            status="planerad",
            planned_end=datetime.date(2021, 1, 1),
        )
    world.lead = lead
    world.measure = measure
    return world


def _page(new_context, world, user, viewport):
    kwargs = {"viewport": viewport}
    if viewport is PHONE:
        kwargs.update(is_mobile=True, has_touch=True)
    context = new_context(**kwargs)
    log_in_with_cookie(context, world.url, user)
    return context, context.new_page()


def _base(world):
    return f"{world.url}/p/{world.program.slug}"


def test_partner_logs_an_activity_with_a_photo_on_a_phone(plan, new_context, tmp_path):
    from measures.models import Activity

    _, page = _page(new_context, plan, plan.partner, PHONE)
    sizes = []
    page.on(
        "requestfinished",
        lambda request: sizes.append(
            request.sizes()["responseBodySize"] + request.sizes()["responseHeadersSize"]
        ),
    )

    visit(page, f"{_base(plan)}/platser/{plan.place.pk}/aktiviteter/ny/")
    weight = sum(sizes)
    assert weight < PAGE_BUDGET, f"the activity page weighs {weight} bytes on first load"
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    expect(page.get_by_role("heading", level=1)).to_have_text("Logga aktivitet")
    expect(page.get_by_label("Datum")).not_to_have_value("")
    expect(page.get_by_role("button", name="Använd min position")).to_be_visible()
    screenshot(page, "activity-form-phone")

    photo = tmp_path / "foto.jpg"
    photo.write_bytes(_jpeg_bytes())
    page.get_by_label("Vad gjorde ni?").fill("Bytte två trasiga armaturer på gården")
    page.get_by_label("Hör till åtgärd (valfritt)").select_option(label="Belysning på gården")
    page.get_by_label("Timmar").fill("2,5")
    page.get_by_label("Kostnad (kr)").fill("1200")
    page.get_by_label("Foto (valfritt)").set_input_files(str(photo))
    page.get_by_role("button", name="Spara aktiviteten").tap()

    expect(page.locator(".js-offline-status")).to_have_text("Aktiviteten är sparad. Tack!")
    expect(page.get_by_label("Vad gjorde ni?")).to_have_value("")
    check_page(page)
    with scopes_disabled():  # test assertion
        activity = Activity.objects.get()
    assert activity.measure == plan.measure and activity.organisation == plan.bostader
    assert activity.hours == Decimal("2.5") and activity.cost == Decimal("1200")
    assert activity.photo

    # The place lead sees the activity and the hours, on the list and on the measure.
    _, lead = _page(new_context, plan, plan.lead, DESKTOP)
    visit(lead, f"{_base(plan)}/platser/{plan.place.pk}/aktiviteter/")
    row = lead.locator("table tbody tr", has_text="Bytte två trasiga armaturer")
    expect(row).to_contain_text("Avesta Bostäder")
    expect(row).to_contain_text("2,5")
    expect(lead.locator(".js-total-hours")).to_have_text("2,50 h")
    lead.get_by_role("link", name="Visa foto").click()
    assert lead.evaluate("document.contentType") == "image/jpeg"
    visit(lead, f"{_base(plan)}/atgarder/{plan.measure.pk}/")
    expect(lead.locator(".activity-list")).to_contain_text("Bytte två trasiga armaturer")


def test_offline_activity_is_kept_and_sent_when_back_online(plan, new_context):
    from measures.models import Activity

    context, page = _page(new_context, plan, plan.partner, PHONE)
    visit(page, f"{_base(plan)}/platser/{plan.place.pk}/aktiviteter/ny/")
    context.set_offline(True)
    page.get_by_label("Vad gjorde ni?").fill("Nattvandring utan täckning")
    page.get_by_label("Timmar").fill("3")
    page.get_by_role("button", name="Spara aktiviteten").tap()

    expect(page.locator(".js-offline-status")).to_have_text(
        "Sparad på telefonen – skickas när du har täckning"
    )
    expect(page.locator(".js-drafts li")).to_have_count(1)
    expect(page.locator(".js-drafts li")).to_contain_text("Väntar på att skickas")
    with scopes_disabled():  # test assertion
        assert not Activity.objects.exists()

    context.set_offline(False)
    page.evaluate("window.dispatchEvent(new Event('online'))")
    expect(page.locator(".js-offline-status")).to_have_text("Sparade aktiviteter har skickats.")
    expect(page.locator(".js-drafts")).to_be_hidden()
    with scopes_disabled():  # test assertion
        assert list(Activity.objects.values_list("description", flat=True)) == [
            "Nattvandring utan täckning"
        ]
    # Sending the queue again (a second "online") does not store a second copy.
    page.evaluate("window.dispatchEvent(new Event('online'))")
    with scopes_disabled():  # test assertion
        assert Activity.objects.count() == 1


def test_place_lead_reads_the_action_plan_and_changes_a_status(plan, new_context):
    _, page = _page(new_context, plan, plan.lead, DESKTOP)
    visit(page, f"{_base(plan)}/platser/{plan.place.pk}/")
    page.get_by_role("link", name="Åtgärdsplan", exact=True).click()
    check_page(page)
    expect(page.locator(".headline__figure")).to_have_text("1 av 2")
    late = page.locator("tr.is-overdue")
    expect(late).to_have_count(1)
    expect(late).to_contain_text("Röjning av buskage")
    expect(late).to_contain_text("Försenad")
    screenshot(page, "action-plan")

    late.get_by_role("link", name="Röjning av buskage").click()
    check_page(page)
    page.get_by_role("link", name="Ändra status").click()
    check_page(page)
    page.get_by_label("Ny status").select_option(label="Inställd")
    page.get_by_role("button", name="Spara").click()
    expect(page.locator(".form-errors")).to_be_visible()
    check_page(page)
    page.get_by_label("Kommentar").fill("Kommunen röjde i samband med annat arbete.")
    page.get_by_role("button", name="Spara").click()
    expect(page.locator(".message")).to_contain_text("Inställd")
    check_page(page)
    expect(page.locator("table")).to_contain_text("Planerad → Inställd")

    visit(page, f"{_base(plan)}/medfinansiering/")


def test_place_lead_creates_a_measure_from_a_meeting_decision(plan, new_context):
    import datetime

    from django.utils import timezone

    from measures.models import Measure
    from meetings.models import Decision, Meeting

    with scopes_disabled():  # test set-up
        start = timezone.now() - datetime.timedelta(days=2)
        meeting = Meeting.objects.create(
            program=plan.program,
            place=plan.place,
            kind="styrgruppsmote",
            title="Styrgruppsmöte",
            starts_at=start,
            ends_at=start + datetime.timedelta(hours=2),
        )
        decision = Decision.objects.create(
            program=plan.program,
            meeting=meeting,
            number=1,
            text="Kommunen sätter upp belysning vid busshållplatsen.",
            responsible_organisation=plan.kommun,
        )
    _, page = _page(new_context, plan, plan.lead, DESKTOP)
    visit(page, f"{_base(plan)}/moten/{meeting.pk}/")
    page.get_by_role("link", name="Skapa åtgärd från beslutet").click()
    check_page(page)
    expect(page.get_by_label("Rubrik")).to_have_value(
        "Kommunen sätter upp belysning vid busshållplatsen."
    )
    expect(page.get_by_label("Ansvarig organisation")).to_have_value(str(plan.kommun.pk))
    page.get_by_label(re.compile(r"^Kategori")).select_option(label="Trygghetsskapande")
    page.get_by_role("button", name="Spara").click()
    expect(page.locator(".message")).to_contain_text("är skapad")
    check_page(page)
    with scopes_disabled():  # test assertion
        measure = Measure.objects.get(decision=decision)
    assert measure.origin == "beslut"
    page.get_by_role("link", name=re.compile("Beslut 1")).click()
    expect(page).to_have_url(re.compile(rf"/moten/{meeting.pk}/#beslut-1$"))


def test_walk_finding_is_turned_into_a_measure(plan, new_context):
    from measures.models import Measure
    from platser.models import Finding

    with scopes_disabled():  # test set-up
        finding = Finding.objects.create(
            program=plan.program,
            place=plan.place,
            category="klotter",
            source="trygghetsvandring",
            description="Klotter på väggen vid cykelstället.",
            point={"type": "Point", "coordinates": [16.17, 60.145]},
            responsible_organisation=plan.bostader,
        )
    _, page = _page(new_context, plan, plan.lead, DESKTOP)
    visit(page, f"{_base(plan)}/platser/{plan.place.pk}/fynd/{finding.pk}/")
    page.get_by_role("link", name="Gör om till åtgärd").click()
    check_page(page)
    expect(page.get_by_label(re.compile(r"^Kategori"))).to_have_value("trivselskapande")
    expect(page.get_by_label("Ansvarig organisation")).to_have_value(str(plan.bostader.pk))
    page.get_by_role("button", name="Spara").click()
    expect(page.locator(".message")).to_contain_text("är skapad")
    check_page(page)
    expect(page.get_by_role("link", name=re.compile("Klotter på väggen"))).to_be_visible()
    with scopes_disabled():  # test assertion
        measure = Measure.objects.get(findings=finding)
    assert measure.title.startswith("Klotter: Klotter på väggen")
