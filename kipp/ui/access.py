"""Who is on the page and what happens when it fails: the signed-in account, role checks, the page guard."""

from __future__ import annotations

import logging
import os
from collections.abc import Iterator
from contextlib import contextmanager

import streamlit as st
from sqlalchemy.engine import make_url
from sqlalchemy.exc import DatabaseError, DataError, IntegrityError

from kipp import access, auth, db
from kipp.auth import Account
from kipp.ui.cache import EDITION_KEY, engine
from kipp.ui.format import LANG_KEY, lang, plain, t

RAISE_PAGE_ERRORS = "KIPP_RAISE_PAGE_ERRORS"
PUBLIC_LIVE_SETTING = "KIPP_PUBLIC_LIVE"
USER_KEY = "user"


def public_live() -> bool:
    """Whether this deployment shows the Live page to visitors who are not signed in."""
    value = os.environ.get(PUBLIC_LIVE_SETTING)
    if value is None and st.secrets.load_if_toml_exists():
        value = st.secrets.get(PUBLIC_LIVE_SETTING)
    return str(value).strip().lower() in {"1", "true", "yes", "on"}


def current_account() -> Account | None:
    """The signed-in :class:`~kipp.auth.Account` of this session, or None.

    The sign-in screen (dashboard.py) stores it after kipp.auth checked the password;
    it is immutable, so a page cannot change who is signed in.
    """
    account = st.session_state.get(USER_KEY)
    return account if isinstance(account, Account) else None


KEEP_ON_SIGN_OUT = (LANG_KEY, EDITION_KEY)


def sign_out() -> None:
    """Forget the account and everything typed in this session (a tablet may be shared)."""
    for key in list(st.session_state.keys()):
        if key not in KEEP_ON_SIGN_OUT:
            del st.session_state[key]


def refreshed_account() -> Account | None:
    """The session's account re-read from the database on every run, or None.

    A deactivation, a changed password or demo accounts blocked by real data end the
    session at once: it is signed out with a toast saying why.
    """
    account = current_account()
    if account is None:
        return None
    try:
        fresh = auth.refresh(engine(), account)
    except auth.SignInRefused as ended:
        sign_out()
        st.toast(ended.problem.text(lang()), icon=":material/logout:")
        return None
    if fresh != account:
        st.session_state[USER_KEY] = fresh
    return fresh


def require_role(page: str) -> Account:
    """First line of a page: the signed-in account when its role may open ``page`` (kipp.access).

    Without an account the sign-in form is shown, with the wrong role a refusal; either
    way the run stops there.  It holds however the page was reached.
    """
    with guard():
        account = current_account()
        if account is None:
            from kipp.views import sign_in

            sign_in.render()
            st.stop()
        if not access.allows(page, account.role):
            st.error(t("auth.refused", role=t(f"role.{account.role}")), icon=":material/block:")
            st.stop()
    return account


def require_role_or_public(page: str) -> Account | None:
    """:func:`require_role` for a page the deployment may open to everyone: None for a public visitor."""
    if current_account() is None and page in access.PUBLIC_PAGES and public_live():
        return None
    return require_role(page)


_log = logging.getLogger("kipp")


@contextmanager
def guard() -> Iterator[None]:
    """Show a message the user can act on instead of a traceback when a page fails.

    A database fault (server down, read-only or full disk: SQLAlchemy's OperationalError
    and its kin, not a refused value) shows :func:`database_fault` and stops the run,
    always.  Any other exception shows the translated ``app.error``.  Both are logged with
    their traceback on the server.  Streamlit's own control flow (st.stop, st.rerun,
    st.switch_page) derives from BaseException and passes through untouched.  With
    ``KIPP_RAISE_PAGE_ERRORS`` set (the test suite sets it) other errors propagate, so
    AppTest sees every page failure.
    """
    try:
        yield
    except Exception as error:
        if isinstance(error, DatabaseError) and not isinstance(error, IntegrityError | DataError):
            _log.exception("The database failed; the user was shown what to check")
            database_fault()
            st.stop()
        if os.environ.get(RAISE_PAGE_ERRORS):
            raise
        _log.exception("A page failed; the user was shown app.error")
        st.error(t("app.error"), icon=":material/error:")


def database_fault() -> None:
    """The page shown when the database cannot be reached or written: what to check, no traceback."""
    url = make_url(db.default_url())
    st.title(t("db_fault.title"))
    st.error(t("db_fault.intro"), icon=":material/database_off:")
    st.caption(t("db_fault.address"))
    st.code(url.render_as_string(hide_password=True), language=None)
    path = db.sqlite_file(db.default_url())
    if path is None:
        st.markdown(t("db_fault.server", host=plain(f"{url.host or 'localhost'}:{url.port or 5432}")))
    else:
        st.markdown(t("db_fault.file", path=plain(str(path.resolve()))))
    st.caption(t("db_fault.log"))
