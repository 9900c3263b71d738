"""KIPP Kota Malang dashboard: the entry point (``streamlit run dashboard.py``).

Sets up the page, builds the demo database on first start, signs people in, and builds
the navigation for the signed-in role: a juror sees Score entry and My results, a viewer
Live, Trends and Entries, an organizer everything.  A visitor who is not signed in sees
the sign-in screen, plus the read-only Live page when the deployment turns on
``KIPP_PUBLIC_LIVE=1`` (environment variable or ``st.secrets``).
"""

import os

import streamlit as st

from kipp import auth, ui
from kipp.models import Role

PUBLIC_LIVE_SETTING = "KIPP_PUBLIC_LIVE"
KEEP_ON_SIGN_OUT = (ui.LANG_KEY, ui.EDITION_KEY)

# page -> (file, title key, icon, url path); sections list pages in menu order.
PAGES = {
    "home": ("pages/home.py", "nav.home", ":material/home:", "home"),
    "live": ("pages/live.py", "nav.live", ":material/leaderboard:", "live"),
    "score": ("pages/score_entry.py", "nav.score", ":material/edit_note:", "score"),
    "my_results": ("pages/my_results.py", "nav.my_results", ":material/person:", "my-results"),
    "jurors": ("pages/jurors.py", "nav.jurors", ":material/groups:", "jurors"),
    "trends": ("pages/trends.py", "nav.trends", ":material/trending_up:", "trends"),
    "entries": ("pages/entries.py", "nav.entries", ":material/search:", "entries"),
    "admin": ("pages/admin.py", "nav.admin", ":material/settings:", "admin"),
    "audit": ("pages/audit.py", "nav.audit", ":material/history:", "audit"),
}
SECTIONS = {
    "nav.section_competition": ("home", "live", "score", "my_results"),
    "nav.section_analysis": ("jurors", "trends", "entries"),
    "nav.section_manage": ("admin", "audit"),
}
# What each role may open; the first page is where the role lands after signing in.
ROLE_PAGES: dict[str, tuple[str, ...]] = {
    Role.organizer.value: tuple(PAGES),
    Role.juror.value: ("score", "my_results"),
    Role.viewer.value: ("live", "trends", "entries"),
}


def public_live() -> bool:
    """Whether this deployment shows the Live page to visitors who are not signed in."""
    value = os.environ.get(PUBLIC_LIVE_SETTING)
    if value is None and st.secrets.load_if_toml_exists():
        value = st.secrets.get(PUBLIC_LIVE_SETTING)
    return str(value).strip().lower() in {"1", "true", "yes", "on"}


def sign_out() -> None:
    """Forget the account and everything typed in this session (a tablet may be shared)."""
    for key in list(st.session_state.keys()):
        if key not in KEEP_ON_SIGN_OUT:
            del st.session_state[key]


def sign_in_page() -> None:
    """The sign-in screen: username and password, with a clear reason when refused."""
    st.title(ui.t("auth.sign_in.title"))
    st.write(ui.t("auth.sign_in.intro"))
    with st.form("sign_in"):
        username = st.text_input(ui.t("auth.username"), autocomplete="username")
        password = st.text_input(ui.t("auth.password"), type="password", autocomplete="current-password")
        submitted = st.form_submit_button(ui.t("auth.sign_in.button"), type="primary")
    if submitted:
        if not username.strip() or not password:
            st.error(ui.t("auth.sign_in.missing"))
        else:
            try:
                account = auth.authenticate(ui.engine(), username, password, client=st.context.ip_address)
            except auth.SignInRefused as refused:
                st.error(refused.problem.text(ui.lang()), icon=":material/lock:")
            else:
                st.session_state[ui.USER_KEY] = account
                st.rerun()
    demo = auth.demo_accounts_on_offer(ui.engine())
    if demo:
        with st.expander(ui.t("auth.demo.heading"), icon=":material/science:"):
            st.caption(ui.t("auth.demo.note"))
            st.dataframe(
                [
                    {
                        ui.t("auth.username"): item.username,
                        ui.t("auth.role"): ui.t(f"role.{item.role}"),
                        ui.t("auth.password"): item.password,
                        ui.t("auth.juror"): item.juror or "",
                    }
                    for item in demo
                ],
                hide_index=True,
                width="stretch",
            )


def page(name: str, *, default: bool = False) -> st.Page:
    """The st.Page for one of the app's pages, titled in the session's language."""
    path, title, icon, url_path = PAGES[name]
    return st.Page(path, title=ui.t(title), icon=icon, url_path=url_path, default=default)


def navigation_for(account: dict | None) -> st.Page:
    """The navigation a visitor may use: their role's pages, or sign-in (and public Live)."""
    if account is None:
        pages = [st.Page(sign_in_page, title=ui.t("auth.sign_in.title"), icon=":material/login:",
                         url_path="sign-in", default=True)]  # fmt: skip
        if public_live():
            pages.append(page("live"))
        return st.navigation(pages)
    allowed = ROLE_PAGES[account.role]
    sections = {}
    for section, names in SECTIONS.items():
        pages = [page(name, default=name == allowed[0]) for name in names if name in allowed]
        if pages:
            sections[ui.t(section)] = pages
    return st.navigation(sections)


st.set_page_config(page_title="KIPP Kota Malang", page_icon="🏆", layout="wide")

just_built = ui.ensure_database()

user = ui.current_account()
if user is not None:
    # Re-read the account on every run: a deactivated account, a changed password or a blocked demo signs out at once.
    try:
        fresh = auth.refresh(ui.engine(), user)
    except auth.SignInRefused as ended:
        sign_out()
        st.toast(ended.problem.text(ui.lang()), icon=":material/logout:")
        fresh = None
    else:
        if fresh != user:
            st.session_state[ui.USER_KEY] = fresh
    user = fresh

navigation = navigation_for(user)

with st.sidebar:
    st.caption(ui.t("app.subtitle"))
    if user is not None or public_live():
        ui.edition_picker()
    ui.language_switch()
    if user is not None:
        st.caption(ui.t("auth.signed_in_as", name=user.display_name, role=ui.t(f"role.{user.role}")))
        st.button(ui.t("auth.sign_out"), icon=":material/logout:", on_click=sign_out, width="stretch")

if just_built:
    st.toast(ui.t("app.demo_built"), icon=":material/info:")

if user is not None and user.is_organizer:
    blocked = auth.demo_password_warning(ui.engine())
    if blocked:
        st.error(ui.t("auth.demo.blocking", accounts=", ".join(blocked)), icon=":material/key_off:")

with ui.guard():
    navigation.run()
