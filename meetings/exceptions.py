"""Domain errors of meetings, shown to the user with ``messages.error``."""

from partnerships.exceptions import DomainError


class MeetingError(DomainError):
    """A meeting, its attendance or a decision cannot be saved as asked."""
