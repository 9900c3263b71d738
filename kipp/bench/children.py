"""The benchmark's child processes (``python -m kipp.bench build|pages …``): a scale's database, the pages timed."""

from __future__ import annotations

import json
import secrets
from collections.abc import Callable, Sequence

from sqlalchemy import Engine

from kipp import db
from kipp.auth import Account
from kipp.bench.measures import CHILD_TIMEOUT_S, PAGES, Timing, peak_rss_mb, timed
from kipp.bench.server import DASHBOARD

BENCH_USER = "bench-organizer"


def _child_build(url: str, entries: str, jurors: str, criteria: str, editions: str) -> None:
    from kipp.demo import build_scale

    build_scale(
        db.get_engine(url),
        n_entries=int(entries),
        n_jurors=int(jurors),
        n_criteria=int(criteria),
        n_editions=int(editions),
    )


def _organizer(engine: Engine) -> Account:
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
            timings[page]["cold"].append(timed(lambda path=path, app=app: app.switch_page(path).run()))
            timings[page]["warm"].append(timed(app.run))
            error = failure_of(app)
            if error:
                errors[page] = error
                timings[page] = {"cold": [], "warm": []}
    print(json.dumps({"pages": timings, "errors": errors, "peak_mb": peak_rss_mb()}))


def child(argv: Sequence[str]) -> int:
    """Run a child process's part (``python -m kipp.bench build|pages …``)."""
    commands: dict[str, Callable[..., None]] = {"build": _child_build, "pages": _child_pages}
    commands[argv[0]](*argv[1:])
    return 0
