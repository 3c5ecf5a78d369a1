"""Helpers for survey tests: find bank questions and their options by code; move the date."""

import contextlib
import datetime
from unittest import mock

from surveys.models import Question


def bank(code: str) -> Question:
    return Question.bank.get(code=code)


def option(code: str, position: int) -> int:
    """The id of the ``position``-th (1-based) option of bank question ``code``."""
    return bank(code).options.get(position=position).pk


def field(code: str) -> str:
    """The answering form's field name for bank question ``code``."""
    return f"q{bank(code).pk}"


@contextlib.contextmanager
def time_machine(day: datetime.date):
    """``timezone.localdate()`` is ``day`` inside (the clock is the outside world)."""
    with mock.patch("django.utils.timezone.localdate", return_value=day):
        yield
