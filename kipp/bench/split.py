"""The split-panel benchmark: the adjusted ranking of a national edition scored by evaluators.

A national edition is not scored by one panel: 3,500 proposals, 60 evaluators, 3 evaluators
per proposal (the Scale's ``evaluators`` and ``per_entry``).  The edition is built in memory
as a :class:`kipp.scoring.EditionData` with per-entry assignments (no database: the load is
measured by the other leaderboard lines), and the adjusted ranking is timed against the
mean ranking of the same data.

The assignment is random but always connected: entry i gets evaluators i and i + 1 (mod E)
and the rest at random, so the chain of consecutive evaluators links every panel and the
adjusted method can compare them all.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from kipp.scoring import EditionData

SEED = 2012
QUALITY_MEAN, QUALITY_SD = 72.0, 8.0  # an entry's true level, 0–100
LENIENCY_SD = 4.0  # how far an evaluator's totals sit from the others', in points
NOISE_SD = 3.0  # one criterion's score around the evaluator's view, in points


def connected_assignment(entries: int, evaluators: int, per_entry: int, rng: np.random.Generator) -> np.ndarray:
    """[entry, k] evaluator numbers: i and i + 1 (mod E) first, then distinct random ones."""
    if not 2 <= per_entry <= evaluators:
        raise ValueError(f"per_entry must be between 2 and the {evaluators} evaluators, got {per_entry}")
    chosen = np.empty((entries, per_entry), dtype=int)
    for entry in range(entries):
        first = [entry % evaluators, (entry + 1) % evaluators]
        others = np.setdiff1d(np.arange(evaluators), first)
        chosen[entry] = [*first, *rng.choice(others, per_entry - 2, replace=False)]
    return chosen


def split_edition(entries: int, evaluators: int, per_entry: int, criteria: int, seed: int = SEED) -> EditionData:
    """An edition whose entries are each scored by ``per_entry`` of ``evaluators`` (every sheet complete)."""
    rng = np.random.default_rng(seed)
    chosen = connected_assignment(entries, evaluators, per_entry, rng)
    quality = rng.normal(QUALITY_MEAN, QUALITY_SD, entries)
    leniency = rng.normal(0.0, LENIENCY_SD, evaluators)
    entry_ids = np.repeat(np.arange(1, entries + 1), per_entry)
    juror_ids = chosen.ravel() + 1
    level = quality[entry_ids - 1] + leniency[juror_ids - 1]
    values = level[:, None] + rng.normal(0.0, NOISE_SD, (len(level), criteria))
    scores = pd.DataFrame(
        {
            "entry_id": np.repeat(entry_ids, criteria),
            "juror_id": np.repeat(juror_ids, criteria),
            "criterion_id": np.tile(np.arange(1, criteria + 1), len(level)),
            "value": np.clip(np.rint(values), 0, 100).ravel(),
        }
    )
    codes = [f"P{number:04d}" for number in range(1, entries + 1)]
    return EditionData(
        entries=pd.DataFrame(
            {
                "entry_id": np.arange(1, entries + 1),
                "code": codes,
                "title": [f"Proposal {code}" for code in codes],
                "institution": [f"Unit {number % 500}" for number in range(entries)],
                "institution_type": "other",
                "category": None,
                "day": None,
                "room": None,
                "slot": None,
            }
        ),
        criteria=pd.DataFrame(
            {
                "criterion_id": np.arange(1, criteria + 1),
                "name": [f"Kriteria {number}" for number in range(1, criteria + 1)],
                "weight": 1.0,
                "max_score": 100.0,
                "position": np.arange(criteria),
            }
        ),
        panel=pd.DataFrame(
            {
                "juror_id": np.arange(1, evaluators + 1),
                "juror": [f"Evaluator {number}" for number in range(1, evaluators + 1)],
                "seat": np.arange(1, evaluators + 1),
            }
        ),
        scores=scores,
        assignments=pd.DataFrame({"entry_id": entry_ids, "juror_id": juror_ids}),
    )
