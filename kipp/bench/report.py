"""The benchmark's verdict and its text: the targets, the machine, every target against the medians, the tables."""

from __future__ import annotations

import os
import platform
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from kipp import scoring
from kipp.bench.measures import PAGES, Measure

NOTE_WIDTH = 110  # characters of a note in the text table (--json has all)


@dataclass(frozen=True)
class Target:
    """A performance target: a measure at a scale must stay at or under a limit."""

    label: str
    scale: str
    measure: str
    limit: float


METHOD_MEASURES = [f"leaderboard_{method}" for method in scoring.METHODS]
TARGETS: list[Target] = [
    *(Target(f"malang leaderboard ({m}) <= 20 ms", "malang", f"leaderboard_{m}", 0.020) for m in scoring.METHODS),
    *(Target(f"malang page {page} (cold) <= 1 s", "malang", f"page_{page}_cold", 1.0) for page in PAGES),
    *(Target(f"national leaderboard ({m}) <= 250 ms", "national", f"leaderboard_{m}", 0.250) for m in scoring.METHODS),
    Target("national leaderboard within 2x of the SQL limit", "national", "ratio_mean_to_sql", 2.0),
    Target("national trends over 10 editions <= 1.5 s", "national", "trends", 1.5),
    Target("national analytics with bootstrap <= 2 s", "national", "analytics", 2.0),
    Target("dashboard process <= 400 MB with national data", "national", "dashboard_peak_mb", 400.0),
    Target("leaderboard command imports no streamlit/plotly", "national", "cli_ui_modules", 0.0),
]


def machine() -> dict[str, Any]:
    """What the figures were measured on (the load average shows how busy it was)."""
    model = platform.processor() or platform.machine()
    cpuinfo = Path("/proc/cpuinfo")
    if cpuinfo.exists():
        names = [line.split(":", 1)[1].strip() for line in cpuinfo.read_text().splitlines() if "model name" in line]
        model = names[0] if names else model
    memory_gb = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 1024**3
    return {
        "cpu": model,
        "cores": os.cpu_count(),
        "memory_gb": round(memory_gb, 1),
        "python": platform.python_version(),
        "system": platform.platform(terse=True),
        "load_average": [round(value, 2) for value in os.getloadavg()],
    }


def evaluate(measures: Sequence[Measure]) -> list[dict[str, Any]]:
    """Every target against the measured medians, per backend (targets whose scale was not run are left out)."""
    index = {(m.backend, m.scale, m.name): m for m in measures}
    rows = []
    for backend in dict.fromkeys(m.backend for m in measures):
        for target in TARGETS:
            measure = index.get((backend, target.scale, target.measure))
            if measure is None:
                continue
            median = measure.median
            rows.append(
                {
                    "target": target.label,
                    "backend": backend,
                    "limit": target.limit,
                    "unit": measure.unit,
                    "measured": median,
                    "pass": None if median is None else median <= target.limit,
                    "note": measure.note,
                }
            )
    return rows


def _format(value: float | None, unit: str) -> str:
    if value is None:
        return "—"
    if unit == "s":
        return f"{value * 1000:,.1f} ms" if value < 1 else f"{value:,.2f} s"
    if unit == "MB":
        return f"{value:,.0f} MB"
    if unit == "x":
        return f"{value:.2f}×"
    return f"{value:g}"


def format_report(report: dict[str, Any]) -> str:
    """The report as plain-text tables: every measure, then every target with pass/fail."""
    m = report["machine"]
    lines = [
        f"Machine: {m['cpu']}, {m['cores']} cores, {m['memory_gb']} GB, Python {m['python']}, {m['system']}; "
        f"load average {m['load_average']} at start, {m.get('load_average_end')} at end; "
        f"medians of {report['runs']} runs.",
        "",
    ]
    rows = [
        (
            r["backend"],
            r["scale"],
            r["name"],
            _format(r["median"], r["unit"]),
            _format(r["median_cpu"], r["unit"]),
            str(len(r["values"])),
            r["note"][:NOTE_WIDTH],
        )
        for r in report["measures"]
    ]
    lines += _table(("backend", "scale", "measure", "median", "cpu", "runs", "note"), rows)
    lines.append("")
    rows = [
        (
            t["target"],
            t["backend"],
            _format(t["measured"], t["unit"]),
            _format(t["limit"], t["unit"]),
            "n/a" if t["pass"] is None else ("pass" if t["pass"] else "FAIL"),
            t["note"][:NOTE_WIDTH] if t["pass"] is None else "",
        )
        for t in report["targets"]
    ]
    lines += _table(("target", "backend", "measured", "limit", "result", "why n/a"), rows)
    return "\n".join(lines)


def _table(header: Sequence[str], rows: Sequence[Sequence[str]]) -> list[str]:
    widths = [max(len(str(cell)) for cell in column) for column in zip(header, *rows, strict=False)]
    render = lambda cells: "  ".join(str(c).ljust(w) for c, w in zip(cells, widths, strict=True)).rstrip()  # noqa: E731
    return [render(header), render(["-" * w for w in widths]), *(render(row) for row in rows)]
