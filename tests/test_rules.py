"""The score rules the score sheet and the importer share (kipp.rules)."""

from __future__ import annotations

import pytest

from kipp import rules


@pytest.mark.parametrize(
    ("status", "allowed", "refusal"),
    [
        ("scoring", rules.SCORING_STATUSES, None),
        ("draft", rules.SCORING_STATUSES, "edition_not_scoring"),
        ("locked", rules.SCORING_STATUSES, "edition_frozen"),
        ("draft", rules.OPEN_STATUSES, None),
        ("scoring", rules.OPEN_STATUSES, None),
        ("published", rules.OPEN_STATUSES, "edition_frozen"),
    ],
)
def test_an_edition_takes_writes_only_in_the_allowed_statuses(
    status: str, allowed: frozenset[str], refusal: str | None
) -> None:
    assert rules.edition_refusal(status, allowed) == refusal


def test_a_juror_off_the_panel_is_refused_before_a_recusal_is_looked_at() -> None:
    assert rules.juror_refusal(on_panel=False, recused=True) == "not_on_panel"
    assert rules.juror_refusal(on_panel=True, recused=True) == "recused"
    assert rules.juror_refusal(on_panel=True, recused=False) is None


@pytest.mark.parametrize(
    ("value", "refusal"),
    [(0.0, None), (25.0, None), (25.01, "out_of_range"), (-0.5, "out_of_range"), (None, "not_a_number")],
)
def test_a_score_lies_within_zero_and_the_maximum(value: float | None, refusal: str | None) -> None:
    assert rules.score_refusal(value, 25.0) == refusal
