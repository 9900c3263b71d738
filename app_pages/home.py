"""Home: headline figures of the selected edition, read from the database."""

import streamlit as st

from kipp import charts, i18n, scoring, ui

ui.require_role("home")

year = ui.selected_year()
if year is None:
    st.info(ui.t("app.no_editions"))
    st.stop()

summary = ui.edition_summary(year)
lang = ui.lang()
st.title(ui.t("home.heading", year=year, name=ui.plain(summary["name"])))
st.write(ui.t("home.intro"))
dates = " – ".join(i18n.format_date(d, lang) for d in (summary["start_date"], summary["end_date"]) if d)
st.caption(
    ui.t(
        "home.edition_line",
        ordinal=summary["ordinal"] or "–",
        venue=ui.plain(summary["venue"] or "–"),
        dates=dates or "–",
        status=ui.t(f"status.{summary['status']}"),
    )
)
if summary["is_demo"]:
    st.info(ui.t("app.demo_badge"), icon=":material/science:")

entries, units, jurors, scored = st.columns(4)
entries.metric(ui.t("home.metric.entries"), summary["n_entries"], border=True)
units.metric(ui.t("home.metric.units"), summary["n_units"], border=True)
jurors.metric(ui.t("home.metric.jurors"), summary["n_jurors"], border=True)
expected = summary["n_expected_scores"]
count = i18n.format_number(summary["n_scores"], lang, 0)
scored.metric(
    ui.t("home.metric.scored"),
    i18n.format_percent(summary["n_scores"] / expected, lang) if expected else count,
    delta=f"{count} / {i18n.format_number(expected, lang, 0)}" if expected else None,
    delta_color="off",
    delta_arrow="off",
    help=ui.t("home.metric.scored_help"),
    border=True,
)

board = ui.leaderboard(year)
ranked = board[board["rank"].notna()]
left, right = st.columns([3, 2])
with left:
    st.subheader(ui.t("home.top_heading"))
    if len(ranked):
        # Only ranked (complete) entries: rank, title, score and award fit the column at 1280 px; the unit comes last.
        top = ranked.head(10)
        shown = top.assign(award=scoring.shown_awards(top, ui.t("award.provisional_mark")))
        shown = ui.localised(ui.localised(shown, ["rank"], 0), ["score"])
        st.dataframe(
            ui.award_styled(shown[["rank", "title", "score", "award", "institution"]], positions=top["tier_position"]),
            hide_index=True,
            width="stretch",
            column_config={
                "rank": ui.number_text(ui.t("column.rank"), width=72),
                "title": st.column_config.TextColumn(ui.t("column.title"), width=190),
                "score": ui.number_text(ui.t("column.score"), width=64),
                "award": st.column_config.TextColumn(ui.t("column.award"), width=140),
                "institution": ui.t("column.institution"),
            },
        )
        if not top["final"].all():
            st.caption(ui.t("home.awards_provisional"))
    elif board["score"].notna().any():
        st.info(ui.t("home.none_complete"))
    else:
        st.info(ui.t("home.no_scores"))
    provisional = int(board["provisional"].sum())
    if provisional and board["score"].notna().any():
        st.warning(ui.t("home.provisional_note", n=provisional))
    out = int((board["entry_status"] != scoring.COMPETING).sum())
    if out:
        st.caption(ui.t("home.out_note", n=out))
with right:
    st.subheader(ui.t("home.by_type_heading"))
    data = ui.edition_data(year)
    labels = {kind: ui.t(f"unit_type.{kind}") for kind in data.entries["institution_type"].unique()}
    st.plotly_chart(charts.entries_by_type(data.entries, labels), width="stretch")
