"""Writes for places, zones, stakeholders, findings and safety walks. Each logs to the audit
trail in its transaction."""

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from partnerships.models import AuditEntry, Organisation, Program
from partnerships.services import delete_record, save_record

from . import geo
from .exceptions import FindingError
from .models import (
    Finding,
    Place,
    SafetyWalk,
    Stakeholder,
    WalkParticipation,
    WalkScore,
    Zone,
)

#: Scores as forms hand them over: ``{criterion: (score or None, comment)}``.
Scores = dict[str, tuple[int | None, str]]


@transaction.atomic
def save_place(*, actor, program: Program, place: Place, zones: list[str] | None = None) -> Place:
    """Create or update ``place`` and make its zones exactly ``zones`` (by name).

    Zones no longer listed are removed; existing zones keep their id (and their boundary).
    """
    place.program = program
    save_record(actor=actor, instance=place)
    if zones is not None:
        existing = {z.name: z for z in place.zones.all()}
        for name in zones:
            if name not in existing:
                Zone.objects.create(program=program, place=place, name=name)
        removed = [z for name, z in existing.items() if name not in zones]
        for zone in removed:
            zone.delete()
        if removed or set(zones) - set(existing):
            place.log_action(
                AuditEntry.Action.UPDATE,
                actor=actor,
                changes={"zones": [sorted(existing), sorted(zones)]},
            )
    return place


@transaction.atomic
def save_zone_boundary(*, actor, zone: Zone, boundary: dict | None) -> Zone:
    """Draw (or, with None, remove) a zone's boundary: a polygon inside its place's."""
    zone.boundary = geo.validate_polygon_within(boundary, zone.place.boundary)
    save_record(actor=actor, instance=zone, fields=["boundary"])
    return zone


@transaction.atomic
def archive_place(*, actor, place: Place) -> Place:
    """Archive a place: it leaves the active lists but all its records are kept."""
    place.archived_at = timezone.now()
    place.save(update_fields=["archived_at"])
    place.log_action(AuditEntry.Action.ARCHIVE, actor=actor)
    return place


@transaction.atomic
def restore_place(*, actor, place: Place) -> Place:
    place.archived_at = None
    place.save(update_fields=["archived_at"])
    place.log_action(
        AuditEntry.Action.UPDATE, actor=actor, changes={"archived_at": ["arkiverad", None]}
    )
    return place


def save_stakeholder(*, actor, place: Place, stakeholder: Stakeholder) -> Stakeholder:
    stakeholder.program_id = place.program_id
    stakeholder.place = place
    return save_record(actor=actor, instance=stakeholder)


def remove_stakeholder(*, actor, stakeholder: Stakeholder) -> None:
    delete_record(actor=actor, instance=stakeholder)


# --- findings and safety walks -----------------------------------------------------------------


def _check_point(finding: Finding) -> None:
    try:
        finding.point = geo.validate_point_within(finding.point, finding.place.boundary)
    except ValidationError as exc:
        raise FindingError(exc.messages[0]) from exc
    if finding.point is None:
        raise FindingError(_("Fyndet saknar position."))


@transaction.atomic
def report_finding(
    *, actor, place: Place, finding: Finding, scores: Scores | None = None
) -> Finding:
    """Record a new finding at ``place``, reported by ``actor``, with status öppen.

    The point must lie inside the place's boundary; a walk and a zone must be of the same place.
    A finding with a ``client_id`` already stored in the program is not stored again: the stored
    one is returned (see ``report_finding_once``).
    """
    finding.program_id = place.program_id
    finding.place = place
    finding.reported_by = actor
    finding.status = Finding.Status.OPEN
    finding.status_reason = ""
    _check_point(finding)
    if finding.walk_id and finding.walk.place_id != place.pk:
        raise FindingError(_("Trygghetsvandringen hör till en annan plats."))
    if finding.zone_id and finding.zone.place_id != place.pk:
        raise FindingError(_("Zonen hör till en annan plats."))
    if finding.walk_client_id and not finding.walk_id:
        # Made on a walk kept on the phone: linked now if the walk has arrived, else when it does.
        walk = SafetyWalk.objects.filter(
            program_id=place.program_id, place=place, client_id=finding.walk_client_id
        ).first()
        if walk is not None:
            finding.walk = walk
            finding.walk_client_id = None
        elif scores:
            finding.pending_scores = {c: [score, comment] for c, (score, comment) in scores.items()}
            scores = None
    save_record(actor=actor, instance=finding)
    if scores and finding.walk_id:
        set_walk_scores(actor=actor, walk=finding.walk, finding=finding, scores=scores)
    return finding


def link_waiting_findings(*, actor, walk: SafetyWalk) -> int:
    """Link the findings made on ``walk`` while it waited on a phone (sent before it, by its
    client id), with their stops' scores; the number linked."""
    if not walk.client_id:
        return 0
    waiting = list(
        Finding.objects.filter(
            program_id=walk.program_id, place=walk.place, walk__isnull=True,
            walk_client_id=walk.client_id,
        )
    )  # fmt: skip
    for finding in waiting:
        finding.walk = walk
        finding.walk_client_id = None
        pending, finding.pending_scores = finding.pending_scores, None
        finding.save(update_fields=["walk", "walk_client_id", "pending_scores"])
        finding.log_action(
            AuditEntry.Action.UPDATE, actor=actor, changes={"walk": [None, str(walk)]}
        )
        if pending:
            set_walk_scores(
                actor=actor,
                walk=walk,
                finding=finding,
                scores={c: (score, comment) for c, (score, comment) in pending.items()},
            )
    return len(waiting)


def report_finding_once(
    *, actor, place: Place, finding: Finding, scores: Scores | None = None
) -> tuple[Finding, bool]:
    """``report_finding`` idempotent by ``finding.client_id``: (finding, created)."""
    if finding.client_id:
        existing = Finding.objects.filter(
            program_id=place.program_id, client_id=finding.client_id
        ).first()
        if existing is not None:
            return existing, False
    try:
        with transaction.atomic():
            return report_finding(actor=actor, place=place, finding=finding, scores=scores), True
    except IntegrityError:
        existing = Finding.objects.filter(
            program_id=place.program_id, client_id=finding.client_id
        ).first()
        if existing is None or not finding.client_id:
            raise
        return existing, False


@transaction.atomic
def update_finding(
    *, actor, finding: Finding, fields: list[str], scores: Scores | None = None
) -> Finding:
    """Save edits to a finding's description, position, category and so on (not its status),
    and its stop's scores when it was made on a walk."""
    _check_point(finding)
    save_record(actor=actor, instance=finding, fields=fields)
    if scores is not None:
        finding.scores.exclude(walk_id=finding.walk_id).delete()  # moved to another walk
        if finding.walk_id:
            set_walk_scores(actor=actor, walk=finding.walk, finding=finding, scores=scores)
    return finding


@transaction.atomic
def change_finding_status(*, actor, finding: Finding, status: str, reason: str = "") -> Finding:
    """Move ``finding`` to ``status`` (öppen → åtgärdad → stängd, or ej åtgärdad with a reason).

    Raises ``FindingError`` for a transition the workflow does not allow or a missing reason.
    The change and its reason are in the audit log.
    """
    reason = reason.strip()
    if status not in finding.next_statuses:
        raise FindingError(
            _("Fyndet kan inte gå från %(old)s till %(new)s.")
            % {"old": finding.get_status_display(), "new": Finding.Status(status).label}
        )
    if status == Finding.Status.NOT_FIXED and not reason:
        raise FindingError(_("Ange varför fyndet inte åtgärdas."))
    old = finding.status
    finding.status = status
    finding.status_reason = reason
    finding.status_changed_at = timezone.now()
    finding.save(update_fields=["status", "status_reason", "status_changed_at"])
    finding.log_action(
        AuditEntry.Action.UPDATE,
        actor=actor,
        changes={"status": [old, status], "status_reason": reason},
    )
    return finding


@transaction.atomic
def set_walk_scores(
    *, actor, walk: SafetyWalk, finding: Finding | None = None, scores: Scores
) -> None:
    """Make the scores of ``walk`` as a whole (or of the stop at ``finding``) exactly
    ``scores``: a criterion scored None is removed. The change is logged on the walk."""
    if finding is not None and finding.walk_id != walk.pk:
        raise FindingError(_("Bedömningen hör till en annan trygghetsvandring."))
    existing = {s.criterion: s for s in WalkScore.objects.filter(walk=walk, finding=finding)}
    before = {c: [s.score, s.comment] for c, s in existing.items()}
    for criterion, (score, comment) in scores.items():
        row = existing.get(criterion)
        if score is None:
            if row is not None:
                row.delete()
            continue
        if not WalkScore.MIN <= score <= WalkScore.MAX:
            raise FindingError(_("Poängen ska vara 1–5."))
        if row is None:
            WalkScore.objects.create(
                program_id=walk.program_id,
                walk=walk,
                finding=finding,
                criterion=criterion,
                score=score,
                comment=comment,
            )
        elif (row.score, row.comment) != (score, comment):
            row.score, row.comment = score, comment
            row.save(update_fields=["score", "comment"])
    after = {c: [sc, co] for c, (sc, co) in scores.items() if sc is not None}
    after = {**{c: v for c, v in before.items() if c not in scores}, **after}
    if before != after:
        key = f"scores_finding_{finding.pk}" if finding is not None else "scores"
        walk.log_action(AuditEntry.Action.UPDATE, actor=actor, changes={key: [before, after]})


@transaction.atomic
def save_walk(
    *,
    actor,
    place: Place,
    walk: SafetyWalk,
    participants: dict[Organisation, int],
    scores: Scores | None = None,
) -> SafetyWalk:
    """Create or update a safety walk at ``place`` with the organisations taking part and the
    scores for the route as a whole.

    ``participants`` maps each organisation to how many people it sent; organisations with 0
    are removed. The participant change is logged on the walk. The route is thinned
    (``platser.geo.thin_line``).
    """
    if walk.route:
        walk.route = geo.thin_line(walk.route)
    walk.program_id = place.program_id
    walk.place = place
    save_record(actor=actor, instance=walk)
    existing = {p.organisation_id: p for p in walk.participations.all()}
    wanted = {org.pk: (org, count) for org, count in participants.items() if count}
    before = {str(p.organisation): p.count for p in existing.values()}
    for org_id, participation in existing.items():
        if org_id not in wanted:
            participation.delete()
    for org_id, (org, count) in wanted.items():
        participation = existing.get(org_id)
        if participation is None:
            WalkParticipation.objects.create(
                program_id=walk.program_id, walk=walk, organisation=org, count=count
            )
        elif participation.count != count:
            participation.count = count
            participation.save(update_fields=["count"])
    after = {str(org): count for org, count in wanted.values()}
    if before != after:
        walk.log_action(
            AuditEntry.Action.UPDATE, actor=actor, changes={"participants": [before, after]}
        )
    if scores is not None:
        set_walk_scores(actor=actor, walk=walk, scores=scores)
    return walk


def save_walk_once(
    *,
    actor,
    place: Place,
    walk: SafetyWalk,
    participants: dict[Organisation, int],
    scores: Scores | None = None,
) -> tuple[SafetyWalk, bool]:
    """``save_walk`` for a new walk, idempotent by ``walk.client_id``: (walk, created)."""
    kwargs = {"actor": actor, "place": place, "walk": walk, "participants": participants}
    if walk.client_id:
        existing = SafetyWalk.objects.filter(
            program_id=place.program_id, client_id=walk.client_id
        ).first()
        if existing is not None:
            return existing, False
    try:
        with transaction.atomic():
            walk = save_walk(**kwargs, scores=scores)
            link_waiting_findings(actor=actor, walk=walk)
            return walk, True
    except IntegrityError:
        existing = SafetyWalk.objects.filter(
            program_id=place.program_id, client_id=walk.client_id
        ).first()
        if existing is None or not walk.client_id:
            raise
        return existing, False


@transaction.atomic
def mark_walk_followed_up(*, actor, walk: SafetyWalk, on) -> SafetyWalk:
    """Record that the walk's findings were followed up on ``on`` (a date)."""
    old = walk.followed_up_on
    walk.followed_up_on = on
    walk.save(update_fields=["followed_up_on"])
    walk.log_action(
        AuditEntry.Action.UPDATE,
        actor=actor,
        changes={"followed_up_on": [str(old) if old else None, str(on)]},
    )
    return walk
