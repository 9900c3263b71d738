"""Presentation day you can trust: provisional versus final, one rule everywhere.

Provisional entries are listed after every complete entry, without a rank or an award;
awards read "(sementara)" until the edition is locked; withdrawn and absent entries leave
the ranking and their sheets count nowhere; Home lists ranked entries only; Trends never
draws an edition still in scoring (a 2024 in scoring on the demo, made by kipp.simulate).
"""

from __future__ import annotations

import csv
import dataclasses
import io
import json
from collections.abc import Iterator
from pathlib import Path

import pandas as pd
import pytest
import streamlit as st
from sqlalchemy import Engine, select, update
from streamlit.testing.v1 import AppTest

from kipp import auth, bigscreen, cli, db, documents, progress, queries, reports, scoring, simulate
from kipp.demo import build_demo
from kipp.models import Edition, Entry, User
from tests.factories import make_edition
from tests.test_scoring import ONE, by_code, make_data, totals_sheets

JURORS = ["A", "B", "C", "D"]


def presentation_day() -> scoring.EditionData:
    """P1 has 1 of 4 sheets and the highest running score; P2 2 of 4; P3 none; E1–E5 complete.

    Every complete entry shares jurors A–D, so the adjusted method is connected.
    """
    sheets = totals_sheets(
        {
            "P1": [99, None, None, None],
            "E1": [80, 82, 84, 86],
            "E2": [78, 80, 76, 74],
            "P2": [95, 97, None, None],
            "E3": [70, 72, 74, 76],
            "E4": [70, 72, 74, 76],
            "E5": [60, 65, 62, 61],
            "P3": [None, None, None, None],
        },
        JURORS,
    )
    return make_data(ONE, JURORS, ["P1", "E1", "E2", "P2", "E3", "E4", "E5", "P3"], sheets)


@pytest.mark.parametrize("method", scoring.METHODS)
def test_provisional_entries_are_unranked_and_listed_after_every_complete_entry(method: str) -> None:
    data = presentation_day()
    assert method in scoring.available_methods(data)
    board = scoring.leaderboard(data, method)
    complete = board[board["complete"]]
    provisional = board[~board["complete"]]
    assert board["code"].tolist()[: len(complete)] == complete["code"].tolist()  # complete entries first
    assert set(provisional["code"]) == {"P1", "P2", "P3"}
    assert provisional["rank"].isna().all() and provisional["award"].isna().all()
    assert provisional["tier"].isna().all() and provisional["tier_position"].isna().all()
    assert provisional["code"].tolist()[-1] == "P3" and pd.isna(provisional["score"].iloc[-1])  # no score last
    running = provisional["score"].dropna()
    assert running.is_monotonic_decreasing and len(running) == 2
    ranks = complete["rank"].tolist()
    assert ranks[0] == 1 and complete["rank"].notna().all()
    assert ranks == sorted(ranks) and max(ranks) <= len(complete)  # 1..k, no gap left by provisional ones
    assert complete["award"].notna().all()  # five complete entries, all within the Top 10
    assert by_code(board, "jurors")["P1"] == 1 and by_code(board, "panel")["P1"] == 4
    assert by_code(board, "provisional")["P2"] and by_code(board, "jurors")["P2"] == 2


def test_the_mean_ranking_of_presentation_day() -> None:
    board = scoring.leaderboard(presentation_day())
    assert board["code"].tolist() == ["E1", "E2", "E3", "E4", "E5", "P1", "P2", "P3"]
    assert board["rank"].tolist()[:5] == [1, 2, 3, 3, 5]
    assert board["award"].tolist()[:5] == ["Juara 1", "Juara 2", "Juara 3", "Juara 3", "Terbaik"]
    assert by_code(board, "score")["P1"] == 99.0 and by_code(board, "score")["P2"] == 96.0


def test_awards_go_only_to_complete_entries_even_with_few_of_them() -> None:
    sheets = totals_sheets({f"P{i}": [90 + i, None] for i in range(1, 12)} | {"E1": [50, 52]}, "AB")
    codes = [f"P{i}" for i in range(1, 12)] + ["E1"]
    board = scoring.leaderboard(make_data(ONE, ["A", "B"], codes, sheets))
    assert board["code"].iloc[0] == "E1" and board["rank"].iloc[0] == 1 and board["award"].iloc[0] == "Juara 1"
    assert board["award"].notna().sum() == 1 and board["rank"].notna().sum() == 1
    assert board["code"].iloc[1] == "P11"  # highest running score first among the provisional ones


def test_a_provisional_entry_has_no_rank_to_explain() -> None:
    data = presentation_day()
    board = scoring.leaderboard(data)
    why = progress.explain(data, board, "id-P1")
    assert pd.isna(why.row["rank"]) and why.row["provisional"]
    assert why.tied_on_score == [] and why.tied_after_tiebreak == []


def test_rank_movement_of_an_entry_that_lost_its_rank_is_unknown() -> None:
    board = scoring.leaderboard(presentation_day())
    ranks = zip(board["code"], board["rank"], strict=True)
    current = {code: (None if pd.isna(rank) else int(rank)) for code, rank in ranks}
    moves = reports.rank_movement(current, {"P1": 1, "E1": 2})
    assert moves["P1"] is None and moves["E1"] == 1


def test_the_big_screen_shows_complete_entries_only() -> None:
    board = scoring.leaderboard(presentation_day())
    headers = {name: name for name in ("rank", "title", "score", "award")}
    page = bigscreen.big_screen_html(board, title="KIPP", notes=["3 masih dinilai"], headers=headers, lang="id")
    assert page.count("<tr") == 6  # header + five complete entries
    assert "Inovasi P1" not in page and "*" not in page and "3 masih dinilai" in page


def test_the_command_gives_a_provisional_entry_an_empty_rank_and_no_award(
    engine: Engine, db_url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    scores = {
        ("E1", "Juri A", "Kebaruan"): 70,
        ("E1", "Juri A", "Efektif"): 72,
        ("E1", "Juri B", "Kebaruan"): 74,
        ("E1", "Juri B", "Efektif"): 76,
        ("E2", "Juri A", "Kebaruan"): 99,
        ("E2", "Juri A", "Efektif"): 99,
    }
    make_edition(engine, entries=[("E1", "Satu", "SMPN 1 Malang"), ("E2", "Dua", "Bappeda")], scores=scores)

    def run(fmt: str) -> str:
        status = cli.main(["leaderboard", "--edition", "2030", "--format", fmt, "--db", db_url])
        captured = capsys.readouterr()
        assert status == 0, captured.err
        return captured.out

    rows = json.loads(run("json"))
    assert [(row["code"], row["rank"], row["award"], row["complete"]) for row in rows] == [
        ("E1", 1, "Juara 1", True),
        ("E2", None, None, False),
    ]
    assert rows[1]["score"] == 99.0 and rows[1]["jurors"] == 1
    table = list(csv.DictReader(io.StringIO(run("csv"))))
    assert [(row["code"], row["rank"], row["award"], row["score"]) for row in table] == [
        ("E1", "1", "Juara 1", "73.00"),
        ("E2", "", "", "99.00"),
    ]
    lines = run("table").splitlines()
    assert lines[2].split()[:2] == ["–", "E2"]


def test_the_recap_lists_provisional_entries_after_the_ranked_ones_without_a_rank() -> None:
    recap = documents.recap_tables(presentation_day())["leaderboard"]
    assert recap["code"].tolist() == ["E1", "E2", "E3", "E4", "E5", "P1", "P2", "P3"]
    assert recap["rank"].notna().tolist() == [True] * 5 + [False] * 3
    assert recap.loc[recap["rank"].isna(), "award"].isna().all()


# --- Final only once locked; withdrawn and absent entries out of the ranking -----------------


def with_dropouts(
    sheets: dict[str, list[float | None]], statuses: dict[str, str], status: str = "scoring"
) -> scoring.EditionData:
    """One-criterion sheets by jurors A and B, some entries withdrawn or absent, in edition ``status``."""
    data = make_data(ONE, ["A", "B"], list(sheets), totals_sheets(sheets, "AB"))
    entries = data.entries.assign(entry_status=data.entries["code"].map(lambda code: statuses.get(code, "competing")))
    return dataclasses.replace(data, entries=entries, status=status)


@pytest.mark.parametrize(
    ("status", "final"), [("draft", False), ("scoring", False), ("locked", True), ("published", True)]
)
def test_awards_read_provisional_until_the_edition_is_locked(status: str, final: bool) -> None:
    board = scoring.leaderboard(with_dropouts({"E1": [90, 90], "E2": [80, 80], "E3": [95, None]}, {}, status))
    shown = scoring.shown_awards(board, "sementara").tolist()
    assert scoring.awards_final(status) is final and board["final"].tolist() == [final] * 3
    assert shown[:2] == (["Juara 1", "Juara 2"] if final else ["Juara 1 (sementara)", "Juara 2 (sementara)"])
    assert pd.isna(shown[2])  # E3 is still being scored: no award to mark


def test_a_hand_built_edition_counts_as_still_being_scored() -> None:
    board = scoring.leaderboard(make_data(ONE, ["A"], ["E1"], totals_sheets({"E1": [70]}, "A")))
    assert not board["final"].any() and board["entry_status"].tolist() == ["competing"]


@pytest.mark.parametrize("method", scoring.METHODS)
def test_an_absent_entry_moves_nobody(method: scoring.Method) -> None:
    """A's 20 on the absent E3 would lower A's mean (z-score) and A's effect (adjusted) if it counted."""
    sheets = {"E1": [70, 60], "E2": [80, 66], "E4": [75, 71], "E3": [20, None]}
    board = scoring.leaderboard(with_dropouts(sheets, {"E3": "absent"}), method)
    without = scoring.leaderboard(with_dropouts({k: v for k, v in sheets.items() if k != "E3"}, {}), method)
    assert board["code"].tolist() == [*without["code"], "E3"]  # the absent entry last
    columns = ["rank", "score", "tiebreak", "award"]
    pd.testing.assert_frame_equal(board[columns].iloc[:3], without[columns])
    row = board.set_index("code").loc["E3"]
    assert pd.isna(row["rank"]) and pd.isna(row["award"]) and pd.isna(row["score"]) and not row["provisional"]


def test_nobody_is_awaited_on_a_withdrawn_entry() -> None:
    data = with_dropouts({"E1": [70, 60], "E2": [None, None]}, {"E2": "withdrawn"})
    status = scoring.sheet_status(data).merge(data.entries[["entry_id", "code"]], on="entry_id")
    assert status.loc[status["code"] == "E2", "status"].tolist() == ["unassigned", "unassigned"]
    assert set(scoring.expected_jurors(data)["entry_id"]) == {"id-E1"}
    assert not scoring.panels_differ(data)  # a withdrawn entry is no split panel


# --- The pages, on the demo with a 2024 in scoring ------------------------------------------

APP = str(Path(__file__).resolve().parent.parent / "dashboard.py")
ORGANIZER = "panitia7"
SIMULATED_SHEETS = 24  # of 2024's 200: a few entries complete, most still being scored


@pytest.fixture(scope="module", name="live_db")
def live_db_fixture(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The demo (2020–2023 published) plus 2024 in scoring with a few sheets in, and an organizer."""
    url = f"sqlite:///{tmp_path_factory.mktemp('provisional') / 'live.db'}"
    engine = db.get_engine(url)
    build_demo(engine)
    simulate.simulate(engine, 2024, limit=SIMULATED_SHEETS, sleep=lambda _: None, report=lambda _: None)
    with db.write_session(engine) as session:
        session.add(User(username=ORGANIZER, role="organizer", password_hash="-", display_name=ORGANIZER))
    yield url
    db.dispose_engine(url)


def open_page(url: str, monkeypatch: pytest.MonkeyPatch, page: str, year: int | None = None) -> AppTest:
    """The dashboard as the organizer, in Indonesian, on ``app_pages/<page>.py`` (the newest edition or ``year``)."""
    monkeypatch.setenv("DATABASE_URL", url)
    st.cache_data.clear()
    at = AppTest.from_file(APP, default_timeout=90)
    at.session_state["user"] = auth.account(db.get_engine(url), ORGANIZER)
    at.session_state["lang"] = "id"
    at.run()
    # The edition is chosen once the app has run, as a visitor does; preset before the first run, AppTest
    # puts the picker's label in the address, which the next run would take for a typed ?edition= request.
    if year is not None:
        at.session_state["edition"] = year
    at.switch_page(f"app_pages/{page}.py").run()
    assert not at.exception, at.exception
    return at


def table_with(at: AppTest, column: str) -> pd.DataFrame:
    return next(frame.value for frame in at.dataframe if column in frame.value.columns)


def test_home_in_scoring_lists_ranked_entries_only_with_provisional_awards(
    live_db: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    board = scoring.leaderboard(queries.load_edition(db.get_engine(live_db), 2024))
    ranked = int(board["rank"].notna().sum())
    assert 0 < ranked < 10, "the simulation should leave a few complete entries and many provisional ones"
    at = open_page(live_db, monkeypatch, "home")
    top = table_with(at, "award")
    assert len(top) == ranked and (top["rank"] != "–").all()  # no unranked row fills the Top 10
    assert top["award"].str.endswith(" (sementara)").all()
    assert "sementara" in " ".join(c.value for c in at.caption)
    assert any("masih sementara" in w.value for w in at.warning)


def test_home_on_a_published_edition_shows_final_awards(live_db: str, monkeypatch: pytest.MonkeyPatch) -> None:
    top = table_with(open_page(live_db, monkeypatch, "home", 2023), "award")
    assert len(top) == 10 and top["award"].iloc[0] == "Juara 1"
    assert not top["award"].str.contains("sementara").any()


def test_home_says_how_many_entries_left_the_ranking(live_db: str, monkeypatch: pytest.MonkeyPatch) -> None:
    leader = scoring.leaderboard(queries.load_edition(db.get_engine(live_db), 2023)).iloc[0]
    set_entry_status(live_db, 2023, leader["code"], "withdrawn")
    try:
        at = open_page(live_db, monkeypatch, "home", 2023)
        top = table_with(at, "award")
        assert leader["title"] not in set(top["title"]) and top["award"].iloc[0] == "Juara 1"
        assert "1 inovasi mengundurkan diri atau tidak hadir" in " ".join(c.value for c in at.caption)
    finally:
        set_entry_status(live_db, 2023, leader["code"], "competing")


def test_trends_name_an_edition_in_scoring_and_compare_finished_editions_only(
    live_db: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    at = open_page(live_db, monkeypatch, "trends")  # 2024, in scoring, is the edition picked
    assert any("KIPP 2024 sedang berlangsung" in info.value for info in at.info)
    assert "2023" in at.subheader[0].value  # the headline is the latest finished edition
    metrics = {metric.label: (metric.value, metric.delta) for metric in at.metric}
    assert metrics["Inovasi"] == ("50", "+1")  # 2023 against 2022, as if 2024 were not there
    finished = open_page(live_db, monkeypatch, "trends", 2023)
    assert {m.label: (m.value, m.delta) for m in finished.metric} == metrics  # threshold delta included
    assert 2024 not in set(table_with(at, "award")["year"])
    assert [button for button in at.button if button.key == "documents_prepare"]  # 2024's documents stay at hand
    assert any("2024" in markdown.value for markdown in at.markdown)


def set_entry_status(url: str, year: int, code: str, status: str) -> None:
    """Test set-up: an entry withdraws (or competes again) straight in the database, bumping the data version."""
    with db.write_session(db.get_engine(url)) as session:
        edition_id = session.execute(select(Edition.id).where(Edition.year == year)).scalar_one()
        session.execute(update(Entry).where(Entry.edition_id == edition_id, Entry.code == code).values(status=status))
        session.execute(update(Edition).where(Edition.id == edition_id).values(data_version=Edition.data_version + 1))
    st.cache_data.clear()
