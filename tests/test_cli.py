"""``python -m kipp``: the parser is built from kipp.commands, years are checked, and a database
that cannot be reached or written is one clear line on stderr (exit 1), never a traceback."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import Engine

from kipp import cli, db, scoring
from kipp.choices import Role
from kipp.commands import FIRST_YEAR, LAST_YEAR, edition_year
from tests.factories import make_edition
from tests.split_editions import ADJUSTED, APART, MEAN, ROOM_OF, make_rooms_edition

CLOSED_PORT = "postgresql+psycopg://postgres:rahasia@127.0.0.1:1/x"  # nothing listens on port 1


def _arguments(command: str, db_url: str, tmp_path: Path) -> list[str]:
    """A complete command line for ``command`` against ``db_url``."""
    workbook = tmp_path / "edisi.xlsx"
    return {
        "import": ["import", str(workbook), "--edition", "2031"],
        "export": ["export", "--edition", "2030", "--out", str(tmp_path / "out.xlsx")],
        "user list": ["user", "list"],
        "user add": ["user", "add", "panitia", "--role", "organizer", "--generate"],
        "report": ["report", "--edition", "2030", "--out", str(tmp_path / "hasil.pdf")],
        "agreement": ["agreement", "--edition", "2030"],
        "leaderboard": ["leaderboard", "--edition", "2030"],
        "demo": ["demo"],
    }[command] + ["--db", db_url]


COMMANDS = ["import", "export", "user list", "user add", "report", "agreement", "leaderboard", "demo"]
WRITING = ["import", "user add", "demo"]


@pytest.fixture
def workbook(tmp_path: Path) -> Path:
    """An edition's workbook to import (exported from a small edition)."""
    source = f"sqlite:///{tmp_path / 'source.db'}"
    make_edition(db.get_engine(source), scores={("E1", "Juri A", "Kebaruan"): 80, ("E1", "Juri A", "Efektif"): 70})
    assert cli.main(["export", "--edition", "2030", "--out", str(tmp_path / "edisi.xlsx"), "--db", source]) == 0
    db.dispose_engine(source)
    return tmp_path / "edisi.xlsx"


def _make_read_only(path: Path) -> bool:
    """Make a file read-only, for root too (immutable attribute); False when this system cannot."""
    if os.geteuid() != 0:
        path.chmod(0o444)
        return True
    chattr = shutil.which("chattr")
    return chattr is not None and subprocess.run([chattr, "+i", str(path)], capture_output=True).returncode == 0


@pytest.fixture
def read_only_url(tmp_path: Path, workbook: Path) -> Iterator[str]:
    """An empty KIPP database (schema only, so even the demo may be built there) in a file nobody may write."""
    path = tmp_path / "kipp.db"
    url = f"sqlite:///{path}"
    db.get_engine(url)
    db.dispose_engine(url)
    if not _make_read_only(path):
        pytest.skip("cannot make a file read-only here (root without chattr)")
    yield url
    db.dispose_engine(url)
    if os.geteuid() == 0:
        subprocess.run(["chattr", "-i", str(path)], check=True)


def _help(capsys: pytest.CaptureFixture[str], *argv: str) -> str:
    with pytest.raises(SystemExit) as done:
        cli.main([*argv, "--help"])
    assert done.value.code == 0
    return capsys.readouterr().out


def test_help_lists_every_command_and_the_choices_come_from_their_sources(capsys: pytest.CaptureFixture[str]) -> None:
    listing = _help(capsys)
    assert all(f"    {name}" in listing for name in cli.COMMANDS)
    assert "{" + ",".join(scoring.METHODS) + "}" in _help(capsys, "leaderboard")
    assert "{" + ",".join(scoring.METHODS) + "}" in _help(capsys, "report")
    assert "{" + ",".join(role.value for role in Role) + "}" in _help(capsys, "user", "add")


@pytest.mark.parametrize("year", ["-5", "99999999999", str(FIRST_YEAR - 1), str(LAST_YEAR + 1), "2023.5", "dua"])
def test_an_edition_outside_the_sane_years_is_refused_by_the_parser(
    year: str, capsys: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(SystemExit) as done:
        cli.main(["leaderboard", "--edition", year, "--db", CLOSED_PORT])
    assert done.value.code == 2
    error = capsys.readouterr().err
    assert "argument --edition" in error and ("is not an edition year" in error or "is not a year" in error)


def test_the_first_and_last_years_are_accepted() -> None:
    assert edition_year(str(FIRST_YEAR)) == FIRST_YEAR and edition_year(str(LAST_YEAR)) == LAST_YEAR


@pytest.mark.parametrize("command", COMMANDS)
def test_a_server_that_does_not_answer_is_one_line_naming_what_to_check(
    command: str, tmp_path: Path, workbook: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert cli.main(_arguments(command, CLOSED_PORT, tmp_path)) == 1
    error = capsys.readouterr().err
    assert error.count("\n") == 1 and error.startswith("error: cannot use the database ")
    assert "is the server running" in error and "127.0.0.1:1" in error
    assert "rahasia" not in error and "***" in error  # the password is hidden


@pytest.mark.parametrize("command", WRITING)
def test_a_read_only_database_file_is_one_line_naming_what_to_check(
    command: str, read_only_url: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert cli.main(_arguments(command, read_only_url, tmp_path)) == 1
    error = capsys.readouterr().err
    assert error.count("\n") == 1 and "is the file writable" in error and "kipp.db" in error


@pytest.mark.parametrize("command", ["import", "leaderboard", "demo", "user list"])
def test_a_database_in_a_folder_that_does_not_exist_is_refused_and_nothing_is_created(
    command: str, tmp_path: Path, workbook: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = tmp_path / "tidak-ada"
    assert cli.main(_arguments(command, f"sqlite:///{folder / 'kipp.db'}", tmp_path)) == 1
    assert f"The folder {folder} does not exist" in capsys.readouterr().err
    assert not folder.exists()


def test_the_process_prints_no_traceback(tmp_path: Path) -> None:
    done = subprocess.run(
        [sys.executable, "-m", "kipp", "user", "list", "--db", CLOSED_PORT],
        cwd=db.PROJECT_ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 1
    assert "Traceback" not in done.stderr and done.stderr.count("\n") == 1


def test_domain_modules_import_neither_the_command_line_nor_the_tooling() -> None:
    """Domain modules raise their own errors; kipp.bench (benchmark, test servers) is tooling."""
    import ast

    package = db.PROJECT_ROOT / "kipp"
    allowed = {"cli.py", "__main__.py", "commands", "bench", "migrations"}
    for path in package.rglob("*.py"):
        if path.relative_to(package).parts[0] in allowed:
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            names = [a.name for a in node.names] if isinstance(node, ast.Import) else []
            if isinstance(node, ast.ImportFrom):
                names = [node.module or ""] + [f"{node.module}.{a.name}" for a in node.names]
            bad = [n for n in names if n.split(".")[:2] in (["kipp", "cli"], ["kipp", "commands"], ["kipp", "bench"])]
            assert not bad, f"{path.relative_to(package)} imports {bad}"


# --- the edition's official method and the adjusted method (issue 12) ------------------------------


def _leaderboard(engine: Engine, capsys: pytest.CaptureFixture[str], *options: str) -> dict[str, float]:
    """code -> score of ``leaderboard --format csv`` on edition 2030, in the printed order."""
    url = engine.url.render_as_string(hide_password=False)
    assert cli.main(["leaderboard", "--edition", "2030", "--format", "csv", *options, "--db", url]) == 0
    lines = capsys.readouterr().out.strip().splitlines()
    header = lines[0].split(",")
    rows = [line.split(",") for line in lines[1:]]
    return {row[header.index("code")]: float(row[header.index("score")]) for row in rows}


def test_leaderboard_ranks_a_lenient_room_fairly_with_the_adjusted_method(
    engine: Engine, capsys: pytest.CaptureFixture[str]
) -> None:
    make_rooms_edition(engine)
    scores = _leaderboard(engine, capsys, "--method", "adjusted")
    assert scores == ADJUSTED and list(scores) == ["E1", "E3", "E2", "E4"]  # E3 passes E2 once A's +6 is out
    assert _leaderboard(engine, capsys) == MEAN  # the official method here is the mean


def test_the_official_method_is_the_default_and_method_overrides_it(
    engine: Engine, capsys: pytest.CaptureFixture[str]
) -> None:
    make_rooms_edition(engine, official_method="adjusted")
    assert _leaderboard(engine, capsys) == ADJUSTED
    assert _leaderboard(engine, capsys, "--method", "mean") == MEAN
    assert cli.main(["leaderboard", "--edition", "2030", "--db", engine.url.render_as_string(hide_password=False)]) == 0
    assert "method adjusted" in capsys.readouterr().out


def test_adjusted_on_rooms_sharing_no_juror_exits_non_zero_naming_the_groups(engine: Engine) -> None:
    make_rooms_edition(engine, rooms=APART, room_of=ROOM_OF)
    url = engine.url.render_as_string(hide_password=False)
    done = subprocess.run(
        [sys.executable, "-m", "kipp", "leaderboard", "--edition", "2030", "--method", "adjusted", "--db", url],
        cwd=db.PROJECT_ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 1 and done.stdout == ""
    assert "Traceback" not in done.stderr and done.stderr.count("\n") == 1
    assert "Ruang Eboni (Juri A, Juri B; 2 entries)" in done.stderr
    assert "Ruang Meranti (Juri C, Juri D; 2 entries)" in done.stderr
    assert "at least one juror sit in both sessions" in done.stderr and "common entry" in done.stderr
