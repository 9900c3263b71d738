"""Deterministic demo data: four Kota Malang editions (2020–2023) and synthetic scale data.

Entry names and units are real (Kota Malang's published KIPP results); juror names are
invented and every score is synthetic.  Scores are drawn so that the published results
come out under each edition's official method, and only the jurors seated in an entry's
session score it (docs/demo.md).  The same generator builds the benchmark's province and
national databases (:func:`build_scale`).

The package is split along its seams:

- :mod:`kipp.demo.data`: the published facts and the plan of each edition;
- :mod:`kipp.demo.frames`: generating rows (:class:`DemoFrames`) from the plans;
- :mod:`kipp.demo.write`: writing rows to the database.

Its public names are re-exported here, so ``from kipp import demo; demo.X`` and
``from kipp.demo import X`` work for all of them.
"""

from __future__ import annotations

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
    Published,
    Session,
)
from kipp.demo.frames import DemoFrames, draw_scores, malang_frames, scale_frames
from kipp.demo.write import build_demo, build_first_demo, build_scale, write_frames

__all__ = [
    "CRITERIA",
    "FEEDBACK",
    "FILLER_QUALITY_CAP",
    "JURORS",
    "PLANS",
    "PREFIXES",
    "SEED",
    "TOP6_2020",
    "TOP10_2023",
    "TOPICS",
    "UNITS",
    "DemoFrames",
    "EditionPlan",
    "Published",
    "Session",
    "build_demo",
    "build_first_demo",
    "build_scale",
    "draw_scores",
    "malang_frames",
    "scale_frames",
    "write_frames",
]
