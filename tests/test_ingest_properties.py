"""Property-based tests of the reader and writer: any valid data set round-trips exactly —
through a workbook, through CSV files, and through the database."""

from __future__ import annotations

import itertools
import unicodedata
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import Engine

from kipp import ingest, scoring
from kipp.ingest.check import name_problem
from kipp.models import EntryStatus, InstitutionType

# Any printable text a person might type, including what spreadsheets treat specially; not the invisible
# format characters (zero-width, text-direction controls) that every write path refuses.
CHARACTERS = st.characters(codec="utf-8", exclude_categories=("Cc", "Cf", "Cs", "Co", "Cn", "Zl", "Zp"))
PREFIXES = st.sampled_from(["", "", "", "=", "+", "-", "@", "'", "''", "0", " "])


def _name(prefix: str, body: str) -> str:
    """A name as stored: spaces collapsed, composed characters (NFC)."""
    return " ".join(unicodedata.normalize("NFC", f"{prefix}{body}").split())


# Names that cannot pass for another (mixed alphabets, or only Cyrillic/Greek letters drawn like Latin ones).
NAMES = st.builds(_name, PREFIXES, st.text(CHARACTERS, min_size=1, max_size=12)).filter(
    lambda name: bool(name) and name_problem(name) is None
)
FREE_TEXT = st.builds(
    lambda prefix, body: unicodedata.normalize("NFC", f"{prefix}{body}").strip() or None,
    PREFIXES,
    st.text(st.one_of(CHARACTERS, st.just("\n")), max_size=30),
)
SIGNIFICANT = 12  # a workbook keeps 15 significant digits (Excel) and openpyxl writes 16: people type fewer


def _typed(value: float) -> float:
    """A number as a person could type it in a spreadsheet cell."""
    return float(f"{value:.{SIGNIFICANT}g}")


NUMBERS = st.floats(min_value=0.001, max_value=1000, allow_nan=False, allow_infinity=False).map(_typed)


@st.composite
def data_sets(draw: st.DrawFn) -> ingest.Tables:
    """A valid file: unique names (as matched: case and spaces ignored), scores within their maxima."""
    criteria_names = draw(st.lists(NAMES, min_size=1, max_size=4, unique_by=ingest.fold))
    criteria = [
        {"criterion": name, "weight": draw(NUMBERS), "max_score": draw(NUMBERS), "description": draw(FREE_TEXT)}
        for name in criteria_names
    ]
    jurors = [
        {"juror": name, "affiliation": draw(FREE_TEXT)}
        for name in draw(st.lists(NAMES, min_size=1, max_size=3, unique_by=ingest.fold))
    ]
    units = draw(st.lists(NAMES, min_size=1, max_size=3, unique_by=ingest.fold))
    kinds = {unit: draw(st.sampled_from([k.value for k in InstitutionType])) for unit in units}
    whole = st.none() | st.integers(min_value=1, max_value=ingest.MAX_WHOLE)
    entries = []
    for code in draw(st.lists(NAMES, min_size=1, max_size=4, unique_by=ingest.fold)):
        unit = draw(st.sampled_from(units))
        entries.append(
            {
                "code": code,
                "title": draw(NAMES),
                "institution": unit,
                "institution_type": kinds[unit],
                "category": draw(FREE_TEXT),
                "day": draw(whole),
                "room": draw(FREE_TEXT),
                "slot": draw(whole),
                "summary": draw(FREE_TEXT),
                "status": draw(st.sampled_from([status.value for status in EntryStatus])),
                "status_reason": draw(FREE_TEXT),
            }
        )
    panels, assignments = draw(seating(entries, jurors))
    expected = _expected(entries, jurors, panels, assignments)
    cells = [
        (entry, juror, criterion)
        for entry, juror, criterion in itertools.product(entries, jurors, criteria)
        if (ingest.fold(entry["code"]), ingest.fold(juror["juror"])) in expected
    ]
    chosen = draw(st.lists(st.sampled_from(range(len(cells))), unique=True, max_size=len(cells)))
    scores = []
    for index in chosen:
        entry, juror, criterion = cells[index]
        value = min(criterion["max_score"], _typed(draw(st.floats(min_value=0, max_value=criterion["max_score"]))))
        scores.append(
            {
                "code": entry["code"],
                "juror": juror["juror"],
                "criterion": criterion["criterion"],
                "score": value,
                "comment": draw(FREE_TEXT),
            }
        )
    return {
        "criteria": criteria,
        "jurors": jurors,
        "entries": entries,
        "scores": scores,
        "panels": panels,
        "assignments": assignments,
    }


@st.composite
def seating(draw: st.DrawFn, entries: list[dict[str, Any]], jurors: list[dict[str, Any]]) -> tuple[list, list]:
    """Session seats on the entries' own days and rooms, and per-entry jurors: any subsets, no row twice."""
    sessions = list(
        {(e["day"], ingest.fold(e["room"])): (e["day"], e["room"]) for e in entries if e["day"] and e["room"]}.values()
    )
    seats = list(itertools.product(sessions, jurors))
    chosen = draw(st.lists(st.sampled_from(range(len(seats))), unique=True)) if seats else []
    panels = [{"day": seats[i][0][0], "room": seats[i][0][1], "juror": seats[i][1]["juror"]} for i in chosen]
    pairs = list(itertools.product(entries, jurors))
    chosen = draw(st.lists(st.sampled_from(range(len(pairs))), unique=True))
    assignments = [{"code": pairs[i][0]["code"], "juror": pairs[i][1]["juror"]} for i in chosen]
    return panels, assignments


def _expected(entries: list, jurors: list, panels: list, assignments: list) -> set[tuple[str, str]]:
    """The (code, juror) pairs kipp.scoring expects a sheet from, rooms matched as the importer matches them."""
    import pandas as pd

    data = scoring.EditionData(
        entries=pd.DataFrame(
            [(ingest.fold(e["code"]), e["day"], e["room"] and ingest.fold(e["room"])) for e in entries],
            columns=["entry_id", "day", "room"],
            dtype=object,
        ),
        criteria=pd.DataFrame(),
        panel=pd.DataFrame({"juror_id": [ingest.fold(j["juror"]) for j in jurors]}),
        scores=pd.DataFrame(),
        assignments=pd.DataFrame(
            [(ingest.fold(a["code"]), ingest.fold(a["juror"])) for a in assignments], columns=["entry_id", "juror_id"]
        ),
        panels=pd.DataFrame(
            [(p["day"], ingest.fold(p["room"]), ingest.fold(p["juror"])) for p in panels],
            columns=["day", "room", "juror_id"],
        ),
    )
    expected = scoring.expected_jurors(data)
    return set(zip(expected["entry_id"], expected["juror_id"], strict=True))


def _as_read(tables: ingest.Tables) -> dict[str, list[dict[str, Any]]]:
    return {
        sheet: [{c: row.get(c) for c in ingest.SHEETS[sheet].columns} for row in rows] for sheet, rows in tables.items()
    }


@settings(max_examples=30, deadline=None)
@given(data_sets())
def test_any_valid_data_set_round_trips_through_workbook_and_csv(tables: ingest.Tables) -> None:
    for name, content in (("data.xlsx", ingest.xlsx_bytes(tables)), ("data.zip", ingest.zip_bytes(tables))):
        data = ingest.load_files([(name, content)])
        assert {sheet: [r.values for r in rows] for sheet, rows in data.sheets.items()} == _as_read(tables), name


YEARS = itertools.count(3000)


def _folded(rows: list[dict[str, Any]], *columns: str) -> set[tuple[Any, ...]]:
    """Rows as the importer matches them (a session's seats are stored under every spelling of its room)."""
    return {tuple(ingest.fold(v) if isinstance(v, str) else v for v in (row[c] for c in columns)) for row in rows}


@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data_sets())
def test_any_valid_data_set_round_trips_through_the_database(engine: Engine, tables: ingest.Tables) -> None:
    """Import, export, import the export elsewhere, export again: the same content, every value kept.

    Jurors and units are shared by all editions of a database, so each example gets its own names.
    """
    year = next(YEARS)

    def own(name: str) -> str:
        return f"{year} {name}"

    for row in tables["jurors"]:
        row["juror"] = own(row["juror"])
    for row in tables["entries"]:
        row["institution"] = own(row["institution"])
    for row in tables["scores"] + tables["panels"] + tables["assignments"]:
        row["juror"] = own(row["juror"])
    ingest.import_dataset(engine, ingest.load_files([("a.xlsx", ingest.xlsx_bytes(tables))]), year)
    first = ingest.export_tables(engine, year)
    assert first["criteria"] == _as_read(tables)["criteria"]
    assert first["jurors"] == _as_read(tables)["jurors"]
    assert sorted(first["entries"], key=repr) == sorted(_as_read(tables)["entries"], key=repr)
    stored = {(r["code"], r["juror"], r["criterion"]): r["score"] for r in first["scores"] if r["score"] is not None}
    assert stored == {(r["code"], r["juror"], r["criterion"]): r["score"] for r in tables["scores"]}
    assert _folded(first["panels"], "day", "room", "juror") == _folded(tables["panels"], "day", "room", "juror")
    assert _folded(first["assignments"], "code", "juror") == _folded(tables["assignments"], "code", "juror")
    ingest.import_dataset(engine, ingest.load_files([("b.zip", ingest.zip_bytes(first))]), year + 10_000)
    assert ingest.export_tables(engine, year + 10_000) == first
