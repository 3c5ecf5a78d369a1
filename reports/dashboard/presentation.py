"""How the county dashboard shows its figures: the stakeholder categories' colours and bars,
the links from every figure to the list behind it, and the map's GeoJSON. No queries: all of it
is made from the figures of ``reports.dashboard``."""

from dataclasses import dataclass

from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _

from measures.models import Status as MeasureStatus
from partnerships.models import OrganisationCategory, Program
from platser.geo import centre
from platser.models import Finding, Phase
from platser.selectors import MAP_OUTLINE_LIMIT

#: One colour per stakeholder category for the small stacked bar (always paired with the
#: category's name in the list beside it, so colour is never the only cue).
CATEGORY_COLOURS = {
    OrganisationCategory.KOMMUN: "#0b5d3b",
    OrganisationCategory.FASTIGHETSAGARE: "#8a4b08",
    OrganisationCategory.NARINGSIDKARE: "#1a4fd6",
    OrganisationCategory.CIVILSAMHALLE: "#7a1f7a",
    OrganisationCategory.POLIS: "#1d2521",
    OrganisationCategory.RADDNINGSTJANST: "#a4161a",
    OrganisationCategory.REGION: "#00695c",
    OrganisationCategory.LANSSTYRELSE: "#b8860b",
    OrganisationCategory.ANNAN: "#6b7570",
}


@dataclass
class CategoryCount:
    value: str
    label: str
    count: int
    colour: str
    url: str
    x: float = 0  # offset of its segment in the stacked bar (0–100)
    width: float = 0


class Urls:
    """URLs of the pages behind the figures, reversed once per name (not once per place)."""

    MARK = 987654321

    def __init__(self, program: Program):
        self.slug = program.slug
        self._patterns: dict[tuple, tuple[str, str]] = {}

    def __call__(self, name: str, place_id: int | None = None, kwarg="place", **query) -> str:
        key = (name, kwarg if place_id is not None else None)
        pattern = self._patterns.get(key)
        if pattern is None:
            kwargs = {"program": self.slug}
            if place_id is not None:
                kwargs[kwarg] = self.MARK
            head, _mark, tail = reverse(name, kwargs=kwargs).partition(str(self.MARK))
            pattern = self._patterns[key] = (head, tail)
        head, tail = pattern
        url = f"{head}{place_id}{tail}" if place_id is not None else head
        return f"{url}?{urlencode(query)}" if query else url


def links(urls: Urls, place_id: int, period=None, today=None) -> dict[str, str]:
    """Where each figure of a place's row leads: a list filtered to the same subset and, with
    ``period`` (start, end), the same period, so that it shows the same number. Statuses count
    as at the period's end: a period that has ended links to the plan as of that day."""
    plan = urls("measures:plan", place_id)
    findings = urls("platser:findings", place_id)
    meetings = {"plats": place_id, "tid": "genomforda"}
    activities = urls("measures:activities", place_id)
    as_of = ""
    if period is not None:
        start, end = period
        meetings.update(fran=start.isoformat(), till=end.isoformat())
        activities += "?" + urlencode({"fran": start.isoformat(), "till": end.isoformat()})
        if end < (today or timezone.localdate()):
            as_of = f"&per={end.isoformat()}"
    return {
        "place": urls("platser:place", place_id, kwarg="pk"),
        "stakeholders": urls("platser:stakeholders", place_id, kwarg="pk"),
        "meetings": urls("meetings:meetings", **meetings),
        "planned": f"{plan}?status=ej_paborjade{as_of}",  # proposed or planned
        "ongoing": f"{plan}?status={MeasureStatus.ONGOING}{as_of}",
        "done": f"{plan}?status={MeasureStatus.DONE}{as_of}",
        "overdue": f"{plan}?forsenade=1{as_of}",
        "share": f"{plan}?status=paborjade{as_of}",  # ongoing or done
        "activities": activities,
        "findings_open": f"{findings}?status={Finding.Status.OPEN}{as_of}",
        "findings_closed": f"{findings}?status=stangda{as_of}",  # åtgärdad, stängd, ej åtgärdad
        "waves": urls("surveys:place_waves", place_id),
        "effects": urls("measures:place_effects", place_id),
    }


def add_links(rows: list, program: Program, effect_windows=None, period=None) -> None:
    """Fill in the links and the stakeholder categories of the rows on the page (no queries).
    ``effect_windows`` (``reports.dashboard.effect_windows``) go into the follow-up links and
    ``period`` (start, end) into the lists', so each page shows the same figures as the
    dashboard."""
    urls = Urls(program)
    effects_query = (
        "?" + urlencode({"fran": f"{effect_windows.after_start:%Y-%m}", "manader": 12})
        if effect_windows
        else ""
    )
    labels = {value: str(label) for value, label in OrganisationCategory.choices}
    for row in rows:
        summary = row.summary
        row.links = links(urls, row.place.pk, period)
        row.links["effects"] += effects_query
        row.categories = []
        offset = 0.0
        for value in OrganisationCategory.values:
            count = summary.stakeholders_by_category.get(value)
            if not count:
                continue
            width = 100 * count / summary.stakeholders
            row.categories.append(
                CategoryCount(
                    value=value,
                    label=labels[value],
                    count=count,
                    colour=CATEGORY_COLOURS[value],
                    url=f"{row.links['stakeholders']}?kategori={value}",
                    x=round(offset, 2),
                    width=round(width, 2),
                )
            )
            offset += width


def dashboard_geojson(rows: list, program: Program, outlines: dict) -> dict:
    """A FeatureCollection with every place: its outline (``outlines`` by place id), or a point
    when there are many."""
    show_outlines = len(rows) <= MAP_OUTLINE_LIMIT
    urls = Urls(program)
    phases = {value: str(label) for value, label in Phase.choices}
    popup = _(
        "%(phase)s · åtgärder: %(done)s av %(total)s genomförda eller påbörjade · "
        "%(overdue)s försenade"
    )
    features = []
    for row in rows:
        boundary = outlines.get(row.place.pk)
        if not boundary:
            continue
        if show_outlines:
            geometry = boundary
        else:
            point = centre(boundary)
            if point is None:
                continue
            geometry = {"type": "Point", "coordinates": point}
        s = row.summary
        summary = popup % {
            "phase": phases.get(row.place.phase, ""),
            "done": s.measures_done + s.measures_ongoing,
            "total": s.measures_total,
            "overdue": s.measures_overdue,
        }
        features.append(
            {
                "type": "Feature",
                "geometry": geometry,
                "properties": {
                    "name": row.place.name,
                    "url": urls("platser:place", row.place.pk, kwarg="pk"),
                    "summary": summary,
                },
            }
        )
    return {"type": "FeatureCollection", "features": features}
