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
- the adjusted ranking of an edition scored by evaluators (national: 3,500 entries, 60
  evaluators, 3 per entry, a random connected assignment), in memory, and its ratio to the
  mean ranking of the same data (backend "memory", :mod:`kipp.bench.split`);
- the whole-process time of ``python -m kipp leaderboard`` (and that it imports neither
  Streamlit nor plotly) and of importing a national-scale workbook.

Databases are built in a child process so the benchmark's own peak memory is that of
the measurements.  Parts whose module does not exist yet are reported as "not available
yet", never with a made-up figure.  Timings are wall-clock medians: on a shared machine
they are noisy, so the report states the machine and its load average.
"""

from __future__ import annotations

import os
import secrets
import tempfile
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import asdict
from pathlib import Path
from typing import Any

from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from kipp import db
from kipp.bench.measures import (
    Measure,
    build_database,
    measure_analytics,
    measure_cli_leaderboard,
    measure_import,
    measure_leaderboards,
    measure_pages,
    measure_split_panels,
    measure_trends,
    peak_rss_mb,
)
from kipp.bench.report import evaluate, machine
from kipp.bench.scales import Scale

DEFAULT_POSTGRES_URL = "postgresql+psycopg://postgres@127.0.0.1:5432/test"


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


# --- the run -------------------------------------------------------------------------------


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
    peak = Measure(backend, scale.name, "bench_peak_mb", "MB", [peak_rss_mb()])
    peak.note = "peak RSS of the benchmark process so far (cumulative over scales)"
    return [*measures, peak]


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
            if scale.evaluators:
                log(f"memory {scale.name}: adjusted ranking with {scale.evaluators} evaluators …")
                measures += measure_split_panels(scale, runs)
    report["machine"]["load_average_end"] = [round(value, 2) for value in os.getloadavg()]
    report["scales"] = [scale._asdict() | {"scores": scale.scores} for scale in scales]
    report["measures"] = [asdict(m) | {"median": m.median, "median_cpu": m.median_cpu} for m in measures]
    report["targets"] = evaluate(measures)
    return report
