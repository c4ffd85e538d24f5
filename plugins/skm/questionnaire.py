"""The standard SKM questionnaire of PermenPAN-RB 14/2017 and the respondent profile options.

Codes U1..U9 are stable and follow the model questionnaire and the official processing table:
U8 = Sarana dan Prasarana, U9 = Penanganan Pengaduan (the regulation's own letter list puts
Pengaduan, letter h, before Sarana, letter i — hence ``letter`` is stored separately).
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Unsur:
    """One standard unsur: stable code, name, regulation letter, model question, answer labels.

    ``labels[0]`` is the label of answer value 1 (option a), ``labels[3]`` of value 4 (option d).
    """

    code: str
    name: str
    letter: str
    question: str
    labels: tuple[str, str, str, str]


STANDARD_UNSUR: tuple[Unsur, ...] = (
    Unsur(
        "U1",
        "Persyaratan",
        "a",
        "Kesesuaian persyaratan pelayanan dengan jenis pelayanannya",
        ("Tidak sesuai", "Kurang sesuai", "Sesuai", "Sangat sesuai"),
    ),
    Unsur(
        "U2",
        "Sistem, Mekanisme, dan Prosedur",
        "b",
        "Kemudahan prosedur pelayanan di unit ini",
        ("Tidak mudah", "Kurang mudah", "Mudah", "Sangat mudah"),
    ),
    Unsur(
        "U3",
        "Waktu Penyelesaian",
        "c",
        "Kecepatan waktu dalam memberikan pelayanan",
        ("Tidak cepat", "Kurang cepat", "Cepat", "Sangat cepat"),
    ),
    Unsur(
        "U4",
        "Biaya/Tarif",
        "d",
        "Kewajaran biaya/tarif dalam pelayanan",
        ("Sangat mahal", "Cukup mahal", "Murah", "Gratis"),
    ),
    Unsur(
        "U5",
        "Produk Spesifikasi Jenis Pelayanan",
        "e",
        "Kesesuaian produk pelayanan antara standar pelayanan dan hasil yang diberikan",
        ("Tidak sesuai", "Kurang sesuai", "Sesuai", "Sangat sesuai"),
    ),
    Unsur(
        "U6",
        "Kompetensi Pelaksana",
        "f",
        "Kompetensi/kemampuan petugas dalam pelayanan",
        ("Tidak kompeten", "Kurang kompeten", "Kompeten", "Sangat kompeten"),
    ),
    Unsur(
        "U7",
        "Perilaku Pelaksana",
        "g",
        "Perilaku petugas terkait kesopanan dan keramahan",
        (
            "Tidak sopan dan ramah",
            "Kurang sopan dan ramah",
            "Sopan dan ramah",
            "Sangat sopan dan ramah",
        ),
    ),
    Unsur(
        "U8",
        "Sarana dan Prasarana",
        "i",
        "Kualitas sarana dan prasarana",
        ("Buruk", "Cukup", "Baik", "Sangat baik"),
    ),
    Unsur(
        "U9",
        "Penanganan Pengaduan, Saran dan Masukan",
        "h",
        "Penanganan pengaduan pengguna layanan",
        (
            "Tidak ada",
            "Ada tetapi tidak berfungsi",
            "Berfungsi kurang maksimal",
            "Dikelola dengan baik",
        ),
    ),
)

STANDARD_NAMES: dict[str, str] = {u.code: u.name for u in STANDARD_UNSUR}
STANDARD_CODES: tuple[str, ...] = tuple(u.code for u in STANDARD_UNSUR)

# Respondent profile options (configurable per deployment; these are the defaults).
JENIS_KELAMIN: tuple[str, ...] = ("L", "P")
PENDIDIKAN: tuple[str, ...] = ("SD", "SMP", "SMA", "D1", "D2", "D3", "D4", "S1", "S2", "S3")
PEKERJAAN: tuple[str, ...] = ("PNS", "TNI", "POLRI", "Swasta", "Wirausaha", "Lainnya")

# (label, lowest age, highest age or None for open-ended), in display order.
_AGE_BOUNDS: tuple[tuple[str, int, int | None], ...] = (
    ("≤20", 0, 20),
    ("21–30", 21, 30),
    ("31–40", 31, 40),
    ("41–50", 41, 50),
    ("51–60", 51, 60),
    (">60", 61, None),
)
AGE_BANDS: tuple[str, ...] = tuple(label for label, _, _ in _AGE_BOUNDS)


def age_band(age: int) -> str:
    """Return the AGE_BANDS label for an age in whole years; negative ages raise ValueError."""
    if isinstance(age, bool) or not isinstance(age, int):
        raise TypeError(f"usia harus bilangan bulat, bukan {age!r}")
    if age < 0:
        raise ValueError(f"usia tidak boleh negatif: {age}")
    for label, low, high in _AGE_BOUNDS:
        if age >= low and (high is None or age <= high):
            return label
    raise AssertionError("unreachable")  # pragma: no cover
