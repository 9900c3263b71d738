"""The interface text catalogue is complete in both languages and covers every key the code uses.

Walks every locale file (each area's, including ones added later) and scans the source
(dashboard.py, app_pages/, kipp/) with ``ast`` for keys passed to ``t``/``ui.t``/``translate``
and to ``Problem`` (messages shown to users).  Keys built with f-strings are checked
against the values they can take where those are known (statuses, unit types, methods …).
"""

from __future__ import annotations

import ast
import string
from collections.abc import Iterator
from pathlib import Path

import pytest

from kipp import documents, i18n, scoring, trends
from kipp.models import EditionStatus, InstitutionType, Role

ROOT = Path(__file__).resolve().parent.parent
SOURCES = sorted(
    [ROOT / "dashboard.py", *ROOT.glob("app_pages/*.py"), *ROOT.glob("kipp/**/*.py")],
)
TRANSLATORS = {"t", "translate"}
KEYED_MESSAGES = {"Problem"}
# Dynamic key families: f"{prefix}{value}" for every value the code can produce.
FAMILIES: dict[str, list[str]] = {
    "status.": [status.value for status in EditionStatus],
    "unit_type.": [kind.value for kind in InstitutionType],
    "method.": list(scoring.METHODS),
    "method.help.": list(scoring.METHODS),
    "role.": [role.value for role in Role],
    "entries.sheet_status.": list(scoring.SHEET_STATUSES),
    "trends.metric.": list(trends.HEADLINES),
    "trends.metric_help.": list(trends.HEADLINES),
    "trends.series.": ["entries", "units", "first_time_units", "first_score", "last_score"],
    "documents.file.": ["pdf", "xlsx"],
    "documents.sheet.": ["leaderboard", "juror_totals", "criterion_scores"],
    "documents.pdf.status.": ["complete", "provisional"],
    "documents.column.": list(documents.COLUMN_KEYS),
    "documents.pdf.column.": ["number", "juror", "rank", "award", "title", "institution", "score", "code", "status"],
}


def _fields(text: str) -> set[str]:
    """The placeholder names of a format string."""
    return {name for _, name, _, _ in string.Formatter().parse(text) if name is not None}


def _called_name(node: ast.Call) -> str | None:
    if isinstance(node.func, ast.Name):
        return node.func.id
    if isinstance(node.func, ast.Attribute):
        return node.func.attr
    return None


def used_keys() -> Iterator[tuple[str, int, str, bool]]:
    """(file, line, key or literal prefix, is_prefix) for every catalogue key in the source."""
    for path in SOURCES:
        if "migrations" in path.parts:
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
        for node in ast.walk(tree):
            if not isinstance(node, ast.Call) or not node.args:
                continue
            name = _called_name(node)
            if name not in TRANSLATORS | KEYED_MESSAGES:
                continue
            first = node.args[0]
            where = str(path.relative_to(ROOT))
            if isinstance(first, ast.Constant) and isinstance(first.value, str):
                yield where, node.lineno, first.value, False
            elif isinstance(first, ast.JoinedStr) and first.values and isinstance(first.values[0], ast.Constant):
                yield where, node.lineno, str(first.values[0].value), True


def test_every_key_has_both_languages_with_the_same_placeholders() -> None:
    catalogue = i18n.catalogue()
    assert len(catalogue) > 100
    problems = []
    for key, texts in catalogue.items():
        for lang in i18n.LANGUAGES:
            if not texts.get(lang, "").strip():
                problems.append(f"{key}: no {lang} text")
        if _fields(texts.get("id", "")) != _fields(texts.get("en", "")):
            problems.append(f"{key}: placeholders differ {_fields(texts['id'])} vs {_fields(texts['en'])}")
    assert not problems, "\n".join(problems)


def test_indonesian_is_not_a_copy_of_english() -> None:
    """Words that are the same in both languages are fine; whole sentences copied over are not."""
    copied = [
        key
        for key, texts in i18n.catalogue().items()
        if texts["id"] == texts["en"] and len(texts["en"].split()) >= 4 and "{" not in texts["en"]
    ]
    assert not copied, f"English text left in the Indonesian catalogue: {copied}"


def test_every_literal_key_in_the_code_exists() -> None:
    catalogue = i18n.catalogue()
    found = list(used_keys())
    assert any(where.startswith("app_pages/") for where, *_ in found)
    missing = [f"{where}:{line} {key}" for where, line, key, prefix in found if not prefix and key not in catalogue]
    assert not missing, "Keys used in the code but missing from kipp/locales:\n" + "\n".join(missing)


def test_every_dynamic_key_family_exists() -> None:
    catalogue = i18n.catalogue()
    missing = []
    for where, line, prefix, is_prefix in used_keys():
        if not is_prefix:
            continue
        if prefix in FAMILIES:
            absent = [prefix + value for value in FAMILIES[prefix] if prefix + value not in catalogue]
            missing += [f"{where}:{line} {key}" for key in absent]
        elif not any(key.startswith(prefix) for key in catalogue):
            missing.append(f"{where}:{line} {prefix}…")
    assert not missing, "Dynamic keys without catalogue entries:\n" + "\n".join(missing)


@pytest.mark.parametrize("lang", list(i18n.LANGUAGES))
def test_numbers_and_dates_follow_the_language(lang: str) -> None:
    import datetime as dt

    expected = {"id": ("1.234,57", "20 Maret 2023"), "en": ("1,234.57", "20 March 2023")}[lang]
    assert (i18n.format_number(1234.567, lang), i18n.format_date(dt.date(2023, 3, 20), lang)) == expected
