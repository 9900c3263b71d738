"""Admin › Accounts, as the organizer uses it: an account change shows in the list on the next run."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from kipp import auth, db, ui
from kipp.i18n import translate


def _tab() -> None:
    from kipp.views import admin_accounts

    admin_accounts.render()


@pytest.fixture
def app(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[AppTest]:
    url = f"sqlite:///{tmp_path / 'accounts.db'}"
    monkeypatch.setenv("DATABASE_URL", url)
    organizer = auth.create_user(
        db.get_engine(url), actor=auth.SYSTEM, username="panitia", role="organizer", password="kata-sandi-panjang-1"
    )
    at = AppTest.from_function(_tab, default_timeout=60)
    at.session_state[ui.USER_KEY] = organizer
    yield at.run()
    db.dispose_engine(url)


def _listed(at: AppTest) -> dict[str, bool]:
    return at.dataframe[0].value.set_index("username")["active"].to_dict()


def _click(at: AppTest, key: str) -> None:
    next(button for button in at.button if button.label == translate(key, "id")).click().run()
    assert not at.exception


def test_a_created_then_deactivated_account_shows_at_once(app: AppTest) -> None:
    assert _listed(app) == {"panitia": True}
    app.text_input[0].set_value("tamu-baru")
    _click(app, "accounts.create_button")
    assert _listed(app) == {"panitia": True, "tamu-baru": True}

    app.selectbox(key="accounts.pick").set_value("tamu-baru")
    _click(app, "accounts.deactivate")
    assert _listed(app)["tamu-baru"] is False
