"""KIPP Kota Malang dashboard: the entry point (``streamlit run dashboard.py``).

Sets up the page, builds the demo database on first start, signs people in (or restores
the sign-in of this browser from its session cookie), and builds the navigation for the
signed-in role: a juror sees Score entry and My results, a viewer Live, Trends and Entries,
an organizer everything.  A visitor who is not signed in sees the sign-in screen, plus the
read-only Live page when the deployment turns on ``KIPP_PUBLIC_LIVE=1`` (environment
variable or ``st.secrets``); every other page address still opens (no "Page not found"),
and the page shows the sign-in form, so after signing in the visitor is where the link
pointed.  A projector display link (``/live?screen=big&display=<token>``) opens only its
edition's big screen: no menu, no sidebar, no sign-in form.
"""

import streamlit as st

from kipp import access, auth, ui
from kipp.models import Role
from kipp.views import sign_in

# page -> (file, title key, icon, url path); sections list pages in menu order.
PAGES = {
    "home": ("app_pages/home.py", "nav.home", ":material/home:", "home"),
    "live": ("app_pages/live.py", "nav.live", ":material/leaderboard:", "live"),
    "score": ("app_pages/score_entry.py", "nav.score", ":material/edit_note:", "score"),
    "my_results": ("app_pages/my_results.py", "nav.my_results", ":material/person:", "my-results"),
    "jurors": ("app_pages/jurors.py", "nav.jurors", ":material/groups:", "jurors"),
    "trends": ("app_pages/trends.py", "nav.trends", ":material/trending_up:", "trends"),
    "entries": ("app_pages/entries.py", "nav.entries", ":material/search:", "entries"),
    "admin": ("app_pages/admin.py", "nav.admin", ":material/settings:", "admin"),
    "audit": ("app_pages/audit.py", "nav.audit", ":material/history:", "audit"),
}
SECTIONS = {
    "nav.section_competition": ("home", "live", "score", "my_results"),
    "nav.section_analysis": ("jurors", "trends", "entries"),
    "nav.section_manage": ("admin", "audit"),
}
# What each role may open (kipp.access, which every page checks too); the first page is where it lands.
ROLE_PAGES: dict[str, tuple[str, ...]] = {role.value: access.pages_for(role.value) for role in Role}


def page(name: str, *, default: bool = False, listed: bool = True) -> st.Page:
    """The st.Page for one of the app's pages, titled in the session's language.

    An unlisted page is reachable by its address but not shown in the menu.
    """
    path, title, icon, url_path = PAGES[name]
    visibility = "visible" if listed else "hidden"
    return st.Page(path, title=ui.t(title), icon=icon, url_path=url_path, default=default, visibility=visibility)


def navigation_for(account: auth.Account | None) -> st.Page:
    """The navigation a visitor may use: their role's pages, or sign-in (and public Live).

    Signed out, every page is registered but only sign-in (and public Live) is listed: a
    typed or bookmarked address runs its page, which shows the sign-in form itself
    (ui.require_role), instead of Streamlit's English "Page not found".
    """
    if account is None:
        sign_in_page = st.Page(
            sign_in.render, title=ui.t("auth.sign_in.title"), icon=":material/login:", url_path="sign-in", default=True
        )
        listed = [name for name in access.PUBLIC_PAGES if ui.public_live()]
        pages = [sign_in_page, *(page(name, listed=name in listed) for name in PAGES)]
        return st.navigation(pages, position="sidebar" if listed else "hidden")
    allowed = ROLE_PAGES[account.role]
    sections = {}
    for section, names in SECTIONS.items():
        pages = [page(name, default=name == allowed[0]) for name in names if name in allowed]
        if pages:
            sections[ui.t(section)] = pages
    return st.navigation(sections)


def display_home() -> None:
    """A display link opened at the root address: on to the big screen, keeping the link's token."""
    st.switch_page(page("live"), query_params=st.query_params.to_dict())


st.set_page_config(page_title="KIPP Kota Malang", page_icon="🏆", layout="wide")

with ui.guard():  # the first use of the database: a fault shows what to check, and stops
    just_built = ui.ensure_database()


if ui.display_requested():  # a projector: its edition's big screen and nothing else (app_pages/live.py)
    with ui.guard():
        st.session_state[ui.EDITION_KEY] = ui.display_edition()  # a revoked link shows its message and stops
        ui.watch_display()
        home = st.Page(display_home, url_path="display", default=True, visibility="hidden")
        st.navigation([home, page("live")], position="hidden").run()
    st.stop()

user = ui.refreshed_account()
ui.write_cookie()

navigation = navigation_for(user)

with st.sidebar:
    st.caption(ui.t("app.subtitle"))
    hidden_edition = ui.pick_edition(user) if user is not None or ui.public_live() else None
    ui.language_switch()
    if user is not None:
        st.caption(ui.t("auth.signed_in_as", name=ui.plain(user.display_name), role=ui.t(f"role.{user.role}")))
        st.button(ui.t("auth.sign_out"), icon=":material/logout:", on_click=ui.sign_out, width="stretch")

if hidden_edition is not None:
    shown = ui.selected_year()
    st.warning(
        ui.t("edition.not_visible", year=ui.plain(hidden_edition), shown="–" if shown is None else shown),
        icon=":material/visibility_off:",
    )

if just_built:
    st.toast(ui.t("app.demo_built"), icon=":material/info:")

if user is not None and user.is_organizer:
    blocked = ui.demo_password_warning()
    if blocked:
        st.error(ui.t("auth.demo.blocking", accounts=ui.plain(", ".join(blocked))), icon=":material/key_off:")

with ui.guard():
    navigation.run()
