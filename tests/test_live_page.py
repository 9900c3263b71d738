"""The Live page under AppTest: scores arrive between runs and the ranking, arrows and grid follow."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pandas as pd
import pytest
import streamlit as st
from sqlalchemy import Engine, update
from streamlit.testing.v1 import AppTest

from kipp import charts, db, scoring, services
from kipp.audit import Actor
from kipp.auth import Account
from kipp.models import Edition, Entry, SessionSeat
from kipp.services import submit_sheet
from tests.factories import make_edition

LIVE = str(Path(__file__).resolve().parent.parent / "app_pages" / "live.py")
YEAR = 2031
CRITERIA = (("Kebaruan", 1.0, 100.0), ("Efektif", 2.0, 100.0))
ENTRIES = [(f"E{i}", f"Inovasi {i}", f"Unit {i}") for i in range(1, 5)]
VIEWER = Account(username="layar", role="viewer", juror_id=None, display_name="Layar publik")
ORGANIZER = Account(username="panitia", role="organizer", juror_id=None, display_name="Panitia")


@pytest.fixture
def live(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[tuple[Engine, dict[str, Any]]]:
    """A scoring edition: E1 80 and E2 70 complete, E3 90 from juror A only (provisional), E4 unscored."""
    url = f"sqlite:///{tmp_path / 'live.db'}"
    engine = db.get_engine(url)
    scores = {}
    for code, juror, value in (("E1", "A", 80), ("E1", "B", 80), ("E2", "A", 70), ("E2", "B", 70), ("E3", "A", 90)):
        scores |= {(code, f"Juri {juror}", name): value for name, _, _ in CRITERIA}
    ids = make_edition(
        engine, year=YEAR, criteria=CRITERIA, jurors=("Juri A", "Juri B"), entries=ENTRIES, scores=scores
    )
    monkeypatch.setenv("DATABASE_URL", url)
    monkeypatch.setenv("KIPP_PUBLIC_LIVE", "1")  # a deployment that shows Live to visitors not signed in
    st.cache_data.clear()
    yield engine, ids
    db.dispose_engine(url)


def score(engine: Engine, ids: dict[str, Any], code: str, juror: str, value: float) -> None:
    """A juror hands in a full sheet through the write path."""
    juror_id = ids["jurors"][juror]
    submit_sheet(
        engine,
        actor=Actor("juri", "juror", juror_id),
        entry_id=ids["entries"][code],
        juror_id=juror_id,
        values={criterion_id: value for criterion_id, _ in ids["criteria"].values()},
    )


def page(user: dict[str, Any] | None = ORGANIZER) -> AppTest:
    at = AppTest.from_file(LIVE, default_timeout=60)
    at.session_state["edition"] = YEAR
    at.session_state["lang"] = "en"
    if user is not None:
        at.session_state["user"] = user
    return at.run()


def table(at: AppTest, column: str = "movement") -> pd.DataFrame:
    """The first table on the page that has the given column."""
    assert not at.exception, at.exception
    return next(frame.value for frame in at.dataframe if column in frame.value.columns)


def grid(at: AppTest) -> pd.DataFrame:
    return table(at, "Juri A").set_index("code")


def test_new_scores_move_the_ranking_arrows_and_grid(live: tuple[Engine, dict[str, Any]]) -> None:
    engine, ids = live
    at = page()
    ranking = table(at)
    assert ranking["code"].tolist() == ["E1", "E2", "E3", "E4"]  # E3 (90, provisional) after the complete ones
    assert (ranking["movement"] == "").all()  # nothing to compare with yet
    assert ranking.set_index("code").loc["E3", "status"] == "Provisional"
    assert ranking.set_index("code").loc["E1", "jurors"] == "2/2"
    assert grid(at).loc["E3", "Juri B"] == "–" and grid(at).loc["E1", "Juri B"] == "✓"

    score(engine, ids, "E3", "Juri B", 100)  # E3 is complete: (90 + 100)/2 = 95, ranked first
    at.run()
    ranking = table(at).set_index("code")
    assert ranking.index.tolist()[:3] == ["E3", "E1", "E2"]
    assert ranking["movement"].to_dict() == {"E1": "▼1", "E2": "▼1", "E3": "", "E4": ""}  # E3 was unranked
    assert ranking.loc["E3", "status"] == "Complete" and ranking.loc["E3", "award"] == "Juara 1 (provisional)"
    assert grid(at).loc["E3", "Juri B"] == "✓" and grid(at).loc["E4", "Juri A"] == "–"


def test_a_refresh_without_new_scores_recomputes_nothing(
    live: tuple[Engine, dict[str, Any]], monkeypatch: pytest.MonkeyPatch
) -> None:
    engine, ids = live
    calls: list[str] = []
    real = scoring.leaderboard

    def counting(data: scoring.EditionData, method: scoring.Method = "mean") -> pd.DataFrame:
        calls.append(method)
        return real(data, method)

    monkeypatch.setattr(scoring, "leaderboard", counting)
    at = page()
    first = len(calls)
    assert first == len(scoring.METHODS)  # the shown ranking plus the method comparison, once each
    at.run()
    at.run()
    assert len(calls) == first
    score(engine, ids, "E4", "Juri A", 60)
    at.run()
    assert len(calls) == 2 * first


def test_the_method_switch_explains_itself_and_flags_disagreement(live: tuple[Engine, dict[str, Any]]) -> None:
    at = page()
    assert any("mean of the juror totals" in caption.value for caption in at.caption)
    at.session_state["method"] = "median"
    at.run()
    assert any("middle juror total" in caption.value for caption in at.caption)
    assert any("same top 10" in caption.value for caption in at.caption)  # four entries: every method agrees


def test_why_this_rank_shows_the_sheets_and_the_tie_break(live: tuple[Engine, dict[str, Any]]) -> None:
    engine, ids = live
    score(engine, ids, "E3", "Juri B", 50)  # E3 = 70, level with E2 on score and on Efektif: shared rank
    at = page()
    at.selectbox(key="live_why").select(ids["entries"]["E3"]).run()
    assert not at.exception
    sheets = table(at, "total").set_index("juror")
    assert sheets["total"].to_dict() == {"Juri A": "90.00", "Juri B": "50.00"}
    assert sheets.loc["Juri B", "Efektif"] == "50.00"
    assert any("share rank 2" in warning.value and "E2" in warning.value for warning in at.warning)
    at.session_state["lang"] = "id"
    at.run()
    assert table(at, "total").set_index("juror").loc["Juri A", "total"] == "90,00"  # the Indonesian decimal comma


def test_freeze_keeps_the_public_ranking_while_scores_change(live: tuple[Engine, dict[str, Any]]) -> None:
    engine, ids = live
    organizer = page()
    organizer.button(key="live_freeze").click().run()
    assert not organizer.exception
    public = page(VIEWER)
    assert table(public)["code"].tolist()[:3] == ["E1", "E2", "E3"]
    assert any("frozen" in info.value for info in public.info)
    assert not public.button and not public.selectbox  # read-only: no freeze, no drill-down

    score(engine, ids, "E3", "Juri B", 40)
    score(engine, ids, "E4", "Juri A", 99)
    public.run()
    assert table(public).set_index("code")["rank"].to_dict() == {"E1": "1", "E2": "2", "E3": "–", "E4": "–"}
    organizer.run()
    assert table(organizer).set_index("code")["rank"].to_dict() == {"E1": "1", "E2": "2", "E3": "3", "E4": "–"}

    organizer.button(key="live_freeze").click().run()  # reveal
    public.run()
    assert table(public).set_index("code").loc["E3", "rank"] == "3"
    assert not any("frozen" in info.value for info in public.info)


def test_big_screen_shows_the_top_ten_in_large_type_without_controls(live: tuple[Engine, dict[str, Any]]) -> None:
    at = AppTest.from_file(LIVE, default_timeout=60)
    at.session_state["edition"] = YEAR
    at.query_params["screen"] = "big"
    at.run()
    assert not at.exception
    shown = "".join(element.proto.body for element in at.get("html"))
    assert "kipp-big" in shown and "Inovasi 2" in shown
    assert "Inovasi 3" not in shown and "Inovasi 4" not in shown  # E3 provisional, E4 unscored: not ranked
    assert "2 inovasi masih dinilai" in shown
    assert "2 dari 4 karya selesai dinilai" in shown and "diperbarui" in shown and "WIB" in shown
    assert shown.count("<em>sementara</em>") == 2  # Juara 1 and 2 are provisional while the edition is in scoring
    assert not at.button and not at.selectbox and not at.dataframe


def test_a_visitor_who_is_not_signed_in_gets_the_public_view_only(live: tuple[Engine, dict[str, Any]]) -> None:
    at = page(user=None)
    assert table(at)["code"].tolist()[:3] == ["E1", "E2", "E3"]
    assert not at.button and not at.selectbox  # no freeze, no drill-down into jurors' scores
    assert not any("Juri A" in frame.value.columns for frame in at.dataframe)  # no progress grid


def test_without_public_live_a_visitor_who_is_not_signed_in_gets_the_sign_in_form(
    live: tuple[Engine, dict[str, Any]], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("KIPP_PUBLIC_LIVE")
    at = page(user=None)
    assert not at.exception
    assert [t.value for t in at.title] == ["Sign in"]
    assert not at.dataframe or "movement" not in at.dataframe[0].value.columns


def test_the_ranking_puts_the_essentials_first_and_writes_unranked_as_a_dash(
    live: tuple[Engine, dict[str, Any]],
) -> None:
    at = page()
    frame = next(frame for frame in at.dataframe if "movement" in frame.value.columns)
    # rank, title, score, award lead (what a phone shows first); the code is not a shown column
    assert list(frame.proto.column_order)[:4] == ["rank", "title", "score", "award"]
    assert "code" not in frame.proto.column_order
    assert {"movement", "jurors", "status", "institution"} <= set(frame.proto.column_order)
    ranking = frame.value.set_index("code")
    assert ranking.loc["E4", "rank"] == "–" and "None" not in ranking["rank"].tolist()
    assert ranking.loc["E3", "rank"] == "–"  # provisional: listed after the complete entries, unranked
    assert ranking.loc["E1", "rank"] == "1" and ranking.loc["E2", "rank"] == "2"
    assert ranking.index.tolist() == ["E1", "E2", "E3", "E4"]


def test_the_ranking_writes_scores_in_indonesian(live: tuple[Engine, dict[str, Any]]) -> None:
    engine, ids = live
    score(engine, ids, "E4", "Juri A", 85.25)
    at = AppTest.from_file(LIVE, default_timeout=60)
    at.session_state["edition"] = YEAR
    at.session_state["user"] = ORGANIZER
    at.run()
    ranking = table(at).set_index("code")
    assert ranking.loc["E4", "score"] == "85,25" and ranking.loc["E1", "score"] == "80,00"


def test_the_progress_grid_has_a_column_for_every_juror(live: tuple[Engine, dict[str, Any]]) -> None:
    at = page()
    frame = next(frame for frame in at.dataframe if "Juri A" in frame.value.columns)
    assert {"Juri A", "Juri B"} <= set(frame.value.columns)
    config = frame.proto.columns
    assert '"label": "J1"' in config and '"label": "J2"' in config  # narrow seat headers, names in the tooltip
    assert any("J2 = Juri B" in caption.value for caption in at.caption)


def test_the_per_juror_chart_uses_the_status_colours_in_bars_and_legend() -> None:
    by_juror = pd.DataFrame(
        {
            "juror": ["Juri A", "Juri B"],
            "seat": [1, 2],
            "done": [3, 1],
            "partial": [0, 1],
            "missing": [1, 2],
            "recused": [0, 0],
        }
    )
    figure = charts.juror_progress(by_juror, lang="en")
    assert [trace.name for trace in figure.data] == ["Done", "Partial", "Missing", "Recused (conflict of interest)"]
    assert [trace.marker.color for trace in figure.data] == list(charts.STATUS_COLORS.values())
    assert all(charts.juror_color(1) not in str(trace.marker.color) for trace in figure.data)
    assert charts.juror_color(2) in figure.layout.yaxis.ticktext[1]  # the juror is identified by a dot


def test_an_organizer_turns_big_screen_mode_on_in_the_same_session(live: tuple[Engine, dict[str, Any]]) -> None:
    engine, ids = live
    at = page()
    at.button(key="live_freeze").click().run()  # freeze with E3, E1, E2 on top
    score(engine, ids, "E4", "Juri A", 99)
    score(engine, ids, "E4", "Juri B", 99)
    at.button(key="live_big_screen").click().run()
    assert not at.exception
    assert at.query_params["screen"] == "big"
    shown = "".join(element.proto.body for element in at.get("html"))
    assert "kipp-big" in shown and "frozen" in shown
    assert "Inovasi 4" not in shown, "the big screen shows the frozen ranking, not the live one"
    assert not at.dataframe and [button.key for button in at.button] == ["live_big_exit", "live_big_whole"]
    assert at.session_state["user"] == ORGANIZER  # still signed in

    at.button(key="live_big_exit").click().run()
    assert "screen" not in at.query_params
    assert table(at)["code"].tolist()[0] == "E4"  # back to the organizer's live ranking


def big_screen(user: dict[str, Any] | None = None, **query: str) -> AppTest:
    """The big screen (``?screen=big``), as a public screen or an organizer's own tab."""
    at = AppTest.from_file(LIVE, default_timeout=60)
    at.session_state["edition"] = YEAR
    if user is not None:
        at.session_state["user"] = user
    at.query_params["screen"] = "big"
    for name, value in query.items():
        at.query_params[name] = value
    return at.run()


def html(at: AppTest) -> str:
    assert not at.exception, at.exception
    return "".join(element.proto.body for element in at.get("html"))


def change_edition(engine: Engine, **values: Any) -> None:
    """Change the edition's row directly (status, official method) and bump its data version, as writes do."""
    with db.write_session(engine) as session:
        bumped = Edition.data_version + 1
        session.execute(update(Edition).where(Edition.year == YEAR).values(data_version=bumped, **values))


def test_the_big_screen_can_page_through_the_whole_board_without_ranking_entries_in_progress(
    live: tuple[Engine, dict[str, Any]],
) -> None:
    shown = html(big_screen(page="all"))
    assert "Inovasi 3" in shown and "Inovasi 4" in shown  # the whole board, entries in progress included
    assert shown.count("sedang dinilai") == 2
    assert "masih dinilai" not in shown  # the in-progress note does not apply: they are on screen
    in_progress = shown[shown.index("Inovasi 3") - 200 : shown.index("Inovasi 3")]
    assert "<td class='rank'>–</td>" in in_progress


def test_an_organizer_switches_the_whole_board_on_and_leaves_by_a_large_button(
    live: tuple[Engine, dict[str, Any]],
) -> None:
    at = big_screen(ORGANIZER)
    assert at.button(key="live_big_exit").proto.type == "primary"
    at.button(key="live_big_whole").click().run()
    assert at.query_params["page"] == "all" and "Inovasi 4" in html(at)
    at.button(key="live_big_whole").click().run()
    assert "page" not in at.query_params and "Inovasi 4" not in html(at)


def test_a_published_edition_offers_no_freeze_and_no_ceremony(live: tuple[Engine, dict[str, Any]]) -> None:
    engine, _ = live
    change_edition(engine, status="published")
    at = page()
    assert not at.exception
    keys = {button.key for button in at.button}
    assert "live_freeze" not in keys and "live_ceremony_start" not in keys and "live_big_screen" in keys


def test_the_organizer_runs_the_ceremony_and_every_big_screen_follows(live: tuple[Engine, dict[str, Any]]) -> None:
    engine, ids = live
    score(engine, ids, "E3", "Juri B", 90)
    for juror in ("Juri A", "Juri B"):
        score(engine, ids, "E4", juror, 60)
    organizer = page()
    assert "live_ceremony_start" not in {button.key for button in organizer.button}  # scoring, not frozen
    change_edition(engine, status="locked")
    organizer.run()
    organizer.button(key="live_ceremony_start").click().run()
    assert not organizer.exception
    screen = big_screen()
    assert "Pengumuman pemenang KIPP 2031" in html(screen)  # the title card

    organizer.button(key="live_ceremony_next").click().run()  # Terbaik (E4), Juara 3 (E2), 2 (E1), 1 (E3), Top 10
    assert any("step 1 of 5: Terbaik" in info.value for info in organizer.info)
    organizer.button(key="live_ceremony_next").click().run()
    screen.run()
    shown = html(screen)
    assert "Juara 3" in shown and "Inovasi 2" in shown and "Inovasi 3" not in shown
    for _ in range(3):
        organizer.button(key="live_ceremony_next").click().run()
    screen.run()
    assert html(screen).count("<tr class='ranked'>") == 4  # the closing Top 10 (here: all four)
    assert organizer.button(key="live_ceremony_next").disabled
    organizer.button(key="live_ceremony_previous").click().run()
    screen.run()
    assert "Juara 1" in html(screen) and "Inovasi 3" in html(screen)
    viewer = page(VIEWER)  # a phone on the Live page shows the same step, not the ranking with every award
    assert "Juara 1" in html(viewer) and not viewer.dataframe

    organizer.button(key="live_ceremony_end").click().run()
    screen.run()
    assert "<div class='kipp-reveal" not in html(screen) and "<div class='kipp-big'>" in html(screen)


def test_a_ceremony_on_provisional_results_is_refused_with_the_reason(live: tuple[Engine, dict[str, Any]]) -> None:
    at = page()
    at.button(key="live_freeze").click().run()
    at.button(key="live_ceremony_start").click().run()  # frozen, but the edition is still in scoring
    assert any("Lock the edition" in error.value for error in at.error)
    assert "<div class='kipp-reveal" not in html(big_screen())


def test_split_panels_under_the_mean_are_flagged_with_the_awards_the_adjusted_method_would_change(
    live: tuple[Engine, dict[str, Any]],
) -> None:
    engine, ids = live
    with db.write_session(engine) as session:
        session.execute(update(Entry).where(Entry.edition_id == ids["edition"]).values(room="Eboni"))
        session.add(SessionSeat(edition_id=ids["edition"], day=1, room="Eboni", juror_id=ids["jurors"]["Juri A"]))
    change_edition(engine)
    at = page()
    assert not any("same jurors" in warning.value for warning in at.warning)  # one room, one panel

    with db.write_session(engine) as session:  # E3 and E4 move to room Jati, where Juri B sits alone
        entries = [ids["entries"]["E3"], ids["entries"]["E4"]]
        session.execute(update(Entry).where(Entry.id.in_(entries)).values(room="Jati"))
        session.add(SessionSeat(edition_id=ids["edition"], day=1, room="Jati", juror_id=ids["jurors"]["Juri B"]))
    change_edition(engine)
    at.run()
    assert any("Not every entry was scored by the same jurors" in warning.value for warning in at.warning)
    assert any("gives the same awards" in caption.value for caption in at.caption)  # B's sheets in Eboni connect

    change_edition(engine, official_method="median")
    at.run()
    assert not any("same jurors" in warning.value for warning in at.warning)  # only under the plain mean


def test_rooms_that_share_no_juror_are_named_where_the_adjusted_method_cannot_compare(
    live: tuple[Engine, dict[str, Any]],
) -> None:
    engine, _ = live
    entries = [(f"X{i}", f"Usulan {i}", f"Unit {i}") for i in range(1, 5)]
    scores = {(code, "Juri A", name): 80 for code in ("X1", "X2") for name, _, _ in CRITERIA}
    scores |= {(code, "Juri B", name): 70 for code in ("X3", "X4") for name, _, _ in CRITERIA}
    ids = make_edition(engine, year=2032, criteria=CRITERIA, entries=entries, scores=scores)
    with db.write_session(engine) as session:
        for room, juror, codes in (("Eboni", "Juri A", ("X1", "X2")), ("Jati", "Juri B", ("X3", "X4"))):
            chosen = [ids["entries"][code] for code in codes]
            session.execute(update(Entry).where(Entry.id.in_(chosen)).values(room=room))
            session.add(SessionSeat(edition_id=ids["edition"], day=1, room=room, juror_id=ids["jurors"][juror]))
    at = AppTest.from_file(LIVE, default_timeout=60)
    at.session_state["edition"] = 2032
    at.session_state["lang"] = "en"
    at.session_state["user"] = ORGANIZER
    at.run()
    assert not at.exception, [e.stack_trace for e in at.exception]
    assert any("Not every entry was scored by the same jurors" in warning.value for warning in at.warning)
    named = " ".join(caption.value for caption in at.caption)
    assert "share no juror and no entry" in named
    assert "Eboni \\(Juri A; 2 entries\\)" in named and "Jati \\(Juri B; 2 entries\\)" in named  # Markdown-escaped

    screen = AppTest.from_file(LIVE, default_timeout=60)
    screen.session_state["edition"] = 2032
    screen.query_params["screen"] = "big"
    screen.query_params["method"] = "adjusted"  # cannot rank these rooms: the screen falls back to the official mean
    assert "Usulan 1" in html(screen.run())


def test_the_ranking_marks_awards_provisional_while_scoring_and_names_a_withdrawn_entry(
    live: tuple[Engine, dict[str, Any]],
) -> None:
    engine, ids = live
    organizer = Actor("panitia", "organizer")
    services.set_entry_status(
        engine, actor=organizer, entry_id=ids["entries"]["E4"], status="withdrawn", reason="Mundur"
    )
    ranking = table(page()).set_index("code")
    assert ranking.loc["E1", "award"] == "Juara 1 (provisional)"  # the edition is still being scored
    assert ranking.loc["E4", ["rank", "award", "status"]].tolist() == ["–", "", "Withdrawn"]
    assert ranking.loc["E3", "status"] == "Provisional"

    services.advance_status(engine, actor=organizer, year=YEAR, to="locked", reason="E3 tidak lengkap")
    ranking = table(page()).set_index("code")
    assert ranking.loc["E1", "award"] == "Juara 1"  # locked: final
