"""Admin: the edition's lifecycle, data import/export, accounts (organizers only).

The tabs are keyed and track their state, so the open tab survives reruns: after an import
the page changes above them (the demo-password banner appears) and an unkeyed st.tabs
would jump back to the first tab, hiding the import's result.  The result is also a toast.
"""

import streamlit as st

from kipp import ui
from kipp.views import admin_accounts, admin_data, admin_display, admin_edition, admin_panels

ui.require_role("admin")

TAB_KEY = "admin_tab"

year = ui.selected_year()
st.title(ui.t("nav.admin"))
imported = st.session_state.get(admin_data.DONE_KEY)  # shown (and cleared) on the Import tab as well
if imported:
    st.toast(imported, icon=":material/check_circle:")
edition_tab, panels_tab, data_tab, accounts_tab, display_tab = st.tabs(
    [
        ui.t("admin.tab.edition"),
        ui.t("admin.tab.panels"),
        ui.t("admin.tab.data"),
        ui.t("admin.tab.accounts"),
        ui.t("display.tab"),
    ],
    key=TAB_KEY,
    on_change="rerun",
)
with edition_tab:
    admin_edition.render(year)
with panels_tab:
    admin_panels.render(year)
with data_tab:
    admin_data.render(year)
with accounts_tab:
    admin_accounts.render()
with display_tab:
    admin_display.render(year)
