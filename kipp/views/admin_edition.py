"""Admin → Edition: the lifecycle (draft → scoring → locked → published), recusals, tiers and weights.

Every button goes through kipp.services, which checks the role, the edition's state and
the reason, and writes the audit log; this view only collects input and shows outcomes.
"""

from __future__ import annotations

from typing import Any

import streamlit as st

from kipp import audit, i18n, scoring, services, sheets, ui
from kipp.models import EditionStatus

FLASH_KEY = "admin_edition.flash"
LIFECYCLE = [status.value for status in EditionStatus]


def _actor() -> audit.Actor:
    return ui.current_account().actor


def _run(action: Any, success: str) -> None:
    """Run a service call; keep its outcome for the next run and refresh, or show why it was refused."""
    try:
        action()
    except audit.WriteRefused as refused:
        for problem in refused.problems:
            st.error(problem.text(ui.lang()), icon=":material/error:")
        return
    st.session_state[FLASH_KEY] = success
    st.rerun()


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
        _run(
            lambda: services.advance_status(ui.engine(), actor=_actor(), year=year, to=target, reason=reason),
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
            _run(
                lambda: services.add_recusal(
                    ui.engine(), actor=_actor(), entry_id=entry_id, juror_id=juror_id, reason=reason
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
            _run(
                lambda: services.remove_recusal(
                    ui.engine(),
                    actor=_actor(),
                    entry_id=int(row["entry_id"]),
                    juror_id=int(row["juror_id"]),
                    reason=reason,
                ),
                ui.t("recusal.removed", juror=ui.plain(row["juror"]), entry=ui.plain(row["code"])),
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
    flash = st.session_state.pop(FLASH_KEY, None)
    if flash:
        st.success(flash, icon=":material/check_circle:")
    status = ui.edition_record(year)["status"]
    data = ui.edition_data(year)
    _lifecycle(year, status, data)
    st.divider()
    _recusals(year, status, data)
    st.divider()
    _tiers_and_weights(data)
