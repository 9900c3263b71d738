"""The ceremony reveal on screen: the big screen's reveal and the organizer's controls.

The organizer starts the ceremony on the Live page and steps through it with the buttons
(or the arrow keys); each click is stored on the edition (kipp.ceremony), and every big
screen, projector display links included, follows on its next refresh.
"""

from __future__ import annotations

from typing import Any

import streamlit as st
from sqlalchemy import Engine

from kipp import bigscreen, ceremony, db, ui
from kipp.audit import WriteRefused
from kipp.auth import Account
from kipp.ceremony import Ceremony

NEXT_KEY = "Right"
PREVIOUS_KEY = "Left"


@st.cache_data(show_spinner=False, max_entries=8)
def _ceremony(_engine: Engine, url: str, year: int, version: tuple[Any, ...]) -> Ceremony | None:
    """The running ceremony, cached by edition and data version (every step bumps it)."""
    return ceremony.ceremony(_engine, year)


def current(year: int) -> Ceremony | None:
    """The edition's running ceremony, or None."""
    return _ceremony(ui.engine(), db.default_url(), year, ui.data_version(year))


def step_label(show: Ceremony) -> str:
    """'Langkah 3 dari 11: Juara 3' (or the title card, or the Top 10)."""
    step = show.current
    if step is None:
        what = ui.t("live.ceremony.title_card")
    elif step.whole:
        what = ui.t("live.ceremony.top")
    else:
        what = str(step.entries.iloc[0]["award"])
    return ui.t("live.ceremony.step", step=show.step, total=len(show.steps), what=what)


def screen(show: Ceremony) -> None:
    """The ceremony's current step, very large, under the event's title and logo."""
    logo = bigscreen.logo_html(show.logo.media_type, show.logo.content) if show.logo else ""
    st.html(
        bigscreen.reveal_html(
            show.current,
            heading=show.event_title or show.name,
            card=ui.t("live.ceremony.card", year=show.year),
            step_label=step_label(show),
            headers={name: ui.t(f"column.{name}") for name in bigscreen.COLUMNS},
            lang=ui.lang(),
            logo=logo,
        )
    )


def _write(action: Any, *args: Any) -> None:
    """Run a ceremony write as the signed-in organizer; a refusal is shown, success reruns the page."""
    try:
        action(ui.engine(), *args)
    except WriteRefused as refused:
        for problem in refused.problems:
            st.error(problem.text(ui.lang()))
        return
    st.rerun()


def start_button(year: int, account: Account) -> None:
    """'Mulai seremoni': start the reveal on every big screen."""
    if st.button(
        ui.t("live.ceremony.start"),
        key="live_ceremony_start",
        help=ui.t("live.ceremony.start_help"),
        icon=":material/celebration:",
    ):
        _write(ceremony.start, year, account.actor)


def controls(year: int, account: Account, show: Ceremony) -> None:
    """Previous / next (also the ← and → keys) and end, with what the big screens show now."""
    st.info(step_label(show), icon=":material/celebration:")
    row = st.container(horizontal=True)
    with row:
        back = st.button(
            ui.t("live.ceremony.previous"),
            key="live_ceremony_previous",
            shortcut=PREVIOUS_KEY,
            icon=":material/arrow_back:",
            disabled=show.step == 0,
        )
        forward = st.button(
            ui.t("live.ceremony.next"),
            key="live_ceremony_next",
            shortcut=NEXT_KEY,
            type="primary",
            icon=":material/arrow_forward:",
            disabled=show.step == len(show.steps),
        )
        finish = st.button(ui.t("live.ceremony.end"), key="live_ceremony_end", icon=":material/stop_circle:")
    if back or forward:
        _write(ceremony.move, year, account.actor, 1 if forward else -1)
    if finish:
        _write(ceremony.end, year, account.actor)
