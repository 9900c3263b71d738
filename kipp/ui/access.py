"""Who is on the page and what happens when it fails: the signed-in account, role checks, the page guard.

A sign-in lasts beyond one Streamlit session: :func:`sign_in` starts a database session
(kipp.auth.sessions) and puts its token in the ``kipp_session`` cookie, and a new Streamlit
session (a reload, a new tab, a reconnect) restores the account from that cookie.  Every
run re-checks the token against the database, so signing out on one tab ends every tab.
Streamlit reads cookies (``st.context.cookies``) but cannot set them from Python, so the
cookie is written by a one-line script (``st.html`` with JavaScript): SameSite=Strict,
Path=/, Max-Age of the session lifetime, Secure over https; it cannot be HttpOnly (see the
README's Security section).  A projector display link (``?display=<token>``,
kipp.auth.display) opens one edition's big screen without an account.
"""

from __future__ import annotations

import logging
import os
import re
from collections.abc import Iterator
from contextlib import contextmanager, suppress

import streamlit as st
from sqlalchemy.engine import make_url
from sqlalchemy.exc import DatabaseError, DataError, IntegrityError
from streamlit.errors import StreamlitAPIException

from kipp import access, auth, db
from kipp.auth import Account
from kipp.models import Role
from kipp.ui.cache import EDITION_KEY, edition_picker, editions, engine
from kipp.ui.format import LANG_KEY, lang, plain, t

RAISE_PAGE_ERRORS = "KIPP_RAISE_PAGE_ERRORS"
PUBLIC_LIVE_SETTING = "KIPP_PUBLIC_LIVE"
USER_KEY = "user"
PUBLIC = Account(username="", role="public")  # what a visitor who is not signed in may see: published editions
TOKEN_KEY = "sign_in_token"  # the session token of this tab's sign-in (never shown, never logged)
COOKIE_KEY = "sign_in_cookie"  # the cookie change the next run writes: ("set", token) or ("clear", "")
TRIED_KEY = "sign_in_cookie_tried"  # a cookie already found invalid in this session: not tried again
SESSION_COOKIE = "kipp_session"
TOKEN_PATTERN = re.compile(r"[A-Za-z0-9_-]{20,100}")  # what secrets.token_urlsafe makes: safe inside the script
DISPLAY_CHECK_SECONDS = 30  # how soon a projector notices its display link was revoked


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
NEWEST_EDITION_KEY = "edition_newest"  # set by a sign-in: the picker goes to the newest edition the account sees


def sign_in(account: Account) -> None:
    """Keep a just-authenticated account in this session and start a sign-in that survives a reload."""
    token = auth.start_session(engine(), account)
    st.session_state[USER_KEY] = account
    st.session_state[TOKEN_KEY] = token
    st.session_state[COOKIE_KEY] = ("set", token)
    if EDITION_KEY not in st.query_params:
        # The sign-in screen's picker was on the public's default (the newest published edition):
        # the account starts on its own (pick_edition), e.g. an organizer or a juror on the edition being scored.
        st.session_state[NEWEST_EDITION_KEY] = True


def _forget() -> None:
    """Forget the account and everything typed in this session, and clear the cookie at the next run."""
    for key in list(st.session_state.keys()):
        if key not in KEEP_ON_SIGN_OUT:
            del st.session_state[key]
    st.session_state[TRIED_KEY] = _session_cookie()
    st.session_state[COOKIE_KEY] = ("clear", "")


def sign_out() -> None:
    """Sign out everywhere this sign-in is open: end its database session, forget this tab's state."""
    token = st.session_state.get(TOKEN_KEY)
    if token:
        auth.end_session(engine(), token)
    _forget()


def write_cookie() -> None:
    """Write or clear the session cookie when this session's sign-in changed (once, then forgotten).

    A script in the page sets ``document.cookie``: the only way Streamlit 1.67 lets a
    ``streamlit run`` app set a cookie.  The token is checked to be URL-safe before it is
    put in the script.
    """
    change = st.session_state.pop(COOKIE_KEY, None)
    if change is None:
        return
    action, token = change
    if action == "set" and TOKEN_PATTERN.fullmatch(token):
        seconds = int(auth.session_lifetime().total_seconds())
        value, age = token, seconds
    else:
        value, age = "", 0
    st.html(
        "<script>document.cookie = "
        f'"{SESSION_COOKIE}={value}; Max-Age={age}; Path=/; SameSite=Strict"'
        ' + (location.protocol === "https:" ? "; Secure" : "");</script>',
        width="content",
        unsafe_allow_javascript=True,
    )


def _session_cookie() -> str | None:
    """The session token this browser sent when the tab connected (None without one, e.g. in AppTest)."""
    token = st.context.cookies.get(SESSION_COOKIE)
    return token if isinstance(token, str) and token else None


def _restored() -> Account | None:
    """The account of this browser's session cookie (a reload, a new tab), or None."""
    token = _session_cookie()
    if token is None or st.session_state.get(TRIED_KEY) == token:
        return None
    try:
        account = auth.resume(engine(), token)
    except auth.SignInRefused as ended:
        st.session_state[TRIED_KEY] = token
        st.session_state[COOKIE_KEY] = ("clear", "")
        st.toast(ended.problem.text(lang()), icon=":material/logout:")
        return None
    st.session_state[USER_KEY] = account
    st.session_state[TOKEN_KEY] = token
    return account


def refreshed_account() -> Account | None:
    """The session's account re-read from the database on every run, or None.

    A session without an account restores one from the session cookie.  Signing out on
    another tab, an expired sign-in, a deactivation, a changed password or demo accounts
    blocked by real data end the session at once: it is signed out with a toast saying why.
    """
    account = current_account()
    if account is None:
        return _restored()
    token = st.session_state.get(TOKEN_KEY)
    try:
        fresh = auth.resume(engine(), token) if token else auth.refresh(engine(), account)
    except auth.SignInRefused as ended:
        _forget()
        st.toast(ended.problem.text(lang()), icon=":material/logout:")
        return None
    if fresh != account:
        st.session_state[USER_KEY] = fresh
    return fresh


def pick_edition(account: Account | None) -> str | None:
    """Draw the edition picker over the editions ``account`` may see; returns a refused request.

    Viewers and the public see published editions only (Account.may_see); organizers see
    every edition, and jurors too, since they score the edition that is not published yet
    (their pages show only their own sheets).  An edition asked for in the address that the
    account may not see (a viewer opening ``?edition=2024`` while 2024 is being scored) is
    returned, so the page can say so instead of silently showing another one; else None.
    """
    table = editions()
    if account is None or account.role == Role.viewer.value:
        visible = table[table["status"].map((account or PUBLIC).may_see).astype(bool)]
    else:
        visible = table
    # A typed link says ?edition=2024; the picker itself writes its option's label ("2024 · KIPP …") there.
    requested = (st.query_params.get(EDITION_KEY) or "").split(" ")[0] or None
    refused = requested is not None and requested not in {str(year) for year in visible["year"]}
    if refused:
        # Once the picker has run, the parameter is bound to it and Streamlit drops a value that is no option.
        with suppress(StreamlitAPIException):
            del st.query_params[EDITION_KEY]
    if refused or st.session_state.get(EDITION_KEY) not in set(visible["year"]):
        st.session_state.pop(EDITION_KEY, None)  # e.g. kept from an organizer's sign-in on this tablet
    if st.session_state.pop(NEWEST_EDITION_KEY, False) and not visible.empty:
        st.session_state[EDITION_KEY] = int(visible["year"].iloc[0])  # set before the picker, so the browser follows
    edition_picker(visible)
    return requested if refused and requested in {str(year) for year in table["year"]} else None


def display_requested() -> bool:
    """Whether this tab was opened by a projector display link (the ``display`` query parameter)."""
    return bool(st.query_params.get(auth.DISPLAY_PARAM))


def display_edition() -> int | None:
    """The edition year a display link opens, None when the tab was not opened by one.

    A revoked or unknown link shows a plain message (no sign-in form) and stops the run.
    """
    token = st.query_params.get(auth.DISPLAY_PARAM)
    if not token:
        return None
    year = auth.display_year(engine(), token)
    if year is None:
        st.error(t("display.invalid"), icon=":material/tv_off:")
        st.stop()
    return year


@st.fragment(run_every=DISPLAY_CHECK_SECONDS)
def watch_display() -> None:
    """Rerun the whole page when this tab's display link was revoked, so the projector shows the message."""
    token = st.query_params.get(auth.DISPLAY_PARAM)
    if token and auth.display_year(engine(), token) is None:
        st.rerun(scope="app")


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
    """:func:`require_role` for a page the deployment may open to everyone: None for a public visitor.

    A projector display link makes its visitor public too, whoever is signed in (a revoked
    link shows its message and stops here).
    """
    if page in access.PUBLIC_PAGES and display_requested():
        display_edition()
        return None
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
