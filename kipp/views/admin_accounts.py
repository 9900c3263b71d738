"""Admin → Accounts: list, create, deactivate/reactivate, reset a password (shown once).

Every change goes through kipp.auth, which hashes passwords, checks the rules (one
account per juror, never deactivate the last organizer) and writes the audit log.
"""

from __future__ import annotations

from collections.abc import Callable

import streamlit as st

from kipp import audit, auth, ui
from kipp.models import Role

FLASH_KEY = "admin_accounts.flash"
PASSWORD_KEY = "admin_accounts.password"
ROLES = [role.value for role in Role]


def _actor() -> audit.Actor:
    return ui.current_account().actor


def _run(action: Callable[[], str | None], success: str) -> None:
    """Run an account change; keep a generated password to show once, or show why it was refused."""
    try:
        password = action()
    except audit.WriteRefused as refused:
        for problem in refused.problems:
            st.error(problem.text(ui.lang()), icon=":material/error:")
        return
    ui.forget_accounts()
    st.session_state[FLASH_KEY] = success
    if password:
        st.session_state[PASSWORD_KEY] = password
    st.rerun()


def _listing() -> list[str]:
    table = ui.accounts()
    if table.empty:
        st.info(ui.t("accounts.none"))
        return []
    shown = table.assign(role=table["role"].map(lambda role: ui.t(f"role.{role}")))
    st.dataframe(
        shown[
            [
                "username",
                "display_name",
                "role",
                "juror",
                "active",
                "is_demo_password",
                "failed_attempts",
                "locked_until",
                "last_login_at",
            ]
        ],
        hide_index=True,
        width="stretch",
        column_config={
            "username": ui.t("auth.username"),
            "display_name": ui.t("accounts.display_name"),
            "role": ui.t("auth.role"),
            "juror": ui.t("auth.juror"),
            "active": st.column_config.CheckboxColumn(ui.t("accounts.active")),
            "is_demo_password": st.column_config.CheckboxColumn(ui.t("accounts.demo_password")),
            "failed_attempts": ui.t("accounts.failed_attempts"),
            "locked_until": st.column_config.DatetimeColumn(ui.t("accounts.locked_until"), format="DD/MM HH:mm"),
            "last_login_at": st.column_config.DatetimeColumn(ui.t("accounts.last_login"), format="DD/MM/YYYY HH:mm"),
        },
    )
    return table["username"].tolist()


def _create() -> None:
    jurors = ui.jurors()
    with st.form("accounts.create", clear_on_submit=False):
        st.markdown(f"**{ui.t('accounts.create')}**")
        username = st.text_input(ui.t("auth.username"), help=ui.t("accounts.username_help"))
        display_name = st.text_input(ui.t("accounts.display_name"))
        role = st.selectbox(ui.t("auth.role"), ROLES, format_func=lambda r: ui.t(f"role.{r}"))
        juror_id = st.selectbox(
            ui.t("auth.juror"),
            [None, *jurors],
            format_func=lambda j: "–" if j is None else jurors[j],
            help=ui.t("accounts.juror_help"),
        )
        password = st.text_input(ui.t("auth.password"), type="password", help=ui.t("accounts.password_help"))
        repeat = st.text_input(ui.t("accounts.repeat"), type="password")
        submitted = st.form_submit_button(ui.t("accounts.create_button"), type="primary")
    if not submitted:
        return
    if password != repeat:
        st.error(ui.t("accounts.passwords_differ"))
        return
    chosen = password or auth.generate_password()

    def create() -> str | None:
        auth.create_user(
            ui.engine(),
            actor=_actor(),
            username=username,
            role=role,
            password=chosen,
            juror_id=juror_id,
            display_name=display_name,
        )
        return None if password else chosen

    _run(create, ui.t("accounts.created", username=ui.plain(auth.normalise_username(username))))


def _manage(usernames: list[str]) -> None:
    if not usernames:
        return
    with st.container(border=True):
        st.markdown(f"**{ui.t('accounts.manage')}**")
        username = st.selectbox(ui.t("auth.username"), usernames, key="accounts.pick")
        reset, deactivate, reactivate = st.columns(3)
        engine, actor = ui.engine(), _actor()
        if reset.button(ui.t("accounts.reset"), icon=":material/key:", width="stretch"):
            _run(
                lambda: auth.reset_password(engine, actor=actor, username=username),
                ui.t("accounts.reset_done", username=ui.plain(username)),
            )
        if deactivate.button(ui.t("accounts.deactivate"), icon=":material/person_off:", width="stretch"):
            _run(
                lambda: auth.set_active(engine, actor=actor, username=username, active=False),
                ui.t("accounts.deactivated", username=ui.plain(username)),
            )
        if reactivate.button(ui.t("accounts.reactivate"), icon=":material/person_check:", width="stretch"):
            _run(
                lambda: auth.set_active(engine, actor=actor, username=username, active=True),
                ui.t("accounts.reactivated", username=ui.plain(username)),
            )


def render() -> None:
    """Draw the Accounts section of the Admin page."""
    flash = st.session_state.pop(FLASH_KEY, None)
    if flash:
        st.success(flash, icon=":material/check_circle:")
    password = st.session_state.pop(PASSWORD_KEY, None)
    if password:
        st.warning(ui.t("accounts.password_once"), icon=":material/visibility:")
        st.code(password, language=None)
    usernames = _listing()
    left, right = st.columns(2)
    with left:
        _create()
    with right:
        _manage(usernames)
