"""Generating demo rows (:class:`DemoFrames`) from the plans in :mod:`kipp.demo.data`.

:func:`malang_frames` draws the four Kota Malang editions, deterministically for a seed,
so that the published results come out under each edition's official method: 2023's Top 10
(Si Kawan Duduk 1st, Mas Kadin Bersinar 2nd, Laskar Perencana 3rd), 2020's best six, and the
innovations of 2021–2022 known from later rounds.  Only the jurors seated in an entry's
session score it (day 1 the whole panel, day 2 two per room).  Jurors have styles (a lenient
one and a strict one per panel) so juror analytics have something to find.
:func:`scale_frames` makes synthetic editions of any size for the benchmark.
:func:`draw_scores` is the score model both use (and :mod:`kipp.simulate`).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from kipp.adjustment import LOST, award_changes
from kipp.demo.data import (
    CRITERIA,
    FEEDBACK,
    FILLER_QUALITY_CAP,
    JURORS,
    PLANS,
    PREFIXES,
    SEED,
    TOP6_2020,
    TOP10_2023,
    TOPICS,
    UNITS,
    EditionPlan,
    Session,
)
from kipp.models import EditionStatus
from kipp.scoring import EditionData, leaderboard


@dataclass
class DemoFrames:
    """Rows for every table, keyed by natural keys (ids are assigned by the database)."""

    editions: list[dict[str, Any]] = field(default_factory=list)
    institutions: list[dict[str, Any]] = field(default_factory=list)
    jurors: list[dict[str, Any]] = field(default_factory=list)
    panel: list[dict[str, Any]] = field(default_factory=list)  # year, juror, seat
    seats: list[dict[str, Any]] = field(default_factory=list)  # year, day, room, juror (session panels)
    criteria: list[dict[str, Any]] = field(default_factory=list)  # year, name, ...
    entries: list[dict[str, Any]] = field(default_factory=list)  # year, code, unit, ...
    scores: pd.DataFrame = field(default_factory=pd.DataFrame)  # year, code, juror, criterion, value
    feedback: list[dict[str, Any]] = field(default_factory=list)  # year, code, juror, text
    advancement: list[dict[str, Any]] = field(default_factory=list)  # year, code, round, result


def _unit_sequence(rng: np.random.Generator, n: int, reserved: set[str], previous: list[str]) -> list[str]:
    """Units presenting in an edition: about half return from the previous edition."""
    pool = [name for name, _ in UNITS if name not in reserved]
    returning = [u for u in previous if u not in reserved]
    rng.shuffle(returning)
    chosen = returning[: int(0.55 * n)]
    others = [u for u in pool if u not in chosen]
    rng.shuffle(others)
    chosen += others[: n - len(chosen)]
    while len(chosen) < n:  # more entries than units: some units enter twice
        chosen.append(pool[len(chosen) % len(pool)])
    return chosen


def _title(rng: np.random.Generator, unit_type: str, taken: set[str]) -> str:
    """An invented innovation name in the style of Kota Malang's (acronym + topic)."""
    for _ in range(200):
        prefix = PREFIXES[rng.integers(len(PREFIXES))]
        topic = TOPICS[unit_type][rng.integers(len(TOPICS[unit_type]))]
        title = f"{prefix}{topic}" if prefix.endswith("-") else f"{prefix} {topic}"
        if title not in taken:
            return title
    return f"Inovasi {unit_type.title()} {len(taken) + 1}"


def draw_scores(
    rng: np.random.Generator,
    quality: np.ndarray,
    biases: np.ndarray,
    noise: np.ndarray,
    trend: Sequence[float],
    max_score: float = 100.0,
) -> np.ndarray:
    """Scores[entry, juror, criterion]: quality + criterion profile + juror style + noise."""
    n_entries, n_jurors, n_criteria = len(quality), len(biases), len(trend)
    profile = rng.normal(0.0, 3.0, size=(n_entries, 1, n_criteria)) + np.asarray(trend)[None, None, :]
    jitter = rng.normal(0.0, 1.0, size=(n_entries, n_jurors, n_criteria)) * noise[None, :, None]
    raw = quality[:, None, None] + profile + biases[None, :, None] + jitter
    return np.clip(np.rint(raw * max_score / 100.0), 0, max_score)


def _check_published(plan: EditionPlan, data: EditionData) -> bool:
    """Whether the edition reproduces what was published, under its official method.

    With a lenient room, the plain mean must also give one of that room's entries an award
    the official ranking does not (the demo's case for the adjusted method).
    """
    board = leaderboard(data, plan.official_method)
    titles = board["title"].tolist()
    if plan.year == 2023:
        published = titles[:3] == TOP10_2023[:3] and set(titles[:10]) == set(TOP10_2023)
    elif plan.year == 2020:
        published = titles[:6] == TOP6_2020
    else:
        published = set(titles[: len(plan.known)]) == {p.title for p in plan.known}
    if not published or plan.lenient_room is None:
        return published
    changes = award_changes(leaderboard(data, "mean"), board)
    rooms = data.entries.set_index("entry_id")["room"]
    return bool((rooms.reindex(changes.loc[changes["change"] == LOST, "entry_id"]) == plan.lenient_room).any())


def _edition_data(plan: EditionPlan, entries: list[dict[str, Any]], scores: pd.DataFrame) -> EditionData:
    """EditionData for checking a generated edition before it is written (jurors by JURORS index)."""
    codes = [e["code"] for e in entries]
    return EditionData(
        entries=pd.DataFrame(
            {
                "entry_id": codes,
                "code": codes,
                "title": [e["title"] for e in entries],
                "institution": "",
                "institution_type": "",
                "category": None,
                "day": [e["day"] for e in entries],
                "room": [e["room"] for e in entries],
                "slot": [e["slot"] for e in entries],
            }
        ),
        criteria=pd.DataFrame(
            {
                "criterion_id": [c for c, _ in CRITERIA],
                "name": [c for c, _ in CRITERIA],
                "weight": 20.0,
                "max_score": 100.0,
                "position": range(len(CRITERIA)),
            }
        ),
        panel=pd.DataFrame({"juror_id": list(plan.panel), "juror": list(plan.panel), "seat": range(len(plan.panel))}),
        scores=scores.rename(columns={"code": "entry_id", "juror": "juror_id", "criterion": "criterion_id"}),
        panels=_seats_frame(plan),
        tiers=plan.tiers,
    )


def _seats_frame(plan: EditionPlan) -> pd.DataFrame:
    """day, room, juror_id (JURORS index) of the sessions that seat part of the panel; empty otherwise."""
    rows = [(s.day, s.room, j) for s in plan.sessions for j in s.jurors] if plan.seated else []
    return pd.DataFrame(rows, columns=["day", "room", "juror_id"])


def _schedule(n: int, sessions: Sequence[Session]) -> list[tuple[int, str, int]]:
    """(day, room, slot) for n presentations: each day's share follows its number of rooms."""
    days = sorted({s.day for s in sessions})
    rooms = {day: [s.room for s in sessions if s.day == day] for day in days}
    slots: list[tuple[int, str, int]] = []
    for position, day in enumerate(days):
        later = sum(len(rooms[d]) for d in days[position:])
        count = n - len(slots) if position == len(days) - 1 else (n - len(slots)) * len(rooms[day]) // later
        slots += [(day, rooms[day][i % len(rooms[day])], i // len(rooms[day]) + 1) for i in range(count)]
    return slots


def _seated(plan: EditionPlan, entries: list[dict[str, Any]]) -> np.ndarray:
    """Whether each panel juror sits in each entry's session [entry, juror] (all, without seats)."""
    sessions = {(s.day, s.room): set(s.jurors) for s in plan.sessions}
    return np.array(
        [[not plan.seated or j in sessions[(e["day"], e["room"])] for j in plan.panel] for e in entries], dtype=bool
    )


def malang_frames(seed: int = SEED) -> DemoFrames:
    """The four Kota Malang demo editions as rows (deterministic for a seed)."""
    frames = DemoFrames()
    frames.institutions = [{"name": name, "type": kind} for name, kind in UNITS]
    unit_type = dict(UNITS)
    frames.jurors = [{"name": name, "affiliation": aff} for name, aff, _, _ in JURORS]
    previous: list[str] = []
    score_frames = []
    for plan in PLANS:
        attempt = 0
        while True:
            rng = np.random.default_rng([seed, plan.year, attempt])
            special = list(plan.published) + list(plan.known)
            reserved = {p.unit for p in special}
            fillers = _unit_sequence(rng, plan.n_entries - len(special), reserved, previous)
            taken = {p.title for p in special}
            rows = [(p.title, p.unit, p.quality) for p in special]
            for unit in fillers:
                title = _title(rng, unit_type[unit], taken)
                taken.add(title)
                quality = min(FILLER_QUALITY_CAP, float(rng.normal(68.0, 6.0)))
                rows.append((title, unit, quality))
            order = rng.permutation(len(rows))  # presentation order is not the ranking
            rows = [rows[i] for i in order]
            entries = []
            for number, ((title, unit, _), (day, room, slot)) in enumerate(
                zip(rows, _schedule(len(rows), plan.sessions), strict=True), start=1
            ):
                entries.append(
                    {
                        "year": plan.year,
                        "code": f"K{plan.year % 100:02d}-{number:03d}",
                        "title": title,
                        "unit": unit,
                        "category": _category(unit_type[unit]),
                        "day": day,
                        "room": room,
                        "slot": slot,
                        "summary": f"Inovasi {unit}: {title}.",
                    }
                )
            panel = [JURORS[i] for i in plan.panel]
            values = draw_scores(
                rng,
                np.array([q for _, _, q in rows]),
                np.array([j[2] for j in panel]),
                np.array([j[3] for j in panel]),
                plan.criterion_trend,
            )
            seated = _seated(plan, entries)
            scores = _scores_frame([e["code"] for e in entries], plan.panel, values)
            scores = scores[np.repeat(seated.reshape(-1), values.shape[2])].reset_index(drop=True)
            if _check_published(plan, _edition_data(plan, entries, scores)):
                break
            attempt += 1
        scores["juror"] = scores["juror"].map(lambda i: JURORS[i][0])
        scores["year"] = plan.year
        score_frames.append(scores)
        frames.entries += entries
        frames.editions.append(
            {
                "year": plan.year,
                "ordinal": plan.ordinal,
                "name": f"KIPP Kota Malang {plan.year}",
                "venue": "Hotel di Kota Malang",
                "start_date": plan.start,
                "end_date": plan.start + dt.timedelta(days=1),
                "award_date": plan.award_date,
                "status": EditionStatus.published.value,
                "award_tiers": plan.tiers,
                "official_method": plan.official_method,
                "is_demo": True,
            }
        )
        frames.panel += [
            {"year": plan.year, "juror": JURORS[j][0], "seat": seat} for seat, j in enumerate(plan.panel, 1)
        ]
        frames.seats += [
            {"year": plan.year, "day": day, "room": room, "juror": JURORS[j][0]}
            for day, room, j in _seats_frame(plan).itertuples(index=False)
        ]
        frames.criteria += [
            {
                "year": plan.year,
                "name": name,
                "weight": 20.0,
                "max_score": 100.0,
                "position": i,
                "description": description,
            }
            for i, (name, description) in enumerate(CRITERIA)
        ]
        for i, entry in enumerate(entries):
            for j, juror in enumerate(panel):
                if seated[i, j] and (i + j) % 3 == 0:
                    frames.feedback.append(
                        {
                            "year": plan.year,
                            "code": entry["code"],
                            "juror": juror[0],
                            "text": FEEDBACK[(i * 7 + j) % len(FEEDBACK)],
                        }
                    )
        by_title = {e["title"]: e["code"] for e in entries}
        advancing = list(plan.published) + list(plan.known)
        for position, (round_, result) in plan.advancement.items():
            frames.advancement.append(
                {"year": plan.year, "code": by_title[advancing[position].title], "round": round_, "result": result}
            )
        previous = [e["unit"] for e in entries]
    frames.scores = pd.concat(score_frames, ignore_index=True)
    return frames


def _category(unit_type: str) -> str:
    """The demo's entry category by the kind of unit (Kota Malang groups entries this way)."""
    return {
        "sekolah": "Pendidikan",
        "puskesmas": "Kesehatan",
        "kelurahan": "Kewilayahan",
        "kecamatan": "Kewilayahan",
    }.get(unit_type, "Tata kelola")


def _scores_frame(codes: Sequence[str], jurors: Iterable[Any], values: np.ndarray) -> pd.DataFrame:
    """Long frame code, juror, criterion, value from a [entry, juror, criterion] array."""
    jurors = list(jurors)
    names = (
        [c for c, _ in CRITERIA][: values.shape[2]]
        if values.shape[2] <= len(CRITERIA)
        else [f"Kriteria {i + 1}" for i in range(values.shape[2])]
    )
    index = pd.MultiIndex.from_product([codes, jurors, names], names=["code", "juror", "criterion"])
    return pd.DataFrame({"value": values.reshape(-1)}, index=index).reset_index()


def scale_frames(
    *, n_entries: int, n_jurors: int, n_criteria: int, n_editions: int, seed: int = SEED, first_year: int = 2015
) -> DemoFrames:
    """Synthetic editions of any size for the benchmark (same styles, invented names)."""
    rng = np.random.default_rng(seed)
    frames = DemoFrames()
    n_units = max(50, n_entries // 2)
    kinds = [kind for _, kind in UNITS]
    frames.institutions = [{"name": f"Unit {i + 1:05d}", "type": kinds[i % len(kinds)]} for i in range(n_units)]
    frames.jurors = [{"name": f"Juri {i + 1:03d}", "affiliation": "sintetis"} for i in range(n_jurors * 2)]
    criterion_names = [c for c, _ in CRITERIA] + [f"Kriteria {i}" for i in range(6, n_criteria + 1)]
    score_frames = []
    for e in range(n_editions):
        year = first_year + e
        panel = [(e + j) % len(frames.jurors) for j in range(n_jurors)]
        biases = rng.normal(0, 4, n_jurors)
        quality = np.clip(rng.normal(70, 8, n_entries), 30, 95)
        values = draw_scores(rng, quality, biases, np.full(n_jurors, 2.5), np.zeros(n_criteria))
        codes = [f"N{year}-{i + 1:05d}" for i in range(n_entries)]
        index = pd.MultiIndex.from_product(
            [codes, [frames.jurors[j]["name"] for j in panel], criterion_names[:n_criteria]],
            names=["code", "juror", "criterion"],
        )
        scores = pd.DataFrame({"value": values.reshape(-1)}, index=index).reset_index()
        scores["year"] = year
        score_frames.append(scores)
        frames.editions.append(
            {
                "year": year,
                "ordinal": e + 1,
                "name": f"Benchmark {year}",
                "venue": None,
                "start_date": dt.date(year, 3, 1),
                "end_date": dt.date(year, 3, 2),
                "award_date": None,
                "status": EditionStatus.published.value,
                "award_tiers": [dict(t) for t in PLANS[3].tiers],
                "is_demo": True,
            }
        )
        frames.panel += [{"year": year, "juror": frames.jurors[j]["name"], "seat": s + 1} for s, j in enumerate(panel)]
        frames.criteria += [
            {
                "year": year,
                "name": name,
                "weight": 1.0 + (i == 1),
                "max_score": 100.0,
                "position": i,
                "description": None,
            }
            for i, name in enumerate(criterion_names[:n_criteria])
        ]
        units = rng.integers(0, n_units, n_entries)
        frames.entries += [
            {
                "year": year,
                "code": code,
                "title": f"Inovasi {code}",
                "unit": frames.institutions[u]["name"],
                "category": None,
                "day": 1 + i * 2 // n_entries,
                "room": f"Ruang {i % 4 + 1}",
                "slot": i // 4 + 1,
                "summary": None,
            }
            for i, (code, u) in enumerate(zip(codes, units, strict=True))
        ]
    frames.scores = pd.concat(score_frames, ignore_index=True)
    return frames
