"""The seeded standard question bank (domain-research §4)."""

import pytest
from django_scopes import scope

from surveys.bank import BANK
from surveys.models import Question, QuestionKind


@pytest.mark.django_db
def test_bank_seeded_with_every_item_and_scale():
    assert Question.bank.count() == len(BANK)
    fohm = Question.bank.get(code="fohm-avstar-ga-ut")
    assert fohm.text_sv == (
        "Händer det att du avstår från att gå ut ensam av rädsla att bli överfallen, rånad "
        "eller på annat sätt ofredad?"
    )
    assert [o.label_sv for o in fohm.options.all()] == ["Nej", "Ja, ibland", "Ja, ofta"]
    assert fohm.source.startswith("Folkhälsomyndigheten")


@pytest.mark.django_db
def test_bank_items_have_english_text_and_sources():
    for question in Question.bank.prefetch_related("options"):
        assert question.text_en, question.code
        assert question.source, question.code
        if question.has_options:
            assert all(o.label_en for o in question.options.all()), question.code
        else:
            assert not question.options.all()


@pytest.mark.django_db
def test_bank_ntu_items_marked_modelled_on_ntu():
    ntu = Question.bank.filter(code__startswith="ntu-")
    assert ntu.count() == 4
    assert all(q.source == "Modellerad efter Brå:s NTU" for q in ntu)


@pytest.mark.django_db
def test_bank_has_map_gender_and_age_items():
    assert Question.bank.get(code="karta-otrygg").text_sv == "Var känner du dig otrygg?"
    assert Question.bank.get(code="kon").kind == QuestionKind.GENDER
    assert Question.bank.get(code="alder").kind == QuestionKind.AGE


@pytest.mark.django_db
def test_bank_questions_invisible_to_scoped_manager(program):
    with scope(program=program):
        assert not Question.objects.exists()
