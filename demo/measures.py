"""Demo action plans and activities for the four pilot places.

Each place gets 19–30 measures with the status mix of the pilots' reports (Avesta: 22 of 28
done or started; Sala: 17 of 19), a history for each, some overdue, budgets and costs, and
partners' activities with hours and costs. Everything comes from a seeded random generator and
fixed dates, so every run makes the same data; a measure is looked up by place and title and an
activity by its client id, so a second run writes nothing. Rows are written directly (no
assignment e-mails for demo data) with audit entries in the coordinator's name.

Measures are linked to the meeting decisions and findings of the place when those demo steps
have run before this one (nothing to link otherwise).
"""

import datetime
import random
import uuid
from decimal import Decimal

from django.utils import timezone
from django_scopes import scope

from measures.models import Activity, Category, Measure, MeasureStatusChange, Origin, Status
from meetings.models import Decision
from partnerships import audit
from partnerships.models import AuditEntry, Membership, Role
from platser.models import Finding, Stakeholder

T, B, V = Category.TRYGGHET, Category.BROTT, Category.TRIVSEL
SIT, SOC = "situationell", "social"

# title, category, type, technique, organisation category responsible, budget (kr)
TEMPLATES = [
    ("Belysning vid busstorget", T, SIT, "scp07", "kommun", 180000),
    ("Röjning av buskage längs gångstråket", T, SIT, "cpted_surveillance", "kommun", 25000),
    ("Klotterplan: sanering inom 24 timmar", V, SIT, "cpted_maintenance", "fastighetsagare", 40000),
    ("Väktarrundor fredag och lördag kväll", B, SIT, "scp10", "fastighetsagare", 120000),
    ("Nattvandring fredagar och lördagar", T, SOC, "scp06", "civilsamhalle", 5000),
    (
        "Trivselaktiviteter på torget under sommaren",
        V,
        SOC,
        "cpted_activity",
        "naringsidkare",
        30000,
    ),
    ("Fler papperskorgar och tätare tömning", V, SIT, "cpted_maintenance", "kommun", 15000),
    ("Fimpsugar vid entréerna", V, SIT, "scp24", "naringsidkare", 6000),
    ("Kamerabevakning av busstorget (tillstånd från IMY)", B, SIT, "scp10", "region", 250000),
    ("Fotpatrullering enligt medborgarlöftet", B, SIT, "scp10", "polis", 0),
    ("Ljusslingor i träden vid torget", V, SIT, "scp07", "naringsidkare", 45000),
    ("Bortforsling av övergivna cyklar", V, SIT, "cpted_maintenance", "kommun", 8000),
    ("Tydligare skyltning mot stationen", T, SIT, "scp22", "kommun", 20000),
    ("Trygghetsvärdar i gallerian", T, SOC, "scp09", "fastighetsagare", 90000),
    ("Fältassistenter kvällstid i centrum", B, SOC, "scp19", "kommun", 0),
    ("Låsbara cykelgarage vid stationen", B, SIT, "scp01", "fastighetsagare", 60000),
    (
        "Bättre sikt i gränden mellan butikerna",
        T,
        SIT,
        "cpted_surveillance",
        "fastighetsagare",
        12000,
    ),
    ("Nya sittplatser och möblering på torget", V, SIT, "cpted_territory", "kommun", 70000),
    ("Ordningsregler och skyltning vid busstationen", B, SIT, "scp21", "region", 10000),
    ("Konflikthantering för butikspersonal", B, SOC, "scp17", "naringsidkare", 15000),
    ("Höstmarknad med föreningarna", V, SOC, "cpted_activity", "naringsidkare", 25000),
    ("Plockstädning med skolklasser", V, SOC, "scp23", "civilsamhalle", 3000),
    ("Tillfällig belysning vid gångtunneln", T, SIT, "scp07", "kommun", 35000),
    ("Fastighetsnätverk: gemensam rutin för felanmälan", T, SOC, "scp09", "fastighetsagare", 0),
    ("Tända skyltfönster kvällstid", T, SIT, "scp07", "naringsidkare", 8000),
    ("Brandskyddsgenomgång av soprum och entréer", B, SIT, "scp12", "raddningstjanst", 5000),
    ("Beskärning av träd som skymmer gatlyktor", T, SIT, "cpted_maintenance", "kommun", 18000),
    ("Informationskampanj om trygghetsvandringarna", T, SOC, "scp22", "kommun", 12000),
    ("Alkoholförbud i parken (lokal ordningsföreskrift)", B, SIT, "scp25", "kommun", 0),
    ("Glasade väntkurer vid busshållplatserna", T, SIT, "cpted_surveillance", "region", 95000),
]

# Per place: how many measures end in each status (done, ongoing, planned, proposed, cancelled).
# Avesta and Sala follow the pilots' reported figures (22 of 28, 17 of 19).
MIX = {
    "avesta": (14, 8, 4, 2, 2),
    "falun": (11, 6, 5, 3, 1),
    "sala": (12, 5, 1, 1, 1),
    "hallstahammar": (5, 4, 5, 4, 1),
}
ACTIVITIES = {"avesta": 70, "falun": 55, "sala": 45, "hallstahammar": 35}

ACTIVITY_TEXTS = {
    "kommun": [
        "Byte av trasiga armaturer",
        "Röjning av sly vid gångvägen",
        "Tömning av papperskorgar extra",
        "Möte med arbetsgruppen",
        "Beställning av skyltar",
    ],
    "fastighetsagare": [
        "Klottersanering av fasad",
        "Väktarrunda kväll",
        "Lagade låset till cykelgaraget",
        "Städning av entré och soprum",
        "Möte i fastighetsnätverket",
    ],
    "naringsidkare": [
        "Tände skyltfönstren kvällstid",
        "Trivselaktivitet på torget",
        "Plockstädning utanför butiken",
        "Utbildning i konflikthantering",
    ],
    "civilsamhalle": [
        "Nattvandring med fyra vuxna",
        "Nattvandring fredag kväll",
        "Plockstädning med skolklass",
        "Fika med unga på torget",
    ],
    "polis": [
        "Fotpatrullering kväll",
        "Dialog med handlare om snatterier",
        "Medborgardialog på torget",
    ],
    "region": ["Genomgång av kameror i väntsalen", "Städning av väntkurer"],
    "raddningstjanst": ["Brandskyddsronda i soprummen", "Information till fastighetsägare"],
}

CANCEL_REASON = "Prioriterades bort i styrgruppen; ersätts av en annan åtgärd."
NAMESPACE = uuid.UUID("6f1c9d2a-4b7e-4c59-9a4e-3b8d2f7e1a55")
D = datetime.date
FINDING_KEYWORDS = {
    "belysning": ("elysning", "Ljus", "gatlyktor"),
    "vegetation": ("Röjning", "Beskärning"),
    "klotter": ("Klotter",),
    "nedskrapning": ("papperskorgar", "Plockstädning"),
    "sikt": ("sikt",),
}


def _aware(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(10, 0)))


def _pick_organisation(by_category, wanted, fallback):
    return (by_category.get(wanted) or by_category.get("kommun") or [fallback])[0]


def _statuses(mix):
    done, ongoing, planned, proposed, cancelled = mix
    return (
        [Status.DONE] * done
        + [Status.ONGOING] * ongoing
        + [Status.PLANNED] * planned
        + [Status.PROPOSED] * proposed
        + [Status.CANCELLED] * cancelled
    )


def _path(status):
    return {
        Status.PROPOSED: [],
        Status.PLANNED: [Status.PLANNED],
        Status.ONGOING: [Status.PLANNED, Status.ONGOING],
        Status.DONE: [Status.PLANNED, Status.ONGOING, Status.DONE],
        Status.CANCELLED: [Status.CANCELLED],
    }[status]


def _create_measure(result, *, actor, place, index, template, status, organisations, rng):
    title, category, type_, technique, org_category, budget = template
    by_category = organisations
    responsible = _pick_organisation(by_category, org_category, next(iter(by_category.values()))[0])
    start = D(2025, 1, 15) + datetime.timedelta(days=14 * index)
    end = start + datetime.timedelta(days=rng.choice((45, 60, 90, 120, 180)))
    values = {
        "program": place.program,
        "place": place,
        "title": title,
        "category": category,
        "type": type_,
        "technique": technique,
        "responsible": responsible,
        "priority": rng.choice(("hog", "medel", "medel", "lag")),
        "status": status,
        "origin": rng.choice(
            (Origin.WALK, Origin.WALK, Origin.SURVEY, Origin.DECISION, Origin.OTHER)
        ),
        "budget": Decimal(budget) if budget else None,
        "description": f"{title}. Ingår i handlingsplanen för {place.name}.",
        "created_by": actor,
    }
    if status == Status.PROPOSED:
        values.update(planned_start=None, planned_end=None)
    elif status == Status.PLANNED:
        # Half of the planned measures should have started by now: they show as overdue.
        if index % 2:
            values.update(planned_start=D(2027, 1, 10), planned_end=D(2027, 5, 31))
        else:
            values.update(planned_start=start, planned_end=end)
    elif status == Status.ONGOING:
        late = index % 3 == 0
        values.update(
            planned_start=start, planned_end=end if late else D(2027, 3, 31), actual_start=start
        )
    elif status == Status.DONE:
        finished = end + datetime.timedelta(days=rng.randint(-20, 25))
        values.update(
            planned_start=start,
            planned_end=end,
            actual_start=start,
            actual_end=max(finished, start),
        )
        if budget:
            values["actual_cost"] = (
                Decimal(budget) * Decimal(rng.randint(80, 115)) / 100
            ).quantize(Decimal("1"))
    else:
        values.update(planned_start=start, planned_end=end, cancel_reason=CANCEL_REASON)
    measure = Measure.objects.create(**values)
    others = [o for orgs in by_category.values() for o in orgs if o != responsible]
    measure.contributors.set(rng.sample(others, k=min(len(others), rng.randint(0, 2))))
    measure.log_action(AuditEntry.Action.CREATE, actor=actor, changes=audit.snapshot(measure))
    changes = [
        MeasureStatusChange(
            program=place.program,
            measure=measure,
            from_status="",
            to_status=Status.PROPOSED,
            actor=actor,
            at=_aware(start - datetime.timedelta(days=30)),
        )
    ]
    previous = Status.PROPOSED
    # Each change on the day the measure's dates say it happened, so that a report as of a
    # past period's end (``measures_as_of``) agrees with the measure's actual start and end.
    when = {
        Status.PLANNED: start - datetime.timedelta(days=10),
        Status.ONGOING: measure.actual_start,
        Status.DONE: measure.actual_end,
        Status.CANCELLED: start + datetime.timedelta(days=20),
    }
    for to_status in _path(status):
        changes.append(
            MeasureStatusChange(
                program=place.program,
                measure=measure,
                from_status=previous,
                to_status=to_status,
                actor=actor,
                at=_aware(when[to_status]),
                reason=CANCEL_REASON if to_status == Status.CANCELLED else "",
            )
        )
        previous = to_status
    MeasureStatusChange.objects.bulk_create(changes)
    result.created += 1 + len(changes)
    return measure


def _place_organisations(place):
    by_category = {}
    stakeholders = Stakeholder.objects.filter(place=place).select_related("organisation")
    for s in stakeholders.order_by("organisation__name"):
        by_category.setdefault(s.organisation.category, []).append(s.organisation)
    return by_category


def _activities(result, *, key, place, measures, organisations, users, rng):
    partners = [o for cat, orgs in organisations.items() if cat in ACTIVITY_TEXTS for o in orgs]
    if not partners:
        return
    existing = set(Activity.objects.filter(place=place).values_list("client_id", flat=True))
    rows = []
    for i in range(ACTIVITIES[key]):
        client_id = uuid.uuid5(NAMESPACE, f"{key}-{i}")
        organisation = rng.choice(partners)
        text = rng.choice(ACTIVITY_TEXTS[organisation.category])
        own = [
            m
            for m in measures
            if m.responsible_id == organisation.pk and m.status in (Status.ONGOING, Status.DONE)
        ]
        date = D(2025, 3, 1) + datetime.timedelta(days=rng.randint(0, 620))
        hours = Decimal(rng.choice((1, 1.5, 2, 2.5, 3, 4, 4, 6, 8))).quantize(Decimal("0.1"))
        cost = Decimal(rng.choice((0, 0, 0, 150, 400, 1200, 3500)))
        if client_id in existing:
            continue
        rows.append(
            Activity(
                program=place.program,
                place=place,
                organisation=organisation,
                measure=rng.choice(own) if own and rng.random() < 0.7 else None,
                date=date,
                description=text,
                hours=hours,
                cost=cost,
                client_id=client_id,
                created_by=users.get(organisation.pk) or users.get(None),
            )
        )
    Activity.objects.bulk_create(rows)
    result.created += len(rows)


def _link_sources(place, measures):
    """Link measures to the place's demo decisions and findings, where those exist."""
    already = Measure.objects.filter(place=place, decision__isnull=False).exists()
    if not already:
        decisions = Decision.objects.filter(meeting__place=place).order_by("pk")[:4]
        for decision, measure in zip(decisions, measures, strict=False):
            measure.decision = decision
            measure.origin = Origin.DECISION
            measure.save(update_fields=["decision", "origin"])
    for finding in Finding.objects.filter(place=place, measures__isnull=True)[:10]:
        words = FINDING_KEYWORDS.get(finding.category, ())
        match = next((m for m in measures if any(w in m.title for w in words)), None)
        if match is not None:
            match.findings.add(finding)


def load(result) -> None:
    """Create the pilot places' action plans and activities (idempotent)."""
    program = result.programs["trygga-platser"]
    with scope(program=program):
        memberships = Membership.objects.filter(program=program).select_related("user")
        coordinator = next(m.user for m in memberships if m.role == Role.COORDINATOR)
        leads = {}
        partner_users = {}
        for m in memberships.prefetch_related("places"):
            if m.role == Role.PLACE_LEAD:
                for p in m.places.all():
                    leads[p.pk] = m.user
            elif m.role == Role.PARTNER and m.organisation_id:
                partner_users[m.organisation_id] = m.user
        for key, mix in MIX.items():
            place = result.places.get(key)
            if place is None:
                continue
            rng = random.Random(f"measures-{key}")
            organisations = _place_organisations(place)
            if not organisations:
                continue
            templates = TEMPLATES[:]
            rng.shuffle(templates)
            statuses = _statuses(mix)
            rng.shuffle(statuses)
            existing = {m.title: m for m in Measure.objects.filter(place=place)}
            measures = []
            for index, (template, status) in enumerate(zip(templates, statuses, strict=False)):
                measure = existing.get(template[0])
                if measure is None:
                    measure = _create_measure(
                        result,
                        actor=coordinator,
                        place=place,
                        index=index,
                        template=template,
                        status=status,
                        organisations=organisations,
                        rng=rng,
                    )
                measures.append(measure)
            users = {**partner_users, None: leads.get(place.pk, coordinator)}
            _activities(
                result,
                key=key,
                place=place,
                measures=measures,
                organisations=organisations,
                users=users,
                rng=random.Random(key),
            )
            _link_sources(place, measures)
