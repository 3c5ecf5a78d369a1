"""Models arrive with their issue (see the open issues)."""
