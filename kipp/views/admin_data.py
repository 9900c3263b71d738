"""Admin section placeholder until its issue lands: says so, shows no numbers."""

import streamlit as st

from kipp import ui


def render(year: int | None) -> None:
    """Draw this Admin section."""
    st.info(ui.t("app.coming"), icon=":material/construction:")
