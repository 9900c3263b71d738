"""The edition's official method, said where a ranking is shown: which method ranks, or why another one does."""

from __future__ import annotations

import streamlit as st

from kipp import ui


def official_method_note(year: int) -> None:
    """A caption naming the official method, or a note that the mean stands in while it cannot rank."""
    official, default = ui.official_method(year), ui.default_method(year)
    if official == default:
        st.caption(ui.t("official.method", method=ui.t(f"method.{official}")))
    else:
        st.info(
            ui.t("official.unavailable", method=ui.t(f"method.{official}"), fallback=ui.t(f"method.{default}")),
            icon=":material/info:",
        )
