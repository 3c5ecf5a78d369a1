"""The public answering page: anonymity, de-duplication, closed surveys, bad answers, spam."""

import datetime
import json
import uuid
from pathlib import Path

import pytest
from django.core.cache import cache, caches
from django.urls import reverse
from django.utils import timezone
from django_scopes import scopes_disabled

from surveys import ratelimit
from surveys.models import Answer, Response
from tests.factories import SurveyFactory, ZoneFactory, square
from tests.surveys.helpers import field, option

pytestmark = pytest.mark.django_db

INSIDE = {"type": "Point", "coordinates": [16.169, 60.146]}  # in the default square()
OUTSIDE = {"type": "Point", "coordinates": [16.30, 60.20]}


@pytest.fixture(autouse=True)
def _fresh_cache():
    cache.clear()
    yield
    cache.clear()


def _answers(**extra):
    return {
        "submission_id": str(uuid.uuid4()),
        field("plats-trygg-kvall"): option("plats-trygg-kvall", 2),
        field("kon"): option("kon", 1),
        **extra,
    }


def _rows():
    # Test inspection across the whole database (no request, no scope).
    with scopes_disabled():
        return Response.objects.count(), Answer.objects.count()


def test_answer_page_works_without_login_and_sets_no_cookie(client, answer_url):
    response = client.get(answer_url)

    html = response.content.decode()
    assert response.status_code == 200
    assert "<legend>1. Hur trygg eller otrygg känner du dig när du är här på platsen" in html
    assert 'type="radio"' in html
    assert response.cookies == {} or not any(response.cookies.values())


def test_answer_stores_response_without_identifying_data(client, answer_url, survey, place):
    response = client.post(
        answer_url,
        _answers(),
        REMOTE_ADDR="203.0.113.7",
        HTTP_USER_AGENT="Mozilla/5.0 (Test)",
    )

    assert response.status_code == 302
    assert response["Location"].startswith(
        reverse("surveys_public:thanks", kwargs={"token": survey.token})
    )
    fields = {f.name for f in Response._meta.concrete_fields}
    assert fields == {
        "id",
        "program",
        "survey",
        "place",
        "submitted_on",
        "channel",
        "client_submission_id",
        "language",
    }
    with scopes_disabled():  # test inspection of the stored row
        row = Response.objects.values().get()
    stored = " ".join(map(str, row.values()))
    assert "203.0.113.7" not in stored and "Mozilla" not in stored
    assert type(row["submitted_on"]) is datetime.date
    assert row["submitted_on"] == timezone.localdate()
    assert row["place_id"] == place.pk
    assert row["channel"] == "webb"


def test_repeated_submission_id_is_stored_once(client, answer_url):
    data = _answers()

    first = client.post(answer_url, data)
    second = client.post(answer_url, data)

    assert first.status_code == second.status_code == 302
    assert first["Location"] == second["Location"]
    assert _rows() == (1, 2)


def test_the_same_submission_id_with_other_answers_is_refused_with_409(client, answer_url):
    first = _answers()
    changed = {**first, field("kon"): option("kon", 2)}  # back, another answer, send again

    client.post(answer_url, first)
    conflict = client.post(answer_url, changed)
    again = client.post(answer_url, first)  # the first answers once more: still idempotent

    html = conflict.content.decode()
    assert conflict.status_code == 409
    assert "Dina svar var redan skickade, med andra svar än de här" in html
    assert f'value="{first["submission_id"]}"' not in html  # a fresh form gets a fresh id
    assert again.status_code == 302
    assert _rows() == (1, 2)
    with scopes_disabled():  # test inspection: the stored answers are the first ones
        stored = set(Answer.objects.values_list("option__value", flat=True))
    assert stored == {2, 1}


def test_missing_submission_id_still_counts(client, answer_url):
    client.post(answer_url, _answers(submission_id=""))
    assert _rows() == (1, 2)


def test_multiple_choice_is_one_row_per_option(client, answer_url):
    client.post(
        answer_url,
        _answers(**{field("ntu-utsatt"): [option("ntu-utsatt", 1), option("ntu-utsatt", 3)]}),
    )
    with scopes_disabled():  # test inspection
        chosen = sorted(
            Answer.objects.filter(question__code="ntu-utsatt").values_list("option_id", flat=True)
        )
    assert chosen == sorted([option("ntu-utsatt", 1), option("ntu-utsatt", 3)])


def test_point_inside_the_place_is_stored(client, answer_url):
    client.post(answer_url, _answers(**{field("karta-otrygg"): json.dumps(INSIDE)}))
    with scopes_disabled():  # test inspection
        assert Answer.objects.get(question__code="karta-otrygg").point == INSIDE


def test_closed_survey_says_so_with_dates(client, program, place):
    today = timezone.localdate()
    survey = SurveyFactory(
        program=program,
        places=[place],
        codes=["kon"],
        opens_on=datetime.date(2026, 1, 5),
        closes_on=today - datetime.timedelta(days=1),
    )
    url = reverse("surveys_public:answer", kwargs={"token": survey.token})

    get = client.get(url)
    post = client.post(url, {field("kon"): option("kon", 1)})

    for response in (get, post):
        html = response.content.decode()
        assert response.status_code == 200
        assert "Enkäten är stängd" in html
        assert "5 januari 2026" in html
        assert "<form" not in html
    assert _rows() == (0, 0)


def test_survey_not_yet_open_says_when(client, program, place):
    today = timezone.localdate()
    survey = SurveyFactory(
        program=program,
        places=[place],
        codes=["kon"],
        opens_on=today + datetime.timedelta(days=3),
        closes_on=today + datetime.timedelta(days=30),
    )
    url = reverse("surveys_public:answer", kwargs={"token": survey.token})

    response = client.post(url, {field("kon"): option("kon", 1)})

    assert response.status_code == 200
    assert "Enkäten har inte öppnat än" in response.content.decode()
    assert _rows() == (0, 0)


def test_honeypot_filled_stores_nothing_but_thanks(client, answer_url):
    response = client.post(answer_url, _answers(website="http://spam.example"))

    assert response.status_code == 302
    assert "/tack/" in response["Location"]
    assert _rows() == (0, 0)


def test_rate_limit_stops_a_flood_from_one_address(client, answer_url, monkeypatch):
    monkeypatch.setattr(ratelimit, "LIMIT", 3)
    statuses = [
        client.post(answer_url, _answers(), REMOTE_ADDR="198.51.100.1").status_code
        for _ in range(4)
    ]
    other = client.post(answer_url, _answers(), REMOTE_ADDR="198.51.100.2")

    assert statuses == [302, 302, 302, 429]
    assert other.status_code == 302
    assert _rows()[0] == 4


def test_rate_limit_counts_each_resident_behind_the_proxy(
    client, answer_url, monkeypatch, settings
):
    settings.TRUSTED_PROXIES = 1
    monkeypatch.setattr(ratelimit, "LIMIT", 2)
    proxy = "10.0.0.5"  # every request arrives from the TLS proxy

    def post(forwarded):
        return client.post(
            answer_url, _answers(), REMOTE_ADDR=proxy, HTTP_X_FORWARDED_FOR=forwarded
        ).status_code

    # Two residents: each has their own allowance although the connection is the proxy's.
    assert [post("198.51.100.1"), post("198.51.100.1"), post("198.51.100.1")] == [302, 302, 429]
    assert post("198.51.100.2") == 302
    # A client that sends its own X-Forwarded-For cannot pick a fresh address: the entry the
    # proxy appended (the rightmost) counts.
    assert post("203.0.113.9, 198.51.100.1") == 429


def test_a_forged_forwarded_for_from_outside_the_proxy_network_counts_nothing(
    client, answer_url, monkeypatch, settings
):
    """Reached directly (not through the proxy), a fresh X-Forwarded-For per request must not
    buy a fresh allowance: the connection's own address counts."""
    settings.TRUSTED_PROXIES = 1
    monkeypatch.setattr(ratelimit, "LIMIT", 2)
    statuses = [
        client.post(
            answer_url,
            _answers(),
            REMOTE_ADDR="203.0.113.50",  # a public address: not a proxy of ours
            HTTP_X_FORWARDED_FOR=f"198.51.100.{n}",
        ).status_code
        for n in range(3)
    ]
    assert statuses == [302, 302, 429]
    assert _rows()[0] == 2


def test_forwarded_addresses_are_ignored_without_a_trusted_proxy(rf, settings):
    settings.TRUSTED_PROXIES = 0
    request = rf.post("/", REMOTE_ADDR="192.0.2.44", HTTP_X_FORWARDED_FOR="203.0.113.9")
    assert ratelimit.client_address(request) == "192.0.2.44"
    settings.TRUSTED_PROXIES = 2  # two proxies: the second-to-last entry is the client's
    request = rf.post(
        "/", REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR="203.0.113.9, 198.51.100.7, 10.0.0.2"
    )
    assert ratelimit.client_address(request) == "198.51.100.7"
    request = rf.post("/", REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR="")  # header missing
    assert ratelimit.client_address(request) == "10.0.0.1"


def test_rate_limit_message_is_clear(client, answer_url, monkeypatch):
    monkeypatch.setattr(ratelimit, "LIMIT", 0)
    response = client.post(answer_url, _answers())
    assert "Vänta några minuter" in response.content.decode()


def test_rate_limit_key_holds_no_address(rf):
    request = rf.post("/", REMOTE_ADDR="192.0.2.44")
    key = ratelimit._key(request)
    assert "192.0.2.44" not in key
    assert key.startswith("surveys:rate:")


def test_cache_failure_does_not_block_answering(client, answer_url, monkeypatch):
    def broken(*args, **kwargs):
        raise ConnectionError("redis is down")

    # The cache object itself, not the proxy: the per-test cache settings are restored (and the
    # proxy then points elsewhere) before monkeypatch undoes this.
    monkeypatch.setattr(caches["default"], "add", broken)
    response = client.post(answer_url, _answers())
    assert response.status_code == 302
    assert _rows()[0] == 1


@pytest.mark.parametrize(
    ("code", "value", "message"),
    [
        ("plats-trygg-kvall", "999999", "Välj ett av svarsalternativen."),
        ("plats-trygg-kvall", "inte-ett-id", "Välj ett av svarsalternativen."),
        ("karta-otrygg", '{"type": "Point", "coordinates": [16.30, 60.20]}', "utanför"),
        ("karta-otrygg", "{trasig", "Markeringen på kartan kunde inte läsas"),
        ("fritext-tryggare", "x" * 1001, "Svaret är för långt: högst 1000 tecken (du skrev 1001)"),
    ],
)
def test_bad_answer_gets_a_message_and_nothing_is_stored(client, answer_url, code, value, message):
    data = _answers(**{field(code): value})
    if code == "plats-trygg-kvall":
        data[field("fritext-tryggare")] = "Bättre belysning vid busshållplatsen"
    else:
        data[field("plats-trygg-kvall")] = option("plats-trygg-kvall", 2)

    response = client.post(answer_url, data)

    html = response.content.decode()
    assert response.status_code == 200
    assert message in html
    assert f'href="#fs-{field(code)}"' in html  # the summary links to the question
    assert _rows() == (0, 0)
    # The other answers are kept for the next try.
    if code == "plats-trygg-kvall":
        assert "Bättre belysning vid busshållplatsen" in html
    else:
        assert f'value="{option("plats-trygg-kvall", 2)}"' in html
        assert "checked" in html
    assert data["submission_id"] in html


def test_empty_submission_asks_for_an_answer(client, answer_url):
    response = client.post(answer_url, {"submission_id": str(uuid.uuid4())})
    assert "Svara på minst en fråga" in response.content.decode()
    assert _rows() == (0, 0)


def test_english_version_from_the_survey_languages(client, answer_url):
    response = client.get(answer_url + "?lang=en")
    html = response.content.decode()
    assert '<html lang="en"' in html
    assert "How safe or unsafe do you feel when you are here" in html
    assert "Send your answers" in html


def test_language_outside_the_survey_falls_back_to_swedish(client, answer_url):
    response = client.get(answer_url + "?lang=fi")
    assert '<html lang="sv"' in response.content.decode()


def test_several_places_need_a_choice_and_store_it(client, program, place, second_place):
    survey = SurveyFactory(program=program, places=[place, second_place], codes=["kon"])
    url = reverse("surveys_public:answer", kwargs={"token": survey.token})

    missing = client.post(url, {field("kon"): option("kon", 2)})
    chosen = client.post(url, {field("kon"): option("kon", 2), "place": second_place.pk})

    assert "Välj en av platserna" in missing.content.decode()
    assert chosen.status_code == 302
    with scopes_disabled():  # test inspection
        assert Response.objects.get().place == second_place


def test_zone_must_belong_to_the_place(client, program, place, second_place):
    survey = SurveyFactory(program=program, places=[place, second_place], codes=["zon"])
    zone = ZoneFactory(place=place, program=program, name="Busstorget")
    url = reverse("surveys_public:answer", kwargs={"token": survey.token})

    wrong = client.post(url, {field("zon"): zone.pk, "place": second_place.pk})
    right = client.post(url, {field("zon"): zone.pk, "place": place.pk})

    assert "Välj en av delarna av platsen" in wrong.content.decode()
    assert right.status_code == 302
    with scopes_disabled():  # test inspection
        assert Answer.objects.get().zone == zone


def test_place_without_boundary_accepts_any_point_in_sweden(client, program):
    from tests.factories import PlaceFactory

    place = PlaceFactory(program=program, name="Utan gräns", boundary=None)
    survey = SurveyFactory(program=program, places=[place], codes=["karta-otrygg"])
    url = reverse("surveys_public:answer", kwargs={"token": survey.token})
    response = client.post(url, {field("karta-otrygg"): json.dumps(OUTSIDE)})
    assert response.status_code == 302


@pytest.mark.parametrize(
    "name", ["surveys_public:answer", "surveys_public:thanks", "surveys_public:qr"]
)
def test_unknown_token_is_404(client, name, survey):
    url = reverse(name, kwargs={"token": "finns-inte-alls"})
    assert client.get(url).status_code == 404
    assert client.post(url, {"x": "1"}).status_code in (404, 405)


def test_thanks_page_in_the_chosen_language(client, survey):
    url = reverse("surveys_public:thanks", kwargs={"token": survey.token})
    assert "Tack för dina svar!" in client.get(url).content.decode()
    assert "Thank you for your answers!" in client.get(url + "?lang=en").content.decode()


def test_qr_code_is_an_svg_with_a_path(client, survey):
    response = client.get(reverse("surveys_public:qr", kwargs={"token": survey.token}))
    svg = response.content.decode()
    assert response["Content-Type"] == "image/svg+xml"
    assert svg.startswith("<svg") and "<path" in svg


def test_first_load_weighs_under_300_kb_without_the_map(client, answer_url):
    from django.contrib.staticfiles import finders

    html = client.get(answer_url).content
    assets = ["css/app.css", "css/surveys.css", "js/surveys_answer.js"]
    weight = len(html) + sum(Path(finders.find(a)).stat().st_size for a in assets)
    assert weight < 300 * 1024
    assert b'<script src="/static/leaflet' not in html  # Leaflet loads when the map is opened


def test_boundary_square_helper_matches_inside_point():
    from platser import geo

    assert geo.point_in_polygon(tuple(INSIDE["coordinates"]), square())
    assert not geo.point_in_polygon(tuple(OUTSIDE["coordinates"]), square())


def test_an_oversize_anonymous_post_is_refused_unread_and_stores_nothing(client, answer_url):
    # 200 MB declared, a few bytes sent: refused on the declared length, before reading (the
    # test client's payload would raise if more than it holds were read).
    body = b"submission_id=x&website="
    response = client.generic(
        "POST",
        answer_url,
        body,
        content_type="application/x-www-form-urlencoded",
        CONTENT_LENGTH=str(200 * 1024 * 1024),
    )

    assert response.status_code == 413
    assert "Det du skickade var för stort" in response.content.decode()
    assert _rows() == (0, 0)


def test_a_two_megabyte_anonymous_answer_is_refused(client, answer_url):
    response = client.post(answer_url, _answers(**{field("fritext-tryggare"): "x" * 2_000_000}))

    assert response.status_code == 413
    assert _rows() == (0, 0)
