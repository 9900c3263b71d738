"""Imported text (titles, units, juror names, feedback) shows as typed, never as Markdown.

An edition whose entry, unit, criterion, juror and feedback carry a tracking pixel, a
phishing link, a forged heading, a colour directive and LaTeX: every page, run as each role
that may open it, must show that text only escaped wherever Streamlit renders Markdown.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import streamlit as st
from sqlalchemy import update
from streamlit.testing.v1 import AppTest

from kipp import access, auth, db, ui
from kipp.audit import Actor
from kipp.auth import Account
from kipp.models import Edition
from kipp.services import submit_sheet
from tests.factories import make_edition

ROOT = Path(__file__).resolve().parent.parent
YEAR = 2032
EVIL = "![x](http://evil.example/p.png) [Login ulang](http://evil.example) # Juara 1 :red[X] $x$"
EVIL_JUROR = "# Juri [Ketua](http://evil.example) :material/home: $y$"
EVIL_FEEDBACK = "Bagus ![p](http://evil.example/f.png)\n# Juara 1\n[Login ulang](http://evil.example) :red[!]"
EVIL_UNIT = "[Dinas](http://evil.example) :blue[Unit]"
PAGE_FILES = {
    "home": "home.py",
    "live": "live.py",
    "score": "score_entry.py",
    "my_results": "my_results.py",
    "jurors": "jurors.py",
    "trends": "trends.py",
    "entries": "entries.py",
    "admin": "admin.py",
    "audit": "audit.py",
}
TEXT_FIELDS = {"body", "label", "help", "text", "placeholder"}


@pytest.fixture
def evil(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[dict[str, Any]]:
    """A published edition full of Markdown in its imported text, with feedback written by a juror."""
    url = f"sqlite:///{tmp_path / 'evil.db'}"
    engine = db.get_engine(url)
    criteria = (("Kebaruan " + EVIL, 1.0, 100.0), ("Efektif", 1.0, 100.0))
    jurors = (EVIL_JUROR, "Juri B", "Juri C")
    entries = [("E1", EVIL, EVIL_UNIT), ("E2", "Inovasi Biasa", "Unit Dua"), ("E3", "Inovasi Lain", "Unit Tiga")]
    scores = {
        (code, juror, name): value
        for code, base in (("E1", 80), ("E2", 70), ("E3", 60))
        for juror, bias in zip(jurors, (15, 0, -5), strict=True)
        for (name, _, _), value in zip(criteria, (base + bias, base - bias), strict=True)
    }
    ids = make_edition(engine, year=YEAR, criteria=criteria, jurors=jurors, entries=entries, scores=scores)
    juror_id = ids["jurors"][EVIL_JUROR]
    author = Actor("juri", "juror", juror_id)
    submit_sheet(
        engine, actor=author, entry_id=ids["entries"]["E1"], juror_id=juror_id, values={}, feedback=EVIL_FEEDBACK
    )
    with db.write_session(engine) as session:
        session.execute(update(Edition).where(Edition.year == YEAR).values(status="published"))
    monkeypatch.setenv("DATABASE_URL", url)
    st.cache_data.clear()
    yield ids
    db.dispose_engine(url)


def texts(at: AppTest) -> list[str]:
    """Every string the app sent in a field Streamlit renders as Markdown (bodies, labels, help …)."""
    found: list[str] = []

    def collect(message: Any) -> None:
        for field, value in message.ListFields():
            if field.type == field.TYPE_MESSAGE:
                for item in [value] if hasattr(value, "ListFields") else value:
                    collect(item)
            elif field.name in TEXT_FIELDS and isinstance(value, str):
                found.append(value)

    for node in at._tree:
        if getattr(node, "proto", None) is not None and not isinstance(node.proto, str | bytes):
            collect(node.proto)
    return found


def assert_plain(bodies: list[str]) -> None:
    """No link, image, heading, colour or formula from the imported text reaches Markdown unescaped."""
    for body in bodies:
        assert "](http" not in body and "![" not in body, body
        assert not re.search(r"(^|\n)\s*#+\s*(Juara|Juri)", body), body
        assert ":red[" not in body and ":blue[" not in body and ":material/home:" not in body, body
        assert "$x$" not in body and "$y$" not in body, body


def run(page: str, account: Account, **widgets: Any) -> AppTest:
    at = AppTest.from_file(str(ROOT / "app_pages" / PAGE_FILES[page]), default_timeout=120)
    at.session_state["user"] = account
    at.session_state["edition"] = YEAR
    at.session_state["lang"] = "id"
    for key, value in widgets.items():
        at.session_state[key] = value
    at.run()
    assert not at.exception, (page, at.exception)
    return at


def accounts(ids: dict[str, Any]) -> list[Account]:
    return [
        Account(username="panitia", role="organizer", display_name=EVIL),
        Account(username="juri", role="juror", juror_id=ids["jurors"][EVIL_JUROR], display_name=EVIL_JUROR),
        Account(username="pimpinan", role="viewer", display_name=EVIL),
    ]


def test_no_page_renders_imported_text_as_markdown(evil: dict[str, Any]) -> None:
    shown: dict[str, list[str]] = {}
    e1 = evil["entries"]["E1"]
    for account in accounts(evil):
        for page in access.pages_for(account.role):
            bodies = texts(run(page, account))
            if page == "live" and account.is_organizer:
                bodies += texts(run(page, account, live_why=e1))
            if page == "jurors":
                bodies += texts(run(page, account, jurors_entry=e1))
            assert_plain(bodies)
            shown[f"{account.role}/{page}"] = bodies

    def appears(key: str, text: str) -> bool:
        return any(ui.plain(text) in body for body in shown[key])

    assert appears("organizer/entries", EVIL) and appears("viewer/entries", EVIL)  # the card's title
    assert appears("organizer/entries", "Bagus") and appears("viewer/entries", "Login ulang")  # the feedback
    assert appears("organizer/entries", EVIL_JUROR)  # the feedback's author, for organizers
    assert appears("organizer/jurors", EVIL)  # the sheets' heading
    assert appears("juror/score", EVIL_JUROR) and appears("juror/score", f"E1 · {EVIL}")
    assert appears("organizer/live", EVIL_JUROR)  # the progress grid's seat legend


def test_the_sidebar_shows_a_display_name_as_plain_text(evil: dict[str, Any]) -> None:
    engine = db.get_engine(db.default_url())
    auth.create_user(
        engine,
        actor=Actor("cli", "organizer"),
        username="kabag",
        role="organizer",
        password="kata-sandi-kantor-panjang",
        display_name=EVIL,
    )
    at = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=120)
    at.session_state["user"] = auth.account(engine, "kabag")
    at.run()
    assert not at.exception
    bodies = texts(at)
    assert_plain(bodies)
    assert any(ui.plain(EVIL) in body for body in bodies)


def test_plain_escapes_what_streamlit_markdown_interprets() -> None:
    assert ui.plain("**a** _b_ `c` <d> ~e~ |f| {g}") == r"\*\*a\*\* \_b\_ \`c\` \<d\> \~e\~ \|f\| \{g\}"
    assert ui.plain(":material/home: :red[x] $x$") == r"\:material\/home\: \:red\[x\] \$x\$"
    assert ui.plain("a\n# b\n\n- c") == r"a \# b \- c"
    assert ui.plain("www.evil.example") == r"www\.evil\.example"
