"""Freeze and reveal: public screens keep the frozen ranking while scoring goes on."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import Engine, func, select, update

from kipp import ceremony, db, freeze, i18n, queries, reports, scoring
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


def set_edition(engine: Engine, **values: Any) -> None:
    """Change the edition's row directly (status, official method, event title …), as a test setup."""
    with db.write_session(engine) as session:
        session.execute(update(Edition).values(**values))


@pytest.mark.parametrize(
    ("status", "key"), [("published", "live.freeze.published"), ("draft", "live.freeze.not_scoring")]
)
def test_freezing_is_refused_outside_scoring_and_locked(engine: Engine, status: str, key: str) -> None:
    make_edition(engine, entries=ENTRIES, scores=full_sheets({"E1": 80, "E2": 70}), status=status)
    before = snapshot(engine)
    with pytest.raises(WriteRefused) as refused:
        freeze.freeze(engine, 2030, ORGANIZER)
    assert [problem.key for problem in refused.value.problems] == [key]
    assert "2030" in refused.value.problems[0].text("id")
    assert snapshot(engine) == before


def test_a_locked_edition_can_still_be_frozen(engine: Engine) -> None:
    make_edition(engine, entries=ENTRIES, scores=full_sheets({"E1": 80, "E2": 70}), status="locked")
    freeze.freeze(engine, 2030, ORGANIZER)
    assert freeze.frozen(engine, 2030) is not None


def test_the_freeze_uses_the_official_method_unless_told(engine: Engine) -> None:
    make_edition(engine, entries=ENTRIES, scores=full_sheets({"E1": 80, "E2": 70}))
    set_edition(engine, official_method="median")
    freeze.freeze(engine, 2030, ORGANIZER)
    with engine.connect() as connection:
        logged = connection.execute(select(AuditLog.new_value).where(AuditLog.action == "edition.freeze")).scalar_one()
    assert "median" in str(logged)


def ceremony_edition(engine: Engine, status: str = "locked") -> dict[str, Any]:
    """Twelve complete entries (E1 best … E12), the default tiers, in ``status``."""
    entries = [(f"E{i}", f"Inovasi {i}", f"Unit {i}") for i in range(1, 13)]
    ids = make_edition(
        engine, entries=entries, scores=full_sheets({f"E{i}": 100 - i for i in range(1, 13)}), status=status
    )
    set_edition(engine, event_title="Malang Innovation Award 2030")
    return ids


def test_the_ceremony_steps_are_stored_audited_and_seen_by_every_screen(engine: Engine) -> None:
    ceremony_edition(engine)
    assert ceremony.ceremony(engine, 2030) is None
    assert ceremony.start(engine, 2030, ORGANIZER) == 11
    show = ceremony.ceremony(engine, 2030)
    assert show is not None and show.step == 0 and show.current is None
    assert show.event_title == "Malang Innovation Award 2030"
    assert freeze.frozen(engine, 2030) is not None  # the final ranking is the frozen board

    assert ceremony.move(engine, 2030, ORGANIZER, 1) == 1
    show = ceremony.ceremony(engine, 2030)
    assert show is not None and show.current is not None
    assert show.current.entries.iloc[0]["award"] == "Favorit" and show.current.entries.iloc[0]["code"] == "E10"
    for _ in range(20):  # clicking on after the Top 10 stays on the Top 10
        ceremony.move(engine, 2030, ORGANIZER, 1)
    show = ceremony.ceremony(engine, 2030)
    assert show is not None and show.step == 11 and show.current is not None and show.current.whole
    assert ceremony.move(engine, 2030, ORGANIZER, -1) == 10
    show = ceremony.ceremony(engine, 2030)
    assert show is not None and show.current is not None and show.current.entries.iloc[0]["award"] == "Juara 1"

    ceremony.end(engine, 2030, ORGANIZER)
    assert ceremony.ceremony(engine, 2030) is None
    actions = audit_actions(engine)
    assert actions[0] == "edition.ceremony.start" and actions[-1] == "edition.ceremony.end"
    assert actions.count("edition.ceremony.step") == 12  # 11 forward (the extra clicks change nothing), 1 back


def test_ending_the_freeze_ends_the_ceremony(engine: Engine) -> None:
    ceremony_edition(engine)
    ceremony.start(engine, 2030, ORGANIZER)
    freeze.reveal(engine, 2030, ORGANIZER)
    assert ceremony.ceremony(engine, 2030) is None
    with engine.connect() as connection:
        assert connection.execute(select(Edition.reveal_step)).scalar_one() is None


@pytest.mark.parametrize(
    ("status", "key"),
    [
        ("scoring", "live.ceremony.not_final"),
        ("published", "live.freeze.published"),
    ],
)
def test_the_ceremony_is_refused_for_provisional_or_published_results(engine: Engine, status: str, key: str) -> None:
    ceremony_edition(engine, status)
    before = snapshot(engine)
    with pytest.raises(WriteRefused) as refused:
        ceremony.start(engine, 2030, ORGANIZER)
    assert [problem.key for problem in refused.value.problems] == [key]
    assert snapshot(engine) == before


def test_the_ceremony_is_refused_when_the_top_ten_is_incomplete(engine: Engine) -> None:
    entries = [(f"E{i}", f"Inovasi {i}", f"Unit {i}") for i in range(1, 11)]
    scores = full_sheets({f"E{i}": 100 - i for i in range(1, 10)})
    scores[("E10", "Juri A", "Kebaruan")] = 99.0  # locked with a reason while E10 still lacked sheets
    make_edition(engine, entries=entries, scores=scores, status="locked")
    with pytest.raises(WriteRefused) as refused:
        ceremony.start(engine, 2030, ORGANIZER)
    assert refused.value.problems[0].key == "live.ceremony.incomplete"
    assert "E10" in refused.value.problems[0].text("id")


def test_only_an_organizer_drives_the_ceremony(engine: Engine) -> None:
    ceremony_edition(engine)
    with pytest.raises(WriteRefused, match="organizer"):
        ceremony.start(engine, 2030, Actor("layar", "viewer"))
    ceremony.start(engine, 2030, ORGANIZER)
    with pytest.raises(WriteRefused, match="organizer"):
        ceremony.move(engine, 2030, Actor("a", "juror", 1), 1)
    ceremony.end(engine, 2030, ORGANIZER)
    with pytest.raises(WriteRefused) as refused:
        ceremony.move(engine, 2030, ORGANIZER, 1)
    assert refused.value.problems[0].key == "live.ceremony.not_running"
