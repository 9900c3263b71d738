"""Generating demo rows (:class:`DemoFrames`) from the plans in :mod:`kipp.demo.data`.

:func:`malang_frames` draws the four Kota Malang editions, deterministically for a seed,
so that the published results come out under the mean method: 2023's Top 10 (Si Kawan
Duduk 1st, Mas Kadin Bersinar 2nd, Laskar Perencana 3rd) and 2020's best six.  Jurors have
styles (a lenient one and a strict one per panel) so juror analytics have something to
find.  :func:`scale_frames` makes synthetic editions of any size for the benchmark.
:func:`draw_scores` is the score model both use (and :mod:`kipp.simulate`).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

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


def _check_published(year: int, data: EditionData) -> bool:
    """Whether the mean-method leaderboard reproduces what was published for the year."""
    board = leaderboard(data, "mean")
    titles = board["title"].tolist()
    if year == 2023:
        return titles[:3] == TOP10_2023[:3] and set(titles[:10]) == set(TOP10_2023)
    if year == 2020:
        return titles[:6] == TOP6_2020
    known = [p.title for p in next(plan for plan in PLANS if plan.year == year).known]
    return set(titles[: len(known)]) == set(known)


def _edition_data(entries: list[dict[str, Any]], scores: pd.DataFrame, n_jurors: int) -> EditionData:
    """EditionData for checking a generated edition before it is written."""
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
                "day": None,
                "room": None,
                "slot": None,
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
        panel=pd.DataFrame({"juror_id": range(n_jurors), "juror": range(n_jurors), "seat": range(n_jurors)}),
        scores=scores.rename(columns={"code": "entry_id", "juror": "juror_id", "criterion": "criterion_id"}),
    )


def _schedule(n: int, rooms_day2: int) -> list[tuple[int, str, int]]:
    """(day, room, slot) for n presentations: day 1 in one room, day 2 in rooms_day2 rooms."""
    day1 = n // (1 + rooms_day2)
    slots = [(1, "Ruang 1", i + 1) for i in range(day1)]
    for i in range(n - day1):
        slots.append((2, f"Ruang {i % rooms_day2 + 1}", i // rooms_day2 + 1))
    return slots


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
                zip(rows, _schedule(len(rows), plan.rooms_day2), strict=True), start=1
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
            scores = _scores_frame([e["code"] for e in entries], range(len(panel)), values)
            if _check_published(plan.year, _edition_data(entries, scores, len(panel))):
                break
            attempt += 1
        scores["juror"] = scores["juror"].map(lambda i, panel=panel: panel[i][0])
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
                "is_demo": True,
            }
        )
        frames.panel += [
            {"year": plan.year, "juror": JURORS[j][0], "seat": seat} for seat, j in enumerate(plan.panel, 1)
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
                if (i + j) % 3 == 0:
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
