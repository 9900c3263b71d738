"""The demo data reproduce the published results and give analytics something to find."""

import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pandas as pd
import pytest
from sqlalchemy import Engine

from kipp import auth, db, queries, scoring
from kipp.adjustment import LOST, additive_fit, award_changes
from kipp.audit import Actor
from kipp.demo import PLANS, TOP6_2020, TOP10_2023, EditionPlan, build_demo, build_first_demo, malang_frames
from tests.factories import make_edition
from tests.test_migrations import HEAD


def test_four_editions_of_realistic_size(demo_engine: Engine) -> None:
    table = queries.editions(demo_engine).set_index("year")
    assert sorted(table.index) == [2020, 2021, 2022, 2023]
    assert table["n_entries"].between(40, 60).all()
    assert (table["n_jurors"] == 4).all()
    assert table.loc[2022, "n_entries"] == 49 and table.loc[2021, "n_entries"] == 46


def official_board(engine: Engine, year: int) -> pd.DataFrame:
    """The edition's leaderboard under its own official method (what was published)."""
    data = queries.load_edition(engine, year)
    return scoring.leaderboard(data, data.official_method)


def test_2023_published_top_ten(demo_engine: Engine) -> None:
    board = official_board(demo_engine, 2023)
    assert board["title"].head(3).tolist() == ["Si Kawan Duduk", "Mas Kadin Bersinar", "Laskar Perencana"]
    assert set(board["title"].head(10)) == set(TOP10_2023)
    assert board["award"].head(3).tolist() == ["Juara 1", "Juara 2", "Juara 3"]
    assert board["complete"].all()


def test_2020_best_six(demo_engine: Engine) -> None:
    assert official_board(demo_engine, 2020)["title"].head(6).tolist() == TOP6_2020


KNOWN_ONLY = [plan for plan in PLANS if plan.known and not plan.published]  # 2021 and 2022


@pytest.mark.parametrize("plan", KNOWN_ONLY, ids=lambda plan: str(plan.year))
def test_innovations_known_from_later_rounds_lead_their_edition(demo_engine: Engine, plan: EditionPlan) -> None:
    board = official_board(demo_engine, plan.year)
    assert set(board["title"].head(len(plan.known))) == {p.title for p in plan.known}
    assert board["complete"].all()


def test_every_edition_has_its_official_method(demo_engine: Engine) -> None:
    methods = {year: queries.load_edition(demo_engine, year).official_method for year in (2020, 2021, 2022, 2023)}
    assert methods == {2020: "mean", 2021: "mean", 2022: "adjusted", 2023: "mean"}


def test_day_one_seats_the_whole_panel_and_day_two_two_rooms_of_two(demo_engine: Engine) -> None:
    for year in (2021, 2022, 2023):
        data = queries.load_edition(demo_engine, year)
        seats = data.panels.groupby(["day", "room"])["juror_id"].apply(frozenset)
        day1, day2 = seats.loc[1], seats.loc[2]
        assert len(day1) == 1 and day1.iloc[0] == set(data.panel["juror_id"]), year
        assert len(day2) == 2 and [len(jurors) for jurors in day2] == [2, 2], year
        assert day2.iloc[0] | day2.iloc[1] == set(data.panel["juror_id"]), year  # every juror sits on day 2
        assert set(data.entries["room"]) == set(data.panels["room"]), year  # every entry has a seated session
        assert scoring.panels_differ(data)
    rooms_2023 = queries.load_edition(demo_engine, 2023).panels.drop_duplicates(["day", "room"])
    assert rooms_2023[["day", "room"]].values.tolist() == [[1, "Ruang Pinus"], [2, "Ruang Eboni"], [2, "Ruang Meranti"]]
    assert queries.load_edition(demo_engine, 2020).panels.empty  # one panel on both days


def test_only_the_seated_jurors_score_and_every_seated_juror_does(demo_engine: Engine) -> None:
    for year in (2020, 2021, 2022, 2023):
        data = queries.load_edition(demo_engine, year)
        expected = scoring.expected_jurors(data)
        sheets = data.scores[["entry_id", "juror_id"]].drop_duplicates()
        pairs = sheets.merge(expected, on=["entry_id", "juror_id"], how="outer", indicator=True)
        assert (pairs["_merge"] == "both").all(), year
        assert set(scoring.sheet_status(data)["status"]) <= {scoring.SHEET_DONE, scoring.SHEET_UNASSIGNED}
        day1 = data.entries.loc[data.entries["day"] == 1, "entry_id"]
        assert (expected.groupby("entry_id").size().loc[day1] == 4).all()


def test_the_adjusted_method_ranks_every_edition(demo_engine: Engine) -> None:
    for year in (2020, 2021, 2022, 2023):
        data = queries.load_edition(demo_engine, year)
        board = scoring.leaderboard(data, "adjusted")  # connected: the day-1 room links the day-2 rooms
        assert board["rank"].notna().all() and board["score"].between(0, 100).all()
        assert "adjusted" in scoring.available_methods(data)


def test_2022_lenient_room_lifts_an_entry_into_an_award_under_the_mean_only(demo_engine: Engine) -> None:
    data = queries.load_edition(demo_engine, 2022)
    mean, adjusted = scoring.leaderboard(data, "mean"), scoring.leaderboard(data, "adjusted")
    changes = award_changes(mean, adjusted)
    assert not changes.empty
    rooms = data.entries.set_index("entry_id")["room"]
    lost = changes.loc[changes["change"] == LOST, "entry_id"]
    assert "Ruang Akasia" in set(rooms.loc[lost])  # an invented entry of the lenient room
    published = {p.title for p in PLANS[2].known}
    assert set(adjusted["title"].head(4)) == published  # the official method matches the published result
    effects = additive_fit(
        scoring.lay_out(data).totals(), data.panel["juror"].tolist(), data.entries["room"].tolist()
    ).effects
    lenient = data.panels.loc[data.panels["room"] == "Ruang Akasia", "juror_id"]
    assert (effects[data.panel["juror_id"].isin(lenient).to_numpy()].mean()) > 2


def test_units_return_across_editions(demo_engine: Engine) -> None:
    units = {y: set(queries.load_edition(demo_engine, y).entries["institution"]) for y in (2020, 2021, 2022, 2023)}
    assert len(units[2021] & units[2020]) >= 10
    assert len(units[2023] & units[2022]) >= 10


def test_every_panel_has_a_lenient_and_a_strict_juror(demo_engine: Engine) -> None:
    for year in (2020, 2021, 2022, 2023):
        data = queries.load_edition(demo_engine, year)
        totals = scoring.juror_totals(data)
        severity = totals.groupby("juror_id")["total"].mean() - totals["total"].mean()
        assert severity.max() > 3, year
        assert severity.min() < -3, year


def test_generation_is_deterministic() -> None:
    first, second = malang_frames(), malang_frames()
    pd.testing.assert_frame_equal(first.scores, second.scores)
    assert first.entries == second.entries and first.seats == second.seats


def test_demo_command_builds_the_same_editions(tmp_path: Path, demo_engine: Engine) -> None:
    url = f"sqlite:///{tmp_path / 'somewhere.db'}"
    result = subprocess.run(
        [sys.executable, "-m", "kipp", "demo", "--db", url], capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, result.stderr
    assert "4 editions" in result.stdout
    built = db.get_engine(url)
    for year in (2020, 2023):
        ours = scoring.leaderboard(queries.load_edition(built, year))
        reference = scoring.leaderboard(queries.load_edition(demo_engine, year))
        assert ours[["code", "title", "score", "award"]].equals(reference[["code", "title", "score", "award"]])
    again = subprocess.run(  # idempotent: the demo is already there
        [sys.executable, "-m", "kipp", "demo", "--db", url], capture_output=True, text=True, check=False
    )
    assert again.returncode == 0, again.stderr
    assert len(queries.editions(built)) == 4


def kipp(*args: str) -> subprocess.CompletedProcess[str]:
    """Run ``python -m kipp`` with these arguments."""
    return subprocess.run([sys.executable, "-m", "kipp", *args], capture_output=True, text=True, check=False)


def test_demo_command_refuses_a_database_with_real_accounts(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'real.db'}"
    assert kipp("user", "add", "kabag", "--role", "organizer", "--generate", "--db", url).returncode == 0
    refused = kipp("demo", "--db", url)
    assert refused.returncode == 1
    assert "holds real data" in refused.stderr and "Traceback" not in refused.stderr
    engine = db.get_engine(url)
    assert queries.editions(engine).empty
    assert auth.list_users(engine)["username"].tolist() == ["kabag"]


def test_demo_data_and_accounts_are_refused_beside_real_data(engine: Engine) -> None:
    make_edition(engine, year=2030)
    with pytest.raises(auth.DemoRefused):
        build_demo(engine)
    with pytest.raises(auth.DemoRefused):
        auth.ensure_demo_accounts(engine)
    assert not build_first_demo(engine)
    assert auth.list_users(engine).empty and len(queries.editions(engine)) == 1


def test_the_first_start_builds_the_demo_only_into_an_empty_database(engine: Engine) -> None:
    auth.create_user(
        engine, actor=Actor("cli:kabag", "organizer"), username="kabag", role="organizer", password="kata-sandi-kantor"
    )
    assert not build_first_demo(engine)
    assert queries.editions(engine).empty
    assert auth.demo_accounts_on_offer(engine) == []


def test_several_threads_building_the_demo_at_once_build_it_once(engine: Engine) -> None:
    with ThreadPoolExecutor(max_workers=4) as pool:
        first = list(pool.map(lambda _: build_first_demo(engine), range(4)))
    assert sorted(first) == [False, False, False, True]
    with ThreadPoolExecutor(max_workers=3) as pool:
        list(pool.map(lambda _: build_demo(engine), range(3)))  # already built: nobody errors
        accounts = list(pool.map(lambda _: auth.ensure_demo_accounts(engine), range(3)))
    assert len(queries.editions(engine)) == 4
    assert [len(listed) for listed in accounts] == [6, 6, 6]


FIRST_START = "import sys; from kipp import db, demo; print(demo.build_first_demo(db.get_engine(sys.argv[1])))"


def test_processes_starting_on_a_new_database_at_once_all_succeed(empty_db_url: str) -> None:
    processes = [
        subprocess.Popen(
            [sys.executable, "-c", FIRST_START, empty_db_url], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
        )
        for _ in range(5)
    ]
    results = [(process.wait(timeout=300), *process.communicate()) for process in processes]
    assert [status for status, _, _ in results] == [0] * 5, [error for _, _, error in results]
    assert sorted(out.strip() for _, out, _ in results) == ["False"] * 4 + ["True"]
    engine = db.get_engine(empty_db_url)
    assert db.current_revision(engine) == HEAD
    assert len(queries.editions(engine)) == 4
