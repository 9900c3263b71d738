"""``python -m kipp agreement``: the panel's agreement on an edition, for scripts and reports.

Prints icc2_1, icc2_k, icc3_1, icc3_k, kendall_w, krippendorff_alpha, n_entries, n_jurors (see
:func:`kipp.analytics.agreement`) as a table or JSON.  No Streamlit or plotly here.
"""

from __future__ import annotations

import argparse
import json
import math

from kipp import analytics, db, queries

DECIMALS = 3


def _plain(value: float | int) -> float | int | None:
    """A JSON-safe value: NaN (not computable) becomes null."""
    if isinstance(value, float) and math.isnan(value):
        return None
    return value


def format_table(figures: dict[str, float | int]) -> str:
    """Two aligned columns, one figure per line; 'n/a' where a figure cannot be computed."""
    width = max(len(key) for key in figures)
    lines = []
    for key, value in figures.items():
        shown = "n/a" if _plain(value) is None else (f"{value:.{DECIMALS}f}" if isinstance(value, float) else value)
        lines.append(f"{key:<{width}}  {shown}")
    return "\n".join(lines)


def cli_agreement(args: argparse.Namespace) -> int:
    """Print the agreement figures of ``--edition`` (exit 1 with a message when it cannot)."""
    from kipp.cli import CommandError

    url = args.db or db.default_url()
    if not db.database_exists(url):
        raise CommandError(f"no KIPP database at {url}; build one with `python -m kipp demo` or import an edition")
    engine = db.get_engine(url)
    try:
        data = queries.load_edition(engine, args.edition)
    except queries.EditionNotFound as error:
        years = ", ".join(str(year) for year in queries.editions(engine)["year"]) or "none"
        raise CommandError(f"{error}; editions in this database: {years}") from error
    result = analytics.agreement(data)
    figures = {key: result[key] for key in analytics.AGREEMENT_KEYS}
    if args.format == "json":
        print(json.dumps({key: _plain(value) for key, value in figures.items()}, indent=2))
    else:
        print(format_table(figures))
    return 0
