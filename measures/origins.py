"""Measures created from another record: a meeting decision (``?beslut=<id>``) or a finding
(``?fynd=<id>``). The source prefills the form and is linked to the new measure."""

from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from meetings.models import Decision
from partnerships.models import Program
from platser.models import Finding, Place

from .models import Category, MeasureType, Origin, Technique

# What a finding's category usually calls for (a suggestion the user can change).
FINDING_CATEGORY = {
    "belysning": (Category.TRYGGHET, Technique.NATURAL_SURVEILLANCE),
    "vegetation": (Category.TRYGGHET, Technique.CPTED_SURVEILLANCE),
    "sikt": (Category.TRYGGHET, Technique.CPTED_SURVEILLANCE),
    "klotter": (Category.TRIVSEL, Technique.CPTED_MAINTENANCE),
    "nedskrapning": (Category.TRIVSEL, Technique.CPTED_MAINTENANCE),
    "skadegorelse": (Category.BROTT, Technique.TARGET_HARDEN),
    "droger": (Category.BROTT, Technique.CONTROL_DRUGS),
    "storningar": (Category.BROTT, Technique.PLACE_MANAGERS),
    "trafik": (Category.TRYGGHET, ""),
    "annat": (Category.TRYGGHET, ""),
}
FINDING_ORIGIN = {"trygghetsvandring": Origin.WALK, "enkat": Origin.SURVEY}


@dataclass
class Source:
    """Where a new measure comes from: form initial values and the links to set on save."""

    decision: Decision | None = None
    finding: Finding | None = None
    initial: dict = field(default_factory=dict)
    refused: str = ""  # why the source named in the URL may not make a measure here

    @property
    def findings(self) -> list[Finding] | None:
        return [self.finding] if self.finding is not None else None

    def apply(self, measure) -> None:
        if self.decision is not None:
            measure.decision = self.decision


def _get(model, program: Program, raw):
    """The row of ``program`` with id ``raw`` (None for junk or another program's id)."""
    if not str(raw or "").isdigit():
        return None
    related = {Decision: ["meeting__place"], Finding: ["place"]}[model]
    return model.objects.filter(program=program, pk=int(raw)).select_related(*related).first()


def _decision_initial(decision: Decision) -> dict:
    text = decision.text.strip()
    initial = {"title": text.split("\n")[0][:200], "description": text, "origin": Origin.DECISION}
    if decision.responsible_organisation_id:
        initial["responsible"] = decision.responsible_organisation_id
    return initial


def _finding_initial(finding: Finding) -> dict:
    category, technique = FINDING_CATEGORY.get(finding.category, (Category.TRYGGHET, ""))
    title = f"{finding.get_category_display()}: {finding.description}".split("\n")[0]
    initial = {
        "title": title[:200],
        "description": finding.description,
        "category": category,
        "technique": technique,
        "type": MeasureType.SITUATIONAL,
        "origin": FINDING_ORIGIN.get(finding.source, Origin.OTHER),
        "location": finding.point,
    }
    if finding.responsible_organisation_id:
        initial["responsible"] = finding.responsible_organisation_id
    return initial


def refusal(*, place: Place, decision: Decision | None, findings=None) -> str:
    """Why a measure at ``place`` cannot come from ``decision`` or ``findings`` ("" if it can):
    a decision of a meeting at another place, or a finding made at another place."""
    if decision is not None and decision.meeting.place_id not in (None, place.pk):
        return _(
            "Beslutet fattades vid ett möte för %(other)s. En åtgärd för %(place)s kan bara "
            "komma från ett beslut vid ett möte för platsen eller för hela programmet."
        ) % {"other": decision.meeting.place, "place": place}
    for finding in findings or ():
        if finding.place_id != place.pk:
            return _("Fyndet gjordes vid %(other)s, inte vid %(place)s.") % {
                "other": finding.place,
                "place": place,
            }
    return ""


def source_from_request(request, program: Program, place: Place) -> Source:
    """The decision or finding named in the query string, if it belongs to ``program``; a
    source that may not make a measure at ``place`` comes back with ``refused`` set."""
    decision = _get(Decision, program, request.GET.get("beslut"))
    if decision is not None:
        refused = refusal(place=place, decision=decision)
        if refused:
            return Source(refused=refused)
        return Source(decision=decision, initial=_decision_initial(decision))
    finding = _get(Finding, program, request.GET.get("fynd"))
    if finding is not None:
        refused = refusal(place=place, decision=None, findings=[finding])
        if refused:
            return Source(refused=refused)
        return Source(finding=finding, initial=_finding_initial(finding))
    return Source()


def linked_sources(measure) -> dict:
    """The decision and findings a measure came from (for its page)."""
    decision = measure.decision if measure.decision_id else None
    return {"decision": decision, "findings": list(measure.findings.all())}
