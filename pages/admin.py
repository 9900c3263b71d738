"""Admin: the edition's lifecycle, data import/export, accounts (organizers only)."""

import streamlit as st

from kipp import ui
from kipp.views import admin_accounts, admin_data, admin_edition

year = ui.selected_year()
st.title(ui.t("nav.admin"))
edition_tab, data_tab, accounts_tab = st.tabs(
    [ui.t("admin.tab.edition"), ui.t("admin.tab.data"), ui.t("admin.tab.accounts")]
)
with edition_tab:
    admin_edition.render(year)
with data_tab:
    admin_data.render(year)
with accounts_tab:
    admin_accounts.render()
