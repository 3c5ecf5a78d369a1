"""Domain errors of findings and walks, shown with ``messages.error``."""

from partnerships.exceptions import DomainError


class FindingError(DomainError):
    """A finding cannot be saved or moved to the asked status (the message says why)."""
