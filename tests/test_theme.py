"""One source for colours and default tiers: kipp.theme feeds charts, tables, documents and the
Streamlit theme; award colours follow a tier's position, whatever the edition calls it."""

from __future__ import annotations

import tomllib

import pandas as pd

from kipp import bigscreen, charts, db, reports, scoring, theme
from kipp.models import Edition

CUSTOM_TIERS = [{"name": "Emas", "size": 1}, {"name": "Perak", "size": 1}, {"name": "Perunggu", "size": 1}]


def test_streamlit_config_repeats_the_theme_constants() -> None:
    config = tomllib.loads((db.PROJECT_ROOT / ".streamlit" / "config.toml").read_text(encoding="utf-8"))["theme"]
    assert config["primaryColor"] == config["linkColor"] == theme.PRIMARY
    assert config["backgroundColor"] == theme.BACKGROUND
    assert config["secondaryBackgroundColor"] == config["dataframeHeaderBackgroundColor"] == theme.SECONDARY_BACKGROUND
    assert config["sidebar"]["backgroundColor"] == theme.SECONDARY_BACKGROUND
    assert config["textColor"] == theme.TEXT
    assert config["borderColor"] == theme.BORDER
    assert config["redColor"] == theme.RED and config["greenColor"] == theme.GREEN
    assert config["chartCategoricalColors"] == list(theme.JUROR_COLORS)


def test_a_new_edition_gets_the_one_default_tier_list() -> None:
    edition = Edition(year=2030, name="KIPP 2030")
    assert edition.award_tiers == [dict(tier) for tier in scoring.DEFAULT_TIERS]
    assert edition.award_tiers is not Edition(year=2031, name="KIPP 2031").award_tiers  # a copy each time


def test_tier_colours_go_by_position_and_repeat_past_the_palette() -> None:
    assert [theme.tier_color(p) for p in (1, 2, 3)] == list(theme.TIER_COLORS[:3])
    assert theme.tier_color(len(theme.TIER_COLORS) + 1) == theme.TIER_COLORS[0]
    assert theme.tier_color(None) == theme.tier_color(pd.NA) == theme.NO_TIER_COLOR
    assert theme.tier_tint(2) == theme.TIER_TINTS[1] and theme.tier_tint(None) is None
    assert theme.rgb("#8B1E1E") == (139, 30, 30)


def _custom_board() -> pd.DataFrame:
    entries = pd.DataFrame(
        {
            "entry_id": [1, 2, 3],
            "code": ["E1", "E2", "E3"],
            "title": ["Satu", "Dua", "Tiga"],
            "institution": ["Dinas A", "Dinas B", "Dinas C"],
        }
    )
    criteria = pd.DataFrame(
        {"criterion_id": [1], "name": ["Kebaruan"], "weight": [1.0], "max_score": [100.0], "position": [1]}
    )
    panel = pd.DataFrame({"juror_id": [1], "juror": ["Juri A"], "seat": [1]})
    scores = pd.DataFrame(
        {"entry_id": [1, 2, 3], "juror_id": [1, 1, 1], "criterion_id": [1, 1, 1], "value": [90.0, 80.0, 70.0]}
    )
    return scoring.leaderboard(scoring.EditionData(entries, criteria, panel, scores, tiers=CUSTOM_TIERS))


def test_custom_named_tiers_take_the_first_second_and_third_colours() -> None:
    board = _custom_board()
    assert board["tier"].tolist() == ["Emas", "Perak", "Perunggu"]
    assert board["tier_position"].tolist() == [1, 2, 3]
    page = bigscreen.big_screen_html(
        board, title="KIPP", notes=[], headers={c: c for c in ("rank", "title", "score", "award")}, lang="id"
    )
    for position, award in ((1, "Emas 1"), (2, "Perak"), (3, "Perunggu")):
        assert f"background:{theme.tier_color(position)}'>{award}<" in page
    assert (
        charts.tier_css(2) == f"background-color: {theme.TIER_COLORS[1]}; color: white" and charts.tier_css(pd.NA) == ""
    )


def test_the_winners_chart_colours_custom_tiers_by_position() -> None:
    winners = pd.DataFrame(
        {
            "year": [2030, 2030],
            "institution_type": ["dinas", "dinas"],
            "tier": ["Perak", "Emas"],
            "tier_position": [2, 1],
            "winners": [1, 1],
        }
    )
    figure = charts.winners_chart(winners, lang="id")
    assert [(trace.name, trace.marker.color) for trace in figure.data] == [
        ("Emas", theme.TIER_COLORS[0]),
        ("Perak", theme.TIER_COLORS[1]),
    ]


def test_a_frozen_board_keeps_its_tier_positions_and_old_ones_get_them_back() -> None:
    board = _custom_board()
    rows = reports.records(board, reports.DETAIL_COLUMNS)
    assert reports.from_records(rows)["tier_position"].tolist() == [1, 2, 3]
    old = [{key: value for key, value in row.items() if key != "tier_position"} for row in rows]
    assert reports.from_records(old)["tier_position"].tolist() == [1, 2, 3]
