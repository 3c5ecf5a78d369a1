"""A person's data (GDPR): the register extract (art. 15) and erasure on request (art. 17).

A person is a user (a member of the program) or a contact (a person at an organisation). What
the system holds on them is found the same way for the extract and for the erasure:

- the rows that point at them (every foreign key to the user or contact, in every program-owned
  model of the program), and the invitations sent to their e-mail address;
- every text, e-mail and JSON column of the program's rows, the audit log included, that
  mentions their name, e-mail or phone number.

Erasure anonymises: the person becomes "Borttagen person N" (N the erasure's id) in their own
row and wherever a mention was found; e-mail addresses become an address in the reserved
``.invalid`` domain; the audit trail keeps who did what, now as the pseudonym. Files are kept
(they belong to the record: photos of findings and measures, agreements); the link to their
uploader shows the pseudonym. Nothing is hard-deleted silently: an erasure is a row and an
audit entry, and it is refused with a reason where it would break a record that must be kept.
"""

import json
import re
from collections.abc import Iterator

from django.apps import apps
from django.contrib.auth import get_user_model
from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from partnerships.exceptions import DomainError
from partnerships.models import AuditEntry, Contact, Membership, Program, Role

from .archive import SECRET_FIELDS, cell
from .models import Erasure

#: A name, address or number shorter than this is not searched for (it would match anything).
MIN_NEEDLE = 4


def _program_models() -> list[type[models.Model]]:
    found = []
    for model in apps.get_models():
        field = next((f for f in model._meta.concrete_fields if f.name == "program"), None)
        if field is not None and field.is_relation and field.related_model is Program:
            found.append(model)
    return found


def _text_fields(model) -> list[models.Field]:
    return [
        f
        for f in model._meta.concrete_fields
        if isinstance(f, models.CharField | models.TextField | models.JSONField)
        and not f.choices
        and f.name not in SECRET_FIELDS
    ]


def needles(subject) -> list[str]:
    values = [subject.name, subject.email, getattr(subject, "phone", "")]
    return [v.strip() for v in values if v and len(v.strip()) >= MIN_NEEDLE]


def _row(obj) -> dict:
    return {
        f.attname: cell(getattr(obj, f.attname))
        for f in obj._meta.concrete_fields
        if f.name not in SECRET_FIELDS
    }


def pointing_rows(program: Program, subject) -> Iterator[tuple[str, str, models.Model]]:
    """``(model label, field name, row)`` for every row of ``program`` whose foreign key points
    at ``subject`` (a user or a contact)."""
    target = subject._meta.model
    for model in _program_models():
        for f in model._meta.concrete_fields:
            if f.is_relation and f.related_model is target and f.name != "program":
                for obj in model._base_manager.filter(program=program, **{f.name: subject}):
                    yield model._meta.label, f.name, obj


def mentions(program: Program, texts: list[str]) -> Iterator[tuple[models.Model, models.Field]]:
    """``(row, field)`` for every text column of ``program``'s rows that contains one of
    ``texts`` (case-insensitively)."""
    if not texts:
        return
    for model in _program_models():
        for f in _text_fields(model):
            condition = models.Q()
            for text in texts:
                condition |= models.Q(**{f"{f.name}__icontains": text})
            for obj in model._base_manager.filter(condition, program=program):
                yield obj, f


def extract(program: Program, subject, *, made_by) -> dict:
    """Everything ``program`` holds on ``subject``, as JSON-ready data."""
    texts = needles(subject)
    data = {
        "registerutdrag": {
            "program": program.name,
            "skapat": timezone.now().isoformat(),
            "skapat_av": made_by.email if made_by else "",
            "typ": "användare" if isinstance(subject, get_user_model()) else "kontaktperson",
        },
        "person": _row(subject),
        "poster": {},
        "omnamnanden": [],
        "andringslogg": [],
    }
    if isinstance(subject, Contact):
        data["person"]["organisation"] = subject.organisation.name
    for label, field, obj in pointing_rows(program, subject):
        if label == AuditEntry._meta.label:
            continue
        data["poster"].setdefault(f"{label}.{field}", []).append(_row(obj))
    seen_audit = set()
    for obj, f in mentions(program, texts):
        if isinstance(obj, AuditEntry):
            seen_audit.add(obj.pk)
            continue
        if obj.pk == subject.pk and obj._meta.model is subject._meta.model:
            continue
        data["omnamnanden"].append(
            {
                "posttyp": obj._meta.label,
                "id": obj.pk,
                "falt": f.name,
                "varde": cell(f.value_from_object(obj)),
            }
        )
    about = AuditEntry.objects.filter(program=program).filter(
        models.Q(pk__in=seen_audit)
        | models.Q(model_label=subject._meta.label, object_id=str(subject.pk))
        | (models.Q(actor=subject) if isinstance(subject, get_user_model()) else models.Q(pk=None))
    )
    data["andringslogg"] = [_row(entry) for entry in about.order_by("created_at", "pk")]
    return data


def _replace(value, texts: list[str], pseudonym: str, pseudonym_email: str):
    def scrub(text: str) -> str:
        for needle in texts:
            replacement = pseudonym_email if "@" in needle else pseudonym
            text = re.sub(re.escape(needle), replacement, text, flags=re.IGNORECASE)
        return text

    if isinstance(value, str):
        return scrub(value)
    return json.loads(scrub(json.dumps(value, ensure_ascii=False)))


def _scrub(program: Program, texts: list[str], erasure: Erasure) -> int:
    """Replace every mention of ``texts`` in the program's rows with the pseudonym."""
    changed = 0
    for obj, f in list(mentions(program, texts)):
        value = f.value_from_object(obj)
        if isinstance(f, models.EmailField):
            new = erasure.pseudonym_email
        else:
            new = _replace(value, texts, erasure.pseudonym, erasure.pseudonym_email)
            if isinstance(new, str) and getattr(f, "max_length", None):
                new = new[: f.max_length]
        if new != value:
            # A plain UPDATE: no auto_now, no signals, the row keeps its history.
            type(obj)._base_manager.filter(pk=obj.pk).update(**{f.attname: new})
            changed += 1
    return changed


def _check_user(program: Program, user, actor) -> None:
    if user == actor:
        raise DomainError(_("Du kan inte radera dina egna uppgifter här. Be en annan samordnare."))
    # Across programs (the scoped manager would only see this one).
    if Membership._base_manager.filter(user=user).exclude(program=program).exists():
        raise DomainError(
            _(
                "Personen är medlem i ett annat program också. Uppgifterna behövs där och kan "
                "bara raderas när personen har lämnat alla andra program."
            )
        )
    membership = Membership.objects.filter(program=program, user=user).first()
    if membership is not None and membership.role == Role.COORDINATOR:
        others = Membership.objects.filter(program=program, role=Role.COORDINATOR).exclude(
            user=user
        )
        if not others.exists():
            raise DomainError(
                _("Personen är programmets enda samordnare. Utse en ny samordnare först.")
            )


def erase(*, actor, program: Program, subject, reason: str = "") -> Erasure:
    """Anonymise ``subject`` (a user who is a member of ``program``, or a contact of it)."""
    user_model = get_user_model()
    is_user = isinstance(subject, user_model)
    kind = Erasure.Kind.USER if is_user else Erasure.Kind.CONTACT
    if Erasure.objects.filter(kind=kind, subject_id=subject.pk).exists():
        raise DomainError(_("Personens uppgifter är redan raderade."))
    if is_user:
        _check_user(program, subject, actor)
    texts = needles(subject)
    with transaction.atomic():
        erasure = Erasure.objects.create(
            program=program,
            kind=kind,
            subject_id=subject.pk,
            reason=reason[:300],
            erased_by=actor if actor is not None and actor.is_authenticated else None,
        )
        _scrub(program, texts, erasure)
        if is_user:
            user_model._base_manager.filter(pk=subject.pk).update(
                name=erasure.pseudonym,
                email=erasure.pseudonym_email,
                title="",
                phone="",
                is_active=False,
            )
            subject.refresh_from_db()
            subject.set_unusable_password()
            subject.save(update_fields=["password"])
            # Log-in addresses and second factors belong to the person, not to the record.
            apps.get_model("account", "EmailAddress").objects.filter(user=subject).delete()
            apps.get_model("mfa", "Authenticator").objects.filter(user=subject).delete()
            apps.get_model("meetings", "CalendarFeed")._base_manager.filter(
                user=subject, revoked_at__isnull=True
            ).update(revoked_at=timezone.now())
        else:
            Contact._base_manager.filter(pk=subject.pk).update(
                name=erasure.pseudonym, email="", phone=""
            )
            apps.get_model("meetings", "MeetingInvitation")._base_manager.filter(
                contact=subject
            ).update(email=erasure.pseudonym_email)
        # The audit trail: what was done and by whom, never the data that was removed.
        erasure.log_action(
            "create", actor=actor, changes={"kind": [None, kind], "subject_id": [None, subject.pk]}
        )
    return erasure
