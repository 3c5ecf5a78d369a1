"""Measures created from another record: a meeting decision (``?beslut=<id>``) or a finding
(``?fynd=<id>``). The source prefills the form and is linked to the new measure.

The source models live in partnerships (Decision) and platser (Finding), which measures may
depend on; they are looked up through the app registry so that this module also works while
one of them is not installed yet.
"""

from dataclasses import dataclass, field

from django.apps import apps

from .models import Category, Origin, Technique

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


def _model(app_label, name):
    try:
        return apps.get_model(app_label, name)
    except LookupError:
        return None


def _has_field(model, name) -> bool:
    return any(f.name == name for f in model._meta.get_fields())


@dataclass
class Source:
    """Where a new measure comes from: form initial values and the links to set on save."""

    decision: object = None
    finding: object = None
    initial: dict = field(default_factory=dict)

    @property
    def findings(self):
        return [self.finding] if self.finding is not None else None

    def apply(self, measure) -> None:
        if self.decision is not None and _has_field(type(measure), "decision"):
            measure.decision = self.decision


def _get(model, program, raw):
    if model is None or not str(raw or "").isdigit():
        return None
    return model.objects.filter(program=program, pk=int(raw)).first()


def _decision_initial(decision) -> dict:
    text = (getattr(decision, "text", "") or getattr(decision, "description", "") or "").strip()
    title = (getattr(decision, "title", "") or text.split("\n")[0] or str(decision)).strip()
    responsible = getattr(decision, "responsible_organisation_id", None) or getattr(
        decision, "organisation_id", None
    )
    initial = {"title": title[:200], "description": text, "origin": Origin.DECISION}
    if responsible:
        initial["responsible"] = responsible
    return initial


def _finding_initial(finding) -> dict:
    category, technique = FINDING_CATEGORY.get(finding.category, (Category.TRYGGHET, ""))
    initial = {
        "title": f"{finding.get_category_display()}: {finding.description}"[:200].split("\n")[0],
        "description": finding.description,
        "category": category,
        "technique": technique,
        "origin": FINDING_ORIGIN.get(finding.source, Origin.OTHER),
        "location": finding.point,
        "type": "situationell",
    }
    if finding.responsible_organisation_id:
        initial["responsible"] = finding.responsible_organisation_id
    return initial


def source_from_request(request, program) -> Source:
    """The decision or finding named in the query string (None for another program's ids)."""
    decision = _get(_model("partnerships", "Decision"), program, request.GET.get("beslut"))
    if decision is not None:
        return Source(decision=decision, initial=_decision_initial(decision))
    finding = _get(_model("platser", "Finding"), program, request.GET.get("fynd"))
    if finding is not None:
        return Source(finding=finding, initial=_finding_initial(finding))
    return Source()


def linked_sources(measure) -> dict:
    """The decision and findings a measure came from (for its page)."""
    decision = getattr(measure, "decision", None) if _has_field(type(measure), "decision") else None
    findings = list(measure.findings.all()) if _has_field(type(measure), "findings") else []
    return {"decision": decision, "findings": findings}
