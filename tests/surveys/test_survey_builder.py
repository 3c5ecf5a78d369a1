"""The survey builder: creating from the bank, ordering, locking, own questions, permissions."""

import datetime
import uuid

import pytest
from django.urls import reverse
from django.utils import timezone
from django_scopes import scope, scopes_disabled

from surveys import services
from surveys.models import Question, Survey, SurveyQuestion
from tests.factories import ProgramFactory, SurveyFactory
from tests.surveys.helpers import bank, option

pytestmark = pytest.mark.django_db


def _codes(survey):
    with scopes_disabled():  # test inspection
        return list(
            SurveyQuestion.objects.filter(survey=survey)
            .order_by("position")
            .values_list("question__code", flat=True)
        )


def _url(name, program, **kwargs):
    return reverse(name, kwargs={"program": program.slug, **kwargs})


def _respond(survey, place):
    with scope(program=survey.program):
        services.submit_response(
            survey=survey,
            place=place,
            answers=[
                services.AnswerData(
                    question=bank("kon"), option=bank("kon").options.get(position=1)
                )
            ],
            submission_id=uuid.uuid4(),
            language="sv",
            submitted_on=timezone.localdate(),
        )


def test_coordinator_creates_survey_with_bank_questions(client_for, coordinator, program, place):
    response = client_for(coordinator).post(
        _url("surveys:create", program),
        {
            "title": "Nollmätning Avesta",
            "places": [place.pk],
            "wave": "0",
            "target_group": "besokare",
            "opens_on": "2026-12-01",
            "closes_on": "2026-12-31",
            "languages": ["en", "sv"],
            "questions": [bank("kon").pk, bank("plats-trygg-kvall").pk],
        },
    )

    with scopes_disabled():  # test inspection
        survey = Survey.objects.get(title="Nollmätning Avesta")
        assert list(survey.places.all()) == [place]
    assert response.status_code == 302
    assert response["Location"] == _url("surveys:questions", program, pk=survey.pk)
    assert survey.languages == ["sv", "en"]
    assert survey.wave_label == "Nollmätning"
    assert _codes(survey) == ["plats-trygg-kvall", "kon"]  # in bank order
    assert len(survey.token) >= 22


def test_survey_cannot_close_before_it_opens(client_for, coordinator, program, place):
    response = client_for(coordinator).post(
        _url("surveys:create", program),
        {
            "title": "Fel datum",
            "places": [place.pk],
            "wave": "0",
            "target_group": "boende",
            "opens_on": "2026-12-31",
            "closes_on": "2026-12-01",
        },
    )
    assert response.status_code == 200
    assert "Enkäten kan inte stänga innan den öppnar." in response.content.decode()


def test_place_lead_offers_only_their_places(client_for, place_lead, program, place, second_place):
    client = client_for(place_lead)
    page = client.get(_url("surveys:create", program)).content.decode()
    response = client.post(
        _url("surveys:create", program),
        {
            "title": "Sala",
            "places": [second_place.pk],
            "wave": "0",
            "target_group": "boende",
            "opens_on": "2026-12-01",
            "closes_on": "2026-12-31",
        },
    )

    assert "Avesta centrum" in page and "Sala centrum" not in page
    assert response.status_code == 200
    with scopes_disabled():  # test inspection
        assert not Survey.objects.exists()


def test_move_and_remove_questions(client_for, coordinator, program, place):
    survey = SurveyFactory(program=program, places=[place], codes=["kon", "alder", "zon"])
    client = client_for(coordinator)
    url = _url("surveys:questions", program, pk=survey.pk)
    with scopes_disabled():  # test set-up lookup
        items = {i.question.code: i.pk for i in SurveyQuestion.objects.filter(survey=survey)}

    client.post(url, {"action": "up", "item": items["zon"]})
    assert _codes(survey) == ["kon", "zon", "alder"]
    client.post(url, {"action": "down", "item": items["kon"]})
    assert _codes(survey) == ["zon", "kon", "alder"]
    client.post(url, {"action": "up", "item": items["zon"]})  # already first: no change
    assert _codes(survey) == ["zon", "kon", "alder"]
    client.post(url, {"action": "remove", "item": items["kon"]})
    assert _codes(survey) == ["zon", "alder"]
    with scopes_disabled():  # test inspection: positions closed up
        assert list(
            SurveyQuestion.objects.filter(survey=survey)
            .order_by("position")
            .values_list("position", flat=True)
        ) == [1, 2]
    client.post(url, {"action": "add", "question": bank("kon").pk})
    assert _codes(survey) == ["zon", "alder", "kon"]


def test_questions_are_locked_after_the_first_response(client_for, coordinator, program, place):
    survey = SurveyFactory(program=program, places=[place], codes=["kon", "alder"])
    _respond(survey, place)
    client = client_for(coordinator)
    url = _url("surveys:questions", program, pk=survey.pk)

    response = client.post(url, {"action": "add", "question": bank("zon").pk}, follow=True)
    page = client.get(url).content.decode()

    assert "Enkäten har redan fått svar, så frågorna kan inte längre ändras." in (
        response.content.decode()
    )
    assert _codes(survey) == ["kon", "alder"]
    assert "frågorna är låsta" in page
    assert 'name="action"' not in page  # the controls are hidden
    with scope(program=program), pytest.raises(services.SurveyError):
        with scopes_disabled():  # test lookup of the first item
            item = SurveyQuestion.objects.filter(survey=survey).first()
        services.remove_question(actor=coordinator, survey=survey, item=item)


def test_places_locked_after_the_first_response(program, place, second_place, coordinator):
    survey = SurveyFactory(program=program, places=[place], codes=["kon"])
    _respond(survey, place)
    with scope(program=program), pytest.raises(services.SurveyError):
        services.update_survey(actor=coordinator, survey=survey, places=[second_place])


def test_other_programs_question_cannot_be_added(client_for, coordinator, program, place):
    other = ProgramFactory(slug="annat")
    with scopes_disabled():  # test set-up in another program
        foreign = Question.objects.create(program=other, kind="fritext", text_sv="Hemlig fråga")
    survey = SurveyFactory(program=program, places=[place], codes=["kon"])

    response = client_for(coordinator).post(
        _url("surveys:questions", program, pk=survey.pk),
        {"action": "add", "question": foreign.pk},
    )

    assert response.status_code == 404
    assert _codes(survey) == ["kon"]


def test_coordinator_adds_own_question_with_options(client_for, coordinator, program):
    response = client_for(coordinator).post(
        _url("surveys:question_create", program),
        {
            "kind": "skala",
            "text_sv": "Hur trivs du på torget?",
            "text_en": "How do you like the square?",
            "source": "Avesta kommun",
            "options": "+Mycket bra | Very good\n+Bra | Good\nDåligt | Bad\n",
        },
    )

    assert response.status_code == 302
    with scope(program=program):
        question = Question.objects.get()
        options = list(question.options.values_list("label_sv", "label_en", "is_positive"))
    assert question.program == program
    assert options == [
        ("Mycket bra", "Very good", True),
        ("Bra", "Good", True),
        ("Dåligt", "Bad", False),
    ]


def test_own_question_needs_options_for_a_scale(client_for, coordinator, program):
    response = client_for(coordinator).post(
        _url("surveys:question_create", program),
        {"kind": "skala", "text_sv": "Hur trivs du?", "options": "Bra"},
    )
    assert "Frågetypen behöver minst två svarsalternativ." in response.content.decode()


def test_own_questions_stay_in_their_program(program, other_program):
    with scopes_disabled():  # test set-up in two programs
        Question.objects.create(program=program, kind="fritext", text_sv="A:s fråga")
        Question.objects.create(program=other_program, kind="fritext", text_sv="B:s fråga")
    from surveys.selectors import available_questions

    with scope(program=program):
        texts = [q.text_sv for q in available_questions(program=program)]
    assert "A:s fråga" in texts and "B:s fråga" not in texts
    assert len(texts) == Question.bank.count() + 1


def test_detail_shows_live_counts_to_managers_only(
    client_for, coordinator, observer, program, place
):
    survey = SurveyFactory(program=program, places=[place], codes=["kon"])
    _respond(survey, place)
    url = _url("surveys:detail", program, pk=survey.pk)

    mine = client_for(coordinator).get(url).content.decode()
    theirs = client_for(observer).get(url).content.decode()

    assert "Svar hittills" in mine
    assert "Svar hittills" not in theirs
    assert survey.token in theirs  # everyone may see the public link
    assert "<svg" in mine and "<path" in mine


def test_results_link_only_for_those_who_may_open_it(
    client_for, coordinator, partner, program, place
):
    survey = SurveyFactory(program=program, places=[place], codes=["kon"])  # open now
    url = _url("surveys:detail", program, pk=survey.pk)
    results = _url("surveys:results", program, pk=survey.pk)

    assert results in client_for(coordinator).get(url).content.decode()
    assert results not in client_for(partner).get(url).content.decode()
    with scopes_disabled():  # test setup: the survey closed yesterday
        Survey.objects.filter(pk=survey.pk).update(
            opens_on=timezone.localdate() - datetime.timedelta(days=30),
            closes_on=timezone.localdate() - datetime.timedelta(days=1),
        )
    assert results in client_for(partner).get(url).content.decode()


def test_place_lead_of_another_place_cannot_manage(client_for, other_place_lead, program, place):
    survey = SurveyFactory(program=program, places=[place], codes=["kon"])
    response = client_for(other_place_lead).post(
        _url("surveys:questions", program, pk=survey.pk),
        {"action": "add", "question": bank("alder").pk},
    )
    assert response.status_code == 403
    assert _codes(survey) == ["kon"]


@pytest.mark.parametrize("count", [3, 30])
def test_survey_list_query_count_does_not_grow(
    client_for, coordinator, program, place, django_assert_max_num_queries, count
):
    for n in range(count):
        SurveyFactory(program=program, places=[place], title=f"Enkät {n}")
    client = client_for(coordinator)
    with django_assert_max_num_queries(12):
        response = client.get(_url("surveys:list", program))
    assert response.content.decode().count("<tr>") == count + 1


@pytest.mark.parametrize("count", [3, 30])
def test_question_list_query_count_does_not_grow(
    client_for, coordinator, program, django_assert_max_num_queries, count
):
    with scopes_disabled():  # test set-up
        for n in range(count):
            Question.objects.create(program=program, kind="fritext", text_sv=f"Fråga {n}")
    client = client_for(coordinator)
    with django_assert_max_num_queries(12):
        response = client.get(_url("surveys:question_list", program))
    assert f"Fråga {count - 1}" in response.content.decode()


def test_option_helper_points_at_bank_options():
    assert option("kon", 1) == bank("kon").options.get(label_sv="Kvinna").pk


def test_list_filtered_by_place_and_linked_from_the_place(
    client_for, coordinator, program, place, second_place
):
    SurveyFactory(program=program, places=[place], title="Avesta-enkäten")
    SurveyFactory(program=program, places=[second_place], title="Sala-enkäten")
    client = client_for(coordinator)

    page = client.get(_url("surveys:list", program) + f"?plats={place.pk}").content.decode()
    place_page = client.get(place.get_absolute_url()).content.decode()

    assert "Avesta-enkäten" in page and "Sala-enkäten" not in page
    assert f"/enkater/?plats={place.pk}" in place_page


def _own_question(program, coordinator, text="Hur trivs du på torget?"):
    with scope(program=program):
        return services.create_question(
            actor=coordinator,
            program=program,
            question=Question(kind="skala", text_sv=text, text_en="How do you like it?"),
            options=[("Bra", "Good", True), ("Dåligt", "Bad", False)],
        )


def _options(question):
    with scopes_disabled():  # test inspection
        return list(
            question.options.order_by("position").values_list("label_sv", "label_en", "is_positive")
        )


def test_coordinator_edits_own_question_and_its_options(client_for, coordinator, program, place):
    question = _own_question(program, coordinator)
    survey = SurveyFactory(program=program, places=[place], codes=["kon"])
    with scope(program=program):
        services.add_question(actor=coordinator, survey=survey, question=question)
    client = client_for(coordinator)
    url = _url("surveys:question_update", program, pk=question.pk)

    form = client.get(url).content.decode()
    assert "+Bra | Good\nDåligt | Bad" in form  # the options as they are typed

    response = client.post(
        url,
        {
            "kind": "skala",
            "text_sv": "Hur trivs du på stationen?",
            "text_en": "How do you like the station?",
            "source": "",
            "options": "+Mycket bra\n+Bra | Good\nDåligt | Bad",
        },
    )
    assert response.status_code == 302
    question.refresh_from_db()
    assert question.text_sv == "Hur trivs du på stationen?"
    assert _options(question) == [
        ("Mycket bra", "", True),
        ("Bra", "Good", True),
        ("Dåligt", "Bad", False),
    ]
    with scopes_disabled():  # the audit log says what changed, options included
        from partnerships.models import AuditEntry

        changes = [e.changes for e in AuditEntry.objects.filter(object_id=str(question.pk))]
    assert any("text_sv" in c for c in changes)
    options_change = ["+Bra / Dåligt", "+Mycket bra / +Bra / Dåligt"]
    assert any(c.get("options") == options_change for c in changes)


def test_answered_own_question_is_locked(client_for, coordinator, program, place):
    question = _own_question(program, coordinator)
    survey = SurveyFactory(program=program, places=[place], codes=["kon"])
    with scope(program=program):
        services.add_question(actor=coordinator, survey=survey, question=question)
    _respond(survey, place)  # someone answered the survey (not even this question)
    client = client_for(coordinator)

    listing = client.get(_url("surveys:question_list", program)).content.decode()
    assert "Låst: besvarad" in listing
    assert _url("surveys:question_update", program, pk=question.pk) not in listing

    for name in ("surveys:question_update", "surveys:question_delete"):
        response = client.get(_url(name, program, pk=question.pk), follow=True)
        assert "ingår i en enkät som har fått svar" in response.content.decode()
    response = client.post(
        _url("surveys:question_update", program, pk=question.pk),
        {"kind": "skala", "text_sv": "Ändrad", "options": "+Ja\nNej"},
    )
    assert "ingår i en enkät som har fått svar" in response.content.decode()
    response = client.post(_url("surveys:question_delete", program, pk=question.pk), follow=True)
    assert "ingår i en enkät som har fått svar" in response.content.decode()
    question.refresh_from_db()
    assert question.text_sv == "Hur trivs du på torget?"
    assert _options(question) == [("Bra", "Good", True), ("Dåligt", "Bad", False)]


def test_coordinator_deletes_own_question_from_unanswered_surveys(
    client_for, coordinator, program, place
):
    question = _own_question(program, coordinator)
    keep = _own_question(program, coordinator, text="Något annat?")
    survey = SurveyFactory(program=program, places=[place], codes=["kon"])
    with scope(program=program):
        services.add_question(actor=coordinator, survey=survey, question=question)
    client = client_for(coordinator)
    url = _url("surveys:question_delete", program, pk=question.pk)

    confirm = client.get(url).content.decode()
    assert survey.title in confirm  # the surveys it will be taken out of

    response = client.post(url)
    assert response.status_code == 302
    with scopes_disabled():
        assert not Question.objects.filter(pk=question.pk).exists()
        assert Question.objects.filter(pk=keep.pk).exists()
    assert _codes(survey) == ["kon"]


def test_bank_questions_cannot_be_edited_or_deleted(client_for, coordinator, program):
    client = client_for(coordinator)
    for name in ("surveys:question_update", "surveys:question_delete"):
        assert client.get(_url(name, program, pk=bank("kon").pk)).status_code == 404
        assert client.post(_url(name, program, pk=bank("kon").pk)).status_code == 404
    assert Question.bank.filter(code="kon").exists()


def test_survey_list_names_a_few_places_and_counts_responses(
    client_for, coordinator, program, place
):
    from tests.factories import PlaceFactory

    places = [place] + [PlaceFactory(program=program, name=f"Torg {c}") for c in "EDCB"]
    survey = SurveyFactory(program=program, places=places, codes=["kon"], title="Nationell")
    client = client_for(coordinator)
    list_url = _url("surveys:list", program)

    html = client.get(list_url).content.decode()
    assert "Avesta centrum, Torg B, Torg C (av 5 platser)" in html
    _respond(survey, place)
    _respond(survey, places[1])
    row = next(s for s in client.get(list_url).context["surveys"] if s.pk == survey.pk)
    assert row.response_count == 2  # counted again after the new responses
    _respond(survey, place)
    filtered = client.get(list_url + f"?plats={places[1].pk}").context["surveys"]
    assert [(s.pk, s.place_count, s.response_count) for s in filtered] == [(survey.pk, 5, 3)]
