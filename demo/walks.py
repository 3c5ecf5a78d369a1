"""Demo data: one dark-hours safety walk with its findings at each pilot place.

A step of ``manage.py load_demo`` (``load_walks`` in ``DEMO_STEPS``). Positions are given in
metres east/north of the place's centre (as in ``demo/data/demo.toml``) and pulled inside the
boundary if needed; the route is a loop through the findings in walking order. The responsible
organisation (rådighet) of each finding is picked from the place's stakeholders by what kind of
problem it is. Idempotent: a walk is found by place and date, a finding by walk and description;
what exists is left as it is. Everything is written by the program's demo coordinator (the
actor of the demo's audit log).
"""

import datetime
import math

from django.utils import timezone
from django_scopes import scope

from platser import geo
from platser.forms import add_months
from platser.models import Criterion, Finding, SafetyWalk
from platser.services import change_finding_status, report_finding, save_walk

from .places import Result, data

# The walk group's scores for the route as a whole (1 mycket dåligt – 5 mycket bra), in the order
# of Criterion: belysning, överblick, folkliv, skötsel, gångväg, trygghetskänsla. The first
# finding of each walk is also scored as a stop: the dark spot the group stopped at.
ROUTE_SCORES = {
    "avesta": (2, 3, 2, 3, 4, 2),
    "falun": (3, 4, 3, 4, 4, 3),
    "sala": (2, 2, 3, 3, 3, 3),
    "hallstahammar": (3, 3, 2, 2, 4, 3),
}
STOP_SCORES = (1, 2, 1, 3, 3, 1)


def _scores(values: tuple[int, ...], comment: str = "") -> dict[str, tuple[int, str]]:
    return {
        criterion: (value, comment if i == 0 else "")
        for i, (criterion, value) in enumerate(zip(Criterion.values, values, strict=True))
    }


# Which kind of organisation usually has rådighet over each kind of problem.
OWNER_CATEGORIES = {
    "belysning": ["kommun", "fastighetsagare"],
    "vegetation": ["kommun", "fastighetsagare"],
    "klotter": ["fastighetsagare", "kommun"],
    "nedskrapning": ["kommun", "naringsidkare"],
    "skadegorelse": ["fastighetsagare", "region", "kommun"],
    "trafik": ["kommun", "region"],
    "sikt": ["kommun", "fastighetsagare"],
    "droger": ["polis", "kommun"],
    "storningar": ["polis", "civilsamhalle", "kommun"],
    "annat": ["kommun"],
}

# (category, description, metres east, metres north, status, reason)
WALKS = {
    "avesta": {
        "date": datetime.date(2026, 3, 18),
        "counts": {
            "women": 9,
            "men": 7,
            "gender_unknown": 1,
            "age_under_20": 3,
            "age_20_39": 4,
            "age_40_64": 7,
            "age_65_plus": 3,
        },
        "notes": "Samling vid busstorget kl. 19.00. Två grupper gick rutten åt var sitt håll och "
        "möttes vid centrumgallerian. Fika och genomgång i kommunhuset efteråt.",
        "findings": [
            (
                "belysning",
                "Gångvägen bakom centrumgallerian är helt mörk, två armaturer trasiga.",
                -180,
                60,
                "atgardad",
                "",
            ),
            (
                "sikt",
                "Höga buskar vid busstorgets väntkur skymmer sikten mot gatan.",
                60,
                -120,
                "stangd",
                "Buskarna är nedklippta och kontrollerade vid uppföljningen.",
            ),
            (
                "klotter",
                "Klotter på elskåpet och på gavelväggen mot parkeringen.",
                150,
                -60,
                "oppen",
                "",
            ),
            (
                "nedskrapning",
                "Mycket skräp och fimpar runt bänkarna vid busstorget.",
                20,
                -150,
                "atgardad",
                "",
            ),
            (
                "droger",
                "Samlingsplats med alkoholförtäring i gångtunneln kvällstid.",
                -120,
                -110,
                "oppen",
                "",
            ),
            (
                "trafik",
                "Mopeder kör genom gågatan, otydlig avgränsning mot bilvägen.",
                180,
                40,
                "ej_atgardad",
                "Kräver ändrad trafikföreskrift; tas upp i budget 2027.",
            ),
            (
                "skadegorelse",
                "Krossad glasruta i cykelgaraget vid bostadshuset.",
                -60,
                130,
                "oppen",
                "",
            ),
            (
                "storningar",
                "Ungdomar samlas med hög musik vid lastkajen sena kvällar.",
                90,
                110,
                "oppen",
                "",
            ),
        ],
    },
    "falun": {
        "date": datetime.date(2026, 11, 4),
        "counts": {
            "women": 11,
            "men": 8,
            "gender_other": 1,
            "age_under_20": 5,
            "age_20_39": 6,
            "age_40_64": 6,
            "age_65_plus": 3,
        },
        "notes": "Vandring från Knutpunkten längs Årummet upp mot Holmtorget. Unga från "
        "fritidsgården deltog och pekade ut platser de undviker.",
        "findings": [
            ("belysning", "Årummets trappor ner mot ån saknar belysning.", 10, -120, "oppen", ""),
            ("vegetation", "Sly längs ån gör stråket mörkt och instängt.", -40, 40, "oppen", ""),
            ("sikt", "Skymd entré till cykelparkeringen vid Knutpunkten.", 30, -260, "oppen", ""),
            ("klotter", "Klotter under bron vid Holmtorget.", 60, 240, "atgardad", ""),
            (
                "storningar",
                "Grupper som bråkar vid busshållplatsen efter kl. 22.",
                60,
                -220,
                "oppen",
                "",
            ),
            (
                "nedskrapning",
                "Överfulla papperskorgar längs strandpromenaden.",
                -60,
                150,
                "oppen",
                "",
            ),
            ("droger", "Kanyler hittade i buskaget bakom väntsalen.", -60, -200, "oppen", ""),
        ],
    },
    "sala": {
        "date": datetime.date(2025, 11, 12),
        "followed_up_on": datetime.date(2026, 5, 20),
        "counts": {
            "women": 8,
            "men": 6,
            "gender_unknown": 2,
            "age_under_20": 2,
            "age_20_39": 5,
            "age_40_64": 5,
            "age_65_plus": 4,
        },
        "notes": "Vandring genom zonerna Stationen, Stadsparken och Torget. Salabostäder och "
        "fastighetsägarnätverket deltog.",
        "findings": [
            (
                "belysning",
                "Stadsparkens gångväg mot skolan är mörk mitt på.",
                120,
                -170,
                "stangd",
                "Ny belysning monterad och kontrollerad vid uppföljningen.",
            ),
            ("vegetation", "Täta buskage vid parkens entré mot Torget.", 20, -120, "atgardad", ""),
            (
                "sikt",
                "Cykelparkeringen vid stationen ligger dolt bakom ett plank.",
                -250,
                130,
                "ej_atgardad",
                "Planket är bullerskydd och får inte tas bort.",
            ),
            ("klotter", "Klotter på stationshusets baksida.", -200, 180, "atgardad", ""),
            (
                "trafik",
                "Otydligt övergångsställe vid Torget, bilar håller hög fart.",
                0,
                30,
                "stangd",
                "Farthinder anlagt i juni.",
            ),
            (
                "nedskrapning",
                "Skräp och glas vid bänkarna i Stadsparken.",
                150,
                -90,
                "atgardad",
                "",
            ),
            (
                "skadegorelse",
                "Sönderslagen belysningsarmatur på torget.",
                40,
                0,
                "stangd",
                "Armaturen utbytt.",
            ),
            ("storningar", "Högljudda fester i parken fredagskvällar.", 90, -200, "oppen", ""),
        ],
    },
    "hallstahammar": {
        "date": datetime.date(2026, 10, 28),
        "counts": {
            "women": 6,
            "men": 7,
            "gender_unknown": 1,
            "age_under_20": 1,
            "age_20_39": 4,
            "age_40_64": 6,
            "age_65_plus": 3,
        },
        "notes": "Vandring från centrum längs stråket mot järnvägsstationen, som ska byggas om. "
        "Fokus på hur trygghet kan byggas in i ombyggnaden.",
        "findings": [
            (
                "belysning",
                "Stråket mot stationen har långa mörka partier.",
                -150,
                -110,
                "oppen",
                "",
            ),
            ("sikt", "Gångtunneln under järnvägen har skymda hörn.", -280, -220, "oppen", ""),
            ("vegetation", "Igenvuxen slänt längs gångvägen.", -60, -40, "oppen", ""),
            ("klotter", "Klotter i gångtunneln.", -300, -230, "atgardad", ""),
            ("nedskrapning", "Nedskräpat vid infartsparkeringen.", -200, -150, "oppen", ""),
            ("skadegorelse", "Trasiga cykelställ vid stationen.", -330, -210, "oppen", ""),
            ("annat", "Saknad skyltning mellan centrum och stationen.", 50, 60, "oppen", ""),
        ],
    },
}


def _lonlat(centre, east, north) -> list[float]:
    lat0, lon0 = centre
    return [
        round(lon0 + east / (111_320.0 * math.cos(math.radians(lat0))), 6),
        round(lat0 + north / 111_132.0, 6),
    ]


def _inside(boundary, centre, east, north) -> list[float]:
    """The point, pulled towards the centre in steps until it lies inside the boundary."""
    for factor in (1.0, 0.85, 0.7, 0.55, 0.4, 0.25, 0.1, 0.0):
        point = _lonlat(centre, east * factor, north * factor)
        if not boundary or geo.point_in_polygon(point, boundary):
            return point
    return _lonlat(centre, 0, 0)


def _owner(stakeholders, category):
    for wanted in OWNER_CATEGORIES[category]:
        for organisation in stakeholders:
            if organisation.category == wanted:
                return organisation
    return None


# The workflow path to each target status (change_finding_status allows one step at a time).
PATHS = {
    "oppen": [],
    "atgardad": ["atgardad"],
    "stangd": ["atgardad", "stangd"],
    "ej_atgardad": ["ej_atgardad"],
}


def _dated(finding: Finding, walked_on: datetime.date) -> None:
    """A demo finding was made on its walk and handled within a month of it (not on the day the
    demo is loaded): a report as of a past period counts it as it stood then."""
    made = timezone.make_aware(datetime.datetime.combine(walked_on, datetime.time(18, 30)))
    changed = None
    if finding.status != Finding.Status.OPEN:
        changed = min(made + datetime.timedelta(days=30), timezone.now())
    Finding.objects.filter(pk=finding.pk).update(created_at=made, status_changed_at=changed)


def load_walks(result: Result) -> None:
    """One dark-hours walk per pilot place with 7–8 findings of mixed category and status."""
    for key, spec in WALKS.items():
        place = result.places.get(key)
        if place is None:
            continue
        row = data()["places"][key]
        program = place.program
        coordinator = next(
            result.users[u["email"]]
            for u in data()["users"]
            if u["program"] == row["program"] and u["role"] == "coordinator"
        )
        with scope(program=program):
            stakeholders = [
                s.organisation
                for s in place.stakeholders.select_related("organisation").order_by(
                    "organisation__name"
                )
            ]
            points = [
                _inside(place.boundary, row["centre"], e, n)
                for _, _, e, n, _, _ in spec["findings"]
            ]
            walk = place.walks.filter(date=spec["date"]).first()
            if walk is None:
                # The route: a loop through the findings in walking order (by angle).
                cx = sum(p[0] for p in points) / len(points)
                cy = sum(p[1] for p in points) / len(points)
                loop = sorted(points, key=lambda p: math.atan2(p[1] - cy, p[0] - cx))
                walk = SafetyWalk(
                    date=spec["date"],
                    light=SafetyWalk.Light.DARK,
                    route=geo.validate_line(
                        {"type": "LineString", "coordinates": [*loop, loop[0]]}
                    ),
                    notes=spec["notes"],
                    follow_up_date=add_months(spec["date"], 6),
                    followed_up_on=spec.get("followed_up_on"),
                    **spec["counts"],
                )
                participants = {
                    org: 1 + i % 3
                    for i, org in enumerate(stakeholders)
                    if org.category not in ("lansstyrelse",) and i < 8
                }
                save_walk(
                    actor=coordinator,
                    place=place,
                    walk=walk,
                    participants=participants,
                    scores=_scores(ROUTE_SCORES[key]) if key in ROUTE_SCORES else None,
                )
                result.created += 1
            existing = set(walk.findings.values_list("description", flat=True))
            first_new = not existing
            for (category, text, _, _, status, reason), point in zip(
                spec["findings"], points, strict=True
            ):
                if text in existing:
                    continue
                finding = report_finding(
                    actor=coordinator,
                    place=place,
                    finding=Finding(
                        walk=walk,
                        point={"type": "Point", "coordinates": point},
                        category=category,
                        source=Finding.Source.WALK,
                        description=text,
                        responsible_organisation=_owner(stakeholders, category),
                    ),
                    scores=_scores(STOP_SCORES, "Mörkt och ingen sikt härifrån.")
                    if first_new
                    else None,
                )
                for step in PATHS[status]:
                    change_finding_status(
                        actor=coordinator,
                        finding=finding,
                        status=step,
                        reason=reason if step == status else "",
                    )
                _dated(finding, walk.date)
                first_new = False
                result.created += 1
