"""The interchange format (sheets, their columns and keys) and the problems an import reports."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from kipp.i18n import DEFAULT_LANGUAGE, format_number, translate


@dataclass(frozen=True)
class SheetSpec:
    """One sheet of the format: its required columns, then its optional ones.

    An optional sheet (``needed`` False) may be left out of a file; the import then leaves what it holds alone.
    """

    name: str
    required: tuple[str, ...]
    optional: tuple[str, ...] = ()
    needed: bool = True

    @property
    def columns(self) -> tuple[str, ...]:
        """All columns, in the order the export writes them."""
        return self.required + self.optional


SHEETS: dict[str, SheetSpec] = {
    spec.name: spec
    for spec in (
        SheetSpec("criteria", ("criterion", "weight", "max_score"), ("description",)),
        SheetSpec("jurors", ("juror",), ("affiliation",)),
        SheetSpec(
            "entries",
            ("code", "title", "institution", "institution_type"),
            ("category", "day", "room", "slot", "summary", "status", "status_reason"),
        ),
        SheetSpec("scores", ("code", "juror", "criterion", "score"), ("comment",)),
        SheetSpec("panels", ("day", "room", "juror"), needed=False),
        SheetSpec("assignments", ("code", "juror"), needed=False),
    )
}
# The sheets every file must have (the optional ones: panels, assignments).
NEEDED_SHEETS = tuple(name for name, spec in SHEETS.items() if spec.needed)
# The key of each sheet's rows.
KEYS: dict[str, tuple[str, ...]] = {
    "criteria": ("criterion",),
    "jurors": ("juror",),
    "entries": ("code",),
    "scores": ("code", "juror", "criterion"),
    "panels": ("day", "room", "juror"),
    "assignments": ("code", "juror"),
}
NAME_COLUMNS = frozenset({"criterion", "juror", "code", "institution"})
NUMBER_COLUMNS = frozenset({"weight", "max_score", "score"})
WHOLE_COLUMNS = frozenset({"day", "slot"})
MAX_NUMBER = 1_000_000.0  # a weight or maximum above this is a typing error, not a rule
MAX_WHOLE = 9_999  # presentation day and slot numbers
XLSX_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

Tables = dict[str, list[dict[str, Any]]]


@dataclass(frozen=True)
class ImportProblem:
    """One reason a file was refused: where (sheet, Excel row number, column) and what (catalogue key)."""

    key: str
    sheet: str | None = None
    row: int | None = None
    column: str | None = None
    values: Mapping[str, Any] = field(default_factory=dict)

    def message(self, lang: str = DEFAULT_LANGUAGE) -> str:
        """What is wrong and what to do, in the user's language."""
        return translate(self.key, lang, **{k: _format(v, lang) for k, v in self.values.items()})

    def line(self, lang: str = DEFAULT_LANGUAGE) -> str:
        """The problem as one line: "sheet scores, row 7, column score: …"."""
        where = []
        if self.sheet:
            where.append(translate("ingest.at.sheet", lang, sheet=self.sheet))
        if self.row:
            where.append(translate("ingest.at.row", lang, row=self.row))
        if self.column:
            where.append(translate("ingest.at.column", lang, column=self.column))
        return f"{', '.join(where)}: {self.message(lang)}" if where else self.message(lang)


def _format(value: Any, lang: str) -> Any:
    """Numbers in a message as the language writes them (85,5 in Bahasa Indonesia), with the decimals they need."""
    if isinstance(value, float):
        return format_number(value, lang, next((d for d in range(4) if round(value, d) == value), 4))
    return value


class ImportRefused(Exception):
    """A file that was refused as a whole; nothing was written. Carries every problem found."""

    def __init__(self, problems: Sequence[ImportProblem]) -> None:
        super().__init__("\n".join(problem.line("en") for problem in problems))
        self.problems = list(problems)


def fold(value: str) -> str:
    """The matching form of a name or code: spaces collapsed, case ignored."""
    return " ".join(value.split()).casefold()
