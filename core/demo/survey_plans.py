"""How each demo unit ran SKM, and the distributions its answers and respondents are drawn from."""

from __future__ import annotations

from dataclasses import dataclass

from core.surveys.tables import Response

DEMO_SEED = 20261129
BATCH_SIZE = 500
PAPER_OPERATOR_UNITS = frozenset({"PKM-SUKAMAJU", "PKM-MEKARSARI"})
DEMO_CLOSE_REASON = "Periode survei berakhir sebelum sampel minimum tercapai."
RESPONSE_COLUMNS: tuple[str, ...] = tuple(
    column._meta.db_column_name for column in Response._meta.columns if column._meta.name != "id"
)

# Mean answer (1–4) of each standard unsur at an ordinary unit: mostly 3s and 4s, fees mostly free.
BASE_MEANS: dict[str, float] = {
    "U1": 3.30,
    "U2": 3.22,
    "U3": 3.12,
    "U4": 3.65,
    "U5": 3.25,
    "U6": 3.30,
    "U7": 3.40,
    "U8": 3.12,
    "U9": 3.08,
}
PERIODS: dict[str, tuple[str, ...]] = {
    "tahunan": ("tahunan",),
    "semester": ("s1", "s2"),
    "triwulan": ("tw1", "tw2", "tw3", "tw4"),
}


@dataclass(frozen=True)
class SurveyPlan:
    """How a demo unit ran SKM: period scheme last year and this year (None: did not survey).

    ``recipients`` is the yearly number of service recipients (split over the periods),
    ``coverage`` the responses collected per K&M minimum, ``quality`` a shift of every unsur's
    mean, ``weak`` unsur with a target mean of their own (this year; a little lower last year),
    ``under_sampled`` collects about half the minimum this year.
    """

    unit: str
    past: str
    current: str | None
    recipients: int
    coverage: float = 1.08
    quality: float = 0.0
    weak: tuple[tuple[str, float], ...] = ()
    under_sampled: bool = False


SURVEY_PLANS: tuple[SurveyPlan, ...] = (
    SurveyPlan("DINKES", "tahunan", "semester", 1_300, 1.15),
    SurveyPlan("DISDUKCAPIL", "semester", "triwulan", 38_000, 1.04, weak=(("U3", 2.45),)),
    SurveyPlan("DPMPTSP", "semester", "semester", 5_200, 1.25, quality=0.42),
    SurveyPlan("DINSOS", "tahunan", "semester", 2_600, 1.10),
    SurveyPlan("DISDIK", "tahunan", "semester", 1_800, 1.05),
    SurveyPlan("DISHUB", "tahunan", "semester", 3_000, 1.06, quality=-0.12),
    SurveyPlan("DLH", "tahunan", None, 900, 1.10),
    SurveyPlan("DISNAKER", "tahunan", None, 2_400, 1.03),
    SurveyPlan("KEC-SUKAMAJU", "semester", "semester", 5_500, 1.10),
    SurveyPlan("KEC-MEKARSARI", "semester", "semester", 4_200, 1.15, quality=0.05),
    SurveyPlan("KEC-TANJUNG", "semester", "semester", 4_800, 1.05, weak=(("U9", 2.40),)),
    SurveyPlan("KEC-WARINGIN", "semester", "semester", 3_600, under_sampled=True),
    SurveyPlan("KEL-SUKAMAJU", "tahunan", "semester", 1_100, 1.20),
    SurveyPlan("DESA-MEKARSARI", "tahunan", "semester", 700, 1.25, quality=0.10),
    SurveyPlan("PKM-SUKAMAJU", "semester", "triwulan", 21_000, 1.40, quality=0.12),
    SurveyPlan("PKM-MEKARSARI", "semester", "triwulan", 16_000, 1.10),
    SurveyPlan("PKM-TANJUNG", "semester", "triwulan", 14_000, 1.05),
    SurveyPlan("PKM-WARINGIN", "semester", "triwulan", 12_000, 1.08, weak=(("U9", 2.60),)),
    SurveyPlan("RSUD", "semester", "triwulan", 60_000, 1.04, -0.05, (("U3", 2.60),)),
    SurveyPlan("UPT-PASAR", "semester", "triwulan", 3_000, quality=-0.32, under_sampled=True),
    SurveyPlan("UPT-SAMSAT", "semester", "triwulan", 12_000, 1.10),
    SurveyPlan("SMPN1", "tahunan", "semester", 600, 1.30, quality=0.10),
    SurveyPlan("SDN2", "tahunan", None, 420, 1.20),
    SurveyPlan("UPT-LAB", "tahunan", "semester", 1_900, 1.10),
)

# Channel mix (online, kiosk, paper) by kind of unit.
CHANNEL_MIX: dict[str, tuple[float, float, float]] = {
    "opd": (0.45, 0.35, 0.20),
    "kecamatan": (0.15, 0.25, 0.60),
    "kelurahan_desa": (0.10, 0.20, 0.70),
    "puskesmas": (0.10, 0.55, 0.35),
    "rsud": (0.20, 0.50, 0.30),
    "upt": (0.30, 0.40, 0.30),
    "sekolah": (0.70, 0.00, 0.30),
}
SHARE_FEMALE: dict[str, float] = {"puskesmas": 0.63, "sekolah": 0.60, "rsud": 0.55}
PENDIDIKAN_WEIGHTS: dict[str, int] = {
    "SD": 7,
    "SMP": 12,
    "SMA": 40,
    "D1": 1,
    "D2": 1,
    "D3": 8,
    "D4": 3,
    "S1": 23,
    "S2": 4,
    "S3": 1,
}
PEKERJAAN_WEIGHTS: dict[str, int] = {
    "PNS": 10,
    "TNI": 2,
    "POLRI": 2,
    "Swasta": 28,
    "Wirausaha": 26,
    "Lainnya": 32,
}
PEKERJAAN_LAIN: tuple[str, ...] = (
    "Ibu rumah tangga",
    "Petani",
    "Pelajar/Mahasiswa",
    "Buruh harian lepas",
    "Nelayan",
    "Pensiunan",
    "Belum bekerja",
)
SARAN_WAKTU: tuple[str, ...] = (
    "Antrean di loket terlalu lama, mohon ditambah petugas.",
    "Waktu penyelesaian tidak sesuai yang dijanjikan, mohon lebih tepat waktu.",
    "Petugas sering datang terlambat sehingga pelayanan baru mulai siang.",
    "Mohon diterapkan nomor antrean online agar tidak menunggu lama.",
    "Proses terlalu lama karena harus menunggu tanda tangan pimpinan.",
)
SARAN_PENGADUAN: tuple[str, ...] = (
    "Kotak saran ada tetapi tidak pernah ada tanggapan.",
    "Mohon disediakan nomor WhatsApp pengaduan yang aktif dan dibalas.",
    "Pengaduan saya bulan lalu belum ditindaklanjuti sampai sekarang.",
    "Hasil tindak lanjut pengaduan sebaiknya diumumkan di papan informasi.",
)
SARAN_UMUM: tuple[str, ...] = (
    "Pelayanan sudah baik, pertahankan.",
    "Petugas ramah dan sopan, terima kasih.",
    "Ruang tunggu panas, mohon ditambah kipas angin atau AC.",
    "Tempat parkir sempit, mohon diperluas.",
    "Toilet kurang bersih, mohon lebih diperhatikan.",
    "Persyaratan sebaiknya diumumkan jelas di papan informasi dan media sosial.",
    "Mohon informasi persyaratan disampaikan sekaligus agar tidak bolak-balik.",
    "Alur pelayanan kurang jelas, mohon dipasang petunjuk arah.",
    "Sediakan kursi roda dan jalur khusus untuk lansia dan disabilitas.",
    "Jam pelayanan mohon diperpanjang sampai sore.",
    "Mohon layanan pendaftaran online dikembangkan.",
    "Petugas informasi di depan sangat membantu.",
    "Formulir terlalu banyak, mohon disederhanakan.",
    "Sinyal dan wifi di ruang tunggu tidak ada.",
    "Biaya sudah sesuai dan ada kuitansinya, bagus.",
    "Mohon ada pojok bermain anak di ruang tunggu.",
    "Petugas kompeten, penjelasan mudah dipahami.",
    "Papan nama dan tarif layanan sebaiknya dipasang di depan loket.",
    "Air minum untuk pengunjung mohon disediakan.",
    "Semoga pelayanan makin cepat dan tidak berbelit.",
    "Mohon petugas tidak sibuk dengan telepon genggam saat melayani.",
)
