"""Plotly figure builders: pure functions, DataFrame in, Figure out (testable without a browser)."""

from __future__ import annotations

from collections.abc import Mapping

import pandas as pd
import plotly.graph_objects as go

# One colour per award tier and per juror seat, used by every chart and table.
TIER_COLORS: dict[str, str] = {"Juara": "#B8860B", "Terbaik": "#1F6F8B", "Favorit": "#6A8D3A"}
NO_TIER_COLOR = "#9AA5B1"
JUROR_COLORS = ["#1B4F72", "#C0392B", "#1E8449", "#7D3C98", "#B9770E", "#117A65", "#884EA0", "#2E4053"]
PRIMARY = "#8B1E1E"


def tier_color(tier: str | None) -> str:
    """The colour of an award tier (grey when none)."""
    return TIER_COLORS.get(tier or "", NO_TIER_COLOR)


def juror_color(seat: int) -> str:
    """The colour of a panel seat (1-based), stable across pages."""
    return JUROR_COLORS[(seat - 1) % len(JUROR_COLORS)]


def _layout(figure: go.Figure, height: int = 360) -> go.Figure:
    figure.update_layout(
        height=height, margin={"l": 10, "r": 10, "t": 30, "b": 10}, template="plotly_white", showlegend=False
    )
    return figure


def entries_by_type(entries: pd.DataFrame, labels: Mapping[str, str]) -> go.Figure:
    """Horizontal bars: number of entries per unit type, largest first."""
    counts = entries["institution_type"].map(lambda kind: labels.get(kind, kind)).value_counts(ascending=True)
    figure = go.Figure(go.Bar(x=counts.to_numpy(), y=counts.index.tolist(), orientation="h", marker_color=PRIMARY))
    return _layout(figure, height=max(240, 40 * len(counts)))
