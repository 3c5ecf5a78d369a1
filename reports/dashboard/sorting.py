"""The dashboard's sorting: every row of the program sorted in Python (the figures are needed
for every place anyway), so a page of the table is a slice of the whole sorted program."""

from platser.models import Phase

# Swedish alphabetical order: å, ä, ö come after z (in that order).
_SWEDISH = str.maketrans({"å": "z\u0001", "ä": "z\u0002", "ö": "z\u0003"})
_PHASES = {value: position for position, value in enumerate(Phase.values)}


def name_key(name: str) -> str:
    return name.lower().translate(_SWEDISH)


# ?sort=<key>: the value of a row to sort by. None (no data) sorts last in either direction.
SORT_KEYS = {
    "plats": lambda r: name_key(r.place.name),
    "fas": lambda r: _PHASES.get(r.place.phase, len(_PHASES)),
    "aktorer": lambda r: r.summary.stakeholders,
    "moten": lambda r: r.summary.meetings,
    "narvaro": lambda r: r.attendance_rate,
    "planerade": lambda r: r.summary.measures_planned,
    "pagaende": lambda r: r.summary.measures_ongoing,
    "genomforda": lambda r: r.summary.measures_done,
    "forsenade": lambda r: r.summary.measures_overdue,
    "andel": lambda r: r.summary.share_done_or_started if r.summary.measures_total else None,
    "aktiviteter": lambda r: r.summary.activities,
    "timmar": lambda r: r.summary.hours,
    "kostnader": lambda r: r.summary.cost,
    "oppna_fynd": lambda r: r.summary.findings_open,
    "stangda_fynd": lambda r: r.summary.findings_closed,
    "index": lambda r: r.index_percent,
    "forandring": lambda r: r.change_points,
    "handelser": lambda r: r.effect.value if r.effect else None,
}
DEFAULT_SORT = "plats"


def sort_rows(rows: list, key: str, descending: bool) -> list:
    """Rows sorted by ``key`` (then by place name); rows without a value come last.

    The dashboard's rows come in name order already (``_compute``); sorting is stable, so
    ties stay in that order."""
    value = SORT_KEYS.get(key, SORT_KEYS[DEFAULT_SORT])
    if key == DEFAULT_SORT:
        return list(reversed(rows)) if descending else list(rows)
    present = [r for r in rows if value(r) is not None]
    missing = [r for r in rows if value(r) is None]
    return sorted(present, key=value, reverse=descending) + missing
