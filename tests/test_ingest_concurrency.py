"""Eight jurors' score sheets imported at the same moment into one edition, by eight processes:
every score lands, on SQLite (no "database is locked") and on PostgreSQL (no unique violation)."""

from __future__ import annotations

import multiprocessing
from pathlib import Path
from typing import Any

from sqlalchemy import func, select

from kipp import db, ingest
from kipp.models import AuditLog, Edition, Institution, Juror

YEAR = 2035
N_JURORS = 8
CRITERIA = [
    ("Kebaruan", 20.0, 100.0),
    ("Efektif", 20.0, 100.0),
    ("Bermanfaat", 20.0, 100.0),
    ("Dapat direplikasi", 20.0, 100.0),
    ("Berkelanjutan", 20.0, 100.0),
]
UNITS = [("Bappeda", "badan"), ("SMPN 5 Malang", "sekolah"), ("Puskesmas Janti", "puskesmas"), ("Diskopindag", "dinas")]
CODES = [f"K35-{i:03d}" for i in range(1, 21)]


def score(juror: int, entry: int, criterion: int) -> float:
    """A distinct value per cell, so a score written to the wrong cell is noticed."""
    return 50 + (juror * 7 + entry * 3 + criterion) % 50 + 0.25 * (criterion % 2)


def juror_file(juror: int) -> ingest.Tables:
    """One juror's workbook: the shared criteria and entries lists, the juror, and their own scores."""
    name = f"Juri {juror + 1}"
    return {
        "criteria": [{"criterion": c, "weight": w, "max_score": m} for c, w, m in CRITERIA],
        "jurors": [{"juror": name, "affiliation": f"Panel {YEAR}"}],
        "entries": [
            {
                "code": code,
                "title": f"Inovasi {code}",
                "institution": UNITS[i % 4][0],
                "institution_type": UNITS[i % 4][1],
            }
            for i, code in enumerate(CODES)
        ],
        "scores": [
            {
                "code": code,
                "juror": name,
                "criterion": c,
                "score": score(juror, e, k),
                "comment": f"Masukan {name} untuk {code}" if k == 0 else None,
            }
            for e, code in enumerate(CODES)
            for k, (c, _, _) in enumerate(CRITERIA)
        ],
    }


def _worker(url: str, path: str, barrier: Any, results: Any) -> None:
    """A separate process: read its file, wait for the others, import at the same moment."""
    try:
        engine = db.get_engine(url)
        data = ingest.load_path(Path(path))
        barrier.wait(timeout=120)
        summary = ingest.import_dataset(engine, data, YEAR, actor=f"import:{Path(path).name}")
        results.put(("ok", summary.change("scores").new))
    except Exception as error:  # reported to the test, which fails with it
        results.put(("error", f"{type(error).__name__}: {error}"))


def test_eight_processes_import_their_jurors_sheets_at_once(db_url: str, tmp_path: Path) -> None:
    paths = []
    for juror in range(N_JURORS):
        path = tmp_path / f"juri-{juror + 1}.xlsx"
        path.write_bytes(ingest.xlsx_bytes(juror_file(juror)))
        paths.append(path)
    # Migrate, then drop this process's engine so each forked process opens its own connections.
    db.get_engine(db_url)
    db.dispose_engine(db_url)
    context = multiprocessing.get_context("fork")
    barrier, results = context.Barrier(N_JURORS), context.Queue()
    processes = [context.Process(target=_worker, args=(db_url, str(p), barrier, results)) for p in paths]
    for process in processes:
        process.start()
    outcomes = [results.get(timeout=300) for _ in processes]
    for process in processes:
        process.join(timeout=60)
    assert outcomes == [("ok", len(CODES) * len(CRITERIA))] * N_JURORS

    engine = db.get_engine(db_url)
    tables = ingest.export_tables(engine, YEAR)
    assert sorted(r["juror"] for r in tables["jurors"]) == sorted(f"Juri {j + 1}" for j in range(N_JURORS))
    assert [r["code"] for r in tables["entries"]] == CODES
    assert [r["criterion"] for r in tables["criteria"]] == [c for c, _, _ in CRITERIA]
    found = {(r["juror"], r["code"], r["criterion"]): r["score"] for r in tables["scores"]}
    expected = {
        (f"Juri {j + 1}", code, c): score(j, e, k)
        for j in range(N_JURORS)
        for e, code in enumerate(CODES)
        for k, (c, _, _) in enumerate(CRITERIA)
    }
    assert found == expected
    assert sum(1 for r in tables["scores"] if r["comment"]) == N_JURORS * len(CODES)
    with engine.connect() as connection:
        assert connection.execute(select(func.count()).select_from(Institution)).scalar_one() == len(UNITS)
        assert connection.execute(select(func.count()).select_from(Juror)).scalar_one() == N_JURORS
        assert connection.execute(select(Edition.data_version).where(Edition.year == YEAR)).scalar_one() == N_JURORS
        imports = connection.execute(select(func.count()).where(AuditLog.action == "import")).scalar_one()
    assert imports == N_JURORS
