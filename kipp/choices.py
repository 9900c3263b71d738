"""Closed sets of names shared by the domain and the command line, without pandas or SQLAlchemy.

The command line offers these as choices while building its parser, which must stay
fast; :mod:`kipp.scoring` and :mod:`kipp.models` take them from here, so each set is
written once.  ``Method`` and ``Format`` are types only: import them under
``TYPE_CHECKING``.
"""

from __future__ import annotations

from enum import StrEnum

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing, which costs the parser milliseconds
if TYPE_CHECKING:
    from typing import Literal

    Method = Literal["mean", "median", "trimmed", "zscore", "adjusted"]
    Format = Literal["table", "csv", "json"]

METHODS: tuple[Method, ...] = ("mean", "median", "trimmed", "zscore", "adjusted")

# How a leaderboard is printed (kipp.reports.format_leaderboard).
FORMATS: tuple[Format, ...] = ("table", "csv", "json")


class Role(StrEnum):
    """Account roles; each sees only its own pages."""

    organizer = "organizer"
    juror = "juror"
    viewer = "viewer"
