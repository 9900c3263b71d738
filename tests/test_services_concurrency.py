"""Four jurors saving all their sheets at the same moment: every score stored exactly once, no error."""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor

import pytest
from sqlalchemy import Engine, func, select

from kipp import db, queries, scoring, services
from kipp.audit import Actor
from kipp.models import AuditLog, Edition, Score
from tests.factories import make_edition

N_ENTRIES = 60
JURORS = ("Juri A", "Juri B", "Juri C", "Juri D")
CRITERIA = tuple((name, 1.0, 100.0) for name in ("Kebaruan", "Efektif", "Bermanfaat", "Replikasi", "Berkelanjutan"))


def value(entry: int, juror: int, criterion: int) -> float:
    """A distinct, valid score per cell, so a mixed-up write would show."""
    return float((entry * 7 + juror * 13 + criterion * 3) % 101)


@pytest.mark.slow
def test_four_jurors_saving_sixty_sheets_at_once(engine: Engine) -> None:
    entries = [(f"E{i:02d}", f"Inovasi {i}", "SMPN 1 Malang") for i in range(N_ENTRIES)]
    ids = make_edition(engine, criteria=CRITERIA, jurors=JURORS, entries=entries)
    criterion_ids = [ids["criteria"][name][0] for name, _, _ in CRITERIA]
    entry_ids = [ids["entries"][code] for code, _, _ in entries]
    start = threading.Barrier(len(JURORS))

    def score_everything(seat: int) -> int:
        juror_id = ids["jurors"][JURORS[seat]]
        actor = Actor(f"juri{seat + 1}", "juror", juror_id)
        start.wait()
        for e, entry_id in enumerate(entry_ids):
            values = {c: value(e, seat, k) for k, c in enumerate(criterion_ids)}
            services.submit_sheet(
                engine, actor=actor, entry_id=entry_id, juror_id=juror_id, values=values, feedback=f"Masukan {seat}/{e}"
            )
        return seat

    with ThreadPoolExecutor(max_workers=len(JURORS)) as pool:
        assert sorted(pool.map(score_everything, range(len(JURORS)))) == [0, 1, 2, 3]

    with db.read_session(engine) as session:
        rows = session.execute(select(Score.entry_id, Score.juror_id, Score.criterion_id, Score.value)).all()
        audited = session.scalar(select(func.count()).select_from(AuditLog).where(AuditLog.action == "score.create"))
        version = session.scalar(select(Edition.data_version))
    cells = {(e, j, c): v for e, j, c, v in rows}
    assert len(rows) == len(cells) == N_ENTRIES * len(JURORS) * len(CRITERIA)
    expected = {
        (entry_id, ids["jurors"][name], c): value(e, seat, k)
        for e, entry_id in enumerate(entry_ids)
        for seat, name in enumerate(JURORS)
        for k, c in enumerate(criterion_ids)
    }
    assert cells == expected
    assert audited == len(rows)
    assert version == N_ENTRIES * len(JURORS)
    board = scoring.leaderboard(queries.load_edition(engine, 2030))
    assert board["complete"].all() and (board["jurors"] == len(JURORS)).all()


def test_the_same_sheet_saved_twice_at_once_is_stored_once(engine: Engine) -> None:
    ids = make_edition(engine, criteria=CRITERIA, jurors=JURORS[:1])
    juror_id, entry_id = ids["jurors"]["Juri A"], ids["entries"]["E1"]
    values = {ids["criteria"][name][0]: 70 for name, _, _ in CRITERIA}
    start = threading.Barrier(2)

    def save(_: int) -> services.SheetResult:
        start.wait()
        return services.submit_sheet(
            engine, actor=Actor("juri1", "juror", juror_id), entry_id=entry_id, juror_id=juror_id, values=values
        )

    with ThreadPoolExecutor(max_workers=2) as pool:
        results = list(pool.map(save, range(2)))
    assert sorted((r.created, r.unchanged) for r in results) == [(0, 5), (5, 0)]
    with db.read_session(engine) as session:
        assert session.scalar(select(func.count()).select_from(Score)) == len(CRITERIA)
