"""Tooling around the dashboard, never imported by the app: the benchmark and the test servers.

- :mod:`kipp.bench.benchmark`: ``python -m kipp bench``, the run over scales and databases;
  :mod:`kipp.bench.measures` what it measures, :mod:`kipp.bench.report` the targets and
  the text, :mod:`kipp.bench.children` its child processes (``python -m kipp.bench build|pages …``);
- :mod:`kipp.bench.server`: a dashboard served by ``streamlit run`` on a free port and
  the system Chromium, shared by the benchmark, scripts/load_test.py and the tests.

Nothing under kipp/ outside this package (and kipp/commands/bench.py) imports it.
"""
