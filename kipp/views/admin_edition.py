"""Admin → Edition: the lifecycle (draft → scoring → locked → published), the official method (and, when
rooms had different panels, where the adjusted score would change an award), event title and logo,
recusals, tiers and weights.

Every button goes through kipp.services, which checks the role, the edition's state and
the reason, and writes the audit log; this view only collects input and shows outcomes.
"""

from __future__ import annotations

from typing import Any

import streamlit as st
from sqlalchemy import Engine

from kipp import adjustment, audit, db, i18n, queries, scoring, services, sheets, ui
from kipp.choices import METHODS
from kipp.models import EditionStatus

FLASH_KEY = "admin_edition.flash"
LIFECYCLE = [status.value for status in EditionStatus]


def actor() -> audit.Actor:
    """Who writes from the Admin page: the signed-in organizer."""
    return ui.current_account().actor


def run_write(action: Any, success: str, flash_key: str = FLASH_KEY) -> None:
    """Run a service call; keep its outcome for the next run (under ``flash_key``, shown by
    :func:`show_flash` at the top of the tab) and refresh, or show why it was refused."""
    try:
        action()
    except audit.WriteRefused as refused:
        for problem in refused.problems:  # a problem names entries and jurors: typed text, never Markdown
            st.error(ui.plain(problem.text(ui.lang())), icon=":material/error:")
        return
    st.session_state[flash_key] = success
    st.rerun()


def show_flash(flash_key: str = FLASH_KEY) -> None:
    """The last successful write's message of a tab, once."""
    flash = st.session_state.pop(flash_key, None)
    if flash:
        st.success(flash, icon=":material/check_circle:")


def _lifecycle(year: int, status: str, data: scoring.EditionData) -> None:
    st.subheader(ui.t("lifecycle.heading"))
    steps = [f"**{ui.t(f'status.{step}')}**" if step == status else ui.t(f"status.{step}") for step in LIFECYCLE]
    st.markdown(" → ".join(steps))
    target = services.NEXT_STATUS.get(status)
    if target is None:
        st.success(ui.t("lifecycle.done", year=year), icon=":material/verified:")
        return
    st.write(ui.t(f"lifecycle.explain.{target}"))
    pending = sheets.provisional_entries(data) if target == EditionStatus.locked.value else []
    if pending:
        st.warning(
            ui.t("lifecycle.pending", n=len(pending), codes=ui.plain(", ".join(pending[:10]))),
            icon=":material/warning:",
        )
    with st.form(f"lifecycle.{year}"):
        reason = st.text_area(ui.t("lifecycle.reason"), placeholder=ui.t("lifecycle.reason_placeholder"))
        confirmed = st.checkbox(ui.t(f"lifecycle.confirm.{target}", year=year))
        submitted = st.form_submit_button(ui.t(f"lifecycle.button.{target}"), type="primary")
    if submitted:
        if not confirmed:
            st.error(ui.t("lifecycle.tick_to_confirm"))
            return
        run_write(
            lambda: services.advance_status(ui.engine(), actor=actor(), year=year, to=target, reason=reason),
            ui.t("lifecycle.moved", year=year, status=ui.t(f"status.{target}")),
        )


def _recusals(year: int, status: str, data: scoring.EditionData) -> None:
    st.subheader(ui.t("recusal.heading"))
    st.caption(ui.t("recusal.intro"))
    current = ui.recusals(year)
    if current.empty:
        st.info(ui.t("recusal.none"))
    else:
        st.dataframe(
            current[["code", "title", "juror", "reason", "created_at"]],
            hide_index=True,
            width="stretch",
            column_config={
                "code": ui.t("column.code"),
                "title": ui.t("column.title"),
                "juror": ui.t("recusal.juror"),
                "reason": ui.t("recusal.reason"),
                "created_at": st.column_config.DatetimeColumn(ui.t("recusal.since"), format="DD/MM/YYYY HH:mm"),
            },
        )
    if status not in (EditionStatus.draft.value, EditionStatus.scoring.value):
        st.info(ui.t("recusal.frozen", status=ui.t(f"status.{status}")))
        return
    if data.entries.empty or data.panel.empty:
        return
    entries = dict(zip(data.entries["entry_id"], data.entries["code"] + " · " + data.entries["title"], strict=True))
    panel = dict(zip(data.panel["juror_id"], data.panel["juror"], strict=True))
    add, remove = st.columns(2)
    with add, st.container(border=True):
        st.markdown(f"**{ui.t('recusal.add')}**")
        entry_id = st.selectbox(ui.t("column.title"), list(entries), format_func=entries.__getitem__, key="recuse.e")
        juror_id = st.selectbox(ui.t("recusal.juror"), list(panel), format_func=panel.__getitem__, key="recuse.j")
        scored = len(sheets.sheet_values(data, entry_id, juror_id))
        if scored:
            st.warning(
                ui.t("recusal.removes_scores", juror=ui.plain(panel[juror_id]), n=scored), icon=":material/warning:"
            )
        reason = st.text_input(ui.t("recusal.reason"), key="recuse.reason")
        if st.button(ui.t("recusal.add_button"), key="recuse.add"):
            run_write(
                lambda: services.add_recusal(
                    ui.engine(), actor=actor(), entry_id=entry_id, juror_id=juror_id, reason=reason
                ),
                ui.t("recusal.added", juror=ui.plain(panel[juror_id]), entry=ui.plain(entries[entry_id])),
            )
    if current.empty:
        return
    with remove, st.container(border=True):
        st.markdown(f"**{ui.t('recusal.remove')}**")
        options = list(current.index)
        pick = st.selectbox(
            ui.t("recusal.pick"),
            options,
            format_func=lambda i: f"{current.at[i, 'code']} · {current.at[i, 'juror']}",
            key="unrecuse.pick",
        )
        reason = st.text_input(ui.t("recusal.reason"), key="unrecuse.reason")
        if st.button(ui.t("recusal.remove_button"), key="unrecuse.remove"):
            row = current.loc[pick]
            run_write(
                lambda: services.remove_recusal(
                    ui.engine(),
                    actor=actor(),
                    entry_id=int(row["entry_id"]),
                    juror_id=int(row["juror_id"]),
                    reason=reason,
                ),
                ui.t("recusal.removed", juror=ui.plain(row["juror"]), entry=ui.plain(row["code"])),
            )


def _panel_groups(error: adjustment.DisconnectedPanels) -> str:
    """The disconnected groups of sheets in words: 'Ruang Eboni (Juri A, Juri B; 6 inovasi); …'."""
    return "; ".join(
        ui.t(
            "official.group",
            rooms=" + ".join(group.rooms) or ui.t("official.group_number", n=number),
            jurors=", ".join(group.jurors),
            n=group.entries,
        )
        for number, group in enumerate(error.groups, start=1)
    )


def _panels_notice(year: int, data: scoring.EditionData) -> None:
    """When the official method is the plain mean but entries had different panels: where adjusted would
    change an award (or why it cannot compare the panels)."""
    if data.official_method != "mean" or not scoring.panels_differ(data):
        return
    st.warning(ui.t("official.panels_differ"), icon=":material/groups:")
    try:
        changes = adjustment.award_changes(ui.leaderboard(year, "mean"), ui.leaderboard(year, "adjusted"))
    except adjustment.DisconnectedPanels as error:
        st.info(ui.plain(ui.t("official.disconnected", groups=_panel_groups(error))))
        return
    if changes.empty:
        st.caption(ui.t("official.no_award_changes"))
        return
    st.write(ui.t("official.award_changes", n=len(changes)))
    st.dataframe(
        changes[["code", "title", "award_before", "award_after"]],
        hide_index=True,
        width="stretch",
        column_config={
            "code": ui.t("column.code"),
            "title": ui.t("column.title"),
            "award_before": ui.t("official.award_mean"),
            "award_after": ui.t("official.award_adjusted"),
        },
    )


def _official_method(year: int, status: str, data: scoring.EditionData) -> None:
    st.subheader(ui.t("official.heading"))
    current = data.official_method
    st.write(ui.t("official.current", method=ui.t(f"method.{current}")))
    _panels_notice(year, data)
    if status == EditionStatus.published.value:
        return
    with st.form(f"official.{year}"):
        method = st.selectbox(
            ui.t("method.label"),
            list(METHODS),
            index=list(METHODS).index(current),
            format_func=lambda m: ui.t(f"method.{m}"),
            key="official.method",
        )
        st.caption(ui.t(f"method.help.{method}"))
        reason = st.text_input(ui.t("official.reason"), key="official.reason")
        submitted = st.form_submit_button(ui.t("official.save"))
    if submitted:
        run_write(
            lambda: services.set_official_method(ui.engine(), actor=actor(), year=year, method=method, reason=reason),
            ui.t("official.saved", method=ui.t(f"method.{method}")),
        )


@st.cache_data(show_spinner=False, max_entries=8)
def _logo(_engine: Engine, url: str, year: int, version: tuple[Any, ...]) -> tuple[str, bytes] | None:
    """The stored logo, cached by edition and data version (saving or removing it bumps the version)."""
    return queries.edition_logo(_engine, year)


def stored_logo(year: int) -> tuple[str, bytes] | None:
    """The edition's stored logo as (media type, bytes), or None."""
    return _logo(ui.engine(), db.default_url(), year, ui.data_version(year))


def _preview(content: bytes, caption: str) -> None:
    """A small image of a logo; a file whose first bytes say PNG or JPEG but that does not decode
    gets a warning instead of breaking the page."""
    try:
        st.image(content, width=160, caption=caption)
    except OSError:  # PIL cannot read it (UnidentifiedImageError, truncated file)
        st.warning(ui.t("event.logo_unreadable"), icon=":material/broken_image:")


def _title_and_logo(year: int) -> None:
    st.subheader(ui.t("event.heading"))
    title_column, logo_column = st.columns(2)
    with title_column, st.form(f"event.title.{year}"):
        title = st.text_input(
            ui.t("event.title"),
            value=ui.edition_record(year).get("event_title") or "",
            max_chars=services.EVENT_TITLE_LIMIT,
            placeholder=ui.t("event.title_placeholder"),
        )
        if st.form_submit_button(ui.t("event.save_title")):
            run_write(
                lambda: services.set_event_title(ui.engine(), actor=actor(), year=year, title=title),
                ui.t("event.title_saved"),
            )
    with logo_column:
        upload = st.file_uploader(
            ui.t("event.logo"), type=["png", "jpg", "jpeg"], max_upload_size=1, key=f"event.logo.{year}"
        )
        st.caption(ui.t("event.logo_help"))
        if upload is not None and services.logo_media_type(upload.getvalue()) is not None:
            _preview(upload.getvalue(), ui.t("event.logo_new"))
        stored = stored_logo(year)
        if stored is None:
            st.caption(ui.t("event.no_logo"))
        else:
            _preview(stored[1], ui.t("event.logo_stored"))
        save, remove = st.columns(2)
        if upload is not None and save.button(ui.t("event.save_logo"), key="event.logo.save"):
            content = upload.getvalue()
            run_write(
                lambda: services.set_logo(ui.engine(), actor=actor(), year=year, content=content),
                ui.t("event.logo_saved"),
            )
        if stored is not None and remove.button(ui.t("event.remove_logo"), key="event.logo.remove"):
            run_write(
                lambda: services.set_logo(ui.engine(), actor=actor(), year=year, content=None),
                ui.t("event.logo_removed"),
            )


def _tiers_and_weights(data: scoring.EditionData) -> None:
    lang = ui.lang()
    st.subheader(ui.t("weights.heading"))
    criteria = data.criteria.sort_values(["position", "criterion_id"], kind="stable")
    total_weight = float(criteria["weight"].astype(float).sum()) or 1.0
    weights, tiers = st.columns([3, 2])
    weights.dataframe(
        [
            {
                ui.t("score.criterion"): row.name,
                ui.t("weights.weight"): i18n.format_number(row.weight, lang),
                ui.t("weights.share"): i18n.format_percent(float(row.weight) / total_weight, lang, 1),
                ui.t("score.max"): i18n.format_number(row.max_score, lang, 0),
            }
            for row in criteria.itertuples()
        ],
        hide_index=True,
        width="stretch",
    )
    tiers.dataframe(
        [
            {ui.t("weights.tier"): tier["name"], ui.t("weights.size"): tier["size"]}
            for tier in scoring.normalise_tiers(data.tiers)
        ],
        hide_index=True,
        width="stretch",
    )


def render(year: int | None) -> None:
    """Draw the Edition section of the Admin page for the selected edition."""
    if year is None:
        st.info(ui.t("app.no_editions"))
        return
    show_flash()
    status = ui.edition_record(year)["status"]
    data = ui.edition_data(year)
    _lifecycle(year, status, data)
    st.divider()
    _official_method(year, status, data)
    st.divider()
    _title_and_logo(year)
    st.divider()
    _recusals(year, status, data)
    st.divider()
    _tiers_and_weights(data)
