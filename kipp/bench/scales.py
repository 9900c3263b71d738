"""The benchmark's sizes, apart from the benchmark so the command line can offer them cheaply."""

from __future__ import annotations

from collections import namedtuple

FIRST_YEAR = 2015  # kipp.demo.scale_frames numbers editions from this year


class Scale(
    namedtuple(
        "Scale", ["name", "entries", "jurors", "criteria", "editions", "evaluators", "per_entry"], defaults=(0, 3)
    )
):
    """A benchmark size: entries per edition × jurors × criteria × editions.

    ``evaluators`` and ``per_entry`` size the split-panel measure (:mod:`kipp.bench.split`):
    the same entries each scored by ``per_entry`` of ``evaluators``; 0 evaluators leaves it out.

    A named tuple rather than a dataclass: the command line imports this module to build
    its parser, and dataclasses would add milliseconds to every ``python -m kipp``.
    """

    __slots__ = ()

    @property
    def year(self) -> int:
        """The edition measured on its own: the newest."""
        return FIRST_YEAR + self.editions - 1

    @property
    def scores(self) -> int:
        """Scores in the whole database."""
        return self.entries * self.jurors * self.criteria * self.editions


SCALES: dict[str, Scale] = {
    scale.name: scale
    for scale in (
        Scale("malang", 60, 4, 5, 4, evaluators=8),
        Scale("province", 400, 7, 6, 10, evaluators=20),
        Scale("national", 3500, 5, 5, 10, evaluators=60),
    )
}
