"""A presentation day in fast motion: scores dripping in as jurors would enter them.

``python -m kipp simulate --edition YEAR [--speed X] [--limit N]`` prepares the edition
(created from the 2023 demo's entries, criteria, four-juror panel and session seats when it
does not exist; a draft is opened for scoring) and then, presentation by presentation in
schedule order, has each juror hand in their sheet through :func:`kipp.services.submit_sheet`,
exactly as the score-entry page does: validated, audited, bumping the data version so
the Live page moves.  Only the jurors expected on an entry score it (its assignments, else
its session's seats, else the whole panel; never a recused juror), so parallel rooms fill
in parallel.  An edition with parallel rooms and no seats yet is seated as the demo is:
a day in one room keeps the whole panel, a day in several rooms splits it between them
(:func:`seat_sessions`).  Now and then a juror saves part of a sheet first and completes it
after the others.  Every score is synthetic.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd
from sqlalchemy import Engine, select

from kipp import db, demo, queries, scoring
from kipp.audit import Actor, audit
from kipp.models import Edition, EditionStatus

# One presentation slot with questions and scoring takes about a quarter of an hour.
SLOT_SECONDS = 15 * 60
PARTIAL_SHARE = 0.15  # share of sheets a juror first saves half-way
QUALITY_MEAN, QUALITY_SD = 72.0, 7.0
TEMPLATE_YEAR = 2023  # the demo edition a new simulated edition is modelled on
ACTOR_NAME = "simulate"
# Sheets never to fill: already complete, recused, or the juror does not sit on the entry's panel.
SKIPPED = (scoring.SHEET_DONE, scoring.SHEET_RECUSED, scoring.SHEET_UNASSIGNED)


class SimulationRefused(Exception):
    """The edition cannot be simulated as it stands; the message says what to do."""


@dataclass(frozen=True)
class Submission:
    """One save of a juror's sheet: the criteria it fills, and the wait before it (seconds)."""

    entry_id: Any
    juror_id: Any
    values: dict[Any, float]
    delay: float
    completes: bool
    label: str = field(default="", compare=False)


def _template_frames(year: int) -> demo.DemoFrames:
    """A new edition modelled on the 2023 demo: its entries and schedule, criteria and panel, no scores."""
    source = demo.malang_frames()
    frames = demo.DemoFrames()
    template = next(e for e in source.editions if e["year"] == TEMPLATE_YEAR)
    frames.editions = [
        {
            **template,
            "year": year,
            "ordinal": None,
            "name": f"KIPP Kota Malang {year} (simulasi)",
            "start_date": None,
            "end_date": None,
            "award_date": None,
            "status": EditionStatus.scoring.value,
        }
    ]
    frames.institutions = source.institutions
    frames.jurors = source.jurors
    frames.panel = [{**p, "year": year} for p in source.panel if p["year"] == TEMPLATE_YEAR]
    frames.seats = [{**s, "year": year} for s in source.seats if s["year"] == TEMPLATE_YEAR]
    frames.criteria = [{**c, "year": year} for c in source.criteria if c["year"] == TEMPLATE_YEAR]
    prefix = f"K{TEMPLATE_YEAR % 100:02d}-"
    frames.entries = [
        {**e, "year": year, "code": f"K{year % 100:02d}-{e['code'].removeprefix(prefix)}"}
        for e in source.entries
        if e["year"] == TEMPLATE_YEAR
    ]
    frames.scores = pd.DataFrame(columns=["year", "code", "juror", "criterion", "value"])
    return frames


def prepare_edition(engine: Engine, year: int, report: Callable[[str], None] = print) -> None:
    """Make sure the edition exists and takes scores: create it, or open a draft for scoring and seat its rooms."""
    actor = Actor(ACTOR_NAME, "organizer")
    with db.write_session(engine) as session:
        edition = session.scalars(select(Edition).where(Edition.year == year)).first()
        if edition is not None and edition.status == EditionStatus.draft.value:
            audit(
                session,
                actor=actor,
                action="edition.status",
                entity="edition",
                entity_key=str(year),
                edition_id=edition.id,
                old=edition.status,
                new=EditionStatus.scoring.value,
                reason="simulation",
            )
            edition.status = EditionStatus.scoring.value
            report(f"Edition {year} was a draft: opened for scoring.")
        elif edition is not None and edition.status != EditionStatus.scoring.value:
            raise SimulationRefused(
                f"Edition {year} is {edition.status}: scores can only be added while it is in scoring. "
                "Simulate another year (a new edition is created) or reopen this one on the Admin page."
            )
    if edition is not None:
        _seat_unseated(engine, year, actor, report)
    else:
        demo.write_frames(engine, _template_frames(year))
        report(
            f"Created edition {year} from the {TEMPLATE_YEAR} demo: 50 entries, 4 jurors, 5 criteria; "
            "day 1 in one room with the whole panel, day 2 in two rooms of two jurors."
        )


def seat_sessions(entries: pd.DataFrame, panel: pd.DataFrame) -> pd.DataFrame:
    """Session seats (day, room, juror_id) as the demo seats them, or none when no day has parallel rooms.

    A day in one room seats the whole panel; a day in k rooms splits the panel in seat order
    into k groups as equal as can be (four jurors, two rooms: two each).  Rooms in name order.
    """
    sessions = entries[["day", "room"]].dropna().drop_duplicates().sort_values(["day", "room"])
    rooms = sessions.groupby("day")["room"].apply(list)
    if not (rooms.map(len) > 1).any():
        return pd.DataFrame(columns=["day", "room", "juror_id"])
    jurors = panel.sort_values(["seat", "juror_id"])["juror_id"].map(_plain).tolist()
    rows = [
        (day, room, jurors[j])
        for day, names in rooms.items()
        for group, room in zip(np.array_split(np.arange(len(jurors)), len(names)), names, strict=True)
        for j in group
    ]
    return pd.DataFrame(rows, columns=["day", "room", "juror_id"])


def _seat_unseated(engine: Engine, year: int, actor: Actor, report: Callable[[str], None]) -> None:
    """Seat the jurors of an edition with parallel rooms that has no seats, assignments or scores yet.

    Once scoring has begun the panels stay as they are: seating then would leave sheets
    already handed in unassigned.  Written through :func:`kipp.services.set_session_panels`,
    the Admin page's own write path (validated, audited, data version bumped).
    """
    from kipp.services import set_session_panels

    data = queries.load_edition(engine, year)
    if len(data.panels) or len(data.assignments) or len(data.scores) or len(data.panel) < 2:
        return
    seats = seat_sessions(data.entries, data.panel)
    if seats.empty:
        return
    sessions = {
        (int(day), str(room)): [int(juror) for juror in group["juror_id"]]
        for (day, room), group in seats.groupby(["day", "room"], sort=True)
    }
    set_session_panels(engine, actor=actor, year=year, seats=sessions, reason="simulation")
    report(f"Seated the jurors in {len(sessions)} sessions: parallel rooms split the panel.")


def _juror_styles(panel: pd.DataFrame, rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
    """Bias and noise of each juror: the demo's invented styles by name, else drawn."""
    known = {name: (bias, noise) for name, _, bias, noise in demo.JURORS}
    styles = [known.get(name, (float(rng.normal(0.0, 3.0)), 2.5)) for name in panel["juror"]]
    return np.array([b for b, _ in styles]), np.array([n for _, n in styles])


def _plain(value: Any) -> Any:
    """A Python scalar for a numpy one (ids go to the database as plain ints)."""
    return value.item() if isinstance(value, np.generic) else value


def plan(data: scoring.EditionData, seed: int) -> list[Submission]:
    """Every save still to come, in schedule order (day, slot, room), with realistic waits.

    Only expected sheets are planned (:func:`kipp.scoring.expected_jurors`): complete,
    recused and unassigned sheets are skipped; a sheet saved in part gets only its missing
    criteria.  Deterministic for a seed.
    """
    criteria = data.criteria.sort_values(["position", "criterion_id"], kind="stable").reset_index(drop=True)
    entries = data.entries.sort_values(["day", "slot", "room", "code"], na_position="last", kind="stable")
    if criteria.empty or data.panel.empty or entries.empty:
        return []
    rng = np.random.default_rng(seed)
    quality = np.clip(rng.normal(QUALITY_MEAN, QUALITY_SD, len(entries)), 40, 95)
    biases, noise = _juror_styles(data.panel, rng)
    drawn = demo.draw_scores(rng, quality, biases, noise, np.zeros(len(criteria)))
    maxima = criteria["max_score"].to_numpy(dtype=float)
    values = np.clip(np.rint(drawn * maxima / 100.0), 0, maxima)  # [entry, juror, criterion]

    status = scoring.sheet_status(data).set_index(["entry_id", "juror_id"])
    scored = set(map(tuple, data.scores[["entry_id", "juror_id", "criterion_id"]].itertuples(index=False)))
    criterion_ids = criteria["criterion_id"].tolist()
    names = dict(zip(data.panel["juror_id"], data.panel["juror"], strict=True))
    submissions: list[Submission] = []
    for e, entry in enumerate(entries.itertuples(index=False)):
        entry_id = _plain(entry.entry_id)
        label = f"day {entry.day} · {entry.room} · slot {entry.slot} · {entry.code} {entry.title}"
        first, later = [], []
        for j in rng.permutation(len(data.panel)):
            juror_id = _plain(data.panel["juror_id"].iloc[j])
            if status.loc[(entry_id, juror_id), "status"] in SKIPPED:
                continue
            todo = {
                c: float(values[e, j, k]) for k, c in enumerate(criterion_ids) if (entry_id, juror_id, c) not in scored
            }
            who = f"{label} — {names[juror_id]}"
            if len(todo) > 1 and rng.random() < PARTIAL_SHARE:
                half = dict(list(todo.items())[: len(todo) // 2])
                rest = {c: v for c, v in todo.items() if c not in half}
                first.append(Submission(entry_id, juror_id, half, 0.0, False, who))
                later.append(Submission(entry_id, juror_id, rest, 0.0, True, who))
            else:
                first.append(Submission(entry_id, juror_id, todo, 0.0, True, who))
        batch = first + later
        waits = rng.exponential(SLOT_SECONDS / max(1, len(batch)), len(batch))
        submissions += [
            Submission(s.entry_id, s.juror_id, s.values, float(w), s.completes, s.label)
            for s, w in zip(batch, waits, strict=True)
        ]
    return submissions


def simulate(
    engine: Engine,
    year: int,
    *,
    speed: float = 1.0,
    seed: int = 2024,
    limit: int | None = None,
    sleep: Callable[[float], None] = time.sleep,
    report: Callable[[str], None] = print,
) -> int:
    """Prepare the edition and drip its missing sheets in; returns the number of sheets completed."""
    from kipp.services import submit_sheet

    prepare_edition(engine, year, report)
    submissions = plan(queries.load_edition(engine, year), seed)
    if not submissions:
        report(f"Edition {year} has every sheet in already (or no entries, criteria or panel): nothing to do.")
        return 0
    total = sum(s.completes for s in submissions)
    target = total if limit is None else min(limit, total)
    duration = sum(s.delay for s in submissions) / speed
    pace = f"{duration / 60:.0f} min" if duration >= 120 else f"{duration:.0f} s"
    report(f"Simulating {target} of {total} missing sheets at speed {speed:g} (about {pace} for all of them).")
    completed = 0
    for submission in submissions:
        if completed >= target:
            break
        sleep(submission.delay / speed)
        actor = Actor(username=ACTOR_NAME, role="juror", juror_id=submission.juror_id)
        submit_sheet(
            engine, actor=actor, entry_id=submission.entry_id, juror_id=submission.juror_id, values=submission.values
        )
        completed += submission.completes
        state = "sheet complete" if submission.completes else f"saved {len(submission.values)} criteria so far"
        report(f"[{completed}/{target}] {submission.label}: {state}")
    report(f"Done: {completed} sheets completed in edition {year}.")
    return completed
