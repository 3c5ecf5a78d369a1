"""Reads for places, stakeholders, findings and safety walks."""

import datetime
from dataclasses import dataclass

from django.db.models import Avg, Count, Prefetch, Q, QuerySet
from django.urls import reverse

from partnerships import audit, cache
from partnerships.models import Program
from partnerships.periods import end_of_day

from . import geo
from .models import (
    Criterion,
    Finding,
    Place,
    SafetyWalk,
    Stakeholder,
    WalkParticipation,
    WalkScore,
    Zone,
)

#: Maps with more places than this show a point per place instead of its outline: a county's
#: handful of town centres are drawn with their names, a national roll-out's 1,450 as dots.
MAP_OUTLINE_LIMIT = 100

#: Seconds a program's map data stays cached (the key changes with every recorded change).
MAP_CACHE_SECONDS = 3600


def place_list(*, program: Program, archived: bool = False, search: str = "") -> QuerySet[Place]:
    """The program's places with their stakeholder count and zones (for one page of them, one
    or two queries); ``search`` matches the place's or its municipality's name."""
    places = program.places.filter(archived_at__isnull=not archived)
    if search:
        places = places.filter(Q(name__icontains=search) | Q(municipality__name__icontains=search))
    return (
        places.select_related("municipality")
        .defer("boundary", "description")
        .annotate(
            stakeholder_count=Count("stakeholders", filter=Q(stakeholders__left_on__isnull=True))
        )
        .prefetch_related(Prefetch("zones", queryset=Zone.objects.order_by("name")))
        .order_by("name")
    )


def place_detail(*, program: Program, pk: int) -> Place:
    return (
        program.places.select_related("municipality")
        .prefetch_related("zones", Prefetch("members", queryset=_members()))
        .get(pk=pk)
    )


def _members():
    from partnerships.models import Membership

    return Membership.objects.select_related("user", "organisation")


def stakeholder_register(*, place: Place, category: str | None = None) -> QuerySet[Stakeholder]:
    """A place's stakeholders, optionally of one organisation category, with their contacts."""
    # organisation__program: each row links to its organisation's page (URL needs the slug).
    qs = place.stakeholders.select_related("organisation__program").prefetch_related(
        "organisation__contacts"
    )
    if category:
        qs = qs.filter(organisation__category=category)
    return qs.order_by("group", "organisation__name")


def places_map(*, program: Program, archived: bool = False) -> tuple[dict, list | None]:
    """The program map's data: (a GeoJSON FeatureCollection, bounds).

    Every place of the list (all pages): outlines up to ``MAP_OUTLINE_LIMIT`` places, a point
    per place beyond. Cached under the program's newest audit entry, so a new, moved, renamed
    or archived place shows at once; a cache that fails only costs the speed-up.
    """
    key = f"platser:map:{program.pk}:{audit.latest(program)}:{int(archived)}"
    return cache.get_or_compute(key, lambda: _places_map(program, archived), MAP_CACHE_SECONDS)


def _places_map(program: Program, archived: bool) -> tuple[dict, list | None]:
    rows = list(
        program.places.filter(archived_at__isnull=not archived, boundary__isnull=False)
        .order_by("name")
        .values_list("pk", "name", "boundary")
    )
    outlines = len(rows) <= MAP_OUTLINE_LIMIT
    features = []
    for pk, name, boundary in rows:
        geometry = boundary
        if not outlines:
            point = geo.centre(boundary)
            if point is None:
                continue
            geometry = {"type": "Point", "coordinates": point}
        url = reverse("platser:place", kwargs={"program": program.slug, "pk": pk})
        features.append(
            {"type": "Feature", "geometry": geometry, "properties": {"name": name, "url": url}}
        )
    return (
        {"type": "FeatureCollection", "features": features},
        geo.bounds([boundary for _pk, _name, boundary in rows]),
    )


# --- findings and safety walks -----------------------------------------------------------------

# One colour per category for map markers and the legend (paired with the category's name, so
# colour is never the only cue).
CATEGORY_COLOURS = {
    "belysning": "#b8860b",
    "vegetation": "#2e7d32",
    "klotter": "#7a1f7a",
    "nedskrapning": "#6d4c41",
    "skadegorelse": "#a4161a",
    "trafik": "#1a4fd6",
    "sikt": "#00695c",
    "droger": "#c2185b",
    "storningar": "#e65100",
    "annat": "#455a64",
}


def closed_by(day: datetime.date) -> Q:
    """Findings that were closed (handled, closed or not handled) by the end of ``day``: a
    finding's last status change is all that is kept of its history."""
    return ~Q(status=Finding.Status.OPEN) & (
        Q(status_changed_at__isnull=True) | Q(status_changed_at__lt=end_of_day(day))
    )


def findings_as_of(findings: QuerySet[Finding], day: datetime.date) -> QuerySet[Finding]:
    """The findings that had been made by the end of ``day`` (filter them with ``closed_by``)."""
    return findings.filter(created_at__lt=end_of_day(day))


def finding_list(
    *,
    place: Place,
    category: str | None = None,
    status: str | None = None,
    source: str | None = None,
    organisation: int | None = None,
    walk: SafetyWalk | None = None,
    as_of: datetime.date | None = None,
) -> QuerySet[Finding]:
    """A place's findings, optionally filtered, with what the list and the map show; with
    ``as_of`` (a past day) the findings made by then, their open or closed status as then."""
    qs = place.findings.select_related(
        "program", "responsible_organisation", "reported_by", "zone", "walk"
    )
    if category:
        qs = qs.filter(category=category)
    if as_of is not None:
        qs = findings_as_of(qs, as_of)
        if status == Finding.Status.OPEN:
            qs = qs.exclude(closed_by(as_of))
        elif status in Finding.STATUS_GROUPS:
            qs = qs.filter(closed_by(as_of), status__in=Finding.STATUS_GROUPS[status][1])
        elif status:
            qs = qs.filter(closed_by(as_of), status=status)
    elif status in Finding.STATUS_GROUPS:
        qs = qs.filter(status__in=Finding.STATUS_GROUPS[status][1])
    elif status:
        qs = qs.filter(status=status)
    if source:
        qs = qs.filter(source=source)
    if organisation:
        qs = qs.filter(responsible_organisation_id=organisation)
    if walk is not None:
        qs = qs.filter(walk=walk)
    return qs.order_by("-created_at", "-pk")


def findings_geojson(findings, *, place: Place, numbered: bool = False) -> dict:
    """A FeatureCollection: the place's boundary and one coloured point per finding."""
    features = []
    if place.boundary:
        features.append({"type": "Feature", "geometry": place.boundary, "properties": {}})
    for i, finding in enumerate(findings, start=1):
        features.append(
            {
                "type": "Feature",
                "geometry": finding.point,
                "properties": {
                    "name": f"{i}. {finding}" if numbered else str(finding),
                    "url": finding.get_absolute_url(),
                    "colour": CATEGORY_COLOURS.get(finding.category, "#455a64"),
                    "status": finding.status,
                },
            }
        )
    return {"type": "FeatureCollection", "features": features}


def finding_counts_by_status(place: Place) -> dict[str, int]:
    """``{status: count}`` of a place's findings, in one query."""
    rows = place.findings.values("status").annotate(n=Count("pk")).order_by()
    return {row["status"]: row["n"] for row in rows}


def walk_list(*, place: Place) -> QuerySet[SafetyWalk]:
    """A place's safety walks, newest first, with their finding counts and participants."""
    return (
        place.walks.select_related("program")
        .annotate(
            finding_count=Count("findings", distinct=True),
            open_count=Count(
                "findings",
                filter=Q(findings__status__in=[Finding.Status.OPEN, Finding.Status.NOT_FIXED]),
                distinct=True,
            ),
        )
        .prefetch_related(
            Prefetch(
                "participations",
                queryset=WalkParticipation.objects.select_related("organisation"),
            )
        )
        .order_by("-date", "-pk")
    )


def walks_for_detail(*, place: Place) -> QuerySet[SafetyWalk]:
    """The walks of ``place`` with their participating organisations, for a walk's page."""
    return place.walks.prefetch_related(
        Prefetch(
            "participations", queryset=WalkParticipation.objects.select_related("organisation")
        )
    )


# --- scored walks ------------------------------------------------------------------------------


@dataclass(frozen=True)
class ScoreRow:
    """One criterion of a walk's score summary, beside the previous scored walk's."""

    criterion: str
    label: str
    mean: float | None
    count: int
    previous: float | None

    @property
    def change(self) -> float | None:
        if self.mean is None or self.previous is None:
            return None
        return round(self.mean - self.previous, 1)


@dataclass(frozen=True)
class ScoreSummary:
    rows: list[ScoreRow]
    previous_walk: SafetyWalk | None
    #: The comments on the route as a whole: (criterion's label, comment), in criterion order.
    comments: list[tuple[str, str]]

    @property
    def has_scores(self) -> bool:
        return any(row.count for row in self.rows)

    @property
    def mean(self) -> float | None:
        """The mean of the criteria's means (each criterion weighs the same)."""
        means = [row.mean for row in self.rows if row.mean is not None]
        return round(sum(means) / len(means), 1) if means else None

    @property
    def previous_mean(self) -> float | None:
        means = [row.previous for row in self.rows if row.previous is not None]
        return round(sum(means) / len(means), 1) if means else None

    @property
    def change(self) -> float | None:
        if self.mean is None or self.previous_mean is None:
            return None
        return round(self.mean - self.previous_mean, 1)


def _score_means(walk: SafetyWalk) -> dict[str, tuple[float, int]]:
    rows = (
        WalkScore.objects.filter(walk=walk)
        .values("criterion")
        .annotate(mean=Avg("score"), n=Count("pk"))
    )
    return {row["criterion"]: (round(row["mean"], 1), row["n"]) for row in rows}


def previous_scored_walk(walk: SafetyWalk) -> SafetyWalk | None:
    """The latest walk at the same place before ``walk`` (by date, then id) that has scores."""
    earlier = Q(date__lt=walk.date) | Q(date=walk.date, pk__lt=walk.pk)
    return (
        SafetyWalk.objects.filter(earlier, place_id=walk.place_id, scores__isnull=False)
        .distinct()
        .order_by("-date", "-pk")
        .first()
    )


def walk_score_summary(walk: SafetyWalk) -> ScoreSummary:
    """The walk's scores per criterion (the mean over the route and every stop), compared with
    the previous scored walk at the same place (``platser.models.Criterion``)."""
    current = _score_means(walk)
    previous_walk = previous_scored_walk(walk)
    previous = _score_means(previous_walk) if previous_walk else {}
    rows = [
        ScoreRow(
            criterion=criterion.value,
            label=criterion.label,
            mean=current.get(criterion.value, (None, 0))[0],
            count=current.get(criterion.value, (None, 0))[1],
            previous=previous.get(criterion.value, (None, 0))[0],
        )
        for criterion in Criterion
    ]
    order = {c.value: i for i, c in enumerate(Criterion)}
    route = sorted(
        WalkScore.objects.filter(walk=walk, finding=None).exclude(comment=""),
        key=lambda s: order[s.criterion],
    )
    comments = [(s.get_criterion_display(), s.comment) for s in route]
    return ScoreSummary(rows=rows, previous_walk=previous_walk, comments=comments)


def stop_scores(findings: list[Finding]) -> dict[int, list[WalkScore]]:
    """The scores of each stop (finding) on a walk, by finding id, in criterion order."""
    order = {c.value: i for i, c in enumerate(Criterion)}
    result: dict[int, list[WalkScore]] = {f.pk: [] for f in findings}
    for score in WalkScore.objects.filter(finding__in=[f.pk for f in findings]):
        result[score.finding_id].append(score)
    for rows in result.values():
        rows.sort(key=lambda s: order[s.criterion])
    return result
