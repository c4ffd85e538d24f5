"""The standard SKM questionnaire of PermenPAN-RB 14/2017.

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
