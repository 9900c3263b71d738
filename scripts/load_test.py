"""Load test: the Live page open in many headless Chromium tabs while scores drip in.

    .venv/bin/python scripts/load_test.py [--tabs 10] [--duration 120] [--speed 300] [--db URL] [--json]

Builds a fresh demo database (unless --db is given), prepares a simulated edition, starts
``streamlit run dashboard.py`` on a free loopback port with the Live page public, opens
the Live page in ``--tabs`` tabs of the system's headless Chromium (Debian's ``chromium``
package, driven by Playwright) and runs ``python -m kipp simulate`` until it finishes or
``--duration`` seconds have passed.  It reports:

- the server's CPU (mean over the run and the busiest 5-second window) and peak memory;
- the refresh latency seen in the browser: for every change of the edition's data (the
  time of the latest score write), how long until each tab finished a script run that
  started after it — such a run reads the new data version, so it shows the new ranking;
- whether every tab shows the latest ranking at the end (the top entries' titles and
  scores, as the database ranks them now).

Everything stays on 127.0.0.1 and every wait is bounded.  Exit status 0 when every tab
showed the latest ranking, 1 otherwise.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import re
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from kipp import db, queries, scoring
from kipp.bench.report import machine
from kipp.bench.server import browser_missing, dashboard_server, find_chromium

SIM_YEAR = 2031
TOP_CHECKED = 5
CPU_WINDOW_S = 5.0
POLL_S = 0.25
PAGE_READY_TIMEOUT_MS = 120_000
IDLE = '[data-testid="stApp"][data-test-script-state="notRunning"]'

# Records every script run the tab sees (stApp's data-test-script-state) as [start, end] in ms.
RUN_RECORDER = """
window.__kippRuns = [];
let kippStarted = null;
new MutationObserver((mutations) => {
  for (const m of mutations) {
    const state = m.target.getAttribute("data-test-script-state");
    if (state === "running" && kippStarted === null) kippStarted = Date.now();
    if (state === "notRunning" && kippStarted !== null) {
      window.__kippRuns.push([kippStarted, Date.now()]);
      kippStarted = null;
    }
  }
}).observe(document, {subtree: true, attributes: true, attributeFilter: ["data-test-script-state"]});
"""


def _cpu_seconds(pid: int) -> float:
    """User + system CPU seconds a process has used (from /proc)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def _peak_rss_mb(pid: int) -> float:
    """Peak resident memory of a process (VmHWM) in MB."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def _change_time_ms(version: tuple[Any, ...]) -> float:
    """When the edition last changed: the latest score write (ms since the epoch)."""
    stamp = dt.datetime.fromisoformat(str(version[3]))
    if stamp.tzinfo is None:
        stamp = stamp.replace(tzinfo=dt.UTC)
    return stamp.timestamp() * 1000


def _percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


def _score_pattern(score: float) -> re.Pattern[str]:
    """A score as any page may show it with 2 decimals: 85,25 (Indonesian) or 85.25."""
    whole, decimals = f"{score:.2f}".split(".")
    return re.compile(rf"{whole}[,.]{decimals}")


def run(args: argparse.Namespace) -> dict[str, Any]:
    """The whole load test; returns the report."""
    from playwright.sync_api import sync_playwright

    with tempfile.TemporaryDirectory(prefix="kipp-load-") as tmp:
        folder = Path(tmp)
        url = args.db or f"sqlite:///{folder / 'load.db'}"
        if not args.db:
            subprocess.run([sys.executable, "-m", "kipp", "demo", "--db", url], cwd=db.PROJECT_ROOT, check=True)
        engine = db.get_engine(url)
        from kipp.simulate import prepare_edition

        prepare_edition(engine, args.edition, report=print)
        env = {"KIPP_PUBLIC_LIVE": "1"}
        with dashboard_server(url, folder / "server.log", env) as (base, pid), sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=find_chromium(), args=["--no-sandbox", "--headless"])
            tabs = []
            for _ in range(args.tabs):
                tab = browser.new_page(viewport={"width": 1280, "height": 1600})
                tab.add_init_script(RUN_RECORDER)
                tab.goto(f"{base}/live?edition={args.edition}", wait_until="domcontentloaded")
                tabs.append(tab)
            for tab in tabs:
                tab.wait_for_selector(IDLE, timeout=PAGE_READY_TIMEOUT_MS)
            broken = sum(tab.locator('[data-testid="stException"]').count() > 0 for tab in tabs)
            print(f"{len(tabs)} tabs on {base}/live; simulating for at most {args.duration:g} s …", flush=True)

            changes: list[float] = []
            cpu_windows: list[float] = []
            simulate = subprocess.Popen(
                [
                    sys.executable,
                    "-m",
                    "kipp",
                    "simulate",
                    "--edition",
                    str(args.edition),
                    "--speed",
                    str(args.speed),
                    "--db",
                    url,
                ],
                cwd=db.PROJECT_ROOT,
                stdout=subprocess.DEVNULL,
                stderr=subprocess.PIPE,
                text=True,
            )
            start = time.monotonic()
            cpu_start = window_cpu = _cpu_seconds(pid)
            window_start = start
            version = queries.data_version(engine, args.edition)
            while simulate.poll() is None and time.monotonic() - start < args.duration:
                time.sleep(POLL_S)
                now_version = queries.data_version(engine, args.edition)
                if now_version != version:
                    version = now_version
                    changes.append(_change_time_ms(version))
                if time.monotonic() - window_start >= CPU_WINDOW_S:
                    cpu = _cpu_seconds(pid)
                    cpu_windows.append(100 * (cpu - window_cpu) / (time.monotonic() - window_start))
                    window_cpu, window_start = cpu, time.monotonic()
            elapsed = time.monotonic() - start
            server_cpu = 100 * (_cpu_seconds(pid) - cpu_start) / elapsed
            if simulate.poll() is None:
                simulate.terminate()
                simulate.wait(timeout=15)
            elif simulate.returncode != 0:
                raise RuntimeError(f"python -m kipp simulate failed: {simulate.stderr.read()[-2000:]}")
            final = queries.data_version(engine, args.edition)
            if final != version:
                changes.append(_change_time_ms(final))

            # Let every tab finish a run that started after the last change, then compare with the database.
            last = max(changes, default=0.0)
            deadline = time.monotonic() + args.refresh_timeout
            runs: list[list[list[float]]] = []
            for tab in tabs:
                while True:
                    recorded = tab.evaluate("window.__kippRuns")
                    if any(begin >= last for begin, _ in recorded) or time.monotonic() > deadline:
                        break
                    time.sleep(POLL_S)
                runs.append(recorded)
            board = scoring.leaderboard(queries.load_edition(engine, args.edition))
            top = board.dropna(subset=["score"]).head(TOP_CHECKED)
            shown = []
            for tab in tabs:
                text = tab.locator('[data-testid="stMain"]').text_content() or ""
                shown.append(
                    all(row.title in text and _score_pattern(row.score).search(text) for row in top.itertuples())
                )
            server_peak = _peak_rss_mb(pid)
            if args.artifacts:  # what each tab showed at the end, and the server's log
                args.artifacts.mkdir(parents=True, exist_ok=True)
                for number, tab in enumerate(tabs, start=1):
                    tab.screenshot(path=args.artifacts / f"tab-{number:02d}.png")
            browser.close()
        if args.artifacts:
            (args.artifacts / "server.log").write_bytes((folder / "server.log").read_bytes())

    latencies, missed = [], 0
    for change in changes:
        for recorded in runs:
            ends = [end for begin, end in recorded if begin >= change]
            if ends:
                latencies.append((min(ends) - change) / 1000)
            else:
                missed += 1
    return {
        "tabs": args.tabs,
        "tabs_with_an_error_on_first_load": broken,
        "duration_s": round(elapsed, 1),
        "data_changes": len(changes),
        "server_cpu_percent_mean": round(server_cpu, 1),
        "server_cpu_percent_max_5s": round(max(cpu_windows, default=server_cpu), 1),
        "server_peak_mb": round(server_peak),
        "latency_s_median": round(statistics.median(latencies), 2) if latencies else None,
        "latency_s_p95": round(_percentile(latencies, 0.95), 2) if latencies else None,
        "latency_s_max": round(max(latencies), 2) if latencies else None,
        "changes_a_tab_never_showed": missed,
        "top_checked": top["title"].tolist(),
        "tabs_showing_latest_ranking": sum(shown),
        "machine": machine(),
    }


def main() -> int:
    """Parse the arguments, run the load test, print the report."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--tabs", type=int, default=10, help="browser tabs on the Live page (default 10)")
    parser.add_argument("--duration", type=float, default=120.0, help="longest time scores drip in, seconds")
    parser.add_argument("--speed", type=float, default=300.0, help="simulate --speed (300: a 15-min slot in 3 s)")
    parser.add_argument("--edition", type=int, default=SIM_YEAR, help="the simulated edition's year")
    parser.add_argument("--refresh-timeout", type=float, default=60.0, help="wait for the last refresh, seconds")
    parser.add_argument("--db", default=None, help="database URL (default: a fresh demo database)")
    parser.add_argument("--artifacts", type=Path, default=None, help="folder for tab screenshots and the server log")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    if args.tabs < 1 or args.duration <= 0 or args.speed <= 0:
        parser.error("--tabs, --duration and --speed must be positive")
    reason = browser_missing()
    if reason:
        print(f"error: {reason}", file=sys.stderr)
        return 1
    report = run(args)
    if args.json:
        print(json.dumps(report, indent=2))
    else:
        for key, value in report.items():
            print(f"{key:32} {value}")
    return 0 if report["tabs_showing_latest_ranking"] == report["tabs"] else 1


if __name__ == "__main__":
    sys.exit(main())
