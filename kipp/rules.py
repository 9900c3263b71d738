"""The rules a score obeys however it arrives: typed on the score sheet or imported from a file.

kipp.services (one sheet, one recusal) and kipp.ingest (a whole file) ask the same questions
here, so a rule changes in one place.  Each answer is None when the rule holds, else the name
of the broken rule; each caller wraps it in its own problem (the importer adds sheet, row and
column) under its own catalogue key.
"""

from __future__ import annotations

from collections.abc import Collection

from kipp.models import EditionStatus, EntryStatus

FROZEN_STATUSES = frozenset({EditionStatus.locked.value, EditionStatus.published.value})
SCORING_STATUSES = frozenset({EditionStatus.scoring.value})  # where a juror's sheet may be written
OPEN_STATUSES = frozenset({EditionStatus.draft.value, EditionStatus.scoring.value})  # imports, recusals


def edition_refusal(status: str, allowed: Collection[str]) -> str | None:
    """Why an edition in ``status`` refuses a write allowed only in ``allowed``.

    "edition_frozen" once locked or published (its results are official), "edition_not_scoring"
    for any other status outside ``allowed``.
    """
    if status in allowed:
        return None
    return "edition_frozen" if status in FROZEN_STATUSES else "edition_not_scoring"


def juror_refusal(*, on_panel: bool, recused: bool, assigned: bool = True) -> str | None:
    """Why a juror may not score an entry: "not_on_panel" first, then "not_assigned" (the entry's
    panel is another: its own jurors or its session's), then "recused" from that entry."""
    if not on_panel:
        return "not_on_panel"
    if not assigned:
        return "not_assigned"
    return "recused" if recused else None


def entry_refusal(status: str) -> str | None:
    """Why an entry takes no scores: "entry_withdrawn" or "entry_absent" once it left the competition."""
    return None if status == EntryStatus.competing.value else f"entry_{status}"


def score_refusal(value: float | None, maximum: float) -> str | None:
    """Why a score is refused: "not_a_number" (None), "out_of_range" outside 0..``maximum``."""
    if value is None:
        return "not_a_number"
    return None if 0 <= value <= maximum else "out_of_range"
