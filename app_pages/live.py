"""Live leaderboard: the ranking as scores arrive, scoring progress, method switch, freeze, big screen.

Signed-in organizers see the live ranking, the progress of every sheet and a "why this
rank" drill-down, and can freeze the public ranking.  Everyone else (viewers, the public
when the deployment opens Live to it, and the big screen) sees the public ranking: the
frozen one while the edition is frozen.  Big-screen mode is the ``?screen=big`` query
parameter: a public screen opens that address, and a signed-in organizer turns it on and
off in the same tab (same session, still signed in), so the projector laptop needs no
second sign-in.  The sections are in kipp.views.live.
"""

import streamlit as st

from kipp import ui
from kipp.views import live

account = ui.require_role_or_public("live")

year = ui.selected_year()
if year is None:
    st.info(ui.t("app.no_editions"))
    st.stop()

organizer = account is not None and account.is_organizer
if live.projector():
    live.big_screen_page(year, live.requested_method(year), organizer)
    st.stop()

st.title(ui.t("live.title", year=year))
st.caption(ui.t("live.refresh_note", seconds=live.REFRESH_SECONDS))
if not organizer:
    st.caption(ui.t("live.viewer_note"))
    live.public_view(year, live.requested_method(year))
    st.stop()

method = live.organizer_controls(year, account)
live.organizer_view(year, method)
