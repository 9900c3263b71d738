"""Placeholder until its issue lands: says so, shows no numbers."""

import streamlit as st

from kipp import ui

st.info(ui.t("app.coming"), icon=":material/construction:")
