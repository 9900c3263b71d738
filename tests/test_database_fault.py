"""A database that cannot be reached or written shows a page saying what to check, not a traceback."""

from __future__ import annotations

import logging
from pathlib import Path

import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest

from kipp.i18n import translate

APP = str(Path(__file__).resolve().parent.parent / "dashboard.py")
CLOSED_PORT = "postgresql+psycopg://postgres:rahasia@127.0.0.1:1/x"


def start(monkeypatch: pytest.MonkeyPatch, url: str, lang: str = "id") -> AppTest:
    monkeypatch.setenv("DATABASE_URL", url)
    st.cache_data.clear()
    at = AppTest.from_file(APP, default_timeout=60)
    at.query_params["lang"] = lang  # a shared link's language: the fault comes before the language switch
    return at.run()


@pytest.mark.parametrize("lang", ["id", "en"])
def test_an_unreachable_server_shows_what_to_check(
    monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture, lang: str
) -> None:
    with caplog.at_level(logging.ERROR, logger="kipp"):
        at = start(monkeypatch, CLOSED_PORT, lang)
    assert not at.exception
    assert [t.value for t in at.title] == [translate("db_fault.title", lang)]
    assert [e.value for e in at.error] == [translate("db_fault.intro", lang)]
    assert at.code[0].value == "postgresql+psycopg://postgres:***@127.0.0.1:1/x"  # the password hidden
    shown = " ".join(m.value for m in at.markdown)
    assert "127\\.0\\.0\\.1\\:1" in shown and "PostgreSQL" in shown
    assert "rahasia" not in shown and "Traceback" not in shown
    assert any(record.exc_info for record in caplog.records)  # the traceback goes to the server log


def test_a_read_only_database_file_says_to_check_the_file(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, demo_urls: dict[str, str]
) -> None:
    """The file opened read-only (as a read-only mount or a full disk would refuse writes): the first write fails."""
    from kipp import db

    copy = tmp_path / "kipp.db"
    copy.write_bytes(db.sqlite_file(demo_urls["sqlite"]).read_bytes())
    at = start(monkeypatch, f"sqlite:///file:{copy}?mode=ro&uri=true")
    at = sign_in(at)
    assert not at.exception
    assert [t.value for t in at.title] == [translate("db_fault.title", "id")]
    assert "kipp\\.db" in " ".join(m.value for m in at.markdown)  # the file to check


def test_an_sqlite_uri_names_its_file_so_the_schema_lock_sits_beside_it(tmp_path: Path) -> None:
    """``file:`` URIs (read-only mounts) point at the real file; no stray ``file:`` folder is made."""
    from kipp import db

    uri = f"sqlite:///file:{tmp_path / 'kipp.db'}?mode=ro&uri=true"
    assert db.sqlite_file(uri) == tmp_path / "kipp.db"
    assert db.sqlite_file("sqlite:///data/kipp.db") == Path("data/kipp.db")


def sign_in(at: AppTest) -> AppTest:
    """A sign-in attempt, which records the attempt (a write)."""
    if not at.text_input:
        return at
    at.text_input[0].input("panitia")
    at.text_input[1].input("bukan-kata-sandinya")
    return next(b for b in at.button if b.label == "Masuk").click().run()
