"""Helpers for survey tests: find bank questions and their options by code."""

from surveys.models import Question


def bank(code: str) -> Question:
    return Question.bank.get(code=code)


def option(code: str, position: int) -> int:
    """The id of the ``position``-th (1-based) option of bank question ``code``."""
    return bank(code).options.get(position=position).pk


def field(code: str) -> str:
    """The answering form's field name for bank question ``code``."""
    return f"q{bank(code).pk}"
