"""Admin → Displays: projector display links of the edition (create, list, revoke).

A display link opens the edition's big screen without an account (kipp.auth.display).  Its
full address holds the token, which the database does not keep: it is shown once, right
after creation, with a copy button (st.code).  Creating and revoking are audited.
"""

from __future__ import annotations

import pandas as pd
import streamlit as st

from kipp import audit, auth, ui

FORM_KEY = "admin_display.new"
LABEL_KEY = "admin_display.label"


def _when(moment: pd.Timestamp) -> str:
    """A moment (already in WIB) as people in Malang read it."""
    return moment.strftime("%d-%m-%Y %H:%M")


def _full_address(token: str) -> str:
    """The address a projector opens: this server's origin and the display path."""
    base = (st.context.url or "").split("?")[0].rstrip("/")
    for page in ("/admin", "/live"):
        base = base.removesuffix(page)
    return base + auth.display_path(token)


def _problems(refused: audit.WriteRefused) -> None:
    for problem in refused.problems:
        st.error(problem.text(ui.lang()), icon=":material/error:")


def _revoke(link_id: int) -> None:
    try:
        auth.revoke_display_link(ui.engine(), actor=ui.current_account().actor, link_id=link_id)
    except audit.WriteRefused as refused:
        _problems(refused)
    else:
        st.toast(ui.t("display.revoked"), icon=":material/tv_off:")


def _create(year: int) -> None:
    with st.form(FORM_KEY, clear_on_submit=True):
        label = st.text_input(ui.t("display.label"), max_chars=auth.display.MAX_LABEL, key=LABEL_KEY)
        submitted = st.form_submit_button(ui.t("display.create"), icon=":material/add_to_queue:")
    if not submitted:
        return
    try:
        token = auth.create_display_link(ui.engine(), actor=ui.current_account().actor, year=year, label=label)
    except audit.WriteRefused as refused:
        _problems(refused)
        return
    st.success(ui.t("display.created"), icon=":material/check_circle:")
    st.code(_full_address(token), language=None)  # the only time the token is shown; st.code has a copy button


def _listing(year: int) -> None:
    links = auth.display_links(ui.engine(), year)
    if links.empty:
        st.caption(ui.t("display.none"))
        return
    widths = [3, 2, 2, 2, 2]  # the last one holds the Revoke button, its label uncut on a laptop
    header = st.columns(widths)
    for column, key in zip(header, ["label", "created_by", "created_at", "state"], strict=False):
        column.caption(ui.t(f"display.column.{key}"))
    for link in links.itertuples(index=False):
        label, creator, created, state, action = st.columns(widths, vertical_alignment="center")
        label.text(link.label)
        creator.text(link.created_by)
        created.text(_when(link.created_at))
        if pd.isna(link.revoked_at):
            state.text(ui.t("display.state.active"))
            action.button(
                ui.t("display.revoke"),
                key=f"admin_display.revoke.{link.id}",
                on_click=_revoke,
                args=(int(link.id),),
                icon=":material/tv_off:",
            )
        else:
            state.text(ui.t("display.state.revoked", at=_when(link.revoked_at)))


def render(year: int | None) -> None:
    """The Displays tab of Admin for edition ``year``."""
    st.subheader(ui.t("display.title"))
    st.caption(ui.t("display.intro"))
    if year is None:
        st.info(ui.t("app.no_editions"))
        return
    _create(year)
    _listing(year)
