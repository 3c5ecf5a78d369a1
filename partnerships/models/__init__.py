"""The partnerships models, one module per area, re-exported so that
``from partnerships.models import X`` works for every model.

- ``core``: the tenant (Program), people and organisations, memberships, invitations, audit log.
- ``meetings``: meetings with agenda, attendance, decisions, invitations and calendar feeds.
"""

from .core import (
    AuditEntry,
    Contact,
    Invitation,
    Membership,
    Organisation,
    OrganisationCategory,
    Program,
    Role,
    User,
    UserManager,
    _invitation_token,
)
from .meetings import (
    AgendaItem,
    Attendance,
    CalendarFeed,
    Decision,
    Meeting,
    MeetingInvitation,
)

__all__ = [
    "AgendaItem",
    "Attendance",
    "AuditEntry",
    "CalendarFeed",
    "Contact",
    "Decision",
    "Invitation",
    "Meeting",
    "MeetingInvitation",
    "Membership",
    "Organisation",
    "OrganisationCategory",
    "Program",
    "Role",
    "User",
    "UserManager",
    "_invitation_token",
]
