"""Which saran speak of which unsur: Indonesian root words and phrases per standard unsur.

Roots, not every form: the matcher (core/plans/matching.py) strips the usual prefixes and
suffixes (me-, di-, ter-, ber-, pe-, -an, -kan, -nya …), collapses repeated letters and
reduplication, so "menunggu", "ditunggu", "nungguin" and "tungguuu" all reach "tunggu". A phrase
(two words or more) is matched first and its words are then used up, so "ruang tunggu" counts for
sarana and not for waktu. Common misspellings people type are listed as their own roots.
Edit this table to change the lexicon; bump ``LEXICON_VERSION`` so drafts record the change.
"""

from __future__ import annotations

LEXICON_VERSION = "skm-lexicon-2026.12"

LEXICON: dict[str, tuple[str, ...]] = {
    "U1": (
        "syarat", "sarat", "berkas", "fotokopi", "fotocopy", "fotokopy", "photocopy", "foto kopi",
        "dokumen", "lengkap", "ktp", "kartu keluarga", "surat antar", "formulir",
    ),
    "U2": (
        "alur", "prosedur", "prosedure", "belit", "ribet", "rumit", "mekanisme", "birokrasi",
        "bolak balik", "tata cara", "online", "daring", "aplikasi",
    ),
    "U3": (
        "antre", "antri", "tunggu", "lama", "lambat", "lelet", "molor", "telat", "cepat",
        "jam layan",
    ),
    "U4": (
        "pungut", "pungli", "biaya", "bayar", "mahal", "tarif", "uang", "gratis", "retribusi",
        "amplop",
    ),
    "U5": ("hasil layan", "salah cetak", "salah ketik", "produk", "kualitas obat"),
    "U6": ("kompeten", "terampil", "paham", "latih", "kurang kuasa"),
    "U7": (
        "judes", "jutek", "ketus", "ramah", "sopan", "senyum", "kasar", "cuek", "galak",
        "sombong", "sikap", "perilaku", "main hp", "telepon genggam", "sibuk",
    ),
    "U8": (
        "toilet", "wc", "kamar mandi", "parkir", "ruang tunggu", "panas", "gerah", "kursi", "ac",
        "kipas", "bersih", "kotor", "sempit", "fasilitas", "sarana", "prasarana", "mushola",
        "air minum",
    ),
    "U9": (
        "adu", "keluh", "kotak saran", "tidak tanggap", "tidak respon", "lapor", "komplain",
    ),
}  # fmt: skip
