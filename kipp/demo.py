"""Deterministic demo data: four Kota Malang editions (2020–2023) and synthetic scale data.

Entry names and units are real (public results, see shared/domain.md); juror names are
invented and every score is synthetic.  Scores are drawn so that the published results
come out under the mean method: 2023's Top 10 (Si Kawan Duduk 1st, Mas Kadin Bersinar
2nd, Laskar Perencana 3rd) and 2020's best six.  Jurors have styles (a lenient one and a
strict one per panel) so juror analytics have something to find.

The same generator builds the benchmark's province and national databases
(:func:`build_scale`).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd
from sqlalchemy import Engine, delete, exists, insert, select

from kipp import auth, db
from kipp.models import (
    Advancement,
    Criterion,
    Edition,
    EditionStatus,
    Entry,
    Feedback,
    Institution,
    Juror,
    PanelMember,
    Score,
)
from kipp.scoring import EditionData, leaderboard

SEED = 91_2021  # PermenPANRB 91/2021

CRITERIA: list[tuple[str, str]] = [
    ("Kebaruan", "Kebaruan: inovasi baru atau modifikasi yang memberi nilai tambah bagi pelayanan publik."),
    ("Efektif", "Efektif: mencapai tujuan dan hasil yang terukur bagi masyarakat."),
    ("Bermanfaat", "Bermanfaat: memberi manfaat nyata bagi pengguna layanan."),
    ("Dapat direplikasi", "Dapat direplikasi (mudah disebarkan): dapat diterapkan di unit atau daerah lain."),
    ("Berkelanjutan", "Berkelanjutan: didukung kebijakan, anggaran dan SDM agar terus berjalan."),
]

# (name, type): the real units of the published results first, then other Kota Malang units.
UNITS: list[tuple[str, str]] = [
    ("SMPN 5 Malang", "sekolah"),
    ("SMPN 10 Malang", "sekolah"),
    ("Bappeda", "badan"),
    ("Bapenda", "badan"),
    ("SMPN 14 Malang", "sekolah"),
    ("Dispendukcapil", "dinas"),
    ("SMPN 22 Malang", "sekolah"),
    ("SDN Kotalama 1", "sekolah"),
    ("Puskesmas Kedungkandang", "puskesmas"),
    ("SMPN 1 Malang", "sekolah"),
    ("SMPN 18 Malang", "sekolah"),
    ("Puskesmas Polowijen", "puskesmas"),
    ("Disnaker-PMPTSP", "dinas"),
    ("Dinas Lingkungan Hidup", "dinas"),
    ("Dinas Perpustakaan Umum dan Arsip", "dinas"),
    ("Puskesmas Janti", "puskesmas"),
    ("Diskopindag", "dinas"),
    ("Kelurahan Bakalankrajan", "kelurahan"),
    ("SMPN 2 Malang", "sekolah"),
    ("SMPN 13 Malang", "sekolah"),
    ("Dinas Kesehatan", "dinas"),
    ("Dinas Perhubungan", "dinas"),
    ("Dinas Sosial P3AP2KB", "dinas"),
    ("Dinas PUPRPKP", "dinas"),
    ("Disporapar", "dinas"),
    ("Diskominfo", "dinas"),
    ("Dinas Pendidikan dan Kebudayaan", "dinas"),
    ("Dinas Ketahanan Pangan dan Pertanian", "dinas"),
    ("BKPSDM", "badan"),
    ("BPBD", "badan"),
    ("Bakesbangpol", "badan"),
    ("Satpol PP", "other"),
    ("Kecamatan Klojen", "kecamatan"),
    ("Kecamatan Blimbing", "kecamatan"),
    ("Kecamatan Lowokwaru", "kecamatan"),
    ("Kecamatan Sukun", "kecamatan"),
    ("Kecamatan Kedungkandang", "kecamatan"),
    ("Kelurahan Oro-oro Dowo", "kelurahan"),
    ("Kelurahan Purwantoro", "kelurahan"),
    ("Kelurahan Tlogomas", "kelurahan"),
    ("Kelurahan Bumiayu", "kelurahan"),
    ("Kelurahan Polehan", "kelurahan"),
    ("Kelurahan Tunjungsekar", "kelurahan"),
    ("Kelurahan Kotalama", "kelurahan"),
    ("Puskesmas Arjuno", "puskesmas"),
    ("Puskesmas Dinoyo", "puskesmas"),
    ("Puskesmas Kendalkerep", "puskesmas"),
    ("Puskesmas Mojolangu", "puskesmas"),
    ("Puskesmas Ciptomulyo", "puskesmas"),
    ("Puskesmas Gribig", "puskesmas"),
    ("Puskesmas Rampal Celaket", "puskesmas"),
    ("Puskesmas Bareng", "puskesmas"),
    ("Puskesmas Mulyorejo", "puskesmas"),
    ("Puskesmas Kendalsari", "puskesmas"),
    ("SMPN 3 Malang", "sekolah"),
    ("SMPN 4 Malang", "sekolah"),
    ("SMPN 6 Malang", "sekolah"),
    ("SMPN 8 Malang", "sekolah"),
    ("SMPN 9 Malang", "sekolah"),
    ("SMPN 11 Malang", "sekolah"),
    ("SMPN 16 Malang", "sekolah"),
    ("SMPN 20 Malang", "sekolah"),
    ("SMPN 21 Malang", "sekolah"),
    ("SDN Sumbersari 2", "sekolah"),
    ("SDN Lowokwaru 3", "sekolah"),
    ("SDN Bunulrejo 1", "sekolah"),
    ("SDN Tulusrejo 2", "sekolah"),
    ("RSUD Kota Malang", "upt"),
    ("UPT Laboratorium Lingkungan", "upt"),
    ("UPT Pengujian Kendaraan Bermotor", "upt"),
    ("UPT Balai Latihan Kerja", "upt"),
    ("UPT Pengelolaan Sampah", "upt"),
    ("Perumda Air Minum Tugu Tirta", "bumd"),
    ("Perumda BPR Tugu Artha Sejahtera", "bumd"),
    ("Perumda Tugu Aneka Usaha", "bumd"),
]

TOPICS: dict[str, list[str]] = {
    "sekolah": ["Literasi", "Numerasi", "Karakter", "Inklusi", "Rapor Digital", "Kantin Sehat", "Sekolah Adiwiyata"],
    "puskesmas": ["Ibu Hamil", "Cegah Stunting", "Lansia Sehat", "Tuntas TB", "Posyandu", "Gizi Balita", "Jiwa Sehat"],
    "kelurahan": ["RW Bersih", "UMKM Kampung", "Kampung Tematik", "Adminduk Keliling", "Warga Siaga"],
    "kecamatan": ["Layanan Terpadu", "Pengaduan Warga", "Kampung Tangguh", "Antar Dokumen"],
    "dinas": ["Perizinan", "Data Terpadu", "Pengaduan", "Arsip Digital", "Layanan Kerja", "Pangan Murah"],
    "badan": ["Pajak Daerah", "Perencanaan Partisipatif", "Kinerja ASN", "Siaga Bencana"],
    "upt": ["Antrean Online", "Uji Cepat", "Layanan Prima", "Rujukan Terpadu"],
    "bumd": ["Tagihan Digital", "Kredit Mikro", "Layanan Pelanggan"],
    "other": ["Ketertiban Humanis", "Patroli Digital"],
}
PREFIXES = ["SIGAP", "SOBAT", "GERCEP", "TERAS", "POJOK", "LAYAR", "SAPA", "JEMPOL", "SI-", "E-", "GERAI", "KLIK"]

JURORS: list[tuple[str, str, float, float]] = [
    # (invented name, affiliation, bias in points, noise sd)
    ("Dr. Hendra Wicaksono", "Akademisi (fiktif)", +6.0, 2.0),
    ("Ir. Sri Rahayuningsih, M.T.", "Praktisi (fiktif)", -7.0, 2.0),
    ("Drs. Bambang Suryadi", "Tokoh masyarakat (fiktif)", 0.5, 2.0),
    ("Dian Puspitasari, M.AP.", "Akademisi (fiktif)", -0.5, 4.0),
    ("Prof. Agus Priyanto", "Akademisi (fiktif)", 1.0, 2.0),
    ("Ratna Kusumawardani, S.Sos.", "Jurnalis (fiktif)", +5.5, 2.0),
    ("Dr. Yusuf Hidayatullah", "Praktisi (fiktif)", -6.0, 2.0),
    ("Lestari Handayani, M.Si.", "Ombudsman (fiktif)", 0.0, 2.5),
]

FEEDBACK = [
    "Perkuat data dampak sebelum dan sesudah inovasi.",
    "Jelaskan rencana replikasi ke unit lain.",
    "Perlu dukungan regulasi agar berkelanjutan.",
    "Presentasi jelas; tambahkan testimoni pengguna.",
    "Anggaran keberlanjutan belum terlihat.",
    "Inovasi menarik, perluas jangkauan penerima manfaat.",
]


@dataclass(frozen=True)
class Published:
    """A published result the synthetic scores must reproduce: title, unit, latent quality."""

    title: str
    unit: str
    quality: float


@dataclass(frozen=True)
class EditionPlan:
    """How one demo edition is made."""

    year: int
    ordinal: int
    n_entries: int
    panel: Sequence[int]
    start: dt.date
    rooms_day2: int
    tiers: list[dict[str, Any]]
    published: Sequence[Published]
    known: Sequence[Published] = ()
    award_date: dt.date | None = None
    criterion_trend: Sequence[float] = (0, 0, 0, 0, 0)
    advancement: dict[int, tuple[str, str]] = field(default_factory=dict)


PLANS: list[EditionPlan] = [
    EditionPlan(
        year=2020,
        ordinal=1,
        n_entries=42,
        panel=(0, 1, 2, 3),
        start=dt.date(2020, 2, 26),
        rooms_day2=1,
        tiers=[{"name": "Terbaik", "size": 6, "numbered": True}],
        published=[
            Published("SEGAR KAGEMI", "SMPN 10 Malang", 90.0),
            Published("BERSUAMI", "Dispendukcapil", 88.5),
            Published("RUMAH DIAPERS", "Puskesmas Polowijen", 87.0),
            Published("PTS untuk PRONAS", "SMPN 1 Malang", 85.5),
            Published("TONGSIS", "SMPN 18 Malang", 84.0),
            Published("BOM – Bargaining On Mall", "Disnaker-PMPTSP", 82.5),
        ],
        criterion_trend=(-2, 0, 1, -3, -5),
        advancement={0: ("KOVABLIK", "Top 30 Jawa Timur"), 1: ("KOVABLIK", "Top 30 Jawa Timur")},
    ),
    EditionPlan(
        year=2021,
        ordinal=2,
        n_entries=46,
        panel=(0, 2, 4, 6),
        start=dt.date(2021, 3, 16),
        rooms_day2=2,
        tiers=[{"name": "Juara", "size": 3, "numbered": True}, {"name": "Terbaik", "size": 3}],
        published=[],
        known=[
            Published("Bank Sampah Malang", "Dinas Lingkungan Hidup", 89.0),
            Published("LAPO BRA", "Dinas Perpustakaan Umum dan Arsip", 87.0),
            Published("BREXIT", "Puskesmas Janti", 85.0),
            Published("Sepasar Pedas", "Diskopindag", 83.0),
        ],
        criterion_trend=(-1, 0, 1, -2, -4),
        advancement={
            0: ("SINOVIK", "Top 99 Nasional"),
            1: ("KOVABLIK", "Top 15 Jawa Timur"),
            2: ("KOVABLIK", "Top 30 Jawa Timur"),
        },
    ),
    EditionPlan(
        year=2022,
        ordinal=3,
        n_entries=49,
        panel=(5, 1, 4, 7),
        start=dt.date(2022, 6, 15),
        rooms_day2=2,
        tiers=[{"name": "Juara", "size": 3, "numbered": True}, {"name": "Terbaik", "size": 3}],
        published=[],
        known=[
            Published("Si Ikan Nila", "Kelurahan Bakalankrajan", 89.0),
            Published("Jarik Ma'Siti", "SMPN 10 Malang", 87.5),
            Published("Simba Asia", "SMPN 2 Malang", 86.0),
            Published("Nasi Tiga Beras", "SMPN 13 Malang", 84.5),
        ],
        criterion_trend=(0, 1, 1, -1, -3),
        advancement={
            0: ("KOVABLIK", "Top 15 Jawa Timur"),
            1: ("KOVABLIK", "Top 30 Jawa Timur"),
            2: ("SINOVIK", "Top 99 Nasional"),
        },
    ),
    EditionPlan(
        year=2023,
        ordinal=4,
        n_entries=50,
        panel=(5, 6, 2, 7),
        start=dt.date(2023, 3, 20),
        rooms_day2=2,
        tiers=[
            {"name": "Juara", "size": 3, "numbered": True},
            {"name": "Terbaik", "size": 3},
            {"name": "Favorit", "size": 4},
        ],
        award_date=dt.date(2023, 7, 10),
        published=[
            Published("Si Kawan Duduk", "SMPN 5 Malang", 91.0),
            Published("Mas Kadin Bersinar", "SMPN 10 Malang", 89.0),
            Published("Laskar Perencana", "Bappeda", 87.0),
        ],
        known=[
            Published("Validasi Data Kesejahteraan Sosial", "Bappeda", 84.0),
            Published("Persada", "Bapenda", 83.5),
            Published("INDIGO", "SMPN 14 Malang", 83.0),
            Published("SIAPEL", "Dispendukcapil", 82.5),
            Published("SEPAKAT_22", "SMPN 22 Malang", 82.0),
            Published("IBUKOTA – Inovasi Bulu Kotoran Ayam", "SDN Kotalama 1", 81.5),
            Published("KOPI TUBRUK", "Puskesmas Kedungkandang", 81.0),
        ],
        criterion_trend=(1, 2, 2, 0, -1),
        advancement={
            0: ("KOVABLIK", "Top 15 Jawa Timur"),
            1: ("KOVABLIK", "Top 30 Jawa Timur"),
            2: ("SINOVIK", "Top 99 Nasional"),
        },
    ),
]

# In 2023 the other seven of the Top 10 must stay inside the Top 10 (order among them free).
TOP10_2023 = [p.title for p in PLANS[3].published] + [p.title for p in PLANS[3].known]
TOP6_2020 = [p.title for p in PLANS[0].published]
FILLER_QUALITY_CAP = 76.0


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


def _draw_scores(
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
            values = _draw_scores(
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
        values = _draw_scores(rng, quality, biases, np.full(n_jurors, 2.5), np.zeros(n_criteria))
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


def _ids(connection: Any, statement: Any) -> dict[Any, int]:
    """Map natural keys to ids from a two-or-more column SELECT (key columns first, id last)."""
    result: dict[Any, int] = {}
    for row in connection.execute(statement):
        *key, identifier = row
        result[key[0] if len(key) == 1 else tuple(key)] = identifier
    return result


def write_frames(engine: Engine, frames: DemoFrames, *, replace: bool = False) -> None:
    """Insert demo rows in one transaction (all or nothing), in bulk, without per-row queries."""
    with db.write_session(engine) as session:
        _write_frames(session.connection(), frames, replace=replace)


def _write_frames(connection: Any, frames: DemoFrames, *, replace: bool = False) -> None:
    """Insert demo rows in the caller's transaction; refuses editions that exist unless ``replace``."""
    years = [e["year"] for e in frames.editions]
    existing = connection.execute(select(Edition.year, Edition.is_demo).where(Edition.year.in_(years))).all()
    if existing and not replace:
        raise ValueError(
            f"Editions {', '.join(str(y) for y, _ in existing)} already exist; use --replace to rebuild demo data"
        )
    if any(not is_demo for _, is_demo in existing):
        raise ValueError("Refusing to replace editions that are not demo data")
    if existing:
        connection.execute(delete(Edition).where(Edition.year.in_(years)))
    connection.execute(insert(Edition), frames.editions)
    edition_ids = _ids(connection, select(Edition.year, Edition.id).where(Edition.year.in_(years)))

    known_units = _ids(connection, select(Institution.name, Institution.id))
    new_units = [{"name": u["name"]} for u in frames.institutions if u["name"] not in known_units]
    if new_units:
        connection.execute(insert(Institution), new_units)
    unit_ids = _ids(connection, select(Institution.name, Institution.id))

    known_jurors = _ids(connection, select(Juror.name, Juror.id))
    new_jurors = [{"name": j["name"]} for j in frames.jurors if j["name"] not in known_jurors]
    if new_jurors:
        connection.execute(insert(Juror), new_jurors)
    juror_ids = _ids(connection, select(Juror.name, Juror.id))
    affiliations = {j["name"]: j["affiliation"] for j in frames.jurors}
    unit_types = {u["name"]: u["type"] for u in frames.institutions}

    connection.execute(
        insert(PanelMember),
        [
            {
                "edition_id": edition_ids[p["year"]],
                "juror_id": juror_ids[p["juror"]],
                "seat": p["seat"],
                "affiliation": affiliations[p["juror"]],
            }
            for p in frames.panel
        ],
    )
    connection.execute(
        insert(Criterion),
        [
            {**{k: v for k, v in c.items() if k != "year"}, "edition_id": edition_ids[c["year"]]}
            for c in frames.criteria
        ],
    )
    connection.execute(
        insert(Entry),
        [
            {
                **{k: v for k, v in e.items() if k not in ("year", "unit")},
                "edition_id": edition_ids[e["year"]],
                "institution_id": unit_ids[e["unit"]],
                "institution_type": unit_types[e["unit"]],
            }
            for e in frames.entries
        ],
    )
    ids = list(edition_ids.values())
    entry_ids = _ids(
        connection, select(Edition.year, Entry.code, Entry.id).join(Edition).where(Entry.edition_id.in_(ids))
    )
    criteria = {
        (year, name): (cid, max_score)
        for year, name, cid, max_score in connection.execute(
            select(Edition.year, Criterion.name, Criterion.id, Criterion.max_score)
            .join(Edition)
            .where(Criterion.edition_id.in_(ids))
        )
    }
    _insert_scores(connection, frames.scores, edition_ids, entry_ids, juror_ids, criteria)
    if frames.feedback:
        connection.execute(
            insert(Feedback),
            [
                {
                    "edition_id": edition_ids[f["year"]],
                    "entry_id": entry_ids[(f["year"], f["code"])],
                    "juror_id": juror_ids[f["juror"]],
                    "text": f["text"],
                }
                for f in frames.feedback
            ],
        )
    if frames.advancement:
        connection.execute(
            insert(Advancement),
            [
                {
                    "entry_id": entry_ids[(a["year"], a["code"])],
                    "round": a["round"],
                    "year": a["year"],
                    "result": a["result"],
                }
                for a in frames.advancement
            ],
        )


def _insert_scores(
    connection: Any,
    scores: pd.DataFrame,
    edition_ids: dict[int, int],
    entry_ids: dict[tuple[int, str], int],
    juror_ids: dict[str, int],
    criteria: dict[tuple[int, str], tuple[int, float]],
    chunk: int = 50_000,
) -> None:
    """Bulk insert of scores, mapped from natural keys to ids with vectorised lookups."""
    keys = pd.MultiIndex.from_frame(scores[["year", "code"]])
    crit = pd.MultiIndex.from_frame(scores[["year", "criterion"]])
    criterion_lookup = pd.Series(criteria)
    rows = pd.DataFrame(
        {
            "edition_id": scores["year"].map(edition_ids).to_numpy(),
            "entry_id": pd.Series(entry_ids).reindex(keys).to_numpy(),
            "juror_id": scores["juror"].map(juror_ids).to_numpy(),
            "criterion_id": [c[0] for c in criterion_lookup.reindex(crit)],
            "max_score": [c[1] for c in criterion_lookup.reindex(crit)],
            "value": scores["value"].astype(float).to_numpy(),
        }
    )
    now = dt.datetime.now(dt.UTC)
    rows["entered_by"] = "demo"
    rows["created_at"] = now
    rows["updated_at"] = now
    records = rows.astype(object).to_dict("records")
    for start in range(0, len(records), chunk):
        connection.execute(insert(Score), records[start : start + chunk])


def build_demo(engine: Engine, *, replace: bool = False, seed: int = SEED) -> DemoFrames:
    """Write the four Kota Malang demo editions into a database that holds no real data.

    Idempotent: demo editions already there are left alone (of several processes building
    at once, one builds and the others find it built); ``replace`` rebuilds them.  Raises
    :class:`kipp.auth.DemoRefused` (a ValueError) on a database holding real data.
    """
    frames = malang_frames(seed)
    years = [edition["year"] for edition in frames.editions]
    with db.write_session(engine) as session:
        db.serialise(session, auth.DEMO_LOCK)
        if auth.holds_real_data(session):
            raise auth.DemoRefused()
        built = session.execute(select(exists().where(Edition.year.in_(years)))).scalar()
        if replace or not built:
            _write_frames(session.connection(), frames, replace=replace)
    return frames


def build_first_demo(engine: Engine) -> bool:
    """Build the demo editions and demo accounts into a completely empty database, all or nothing.

    The dashboard's first start on a new database.  True when this call built them; False
    when the database holds anything at all (an account made with ``kipp user add``, an
    import, or the demo another tab or process has just built).
    """
    with db.read_session(engine) as session:
        if not auth.holds_nothing(session):
            return False
    frames = malang_frames()
    password_hash = auth.hash_password(auth.DEMO_PASSWORD)
    with db.write_session(engine) as session:
        db.serialise(session, auth.DEMO_LOCK)
        if not auth.holds_nothing(session):
            return False
        _write_frames(session.connection(), frames)
        auth.add_demo_accounts(session, password_hash)
    return True


def build_scale(engine: Engine, *, n_entries: int, n_jurors: int, n_criteria: int, n_editions: int) -> None:
    """Write synthetic editions of the given size (the benchmark's databases)."""
    frames = scale_frames(n_entries=n_entries, n_jurors=n_jurors, n_criteria=n_criteria, n_editions=n_editions)
    write_frames(engine, frames)
