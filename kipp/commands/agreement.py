"""``python -m kipp agreement``: the panel's agreement on an edition, for scripts and reports.

Prints icc2_1, icc2_k, icc3_1, icc3_k, kendall_w, krippendorff_alpha, n_entries, n_jurors (see
:func:`kipp.analytics.agreement`) as a table or JSON.  No Streamlit or plotly here.
"""

from __future__ import annotations

import argparse
import math

from kipp.commands import add_db, add_edition, load_edition

HELP = "print the panel's agreement (ICC, Kendall's W)"
DECIMALS = 3


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """--edition, --format and --db."""
    add_edition(parser)
    parser.add_argument("--format", choices=["table", "json"], default="table")
    add_db(parser)


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


def run(args: argparse.Namespace) -> int:
    """Print the agreement figures of ``--edition``."""
    import json

    from kipp import analytics

    data = load_edition(args)
    result = analytics.agreement(data)
    figures = {key: result[key] for key in analytics.AGREEMENT_KEYS}
    if args.format == "json":
        print(json.dumps({key: _plain(value) for key, value in figures.items()}, indent=2))
    else:
        print(format_table(figures))
    return 0
