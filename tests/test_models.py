"""The schema itself rejects bad rows, on every backend, and leaves nothing half-written."""

import pytest
from sqlalchemy import Engine, func, select
from sqlalchemy.exc import IntegrityError

from kipp import db
from kipp.models import Criterion, Entry, Institution, Score
from tests.factories import make_edition

SCORES = {("E1", "Juri A", "Kebaruan"): 80.0}


def count(engine: Engine, table: type) -> int:
    with engine.connect() as connection:
        return connection.execute(select(func.count()).select_from(table)).scalar_one()


def add_score(
    engine: Engine,
    ids: dict,
    *,
    value: float,
    entry: str = "E1",
    juror: str = "Juri A",
    criterion: str = "Kebaruan",
    max_score: float | None = None,
) -> None:
    criterion_id, criterion_max = ids["criteria"][criterion]
    with db.write_session(engine) as session:
        session.add(
            Score(
                edition_id=ids["edition"],
                entry_id=ids["entries"][entry],
                juror_id=ids["jurors"][juror],
                criterion_id=criterion_id,
                max_score=criterion_max if max_score is None else max_score,
                value=value,
            )
        )


def test_score_above_maximum_is_rejected(engine: Engine) -> None:
    ids = make_edition(engine)
    with pytest.raises(IntegrityError, match=r"(?i)ck_score_within_max|check"):
        add_score(engine, ids, value=100.5)
    assert count(engine, Score) == 0


def test_score_cannot_claim_a_different_maximum(engine: Engine) -> None:
    ids = make_edition(engine)
    with pytest.raises(IntegrityError):
        add_score(engine, ids, value=150, max_score=200)
    assert count(engine, Score) == 0


def test_negative_score_is_rejected(engine: Engine) -> None:
    ids = make_edition(engine)
    with pytest.raises(IntegrityError):
        add_score(engine, ids, value=-1)


def test_duplicate_score_is_rejected_and_the_first_kept(engine: Engine) -> None:
    ids = make_edition(engine, scores=SCORES)
    with pytest.raises(IntegrityError, match=r"(?i)unique|uq_score_sheet_cell"):
        add_score(engine, ids, value=70)
    with engine.connect() as connection:
        assert connection.execute(select(Score.value)).scalars().all() == [80.0]


def test_duplicate_entry_code_within_an_edition_is_rejected(engine: Engine) -> None:
    ids = make_edition(engine)
    with pytest.raises(IntegrityError, match=r"(?i)unique|uq_entry_edition_code"), db.write_session(engine) as s:
        unit = s.exec(select(Institution)).scalars().first()
        s.add(Entry(edition_id=ids["edition"], code="E2", title="OK", institution_id=unit.id))
        s.add(Entry(edition_id=ids["edition"], code="E1", title="Dup", institution_id=unit.id))
    # the whole transaction was rolled back: E2 was not half-written
    assert count(engine, Entry) == 1


def test_same_code_is_allowed_in_another_edition(engine: Engine) -> None:
    make_edition(engine, year=2030)
    make_edition(engine, year=2031)
    assert count(engine, Entry) == 2


def test_weight_must_be_positive(engine: Engine) -> None:
    ids = make_edition(engine)
    with pytest.raises(IntegrityError), db.write_session(engine) as session:
        session.add(Criterion(edition_id=ids["edition"], name="Bermanfaat", weight=0, max_score=100))
    assert count(engine, Criterion) == 2


def test_score_from_a_juror_outside_the_panel_is_rejected(engine: Engine) -> None:
    ids = make_edition(engine)
    other = make_edition(engine, year=2031, jurors=("Juri Z",), entries=(("X1", "Lain", "SMPN 2 Malang"),))
    ids["jurors"]["Juri Z"] = other["jurors"]["Juri Z"]
    with pytest.raises(IntegrityError):
        add_score(engine, ids, value=50, juror="Juri Z")


def test_lowering_a_maximum_below_stored_scores_is_refused(engine: Engine) -> None:
    ids = make_edition(engine, scores=SCORES)
    with pytest.raises(IntegrityError), db.write_session(engine) as session:
        criterion = session.get(Criterion, ids["criteria"]["Kebaruan"][0])
        criterion.max_score = 50
    with engine.connect() as connection:
        assert connection.execute(select(Criterion.max_score).where(Criterion.name == "Kebaruan")).scalar() == 100


def test_raising_a_maximum_carries_over_to_its_scores(engine: Engine) -> None:
    ids = make_edition(engine, scores=SCORES)
    with db.write_session(engine) as session:
        session.get(Criterion, ids["criteria"]["Kebaruan"][0]).max_score = 120
    with engine.connect() as connection:
        assert connection.execute(select(Score.max_score)).scalar() == 120
