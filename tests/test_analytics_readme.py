"""The README's worked example ("Panels, assignments and the adjusted method") is what the code computes.

The example's edition is :mod:`tests.split_editions` (two rooms, four entries, a lenient and a
strict juror), stored in the database and read back as the commands read it.
"""

from __future__ import annotations

import re

import pytest
from sqlalchemy import Engine

from kipp import analytics, db, queries, scoring
from kipp.adjustment import DisconnectedPanels
from kipp.i18n import format_number
from tests.split_editions import APART, make_rooms_edition

SECTION = "## Panels, assignments and the adjusted method"


def readme_section() -> str:
    text = (db.PROJECT_ROOT / "README.md").read_text(encoding="utf-8")
    start = text.index(SECTION)
    return text[start : text.index("\n## ", start + len(SECTION))]


def readme_rows() -> list[list[str]]:
    """The example table's rows: entry, room, Juri A, Juri B, Juri C, mean, rank, adjusted, rank."""
    return [
        [cell.strip() for cell in line.strip("|").split("|")]
        for line in readme_section().splitlines()
        if line.startswith("| E")
    ]


def test_the_readme_table_is_the_example_edition_ranked_by_mean_and_adjusted(engine: Engine) -> None:
    make_rooms_edition(engine)
    data = queries.load_edition(engine, 2030)
    totals = analytics.juror_scores(data).pivot_table(index="code", columns="juror", values="score")
    totals = totals.astype(object).where(totals.notna(), None)  # format_number shows no score as "–"
    boards = {method: scoring.leaderboard(data, method).set_index("code") for method in ("mean", "adjusted")}
    rows = readme_rows()
    assert [row[0] for row in rows] == ["E1", "E2", "E3", "E4"]
    for code, room, a, b, c, mean, mean_rank, adjusted, adjusted_rank in rows:
        assert data.entries.set_index("code").loc[code, "room"] == room
        shown = [format_number(totals.loc[code, juror], "id", 0) for juror in ("Juri A", "Juri B", "Juri C")]
        assert [a or "–", b or "–", c or "–"] == shown
        assert mean == format_number(boards["mean"].loc[code, "score"], "id")
        assert adjusted == format_number(boards["adjusted"].loc[code, "score"], "id")
        assert int(mean_rank) == boards["mean"].loc[code, "rank"]
        assert int(adjusted_rank) == boards["adjusted"].loc[code, "rank"]


def test_the_readme_effects_and_agreement_are_what_the_code_finds(engine: Engine) -> None:
    make_rooms_edition(engine)
    data = queries.load_edition(engine, 2030)
    text = re.sub(r"\s+", " ", readme_section())
    effects = analytics.juror_effects(data).set_index("juror")["effect"]
    assert effects.to_dict() == pytest.approx({"Juri A": 6.0, "Juri B": 0.0, "Juri C": -6.0}, abs=1e-9)
    assert "b = (+6, 0, −6)" in text
    panels = analytics.agreement_by_panel(data).set_index("room")
    eboni = panels.loc["Ruang Eboni"]
    assert eboni["icc3_1"] == pytest.approx(1.0)
    assert f"ICC(2,1) = 100 / (100 + 2·36/2) = {format_number(eboni['icc2_1'], 'id', 3)}" in text
    assert eboni["icc2_1"] == pytest.approx(100 / 136)
    alpha = analytics.agreement(data)["krippendorff_alpha"]
    assert alpha == pytest.approx(1 - 36 / (2 * 514 / 7))
    assert f"= {format_number(alpha, 'id', 3)}." in text
    assert analytics.agreement(data)["n_entries"] == 0  # no entry has all three jurors


def test_the_readme_refusal_holds_for_rooms_with_no_juror_in_common(engine: Engine) -> None:
    make_rooms_edition(engine, rooms=APART)
    with pytest.raises(DisconnectedPanels, match=r"Ruang Eboni .* and Ruang Meranti"):
        scoring.leaderboard(queries.load_edition(engine, 2030), "adjusted")
