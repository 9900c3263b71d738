"""The write path: who may write which sheet, when, with what values, and the audit trail it leaves."""

from __future__ import annotations

import json
import math

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import Engine, func, select

from kipp import db, queries, scoring, services, sheets
from kipp.audit import Actor, WriteRefused
from kipp.models import AuditLog, Edition, Feedback, Score
from tests.factories import make_edition

CRITERIA = (("Kebaruan", 2.0, 100.0), ("Efektif", 1.0, 50.0))
JURORS = ("Juri A", "Juri B")
ENTRIES = (("E1", "Inovasi Satu", "SMPN 1 Malang"), ("E2", "Inovasi Dua", "Puskesmas Janti"))
ORGANIZER = Actor("panitia", "organizer")


@pytest.fixture
def ids(engine: Engine) -> dict:
    return make_edition(engine, criteria=CRITERIA, jurors=JURORS, entries=ENTRIES)


def juror(ids: dict, name: str = "Juri A") -> Actor:
    return Actor(f"user-{name[-1].lower()}", "juror", ids["jurors"][name])


def sheet(ids: dict, kebaruan: object = 80, efektif: object = 40) -> dict[int, object]:
    return {ids["criteria"]["Kebaruan"][0]: kebaruan, ids["criteria"]["Efektif"][0]: efektif}


def stored(engine: Engine) -> dict[tuple[int, int, int], float]:
    with db.read_session(engine) as session:
        return {(s.entry_id, s.juror_id, s.criterion_id): s.value for s in session.scalars(select(Score))}


def audit_rows(engine: Engine) -> list[AuditLog]:
    with db.read_session(engine) as session:
        return list(session.scalars(select(AuditLog).order_by(AuditLog.id)))


def data_version(engine: Engine) -> int:
    with db.read_session(engine) as session:
        return session.scalar(select(Edition.data_version))


def keys(refused: pytest.ExceptionInfo[WriteRefused]) -> set[str]:
    return {problem.key for problem in refused.value.problems}


def test_a_juror_saves_their_own_sheet_and_it_counts(engine: Engine, ids: dict) -> None:
    result = services.submit_sheet(
        engine,
        actor=juror(ids),
        entry_id=ids["entries"]["E1"],
        juror_id=ids["jurors"]["Juri A"],
        values=sheet(ids, "85,5", 40),
        feedback="Perkuat data dampak.",
    )
    assert (result.created, result.updated, result.complete, result.feedback_changed) == (2, 0, True, True)
    totals = scoring.juror_totals(queries.load_edition(engine, 2030))
    # T = 100 * (2*85.5/100 + 1*40/50) / 3
    assert totals["total"].iloc[0] == pytest.approx(100 * (2 * 0.855 + 0.8) / 3)
    assert data_version(engine) == 1


def test_a_juror_cannot_write_another_jurors_sheet(engine: Engine, ids: dict) -> None:
    with pytest.raises(WriteRefused) as refused:
        services.submit_sheet(
            engine,
            actor=juror(ids, "Juri A"),
            entry_id=ids["entries"]["E1"],
            juror_id=ids["jurors"]["Juri B"],
            values=sheet(ids),
        )
    assert keys(refused) == {"services.not_your_sheet"}
    assert stored(engine) == {} and audit_rows(engine) == []


@pytest.mark.parametrize("role", ["viewer", "guest"])
def test_other_roles_cannot_write_scores(engine: Engine, ids: dict, role: str) -> None:
    with pytest.raises(WriteRefused) as refused:
        services.submit_sheet(
            engine,
            actor=Actor("x", role),
            entry_id=ids["entries"]["E1"],
            juror_id=ids["jurors"]["Juri A"],
            values=sheet(ids),
        )
    assert keys(refused) == {"services.not_allowed"}
    assert stored(engine) == {}


@pytest.mark.parametrize("status", ["locked", "published", "draft"])
def test_an_edition_outside_scoring_refuses_every_write(engine: Engine, status: str) -> None:
    ids = make_edition(engine, criteria=CRITERIA, jurors=JURORS, entries=ENTRIES, status=status)
    entry, juror_a = ids["entries"]["E1"], ids["jurors"]["Juri A"]
    with pytest.raises(WriteRefused) as refused:
        services.submit_sheet(engine, actor=juror(ids), entry_id=entry, juror_id=juror_a, values=sheet(ids))
    expected = "services.edition_not_scoring" if status == "draft" else "services.edition_frozen"
    assert keys(refused) == {expected}
    assert str(2030) in refused.value.problems[0].text("en")
    with pytest.raises(WriteRefused):
        services.submit_sheet(
            engine, actor=ORGANIZER, entry_id=entry, juror_id=juror_a, values=sheet(ids), reason="koreksi"
        )
    if status != "draft":
        with pytest.raises(WriteRefused):
            services.add_recusal(engine, actor=ORGANIZER, entry_id=entry, juror_id=juror_a, reason="kerabat")
    assert stored(engine) == {} and audit_rows(engine) == []


def test_locking_freezes_scores_already_given(engine: Engine, ids: dict) -> None:
    entry, juror_a = ids["entries"]["E1"], ids["jurors"]["Juri A"]
    services.submit_sheet(engine, actor=juror(ids), entry_id=entry, juror_id=juror_a, values=sheet(ids))
    services.advance_status(engine, actor=ORGANIZER, year=2030, to="locked", reason="waktu habis")
    with pytest.raises(WriteRefused) as refused:
        services.submit_sheet(engine, actor=juror(ids), entry_id=entry, juror_id=juror_a, values=sheet(ids, 10, 10))
    assert keys(refused) == {"services.edition_frozen"}
    assert refused.value.problems[0].text("id") == ("Edisi 2030 berstatus Dikunci: nilainya tidak dapat diubah lagi.")
    assert sorted(stored(engine).values()) == [40.0, 80.0]


@pytest.mark.parametrize(
    ("raw", "key"),
    [
        (101, "services.out_of_range"),
        (-1, "services.out_of_range"),
        (-0.01, "services.out_of_range"),
        (math.nan, "services.not_a_number"),
        (math.inf, "services.not_a_number"),
        ("delapan puluh", "services.not_a_number"),
        ("", "services.not_a_number"),
        (None, "services.not_a_number"),
        (True, "services.not_a_number"),
        ("1e400", "services.not_a_number"),
    ],
)
def test_bad_values_are_refused_with_a_clear_message_and_nothing_is_written(
    engine: Engine, ids: dict, raw: object, key: str
) -> None:
    with pytest.raises(WriteRefused) as refused:
        services.submit_sheet(
            engine,
            actor=juror(ids),
            entry_id=ids["entries"]["E1"],
            juror_id=ids["jurors"]["Juri A"],
            values=sheet(ids, raw, 40),
            feedback="tidak boleh tersimpan",
        )
    problem = refused.value.problems[0]
    assert [p.key for p in refused.value.problems] == [key]
    assert problem.criterion_id == ids["criteria"]["Kebaruan"][0]
    assert "Kebaruan" in problem.text("id") and "100" in problem.text("id")
    assert stored(engine) == {} and audit_rows(engine) == [] and data_version(engine) == 0
    with db.read_session(engine) as session:
        assert session.scalar(select(func.count()).select_from(Feedback)) == 0


def test_every_problem_is_reported_at_once(engine: Engine, ids: dict) -> None:
    with pytest.raises(WriteRefused) as refused:
        services.submit_sheet(
            engine,
            actor=juror(ids),
            entry_id=ids["entries"]["E1"],
            juror_id=ids["jurors"]["Juri A"],
            values={**sheet(ids, 120, "x"), 99_999: 5},
        )
    assert sorted(p.key for p in refused.value.problems) == [
        "services.not_a_number",
        "services.out_of_range",
        "services.unknown_criterion",
    ]
    assert "51" not in refused.value.problems[0].text("en")


def test_a_criterion_of_another_edition_is_refused(engine: Engine, ids: dict) -> None:
    other = make_edition(engine, year=2031, criteria=CRITERIA, jurors=JURORS, entries=ENTRIES)
    with pytest.raises(WriteRefused) as refused:
        services.submit_sheet(
            engine,
            actor=juror(ids),
            entry_id=ids["entries"]["E1"],
            juror_id=ids["jurors"]["Juri A"],
            values={other["criteria"]["Kebaruan"][0]: 50},
        )
    assert keys(refused) == {"services.unknown_criterion"}


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(value=st.one_of(st.floats(allow_nan=True, allow_infinity=True), st.text(max_size=8), st.integers()))
def test_only_numbers_within_zero_and_max_are_ever_stored(engine: Engine, ids: dict, value: object) -> None:
    entry, juror_a = ids["entries"]["E2"], ids["jurors"]["Juri A"]
    criterion = ids["criteria"]["Efektif"][0]
    parsed = services.parse_score(value)
    try:
        services.submit_sheet(engine, actor=juror(ids), entry_id=entry, juror_id=juror_a, values={criterion: value})
    except WriteRefused:
        assert parsed is None or not 0 <= parsed <= 50
        return
    assert parsed is not None and 0 <= parsed <= 50
    assert stored(engine)[(entry, juror_a, criterion)] == parsed


def test_every_accepted_change_is_audited_with_old_and_new_values(engine: Engine, ids: dict) -> None:
    entry, juror_a = ids["entries"]["E1"], ids["jurors"]["Juri A"]
    kebaruan = ids["criteria"]["Kebaruan"][0]
    services.submit_sheet(engine, actor=juror(ids), entry_id=entry, juror_id=juror_a, values={kebaruan: 70})
    services.submit_sheet(engine, actor=juror(ids), entry_id=entry, juror_id=juror_a, values=sheet(ids, 75, 40))
    unchanged = services.submit_sheet(
        engine, actor=juror(ids), entry_id=entry, juror_id=juror_a, values=sheet(ids, 75, 40)
    )
    services.submit_sheet(
        engine, actor=ORGANIZER, entry_id=entry, juror_id=juror_a, values={kebaruan: 57}, reason="salah ketik 75"
    )
    assert unchanged.unchanged == 2 and unchanged.created == unchanged.updated == 0
    rows = [(r.actor, r.action, r.entity_key, r.old_value, r.new_value, r.reason) for r in audit_rows(engine)]
    assert rows == [
        ("user-a", "score.create", "2030/E1/Juri A/Kebaruan", None, "70.0", None),
        ("user-a", "score.update", "2030/E1/Juri A/Kebaruan", "70.0", "75.0", None),
        ("user-a", "score.create", "2030/E1/Juri A/Efektif", None, "40.0", None),
        ("panitia", "score.correct", "2030/E1/Juri A/Kebaruan", "75.0", "57.0", "salah ketik 75"),
    ]
    assert stored(engine)[(entry, juror_a, kebaruan)] == 57
    assert data_version(engine) == 3  # the unchanged save did not bump it


def test_an_organizer_correction_needs_a_written_reason(engine: Engine, ids: dict) -> None:
    for reason in (None, "", "   "):
        with pytest.raises(WriteRefused) as refused:
            services.submit_sheet(
                engine,
                actor=ORGANIZER,
                entry_id=ids["entries"]["E1"],
                juror_id=ids["jurors"]["Juri B"],
                values=sheet(ids),
                reason=reason,
            )
        assert keys(refused) == {"services.reason_required"}
    assert stored(engine) == {}


def test_feedback_creation_change_and_removal_are_audited(engine: Engine, ids: dict) -> None:
    entry, juror_a = ids["entries"]["E1"], ids["jurors"]["Juri A"]
    for text in ("Bagus.", "Bagus.", "Perkuat data.", "  "):
        services.submit_sheet(engine, actor=juror(ids), entry_id=entry, juror_id=juror_a, values={}, feedback=text)
    rows = [(r.action, r.old_value, r.new_value) for r in audit_rows(engine)]
    assert rows == [
        ("feedback.create", None, json.dumps("Bagus.")),
        ("feedback.update", json.dumps("Bagus."), json.dumps("Perkuat data.")),
        ("feedback.delete", json.dumps("Perkuat data."), None),
    ]
    assert queries.sheet_feedback(engine, entry, juror_a) == ""


def test_a_recused_jurors_entry_counts_as_complete(engine: Engine, ids: dict) -> None:
    e1, a, b = ids["entries"]["E1"], ids["jurors"]["Juri A"], ids["jurors"]["Juri B"]
    services.submit_sheet(engine, actor=juror(ids, "Juri A"), entry_id=e1, juror_id=a, values=sheet(ids))
    services.submit_sheet(
        engine, actor=juror(ids, "Juri B"), entry_id=e1, juror_id=b, values={ids["criteria"]["Kebaruan"][0]: 10}
    )
    board = scoring.leaderboard(queries.load_edition(engine, 2030)).set_index("code")
    assert not board.loc["E1", "complete"]

    removed = services.add_recusal(engine, actor=ORGANIZER, entry_id=e1, juror_id=b, reason="Juri B kerabat ketua tim")
    board = scoring.leaderboard(queries.load_edition(engine, 2030)).set_index("code")
    assert removed == 1
    assert board.loc["E1", "complete"] and board.loc["E1", "panel"] == 1 and board.loc["E1", "jurors"] == 1
    assert board.loc["E1", "score"] == pytest.approx(100 * (2 * 0.8 + 0.8) / 3, abs=0.005)
    actions = [(r.action, r.old_value, r.reason) for r in audit_rows(engine)][-2:]
    assert actions == [
        ("score.delete", "10.0", "Juri B kerabat ketua tim"),
        ("recusal.add", None, "Juri B kerabat ketua tim"),
    ]

    with pytest.raises(WriteRefused) as refused:
        services.submit_sheet(engine, actor=juror(ids, "Juri B"), entry_id=e1, juror_id=b, values=sheet(ids))
    assert keys(refused) == {"services.recused"}
    status = sheets.juror_queue(queries.load_edition(engine, 2030), b).set_index("code")["status"]
    assert status["E1"] == scoring.SHEET_RECUSED


def test_recusals_are_for_organizers_with_a_reason_and_can_be_lifted(engine: Engine, ids: dict) -> None:
    e1, b = ids["entries"]["E1"], ids["jurors"]["Juri B"]
    with pytest.raises(WriteRefused) as refused:
        services.add_recusal(engine, actor=juror(ids, "Juri B"), entry_id=e1, juror_id=b, reason="")
    assert keys(refused) == {"services.organizer_only", "services.reason_required"}
    services.add_recusal(engine, actor=ORGANIZER, entry_id=e1, juror_id=b, reason="kerabat")
    with pytest.raises(WriteRefused) as refused:
        services.add_recusal(engine, actor=ORGANIZER, entry_id=e1, juror_id=b, reason="lagi")
    assert keys(refused) == {"services.already_recused"}
    assert queries.recusals(engine, 2030)["juror"].tolist() == ["Juri B"]
    services.remove_recusal(engine, actor=ORGANIZER, entry_id=e1, juror_id=b, reason="salah pilih juri")
    assert queries.recusals(engine, 2030).empty
    services.submit_sheet(engine, actor=juror(ids, "Juri B"), entry_id=e1, juror_id=b, values=sheet(ids))
    assert len(stored(engine)) == 2


def test_the_lifecycle_moves_one_step_forward_with_an_audit_record(engine: Engine) -> None:
    make_edition(engine, criteria=CRITERIA, jurors=JURORS, entries=ENTRIES, status="draft")
    with pytest.raises(WriteRefused) as refused:
        services.advance_status(engine, actor=ORGANIZER, year=2030, to="locked")
    assert keys(refused) == {"services.bad_transition"}
    assert "draft → scoring" in refused.value.problems[0].text("en")
    with pytest.raises(WriteRefused) as refused:
        services.advance_status(engine, actor=Actor("juri", "juror", 1), year=2030, to="scoring")
    assert keys(refused) == {"services.organizer_only"}

    assert services.advance_status(engine, actor=ORGANIZER, year=2030, to="scoring") == "draft"
    with pytest.raises(WriteRefused) as refused:
        services.advance_status(engine, actor=ORGANIZER, year=2030, to="locked")
    assert keys(refused) == {"services.lock_incomplete"}
    services.advance_status(engine, actor=ORGANIZER, year=2030, to="locked", reason="E2 tidak hadir")
    services.advance_status(engine, actor=ORGANIZER, year=2030, to="published")
    with pytest.raises(WriteRefused):
        services.advance_status(engine, actor=ORGANIZER, year=2030, to="scoring")
    moves = [(r.old_value, r.new_value, r.reason) for r in audit_rows(engine) if r.action == "edition.status"]
    assert moves == [
        ('"draft"', '"scoring"', None),
        ('"scoring"', '"locked"', "E2 tidak hadir"),
        ('"locked"', '"published"', None),
    ]
    assert queries.edition_record(engine, 2030)["status"] == "published"


def test_scoring_cannot_open_on_an_empty_edition(engine: Engine) -> None:
    make_edition(engine, criteria=(), jurors=(), entries=(), status="draft")
    with pytest.raises(WriteRefused) as refused:
        services.advance_status(engine, actor=ORGANIZER, year=2030, to="scoring")
    assert keys(refused) == {"services.needs_criteria", "services.needs_panel", "services.needs_entries"}


def test_the_queue_follows_the_schedule_and_starts_at_the_next_unscored_entry(engine: Engine) -> None:
    ids = make_edition(
        engine,
        criteria=CRITERIA,
        jurors=JURORS,
        entries=[(f"E{i}", f"Inovasi {i}", "SMPN 1 Malang") for i in (3, 1, 2)],
    )
    a = ids["jurors"]["Juri A"]
    services.submit_sheet(engine, actor=juror(ids), entry_id=ids["entries"]["E3"], juror_id=a, values=sheet(ids))
    queue = sheets.juror_queue(queries.load_edition(engine, 2030), a)
    assert queue["code"].tolist() == ["E3", "E1", "E2"]  # slot order, not code order
    assert queue["status"].tolist() == ["done", "missing", "missing"]
    assert sheets.next_entry(queue) == ids["entries"]["E1"]


def test_the_running_total_is_the_leaderboards_juror_total(engine: Engine, ids: dict) -> None:
    data = queries.load_edition(engine, 2030)
    kebaruan, efektif = ids["criteria"]["Kebaruan"][0], ids["criteria"]["Efektif"][0]
    assert sheets.running_total(data.criteria, {kebaruan: 90.0, efektif: None}) == pytest.approx(60.0)
    services.submit_sheet(
        engine,
        actor=juror(ids),
        entry_id=ids["entries"]["E1"],
        juror_id=ids["jurors"]["Juri A"],
        values={kebaruan: 90, efektif: 25},
    )
    totals = scoring.juror_totals(queries.load_edition(engine, 2030))
    assert sheets.running_total(data.criteria, {kebaruan: 90.0, efektif: 25.0}) == pytest.approx(
        totals["total"].iloc[0]
    )


def test_the_audit_trail_reads_back_with_filters(engine: Engine, ids: dict) -> None:
    entry, a = ids["entries"]["E1"], ids["jurors"]["Juri A"]
    services.submit_sheet(engine, actor=juror(ids), entry_id=entry, juror_id=a, values=sheet(ids))
    services.submit_sheet(engine, actor=ORGANIZER, entry_id=entry, juror_id=a, values=sheet(ids, 81), reason="r")
    trail = queries.audit_trail(engine)
    assert trail["action"].tolist() == ["score.correct", "score.create", "score.create"]
    assert trail.iloc[0][["old_value", "new_value", "reason", "year"]].tolist() == ["80", "81", "r", 2030]
    assert queries.audit_trail(engine, actors=["panitia"])["actor"].unique().tolist() == ["panitia"]
    assert len(queries.audit_trail(engine, actions=["score.create"], years=[2030])) == 2
    today = trail["at"].iloc[0].date()
    assert len(queries.audit_trail(engine, start=today, end=today)) == 3
    assert queries.audit_trail(engine, end=today.replace(year=today.year - 1)).empty
    facets = queries.audit_facets(engine)
    assert facets == {"actors": ["panitia", "user-a"], "actions": ["score.correct", "score.create"], "years": [2030]}
