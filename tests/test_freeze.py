"""Freeze and reveal: public screens keep the frozen ranking while scoring goes on."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import Engine, func, select

from kipp import freeze, i18n, queries, reports, scoring
from kipp.audit import Actor, WriteRefused
from kipp.models import AuditLog, Edition
from kipp.services import submit_sheet
from tests.factories import make_edition

ORGANIZER = Actor("panitia", "organizer")
ENTRIES = [("E1", "Satu", "SMPN 1 Malang"), ("E2", "Dua", "Bappeda")]


def full_sheets(values: dict[str, float]) -> dict[tuple[str, str, str], float]:
    """Both jurors score both criteria of each entry with the given value."""
    return {
        (code, juror, criterion): value
        for code, value in values.items()
        for juror in ("Juri A", "Juri B")
        for criterion in ("Kebaruan", "Efektif")
    }


def live_board(engine: Engine, method: scoring.Method = "mean") -> Any:
    return scoring.leaderboard(queries.load_edition(engine, 2030), method)


def audit_actions(engine: Engine) -> list[str]:
    with engine.connect() as connection:
        return list(connection.execute(select(AuditLog.action).order_by(AuditLog.id)).scalars())


def snapshot(engine: Engine) -> tuple[Any, ...]:
    """Everything a freeze or reveal could change: audit trail, data version, frozen state."""
    state = freeze.frozen(engine, 2030)
    frozen = None if state is None else (state.frozen_at, reports.records(state.board))
    return audit_actions(engine), queries.data_version(engine, 2030), frozen


def test_freeze_keeps_the_public_ranking_fixed_while_scores_change(engine: Engine) -> None:
    ids = make_edition(engine, entries=ENTRIES, scores=full_sheets({"E1": 80, "E2": 70}))
    version = queries.data_version(engine, 2030)
    frozen_at = freeze.freeze(engine, 2030, ORGANIZER, "median")

    state = freeze.frozen(engine, 2030)
    assert state is not None and state.frozen_at == frozen_at
    assert reports.records(state.board) == reports.records(live_board(engine, "median"))
    assert queries.data_version(engine, 2030) != version  # open screens notice the freeze
    assert audit_actions(engine) == ["edition.freeze"]

    juror = ids["jurors"]["Juri A"]  # E2 becomes (100 + 70)/2 = 85
    submit_sheet(
        engine,
        actor=Actor("a", "juror", juror),
        entry_id=ids["entries"]["E2"],
        juror_id=juror,
        values={cid: 100 for cid, _ in ids["criteria"].values()},
    )
    live = live_board(engine)
    assert live["code"].tolist() == ["E2", "E1"]
    public = freeze.public_leaderboard(live, freeze.frozen(engine, 2030))
    assert public["code"].tolist() == ["E1", "E2"] and public["score"].tolist() == [80.0, 70.0]

    freeze.reveal(engine, 2030, ORGANIZER)
    assert freeze.frozen(engine, 2030) is None
    assert freeze.public_leaderboard(live, None) is live
    with engine.connect() as connection:
        stored = connection.execute(select(Edition.frozen_at, Edition.frozen_leaderboard)).one()
    assert tuple(stored) == (None, None)
    assert audit_actions(engine)[-1] == "edition.reveal"


@pytest.mark.parametrize(
    ("setup", "act", "key"),
    [
        (None, lambda e: freeze.freeze(e, 2030, Actor("layar", "viewer")), "live.freeze.not_allowed"),
        (None, lambda e: freeze.reveal(e, 2030, Actor("a", "juror", 1)), "live.freeze.not_allowed"),
        ("freeze", lambda e: freeze.freeze(e, 2030, ORGANIZER), "live.freeze.already_frozen"),
        (None, lambda e: freeze.reveal(e, 2030, ORGANIZER), "live.freeze.not_frozen"),
        (None, lambda e: freeze.freeze(e, 2031, ORGANIZER), "live.freeze.no_edition"),
    ],
)
def test_refusals_say_why_and_change_nothing(engine: Engine, setup: str | None, act: Any, key: str) -> None:
    make_edition(engine, entries=ENTRIES, scores=full_sheets({"E1": 80, "E2": 70}))
    if setup:
        freeze.freeze(engine, 2030, ORGANIZER)
    before = snapshot(engine)
    with pytest.raises(WriteRefused) as refused:
        act(engine)
    assert [problem.key for problem in refused.value.problems] == [key]
    assert i18n.has_key(key)
    assert snapshot(engine) == before


def test_an_edition_without_a_complete_sheet_cannot_be_frozen(engine: Engine) -> None:
    make_edition(engine, entries=ENTRIES, scores={("E1", "Juri A", "Kebaruan"): 50})
    with pytest.raises(WriteRefused, match="no complete score sheet"):
        freeze.freeze(engine, 2030, ORGANIZER)
    with engine.connect() as connection:
        assert connection.execute(select(func.count()).select_from(AuditLog)).scalar_one() == 0
