"""Published facts and plans behind the demo: the four Kota Malang editions (2020–2023).

Entry names and units are real (Kota Malang's published KIPP results); juror names are
invented.  This module holds only data: the criteria, units, topics and title prefixes,
the invented jurors with their styles (bias, noise), the feedback phrases, and per edition
an :class:`EditionPlan` with the published results (:class:`Published`) the synthetic
scores must reproduce, its presentation sessions (:class:`Session`) and its official method.
Generating rows from these is :mod:`kipp.demo.frames`.

Sessions follow how Kota Malang runs the presentations (docs/demo.md): day 1 in one room
with the whole panel, day 2 in two parallel rooms with two jurors each (2021–2023).  The
day-1 room, where every juror scores the same entries, is what makes the adjusted method's
fit connected.  2020 keeps one panel for both days (nothing is known of its rooms).

2022 is the edition where the method matters: its day-2 room Ruang Akasia seats the two
lenient jurors (Ratna +5.5, Agus +1.0) and Ruang Trembesi the strict one with a neutral one
(Sri −7.0, Lestari 0.0), so under the mean the Akasia entries gain about 3 points and the
Trembesi entries lose about 3.5.  Its official method is therefore ``adjusted`` (the
published 2022 results come out under it), and under the plain mean an invented Akasia entry
takes an award that the adjusted ranking does not give it (:attr:`EditionPlan.lenient_room`).
The other editions' rooms pair a lenient juror with a strict one, so their official mean
is fair.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from kipp.choices import Method

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
class Session:
    """A presentation session: a day in a room, and the jurors sitting there (indexes into JURORS)."""

    day: int
    room: str
    jurors: Sequence[int]


@dataclass(frozen=True)
class EditionPlan:
    """How one demo edition is made."""

    year: int
    ordinal: int
    n_entries: int
    panel: Sequence[int]
    start: dt.date
    sessions: Sequence[Session]
    tiers: list[dict[str, Any]]
    published: Sequence[Published]
    known: Sequence[Published] = ()
    award_date: dt.date | None = None
    criterion_trend: Sequence[float] = (0, 0, 0, 0, 0)
    advancement: dict[int, tuple[str, str]] = field(default_factory=dict)
    official_method: Method = "mean"
    # A day-2 room whose panel is lenient: under the mean one of its entries takes an award
    # that the official (adjusted) ranking does not give it.
    lenient_room: str | None = None

    @property
    def seated(self) -> bool:
        """Whether the sessions seat part of the panel (else every juror scores every entry)."""
        return any(set(session.jurors) != set(self.panel) for session in self.sessions)


PLANS: list[EditionPlan] = [
    EditionPlan(
        year=2020,
        ordinal=1,
        n_entries=42,
        panel=(0, 1, 2, 3),
        start=dt.date(2020, 2, 26),
        sessions=[Session(1, "Ruang Pinus", (0, 1, 2, 3)), Session(2, "Ruang Pinus", (0, 1, 2, 3))],
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
        sessions=[
            Session(1, "Ruang Cemara", (0, 2, 4, 6)),
            Session(2, "Ruang Jati", (0, 6)),  # lenient Hendra with strict Yusuf
            Session(2, "Ruang Mahoni", (2, 4)),
        ],
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
        sessions=[
            Session(1, "Ruang Cendana", (5, 1, 4, 7)),
            Session(2, "Ruang Akasia", (5, 4)),  # the lenient room: Ratna +5.5 and Agus +1.0
            Session(2, "Ruang Trembesi", (1, 7)),
        ],
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
        official_method="adjusted",
        lenient_room="Ruang Akasia",
    ),
    EditionPlan(
        year=2023,
        ordinal=4,
        n_entries=50,
        panel=(5, 6, 2, 7),
        start=dt.date(2023, 3, 20),
        sessions=[
            Session(1, "Ruang Pinus", (5, 6, 2, 7)),
            Session(2, "Ruang Eboni", (5, 6)),  # lenient Ratna with strict Yusuf
            Session(2, "Ruang Meranti", (2, 7)),
        ],
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
