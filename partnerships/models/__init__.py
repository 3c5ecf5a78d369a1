"""The partnerships models, one module per area, re-exported so that
``from partnerships.models import X`` works for every model.

- ``base``: the abstract bases of every program-owned model (``ProgramOwned``, ``ProgramRecord``).
- ``core``: the tenant (Program), people and organisations, memberships, invitations, audit log.
"""

from .base import ProgramOwned, ProgramRecord
from .core import (
    AuditEntry,
    Contact,
    Invitation,
    Membership,
    Municipality,
    Organisation,
    OrganisationCategory,
    Program,
    Role,
    User,
    UserManager,
    _invitation_token,
)

__all__ = [
    "AuditEntry",
    "Contact",
    "Invitation",
    "Membership",
    "Municipality",
    "Organisation",
    "OrganisationCategory",
    "Program",
    "ProgramOwned",
    "ProgramRecord",
    "Role",
    "User",
    "UserManager",
    "_invitation_token",
]
