"""Every page decides its own access, however it is run: sign-in without an account, a refusal for
the wrong role, the page itself for a role the navigation offers it to (kipp.access)."""

from __future__ import annotations

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from kipp import access
from kipp.auth import Account
from kipp.i18n import translate
from kipp.models import Role

ROOT = Path(__file__).resolve().parent.parent
FILES = {"score": "score_entry.py"}
ACCOUNTS = {
    Role.organizer.value: Account(username="panitia", role="organizer", display_name="Panitia"),
    Role.juror.value: Account(username="juri", role="juror", juror_id=1, display_name="Juri"),
    Role.viewer.value: Account(username="pimpinan", role="viewer", display_name="Pimpinan"),
}


def run(page: str, account: Account | None) -> AppTest:
    at = AppTest.from_file(str(ROOT / "app_pages" / FILES.get(page, f"{page}.py")), default_timeout=120)
    if account is not None:
        at.session_state["user"] = account
    return at.run()


def refused(at: AppTest, role: str) -> bool:
    return [e.value for e in at.error] == [translate("auth.refused", "id", role=translate(f"role.{role}", "id"))]


@pytest.mark.parametrize("page", list(access.PAGE_ROLES))
def test_a_page_run_without_an_account_shows_the_sign_in_form(demo_app_url: str, page: str) -> None:
    at = run(page, None)
    assert not at.exception
    assert [t.value for t in at.title] == ["Masuk"] and "Kata sandi" in [w.label for w in at.text_input]
    assert not at.metric and not at.tabs


@pytest.mark.parametrize("role", list(ACCOUNTS))
def test_a_page_refuses_the_roles_it_is_not_for_in_indonesian(demo_app_url: str, role: str) -> None:
    for page in access.PAGE_ROLES:
        if access.allows(page, role):
            continue
        at = run(page, ACCOUNTS[role])
        assert not at.exception, page
        assert refused(at, role), (page, [e.value for e in at.error])
        assert not at.title and not at.metric and not at.dataframe, page
