"""The performance benchmark: ``python -m kipp bench`` (see README, "Performance").

Builds a database at each scale in a temporary place with the demo generator
(:func:`kipp.demo.build_scale`) — an SQLite file always, a ``kipp_bench_<random>``
PostgreSQL database when a server answers — and measures, several runs each, median
reported:

- the leaderboard of one edition from the database (load + scoring), each method, and
  the same mean-method scores from one hand-written SQL GROUP BY query (the practical
  limit) in the same run, with the ratio ours / SQL;
- the juror analytics of one edition (agreement, leave-one-out, 1,000-resample
  bootstrap) and the trends over all editions, once those modules exist;
- a full AppTest run of the Live, Juror analytics and Trends pages in a fresh process
  (cold: caches cleared; warm: the same page again), and that process's peak memory;
- the whole-process time of ``python -m kipp leaderboard`` (and that it imports neither
  Streamlit nor plotly) and of importing a national-scale workbook.

Databases are built in a child process so the benchmark's own peak memory is that of
the measurements.  Parts whose module does not exist yet are reported as "not available
yet", never with a made-up figure.  Timings are wall-clock medians: on a shared machine
they are noisy, so the report states the machine and its load average.
"""

from __future__ import annotations

import importlib.util
import json
import os
import platform
import resource
import secrets
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd
from sqlalchemy import Engine, create_engine, text
from sqlalchemy.engine import make_url

from kipp import db, queries, scoring
from kipp.bench.scales import Scale
from kipp.bench.server import DASHBOARD

DEFAULT_POSTGRES_URL = "postgresql+psycopg://postgres@127.0.0.1:5432/test"
PAGES = {"live": "pages/live.py", "jurors": "pages/jurors.py", "trends": "pages/trends.py"}
UI_MODULES = ("streamlit", "plotly")
BOOTSTRAP_RESAMPLES = 1000
IMPORT_YEAR = 2099  # the edition a benchmark workbook is imported into
BENCH_USER = "bench-organizer"
CHILD_TIMEOUT_S = 1800
MB = 1024 * 1024
Timing = tuple[float, float]  # (wall, CPU) seconds
NOTE_WIDTH = 110  # characters of a note in the text table (--json has all)


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


def _timed(function: Callable[[], Any]) -> Timing:
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
            measure.add(_timed(lambda m=method: scoring.leaderboard(queries.load_edition(engine, scale.year), m)))
        sql.add(_timed(lambda: sql_limit_scores(engine, scale.year)))
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
            measures[f"analytics_{part}"].add(_timed(lambda step=step, data=data: step(data)))
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
        measure.add(_timed(run))
    return [measure]


def _peak_rss_mb() -> float:
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


def _ui_modules_imported(stderr: str) -> list[str]:
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
    modules = _ui_modules_imported(done.stderr)
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


# --- databases ------------------------------------------------------------------------------


class PostgresUnavailable(RuntimeError):
    """The PostgreSQL server named for the benchmark does not answer."""


def postgres_server(url: str | None) -> str | None:
    """The PostgreSQL server URL to use, or None when none answers (an explicit URL must answer)."""
    candidate = db.normalise_url(url or os.environ.get("KIPP_TEST_POSTGRES_URL") or DEFAULT_POSTGRES_URL)
    engine = create_engine(candidate, connect_args={"connect_timeout": 3})
    try:
        with engine.connect():
            return candidate
    except Exception as error:
        if url is not None:
            reason = str(getattr(error, "orig", None) or error).splitlines()[0]
            raise PostgresUnavailable(f"PostgreSQL at {make_url(candidate)!r} does not answer: {reason}") from error
        return None
    finally:
        engine.dispose()


@contextmanager
def temporary_database(backend: str, server: str | None, folder: Path, scale: Scale) -> Iterator[str]:
    """A new, empty database URL for one scale; dropped (PostgreSQL) or left to the temp folder."""
    if backend == "sqlite":
        url = f"sqlite:///{folder / f'bench-{scale.name}.db'}"
        try:
            yield url
        finally:
            db.dispose_engine(url)
        return
    assert server is not None
    name = f"kipp_bench_{secrets.token_hex(6)}"
    admin = create_engine(server, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    url = make_url(server).set(database=name).render_as_string(hide_password=False)
    try:
        yield url
    finally:
        db.dispose_engine(url)
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


# --- the run and its report -------------------------------------------------------------------


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


def run_scale(
    backend: str, url: str, scale: Scale, runs: int, folder: Path, log: Callable[[str], None]
) -> list[Measure]:
    """Build one database and take every measurement on it."""
    log(f"{backend} {scale.name}: building {scale.scores:,} scores …")
    build = Measure(backend, scale.name, "build", "s", note="demo generator, not a target")
    build.add(build_database(url, scale))
    measures = [build]
    engine = db.get_engine(url)
    steps: list[tuple[str, Callable[[], list[Measure]]]] = [
        ("leaderboard", lambda: measure_leaderboards(engine, backend, scale, runs)),
        ("analytics", lambda: measure_analytics(engine, backend, scale, runs)),
        ("trends", lambda: measure_trends(engine, backend, scale, runs)),
        ("pages", lambda: measure_pages(url, backend, scale, runs)),
        ("leaderboard command", lambda: measure_cli_leaderboard(url, backend, scale, runs)),
    ]
    if backend == "sqlite":
        steps.append(("workbook import", lambda: measure_import(url, backend, scale, runs, folder)))
    for label, step in steps:
        log(f"{backend} {scale.name}: {label} …")
        try:
            measures += step()
        except Exception as error:  # a broken part must not hide the figures of the others
            note = f"failed: {type(error).__name__}: {str(error)[-300:]}"
            log(f"{backend} {scale.name}: {label} {note}")
            measures.append(Measure(backend, scale.name, label.replace(" ", "_"), "s", note=note))
    peak = Measure(backend, scale.name, "bench_peak_mb", "MB", [_peak_rss_mb()])
    peak.note = "peak RSS of the benchmark process so far (cumulative over scales)"
    return [*measures, peak]


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


def run(
    scales: Sequence[Scale],
    *,
    runs: int = 5,
    postgres: str | None = None,
    log: Callable[[str], None] = lambda message: None,
) -> dict[str, Any]:
    """Run the benchmark at each scale on SQLite (and on PostgreSQL when ``postgres`` is a server URL)."""
    if runs < 1:
        raise ValueError("--runs must be at least 1")
    report: dict[str, Any] = {"machine": machine(), "runs": runs, "backends": ["sqlite"]}
    if postgres:
        report["backends"].append("postgres")
    measures: list[Measure] = []
    with tempfile.TemporaryDirectory(prefix="kipp-bench-") as tmp:
        folder = Path(tmp)
        for scale in scales:
            for backend in report["backends"]:
                with temporary_database(backend, postgres, folder, scale) as url:
                    measures += run_scale(backend, url, scale, runs, folder, log)
    report["machine"]["load_average_end"] = [round(value, 2) for value in os.getloadavg()]
    report["scales"] = [scale._asdict() | {"scores": scale.scores} for scale in scales]
    report["measures"] = [asdict(m) | {"median": m.median, "median_cpu": m.median_cpu} for m in measures]
    report["targets"] = evaluate(measures)
    return report


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


# --- child processes (python -m kipp.bench build|pages …) ---------------------------------------


def _child_build(url: str, entries: str, jurors: str, criteria: str, editions: str) -> None:
    from kipp.demo import build_scale

    build_scale(
        db.get_engine(url),
        n_entries=int(entries),
        n_jurors=int(jurors),
        n_criteria=int(criteria),
        n_editions=int(editions),
    )


def _organizer(engine: Engine) -> Any:
    """A signed-in organizer for the pages (an account in the bench database, as sign-in makes)."""
    from kipp import auth

    return auth.create_user(
        engine,
        actor=auth.SYSTEM,
        username=BENCH_USER,
        role="organizer",
        password=secrets.token_urlsafe(24),
        display_name="Benchmark",
    )


def _child_pages(url: str, runs: str) -> None:
    """Run the pages under AppTest ``runs`` times, cold then warm; print JSON timings and peak memory."""
    import streamlit as st
    from streamlit.testing.v1 import AppTest

    from kipp import ui
    from kipp.i18n import translate

    account = _organizer(db.get_engine(url))
    failure = {translate("app.error", lang) for lang in ("id", "en")}

    def signed_in() -> AppTest:
        app = AppTest.from_file(str(DASHBOARD), default_timeout=CHILD_TIMEOUT_S)
        app.session_state[ui.USER_KEY] = account
        return app.run()

    def failure_of(app: AppTest) -> str | None:
        if app.exception:
            return str(app.exception[0].value)
        if {error.value for error in app.error} & failure:
            return "the page showed its error message (app.error); the traceback is in the log"
        return None

    errors: dict[str, str] = {}
    warm_up = signed_in()
    for page, path in PAGES.items():  # the first run of each page imports its modules: not timed
        error = failure_of(warm_up.switch_page(path).run())
        if error:
            errors[page] = error
    timings: dict[str, dict[str, list[Timing]]] = {page: {"cold": [], "warm": []} for page in PAGES}
    for _ in range(int(runs)):
        app = signed_in()
        for page, path in PAGES.items():
            if page in errors:
                continue
            st.cache_data.clear()
            timings[page]["cold"].append(_timed(lambda path=path, app=app: app.switch_page(path).run()))
            timings[page]["warm"].append(_timed(app.run))
            error = failure_of(app)
            if error:
                errors[page] = error
                timings[page] = {"cold": [], "warm": []}
    print(json.dumps({"pages": timings, "errors": errors, "peak_mb": _peak_rss_mb()}))


def child(argv: Sequence[str]) -> int:
    """Run a child process's part (``python -m kipp.bench build|pages …``)."""
    commands: dict[str, Callable[..., None]] = {"build": _child_build, "pages": _child_pages}
    commands[argv[0]](*argv[1:])
    return 0
