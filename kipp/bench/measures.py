"""What the benchmark measures: each measure's runs and median, and the functions that take them.

In this process: leaderboards (with the SQL GROUP BY limit), juror analytics, trends.  In
child processes (their memory and imports are not ours): building a database, the pages
under AppTest, the leaderboard command and a workbook import.
"""

from __future__ import annotations

import importlib.util
import json
import os
import resource
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd
from sqlalchemy import Engine, text

from kipp import db, queries, scoring
from kipp.bench.scales import Scale

PAGES = {"live": "app_pages/live.py", "jurors": "app_pages/jurors.py", "trends": "app_pages/trends.py"}
UI_MODULES = ("streamlit", "plotly")
BOOTSTRAP_RESAMPLES = 1000
IMPORT_YEAR = 2099  # the edition a benchmark workbook is imported into
CHILD_TIMEOUT_S = 1800
MB = 1024 * 1024
Timing = tuple[float, float]  # (wall, CPU) seconds


@dataclass
class Measure:
    """One measured quantity at one scale on one backend: every run's value and the median."""

    backend: str
    scale: str
    name: str
    unit: str  # "s", "MB", "x" (ratio) or "count"
    values: list[float] = field(default_factory=list)
    note: str = ""
    cpu: list[float] = field(default_factory=list)  # CPU seconds of each run (timings only)

    @property
    def median(self) -> float | None:
        """The median of the runs (None when nothing was measured)."""
        return statistics.median(self.values) if self.values else None

    @property
    def median_cpu(self) -> float | None:
        """The median CPU time of the runs: steadier than wall time on a busy machine."""
        return statistics.median(self.cpu) if self.cpu else None

    def add(self, timing: Timing) -> float:
        """Record one run's (wall, CPU) seconds; returns the wall time."""
        self.values.append(timing[0])
        self.cpu.append(timing[1])
        return timing[0]


# The practical limit: the mean method's entry scores in ONE SQL statement, done by the
# database itself (juror totals per complete sheet, then their mean per entry).
SQL_LIMIT = text(
    """
    SELECT sheet.entry_id, AVG(sheet.total) AS score, COUNT(*) AS jurors
    FROM (
        SELECT s.entry_id, s.juror_id, 100.0 * SUM(c.weight * s.value / c.max_score) / w.weight_sum AS total
        FROM score s
        JOIN edition e ON e.id = s.edition_id
        JOIN criterion c ON c.id = s.criterion_id
        JOIN panel_member p ON p.edition_id = s.edition_id AND p.juror_id = s.juror_id
        JOIN (SELECT edition_id, SUM(weight) AS weight_sum, COUNT(*) AS n_criteria
              FROM criterion GROUP BY edition_id) w ON w.edition_id = s.edition_id
        WHERE e.year = :year
        GROUP BY s.entry_id, s.juror_id, w.weight_sum, w.n_criteria
        HAVING COUNT(*) = w.n_criteria
    ) sheet
    GROUP BY sheet.entry_id
    ORDER BY score DESC
    """
)


def sql_limit_scores(engine: Engine, year: int) -> pd.Series:
    """Mean-method entry scores (unrounded) computed by one SQL GROUP BY query, by entry_id."""
    with engine.connect() as connection:
        rows = connection.execute(SQL_LIMIT, {"year": year}).all()
    return pd.Series({int(entry_id): float(score) for entry_id, score, _ in rows}, name="score", dtype=float)


def timed(function: Callable[[], Any]) -> Timing:
    """(wall, CPU) seconds of one call; CPU counts this process only (not a database server's work)."""
    wall, cpu = time.perf_counter(), time.process_time()
    function()
    return time.perf_counter() - wall, time.process_time() - cpu


def _module_function(module: str, name: str) -> Callable[..., Any] | None:
    """``module.name`` when that module exists and defines it (the other issues land over time)."""
    if importlib.util.find_spec(module) is None:
        return None
    return getattr(importlib.import_module(module), name, None)


def _missing(*parts: tuple[str, str]) -> str:
    """The "not available yet" note naming the first missing ``module.function``."""
    for module, name in parts:
        if _module_function(module, name) is None:
            return f"not available yet ({module}.{name} does not exist)"
    return ""


# --- measurements in this process -------------------------------------------------------------


def measure_leaderboards(engine: Engine, backend: str, scale: Scale, runs: int) -> list[Measure]:
    """Leaderboard of one edition (load + scoring) per method, and the SQL limit in the same runs."""
    boards = {method: Measure(backend, scale.name, f"leaderboard_{method}", "s") for method in scoring.METHODS}
    sql = Measure(backend, scale.name, "sql_limit_mean", "s", note="one SQL GROUP BY query (the practical limit)")
    ratio = Measure(backend, scale.name, "ratio_mean_to_sql", "x", note="leaderboard_mean / sql_limit_mean per run")
    for method in scoring.METHODS:  # warm-up: connections, caches of the database
        scoring.leaderboard(queries.load_edition(engine, scale.year), method)
    sql_limit_scores(engine, scale.year)
    for _ in range(runs):
        for method, measure in boards.items():
            measure.add(timed(lambda m=method: scoring.leaderboard(queries.load_edition(engine, scale.year), m)))
        sql.add(timed(lambda: sql_limit_scores(engine, scale.year)))
        ratio.values.append(boards["mean"].values[-1] / sql.values[-1])
    return [*boards.values(), sql, ratio]


def measure_analytics(engine: Engine, backend: str, scale: Scale, runs: int) -> list[Measure]:
    """Juror analytics of one edition: agreement, leave-one-out and a 1,000-resample bootstrap."""
    parts = {"agreement": "agreement_table", "leave_one_out": "leave_one_out", "bootstrap": "bootstrap_top"}
    names = ["analytics", *(f"analytics_{part}" for part in parts)]
    note = _missing(*(("kipp.analytics", function) for function in parts.values()))
    if note:
        return [Measure(backend, scale.name, name, "s", note=note) for name in names]
    analytics = importlib.import_module("kipp.analytics")
    steps: dict[str, Callable[[scoring.EditionData], Any]] = {
        "agreement": analytics.agreement_table,
        "leave_one_out": analytics.leave_one_out,
        "bootstrap": lambda data: analytics.bootstrap_top(data, resamples=BOOTSTRAP_RESAMPLES),
    }
    measures = {name: Measure(backend, scale.name, name, "s") for name in names}
    measures["analytics"].note = "load + agreement + leave-one-out + bootstrap (1,000 resamples)"
    for step in steps.values():  # warm-up: imports (scipy) and database caches
        step(queries.load_edition(engine, scale.year))
    for _ in range(runs):
        wall, cpu = time.perf_counter(), time.process_time()
        data = queries.load_edition(engine, scale.year)
        for part, step in steps.items():
            measures[f"analytics_{part}"].add(timed(lambda step=step, data=data: step(data)))
        measures["analytics"].add((time.perf_counter() - wall, time.process_time() - cpu))
    return list(measures.values())


def measure_trends(engine: Engine, backend: str, scale: Scale, runs: int) -> list[Measure]:
    """Trends over all editions: load every edition, rank each, criterion levels, the overview tables."""
    measure = Measure(backend, scale.name, "trends", "s")
    measure.note = _missing(
        ("kipp.queries", "load_all_editions"),
        ("kipp.queries", "advancements"),
        ("kipp.trends", "results"),
        ("kipp.trends", "criterion_scores"),
        ("kipp.trends", "overview"),
    )
    if measure.note:
        return [measure]
    trends = importlib.import_module("kipp.trends")

    def run() -> None:
        data = queries.load_all_editions(engine)
        trends.overview(trends.results(data), trends.criterion_scores(data), queries.advancements(engine))

    measure.note = f"load + rank + overview of {scale.editions} editions"
    run()  # warm-up
    for _ in range(runs):
        measure.add(timed(run))
    return [measure]


def measure_split_panels(scale: Scale, runs: int) -> list[Measure]:
    """The adjusted and the mean ranking of one in-memory edition scored by evaluators (no database).

    Backend "memory": the data is built once (:func:`kipp.bench.split.split_edition`), so the
    figures are the ranking alone; the ratio adjusted / mean is taken run by run.
    """
    if not scale.evaluators:
        return []
    from kipp.bench.split import split_edition

    design = f"{scale.entries:,} entries, {scale.evaluators} evaluators, {scale.per_entry} per entry"
    data = split_edition(scale.entries, scale.evaluators, scale.per_entry, scale.criteria)
    boards = {
        method: Measure("memory", scale.name, f"split_{method}", "s", note=f"leaderboard only; {design}")
        for method in ("adjusted", "mean")
    }
    ratio = Measure("memory", scale.name, "ratio_split_adjusted_to_mean", "x", note="split_adjusted / split_mean")
    for method in boards:  # warm-up: scipy's import for the adjusted fit
        scoring.leaderboard(data, method)
    for _ in range(runs):
        for method, measure in boards.items():
            measure.add(timed(lambda m=method: scoring.leaderboard(data, m)))
        ratio.values.append(boards["adjusted"].values[-1] / boards["mean"].values[-1])
    return [*boards.values(), ratio]


def peak_rss_mb() -> float:
    """Peak resident memory of this process so far (ru_maxrss is in KiB on Linux)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024 / MB


# --- measurements in child processes ----------------------------------------------------------


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def _python(*args: str, env: dict[str, str] | None = None, timeout: float = CHILD_TIMEOUT_S) -> tuple[Timing, str]:
    """Run ``python ARGS`` in the project folder; ((wall, CPU) seconds, stdout); raises on failure."""
    start, cpu = time.perf_counter(), _children_cpu()
    done = subprocess.run(
        [sys.executable, *args],
        cwd=db.PROJECT_ROOT,
        env={**os.environ, **(env or {})},
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )
    elapsed = time.perf_counter() - start, _children_cpu() - cpu
    if done.returncode != 0:
        raise RuntimeError(f"python {' '.join(args[:3])} … failed ({done.returncode}): {done.stderr.strip()[-2000:]}")
    return elapsed, done.stdout


def build_database(url: str, scale: Scale) -> Timing:
    """Build a scale's database in a child process (its memory is not ours); (wall, CPU) seconds."""
    sizes = [str(n) for n in (scale.entries, scale.jurors, scale.criteria, scale.editions)]
    elapsed, _ = _python("-m", "kipp.bench", "build", url, *sizes)
    return elapsed


def measure_pages(url: str, backend: str, scale: Scale, runs: int) -> list[Measure]:
    """AppTest runs of the Live, Juror analytics and Trends pages in a fresh dashboard process."""
    _, out = _python("-m", "kipp.bench", "pages", url, str(runs), env={"DATABASE_URL": url})
    report = json.loads(out.strip().splitlines()[-1])
    measures = []
    for page in PAGES:
        for kind, note in (("cold", "caches cleared, full script run"), ("warm", "same page again, cached")):
            measure = Measure(backend, scale.name, f"page_{page}_{kind}", "s", note=note)
            for timing in report["pages"][page][kind]:
                measure.add(timing)
            if page in report["errors"]:
                measure.note = f"failed: {report['errors'][page][:300]}"
            measures.append(measure)
    peak = Measure(backend, scale.name, "dashboard_peak_mb", "MB", [report["peak_mb"]])
    peak.note = "peak RSS of a process running the three pages under AppTest"
    return [*measures, peak]


def ui_modules_imported(stderr: str) -> list[str]:
    """Streamlit/plotly modules named in ``python -X importtime`` output."""
    found = []
    for line in stderr.splitlines():
        module = line.rsplit("|", 1)[-1].strip()
        if module.split(".")[0] in UI_MODULES:
            found.append(module)
    return found


def measure_cli_leaderboard(url: str, backend: str, scale: Scale, runs: int) -> list[Measure]:
    """Whole-process time of ``python -m kipp leaderboard`` and whether it imports UI libraries."""
    wall = Measure(backend, scale.name, "cli_leaderboard", "s", note="python -m kipp leaderboard, whole process")
    ui = Measure(backend, scale.name, "cli_ui_modules", "count", note="streamlit/plotly modules it imports")
    note = _missing(("kipp.commands.leaderboard", "run"))
    if note:
        wall.note = ui.note = note
        return [wall, ui]
    args = ["-m", "kipp", "leaderboard", "--edition", str(scale.year), "--format", "csv", "--db", url]
    for _ in range(runs):
        wall.add(_python(*args)[0])
    done = subprocess.run(
        [sys.executable, "-X", "importtime", *args],
        cwd=db.PROJECT_ROOT,
        capture_output=True,
        text=True,
        timeout=CHILD_TIMEOUT_S,
        check=True,
    )
    modules = ui_modules_imported(done.stderr)
    ui.values = [float(len(modules))]
    if modules:
        ui.note = f"imports {', '.join(sorted(modules)[:5])}"
    return [wall, ui]


def measure_import(url: str, backend: str, scale: Scale, runs: int, folder: Path) -> list[Measure]:
    """Whole-process time of ``python -m kipp import`` of one edition's workbook into a fresh SQLite file."""
    measure = Measure(backend, scale.name, "cli_import_workbook", "s")
    measure.note = _missing(("kipp.commands.import_", "run"), ("kipp.commands.export", "run"))
    if measure.note:
        return [measure]
    workbook = folder / f"{scale.name}-{scale.year}.xlsx"
    _python("-m", "kipp", "export", "--edition", str(scale.year), "--out", str(workbook), "--db", url)
    for run in range(runs):
        target = f"sqlite:///{folder / f'import-{run}.db'}"
        args = ["-m", "kipp", "import", str(workbook), "--edition", str(IMPORT_YEAR), "--db", target]
        measure.add(_python(*args)[0])
    measure.note = (
        f"{scale.entries * scale.jurors * scale.criteria:,} scores from {scale.name}'s exported workbook "
        "into a new SQLite file, whole process"
    )
    return [measure]
