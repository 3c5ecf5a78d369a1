"""Demo surveys: a nollmätning and an uppföljning at each pilot place with a few hundred
generated responses that show a plausible improvement, an open follow-up in Avesta (live
counts), and one small survey of Hallstahammar's traders that shows small-cell suppression.

Responses are generated from a seeded random generator, so every run makes the same data. A
survey that already has responses is left alone (idempotent); rows are written with
``bulk_create`` to keep the whole demo fast.
"""

import datetime
import random
import uuid
from dataclasses import dataclass

from django_scopes import scope

from partnerships.models import Membership, Role
from platser import geo
from surveys import services
from surveys.models import Answer, AnswerOption, Channel, Question, Response, Survey

QUESTIONS = [
    "plats-trygg-kvall",
    "fohm-avstar-ga-ut",
    "ntu-oro-brottslighet",
    "ntu-undvikit",
    "karta-otrygg",
    "fritext-tryggare",
    "kon",
    "alder",
]

SUGGESTIONS = [
    "Bättre belysning vid busshållplatsen.",
    "Fler människor i rörelse på kvällen, t.ex. öppna butiker och kaféer.",
    "Klipp ner buskarna längs gångvägen så att man ser vem som kommer.",
    "Mer synlig polis eller nattvandrare på helgerna.",
    "Ta bort klottret och skräpet snabbare.",
    "Kameror vid cykelställen.",
    "Tydligare och bredare stråk mot stationen.",
    "Lås entréerna till garaget på natten.",
]


@dataclass(frozen=True)
class Wave:
    title: str
    wave: int
    opens_on: datetime.date
    closes_on: datetime.date
    responses: int
    safe_share: float  # share who feel very or fairly safe (before the group effects)
    hotspot: tuple[float, float]  # where the map answers cluster, in the place's bounds (0–1)
    target_group: str = "boende"
    questions: tuple[str, ...] = tuple(QUESTIONS)


D = datetime.date
SURVEYS = {
    "avesta": [
        Wave(
            "Nollmätning Avesta centrum", 0, D(2024, 11, 4), D(2024, 11, 30), 320, 0.50, (0.35, 0.3)
        ),
        Wave(
            "Uppföljning 1 Avesta centrum",
            1,
            D(2025, 11, 3),
            D(2025, 11, 30),
            290,
            0.63,
            (0.6, 0.7),
        ),
        Wave(
            "Uppföljning 2 Avesta centrum", 2, D(2026, 11, 2), D(2026, 12, 13), 46, 0.66, (0.6, 0.7)
        ),
    ],
    "falun": [
        Wave("Nollmätning Knutpunkten", 0, D(2025, 3, 17), D(2025, 4, 13), 260, 0.44, (0.5, 0.2)),
        Wave("Uppföljning 1 Knutpunkten", 1, D(2026, 3, 16), D(2026, 4, 12), 240, 0.51, (0.5, 0.6)),
    ],
    "sala": [
        Wave(
            "Nollmätning Sala centrum",
            0,
            D(2024, 10, 7),
            D(2024, 11, 3),
            380,
            0.55,
            (0.2, 0.7),
            questions=tuple(QUESTIONS[:4]) + ("zon",) + tuple(QUESTIONS[4:]),
        ),
        Wave(
            "Uppföljning 1 Sala centrum",
            1,
            D(2025, 10, 6),
            D(2025, 11, 2),
            350,
            0.70,
            (0.7, 0.3),
            questions=tuple(QUESTIONS[:4]) + ("zon",) + tuple(QUESTIONS[4:]),
        ),
    ],
    "hallstahammar": [
        Wave("Nollmätning Hallstahammar", 0, D(2025, 3, 3), D(2025, 3, 30), 150, 0.54, (0.3, 0.3)),
        Wave(
            "Uppföljning 1 Hallstahammar", 1, D(2026, 3, 2), D(2026, 3, 29), 130, 0.66, (0.3, 0.3)
        ),
        # Few answers: most cells fall under five and are suppressed in the results.
        Wave(
            "Näringsidkare i Hallstahammars centrum",
            0,
            D(2025, 5, 5),
            D(2025, 5, 25),
            14,
            0.5,
            (0.5, 0.5),
            target_group="naringsidkare",
            questions=("plats-trygg-kvall", "ntu-utsatt", "fritext-tryggare", "kon", "alder"),
        ),
    ],
}


def load(result) -> None:
    """Create the demo surveys of the pilot places and their responses (idempotent)."""
    bank = {q.code: q for q in Question.bank.prefetch_related("options")}
    program = result.programs["trygga-platser"]
    with scope(program=program):
        actor = (
            Membership.objects.filter(program=program, role=Role.COORDINATOR)
            .select_related("user")
            .order_by("pk")
            .first()
            .user
        )
        for key, waves in SURVEYS.items():
            place = result.places[key]
            for index, wave in enumerate(waves):
                survey = Survey.objects.filter(program=program, title=wave.title).first()
                if survey is None:
                    survey = services.create_survey(
                        actor=actor,
                        program=program,
                        survey=Survey(
                            title=wave.title,
                            wave=wave.wave,
                            target_group=wave.target_group,
                            opens_on=wave.opens_on,
                            closes_on=wave.closes_on,
                            languages=["sv", "en"],
                        ),
                        places=[place],
                        questions=[bank[code] for code in wave.questions],
                    )
                    result.created += 1
                if not Response.objects.filter(survey=survey).exists():
                    _responses(survey, place, wave, bank, seed=f"{key}-{index}")


def _responses(survey, place, wave: Wave, bank: dict, *, seed: str) -> None:
    rng = random.Random(seed)
    zones = list(place.zones.order_by("name"))
    days = (wave.closes_on - wave.opens_on).days
    last_day = min(wave.closes_on, datetime.date(2026, 11, 24))  # an open survey: answers so far
    responses, drafts = [], []
    for _ in range(wave.responses):
        day = wave.opens_on + datetime.timedelta(days=rng.randint(0, days))
        responses.append(
            Response(
                program=survey.program,
                survey=survey,
                place=place,
                submitted_on=min(day, last_day),
                channel=Channel.PAPER if rng.random() < 0.1 else Channel.WEB,
                client_submission_id=uuid.UUID(int=rng.getrandbits(128)),
                language="en" if rng.random() < 0.06 else "sv",
            )
        )
        drafts.append(_answers(rng, place, wave, bank, zones))
    Response.objects.bulk_create(responses)
    Answer.objects.bulk_create(
        [
            Answer(program=survey.program, survey=survey, response=response, **values)
            for response, answers in zip(responses, drafts, strict=True)
            for values in answers
        ],
        batch_size=2000,
    )


def _pick(rng, options: list[AnswerOption], weights: list[float]) -> AnswerOption:
    return rng.choices(options, weights=weights)[0]


def _answers(rng, place, wave: Wave, bank: dict, zones) -> list[dict]:
    """One respondent's answers as Answer field values; women and the oldest feel less safe."""
    opts = {code: list(bank[code].options.all()) for code in wave.questions if code in bank}
    out = []

    def add(code, **values):
        if code in wave.questions:
            out.append({"question": bank[code], **values})

    gender = _pick(rng, opts["kon"], [48, 46, 3, 3])
    age = rng.choices(range(6), weights=[4, 16, 30, 28, 20, 2])[0]
    safe_share = wave.safe_share - (0.09 if gender.position == 1 else 0) - (0.06 if age == 4 else 0)
    safe = rng.random() < safe_share
    if rng.random() < 0.05:
        scale = opts["plats-trygg-kvall"][4]  # never here in the evening
    elif safe:
        scale = _pick(rng, opts["plats-trygg-kvall"][:2], [35, 65])
    else:
        scale = _pick(rng, opts["plats-trygg-kvall"][2:4], [62, 38])
    add("plats-trygg-kvall", option=scale)
    if "fohm-avstar-ga-ut" in opts:
        add(
            "fohm-avstar-ga-ut",
            option=_pick(rng, opts["fohm-avstar-ga-ut"], [80, 16, 4] if safe else [38, 44, 18]),
        )
    if "ntu-oro-brottslighet" in opts:
        weights = [6, 24, 40, 20, 10] if safe else [20, 40, 28, 8, 4]
        add("ntu-oro-brottslighet", option=_pick(rng, opts["ntu-oro-brottslighet"], weights))
    if "ntu-undvikit" in opts:
        avoided = [o for o in opts["ntu-undvikit"][:3] if rng.random() < (0.12 if safe else 0.45)]
        for option in avoided or [opts["ntu-undvikit"][3]]:
            add("ntu-undvikit", option=option)
    if "ntu-utsatt" in opts:
        hit = [o for o in opts["ntu-utsatt"][:4] if rng.random() < 0.12]
        for option in hit or [opts["ntu-utsatt"][4]]:
            add("ntu-utsatt", option=option)
    if zones and "zon" in wave.questions:
        add("zon", zone_id=rng.choices(zones, weights=[3, 2, 4][: len(zones)])[0].pk)
    if "karta-otrygg" in wave.questions and rng.random() < (0.25 if safe else 0.6):
        point = _point(rng, place.boundary, wave.hotspot)
        if point:
            add("karta-otrygg", point=point)
    if rng.random() < 0.22:
        add("fritext-tryggare", text=rng.choice(SUGGESTIONS))
    if "kon" in opts and rng.random() < 0.96:
        add("kon", option=gender)
    if "alder" in opts and rng.random() < 0.95:
        add("alder", option=opts["alder"][age])
    return out


def _point(rng, boundary, hotspot) -> dict | None:
    """A point inside ``boundary``, clustered around ``hotspot`` (fractions of the bounds)."""
    (south, west), (north, east) = geo.bounds([boundary])
    for _ in range(30):
        if rng.random() < 0.6:
            x = rng.gauss(hotspot[0], 0.08)
            y = rng.gauss(hotspot[1], 0.08)
        else:
            x, y = rng.random(), rng.random()
        lon = round(west + x * (east - west), 6)
        lat = round(south + y * (north - south), 6)
        if geo.point_in_polygon((lon, lat), boundary):
            return {"type": "Point", "coordinates": [lon, lat]}
    return None
