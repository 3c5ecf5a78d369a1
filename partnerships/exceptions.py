"""Domain errors raised by services and shown to the user with ``messages.error``."""


class DomainError(Exception):
    """A rule of the domain was broken; the message is user-facing Swedish text."""


class InvitationError(DomainError):
    """The invitation cannot be used (expired, already used, revoked or for another address)."""
