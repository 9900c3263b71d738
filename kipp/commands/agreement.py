"""``python -m kipp agreement``: the panel's agreement on an edition, for scripts and reports.

Prints icc2_1, icc2_k, icc3_1, icc3_k, kendall_w, krippendorff_alpha, n_entries, n_jurors (see
:func:`kipp.analytics.agreement`) and, per session panel (the entries sharing one set of
expected jurors, :func:`kipp.analytics.agreement_by_panel`), the ICC and W over the entries
that panel fully scored: as a table or JSON (``sessions``).  No Streamlit or plotly here.
"""

from __future__ import annotations

import argparse
import math

from kipp.commands import add_db, add_edition, load_edition

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing, which costs the parser milliseconds
if TYPE_CHECKING:
    from typing import Any

    import pandas as pd

HELP = "print the panel's agreement (ICC, Kendall's W, Krippendorff's alpha; per session panel)"
DECIMALS = 3
SESSION_FIGURES = ("icc2_1", "icc2_k", "icc3_1", "icc3_k", "kendall_w")


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """--edition, --format and --db."""
    add_edition(parser)
    parser.add_argument("--format", choices=["table", "json"], default="table")
    add_db(parser)


def _plain(value: Any) -> Any:
    """A JSON-safe value: NaN or a missing day/room (not computable, not shared) becomes null."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return None
    return value.item() if hasattr(value, "item") else value


def _shown(value: Any) -> str:
    """A figure as printed in the table: 3 decimals, 'n/a' where it cannot be computed."""
    value = _plain(value)
    if value is None:
        return "n/a"
    return f"{value:.{DECIMALS}f}" if isinstance(value, float) else str(value)


def session_key(day: Any, room: Any) -> str | None:
    """'day 2, Ruang Eboni' for a session panel; None when its entries span several sessions."""
    day, room = _plain(day), _plain(room)
    if day is None or room is None:
        return None
    return f"day {day}, {room}"


def sessions(table: pd.DataFrame) -> list[dict[str, Any]]:
    """The rows of :func:`kipp.analytics.agreement_by_panel` as JSON-ready dicts."""
    return [
        {
            "session": session_key(row["day"], row["room"]),
            "day": _plain(row["day"]),
            "room": _plain(row["room"]),
            "jurors": list(row["juror_names"]),
            "entries": int(row["entries"]),
            "n_entries": int(row["n_entries"]),
            "n_jurors": int(row["n_jurors"]),
            **{key: _plain(row[key]) for key in SESSION_FIGURES},
        }
        for row in table.to_dict("records")
    ]


def format_table(figures: dict[str, float | int], panels: list[dict[str, Any]] | None = None) -> str:
    """Two aligned columns, one figure per line; then, when panels differ, a block per session panel."""
    width = max(len(key) for key in figures)
    lines = [f"{key:<{width}}  {_shown(value)}" for key, value in figures.items()]
    for panel in panels or []:
        where = panel["session"] or "entries of several sessions"
        lines += ["", f"{where}: {', '.join(panel['jurors'])} ({panel['n_entries']} of {panel['entries']} entries)"]
        lines += [f"  {key:<{width}}  {_shown(panel[key])}" for key in SESSION_FIGURES]
    return "\n".join(lines)


def run(args: argparse.Namespace) -> int:
    """Print the agreement figures of ``--edition``, overall and per session panel."""
    import json

    from kipp import analytics

    data = load_edition(args)
    result = analytics.agreement(data)
    figures = {key: result[key] for key in analytics.AGREEMENT_KEYS}
    panels = sessions(analytics.agreement_by_panel(data))
    if args.format == "json":
        print(json.dumps({**{key: _plain(value) for key, value in figures.items()}, "sessions": panels}, indent=2))
    else:
        print(format_table(figures, panels if len(panels) > 1 else None))
    return 0
