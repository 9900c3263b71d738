"""Interface text in Bahasa Indonesia (default) and English.

Every string a user sees comes from the catalogue: TOML files in ``kipp/locales/``,
one per area (home.toml, live.toml …), each key holding both languages::

    [live.title]
    id = "Papan peringkat langsung"
    en = "Live leaderboard"

Placeholders use ``str.format`` names: ``t("home.entries", n=49)``.
Numbers and dates are formatted for the language (85,25 in Indonesian).
"""

from __future__ import annotations

import datetime as dt
import math
import re
import tomllib
from functools import cache
from pathlib import Path
from typing import Any

LANGUAGES: dict[str, str] = {"id": "Bahasa Indonesia", "en": "English"}
DEFAULT_LANGUAGE = "id"
LOCALES_DIR = Path(__file__).resolve().parent / "locales"

_MONTHS_ID = [
    "Januari",
    "Februari",
    "Maret",
    "April",
    "Mei",
    "Juni",
    "Juli",
    "Agustus",
    "September",
    "Oktober",
    "November",
    "Desember",
]


def _flatten(prefix: str, table: dict[str, Any], into: dict[str, dict[str, str]]) -> None:
    """Turn nested TOML tables into dotted keys whose leaves are {lang: text}."""
    if set(table) and set(table) <= set(LANGUAGES) and all(isinstance(v, str) for v in table.values()):
        into[prefix] = dict(table)
        return
    for key, value in table.items():
        if not isinstance(value, dict):
            raise ValueError(f"Catalogue entry {prefix}.{key} must be a table of languages")
        _flatten(f"{prefix}.{key}" if prefix else key, value, into)


@cache
def catalogue() -> dict[str, dict[str, str]]:
    """All keys of all locale files: {key: {lang: text}} (loaded once)."""
    result: dict[str, dict[str, str]] = {}
    for path in sorted(LOCALES_DIR.glob("*.toml")):
        entries: dict[str, dict[str, str]] = {}
        _flatten("", tomllib.loads(path.read_text(encoding="utf-8")), entries)
        duplicated = set(entries) & set(result)
        if duplicated:
            raise ValueError(f"{path.name} redefines {sorted(duplicated)}")
        result.update(entries)
    return result


def translate(key: str, lang: str = DEFAULT_LANGUAGE, /, **values: Any) -> str:
    """The text for ``key`` in ``lang`` with placeholders filled; raises KeyError if unknown."""
    texts = catalogue()[key]
    text = texts.get(lang) or texts[DEFAULT_LANGUAGE]
    return text.format(**values) if values else text


def has_key(key: str) -> bool:
    """Whether the catalogue defines ``key``."""
    return key in catalogue()


def format_number(value: float | int | None, lang: str = DEFAULT_LANGUAGE, decimals: int = 2) -> str:
    """A number in the language's format: 1.234,56 (id) or 1,234.56 (en); '–' for missing."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "–"
    text = f"{value:,.{decimals}f}"
    if lang == "id":
        text = text.replace(",", "\0").replace(".", ",").replace("\0", ".")
    return text


NUMBER_TEXT = re.compile(r"[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][+-]?[0-9]+)?")
NOT_FINITE = frozenset({"nan", "inf", "infinity"})


class NotANumber(ValueError):
    """A value that cannot be read as a finite number; ``reason`` says why."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason  # "not_a_number", "too_large" or "not_finite"


def parse_number(raw: Any) -> float:
    """Read a number as people type it: 85.5, or 85,5 with an Indonesian decimal comma.

    Only plain digits with one decimal separator and an optional exponent are read: spaces or
    underscores inside a number ("8 5", "8_5") are refused rather than silently read as 85.

    Raises :class:`NotANumber` for text, booleans, dates, huge integers, NaN and infinity.
    """
    if raw is None or isinstance(raw, bool | dt.date | dt.time | dt.timedelta):
        raise NotANumber("not_a_number")
    if isinstance(raw, int | float):
        try:
            value = float(raw)
        except OverflowError:
            raise NotANumber("too_large") from None
    else:
        text = str(raw).strip()
        if text.count(",") == 1 and "." not in text:
            text = text.replace(",", ".")
        if not NUMBER_TEXT.fullmatch(text):  # not "8 5" or "8_5", which float() would read as 85
            raise NotANumber("not_finite" if text.lower().lstrip("+-") in NOT_FINITE else "not_a_number")
        value = float(text)
    if not math.isfinite(value):
        raise NotANumber("not_finite")
    return value


def format_percent(value: float | None, lang: str = DEFAULT_LANGUAGE, decimals: int = 0) -> str:
    """A share (0..1) as a percentage in the language's format."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "–"
    return f"{format_number(100 * value, lang, decimals)}%"


def format_date(value: dt.date | None, lang: str = DEFAULT_LANGUAGE) -> str:
    """A date as people write it: 20 Maret 2023 / 20 March 2023."""
    if value is None:
        return "–"
    if lang == "id":
        return f"{value.day} {_MONTHS_ID[value.month - 1]} {value.year}"
    return value.strftime("%-d %B %Y")
