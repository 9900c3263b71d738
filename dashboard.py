"""KIPP Kota Malang dashboard: the entry point (``streamlit run dashboard.py``).

Sets up the page, builds the demo database on first start, shows the language switch
and the edition picker shared by all pages, and routes to the pages in ``pages/``.
"""

import streamlit as st

from kipp import ui

st.set_page_config(page_title="KIPP Kota Malang", page_icon="🏆", layout="wide")

just_built = ui.ensure_database()

PAGES = {
    "nav.section_competition": [
        st.Page("pages/home.py", title=ui.t("nav.home"), icon=":material/home:", url_path="home", default=True),
        st.Page("pages/live.py", title=ui.t("nav.live"), icon=":material/leaderboard:", url_path="live"),
        st.Page("pages/score_entry.py", title=ui.t("nav.score"), icon=":material/edit_note:", url_path="score"),
        st.Page("pages/my_results.py", title=ui.t("nav.my_results"), icon=":material/person:", url_path="my-results"),
    ],
    "nav.section_analysis": [
        st.Page("pages/jurors.py", title=ui.t("nav.jurors"), icon=":material/groups:", url_path="jurors"),
        st.Page("pages/trends.py", title=ui.t("nav.trends"), icon=":material/trending_up:", url_path="trends"),
        st.Page("pages/entries.py", title=ui.t("nav.entries"), icon=":material/search:", url_path="entries"),
    ],
    "nav.section_manage": [
        st.Page("pages/admin.py", title=ui.t("nav.admin"), icon=":material/settings:", url_path="admin"),
        st.Page("pages/audit.py", title=ui.t("nav.audit"), icon=":material/history:", url_path="audit"),
    ],
}

navigation = st.navigation({ui.t(section): pages for section, pages in PAGES.items()})

with st.sidebar:
    st.caption(ui.t("app.subtitle"))
    ui.edition_picker()
    ui.language_switch()

if just_built:
    st.toast(ui.t("app.demo_built"), icon=":material/info:")

navigation.run()
