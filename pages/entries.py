"""Entries: search an innovation across editions, open its card, follow its unit's history.

Thin page: the search is one query (queries.search_entries), the card comes from the
edition's cached frames and leaderboard (scoring.explain), the history from the cached
results of every edition (kipp.trends).  Organizers see each juror's sheet and name;
viewers see the panel's mean per criterion, and only for published editions.
"""

import pandas as pd
import streamlit as st

from kipp import i18n, queries, scoring, trends, ui
from kipp.models import EditionStatus

account = ui.require_role("entries")

lang = ui.lang()
st.title(ui.t("entries.title"))
st.caption(ui.t("entries.intro"))

user = ui.current_account()
organizer = user is not None and user.is_organizer
editions = ui.editions()
status_of = dict(zip(editions["year"], editions["status"], strict=True))

text = st.text_input(
    ui.t("entries.search"), placeholder=ui.t("entries.search_placeholder"), key="entries_search"
).strip()
found = queries.search_entries(ui.engine(), text)
if not organizer:
    found = found[found["year"].map(status_of) == EditionStatus.published.value]
if found.empty:
    st.info(ui.t("entries.no_match", text=text) if text else ui.t("entries.none"))
    st.stop()

type_labels = {kind: ui.t(f"unit_type.{kind}") for kind in found["institution_type"].unique()}
st.caption(ui.t("entries.found", n=len(found)))
st.dataframe(
    found[["year", "code", "title", "institution", "institution_type", "category"]].assign(
        institution_type=found["institution_type"].map(type_labels)
    ),
    hide_index=True,
    width="stretch",
    height=min(35 * len(found) + 40, 300),
    column_config={
        "year": st.column_config.NumberColumn(ui.t("trends.column.year"), format="%d"),
        "code": ui.t("column.code"),
        "title": ui.t("column.title"),
        "institution": ui.t("column.institution"),
        "institution_type": ui.t("trends.column.institution_type"),
        "category": ui.t("trends.filter.category"),
    },
)
options = {
    int(row.entry_id): ui.t("entries.option", year=row.year, code=row.code, title=row.title, unit=row.institution)
    for row in found.itertuples()
}
entry_id = st.selectbox(ui.t("entries.open"), options=list(options), format_func=options.__getitem__, key="entry")
row = found.loc[found["entry_id"] == entry_id].iloc[0]
year = int(row["year"])

# --- The entry's card -------------------------------------------------------------------------------
st.header(str(row["title"]))
st.caption(
    ui.t(
        "entries.card_line",
        code=row["code"],
        year=year,
        unit=row["institution"],
        kind=type_labels[row["institution_type"]],
        category=row["category"] or "–",
    )
)
board = ui.leaderboard(year)
explanation = scoring.explain(ui.edition_data(year), board, entry_id)
result = explanation.row
rank_column, score_column, award_column, jurors_column = st.columns(4)
rank_column.metric(ui.t("column.rank"), "–" if pd.isna(result["rank"]) else str(result["rank"]), border=True)
score_column.metric(ui.t("column.score"), i18n.format_number(result["score"], lang), border=True)
award_column.metric(ui.t("column.award"), "–" if pd.isna(result["award"]) else str(result["award"]), border=True)
jurors_column.metric(ui.t("entries.jurors_done"), f"{result['jurors']} / {result['panel']}", border=True)
if result["provisional"]:
    st.warning(ui.t("entries.provisional"), icon=":material/hourglass_top:")
if status_of.get(year) != EditionStatus.published.value:
    st.caption(ui.t("entries.not_published", status=ui.t(f"status.{status_of.get(year)}")))

criteria = [name for name in explanation.sheets.columns if name not in ("juror_id", "juror", "seat", "status", "total")]
st.subheader(ui.t("entries.scores"))
if organizer:
    sheets = explanation.sheets.assign(
        status=explanation.sheets["status"].map(lambda status: ui.t(f"entries.sheet_status.{status}"))
    )
    st.dataframe(
        ui.localised(sheets[["juror", *criteria, "total", "status"]], [*criteria, "total"]),
        hide_index=True,
        width="stretch",
        column_config={
            "juror": ui.t("entries.column.juror"),
            **{name: ui.number_text(name) for name in criteria},
            "total": ui.number_text(ui.t("entries.column.total")),
            "status": ui.t("entries.column.status"),
        },
    )
    if explanation.tiebreak_criterion and explanation.tied_on_score:
        st.caption(
            ui.t(
                "entries.tiebreak",
                criterion=explanation.tiebreak_criterion,
                codes=", ".join(explanation.tied_on_score),
            )
        )
else:
    means = trends.criterion_scores({year: ui.edition_data(year)})
    means = means[means["entry_id"] == entry_id]
    st.dataframe(
        ui.localised(ui.localised(means[["criterion", "value", "max_score"]], ["value"]), ["max_score"], 0),
        hide_index=True,
        width="stretch",
        column_config={
            "criterion": ui.t("entries.column.criterion"),
            "value": ui.number_text(ui.t("entries.column.mean")),
            "max_score": ui.number_text(ui.t("entries.column.max")),
        },
    )

st.subheader(ui.t("entries.feedback"))
feedback = queries.entry_feedback(ui.engine(), entry_id)
if feedback.empty:
    st.caption(ui.t("entries.no_feedback"))
for note in feedback.itertuples():
    author = note.juror if organizer else ui.t("entries.juror_seat", n=note.seat)
    st.markdown(f"> {note.text}\n>\n> — *{author}*")

st.subheader(ui.t("entries.advancement"))
all_results, _, advancement = ui.trend_inputs()
sent = advancement[advancement["entry_id"] == entry_id]
if sent.empty:
    st.caption(ui.t("entries.no_advancement"))
for step in sent.itertuples():
    st.markdown(ui.t("entries.advancement_line", round=step.round, year=step.round_year, result=step.result or "–"))

# --- The unit's history across editions -----------------------------------------------------------------
st.header(ui.t("entries.history", unit=row["institution"]))
history = trends.unit_history(all_results, str(row["institution"]))
if not organizer:
    history = history[history["year"].map(status_of) == EditionStatus.published.value]
st.dataframe(
    ui.award_styled(
        ui.localised(ui.localised(history[["year", "code", "title", "score", "rank", "award"]], ["score"]), ["rank"], 0)
    ),
    hide_index=True,
    width="stretch",
    column_config={
        "year": st.column_config.NumberColumn(ui.t("trends.column.year"), format="%d"),
        "code": ui.t("column.code"),
        "title": ui.t("column.title"),
        "score": ui.number_text(ui.t("column.score")),
        "rank": ui.number_text(ui.t("column.rank")),
        "award": ui.t("column.award"),
    },
)
st.caption(ui.t("entries.history_note", n=history["year"].nunique()))
