"""The sign-in form: username and password, with a clear reason when refused.

Shown by the navigation to a visitor who is not signed in, and by any page such a visitor
reaches another way (a typed address, the first visit to a fresh server).  The demo accounts
of a demo database are listed below the form, but never on a big screen (``?screen=big``):
a projector shows the room, not passwords.
"""

from __future__ import annotations

import streamlit as st

from kipp import auth, ui


def render() -> None:
    """Draw the sign-in screen; a successful sign-in stores the account and reruns."""
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
                ui.sign_in(account)
                st.rerun()
    if st.query_params.get("screen") == "big":
        return
    demo = ui.demo_accounts()
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
