"""Saran linked to unsur by the SKM lexicon: affixed, colloquial and misspelt forms people type."""

from __future__ import annotations

import pytest

from core.plans.drafting import merged_lexicon, priorities, sort_saran
from core.plans.matching import match_unsur, word_forms, words
from core.plugin_api import PlanVocabulary, ScoreResult, UnsurResult
from plugins.skm.catalogue import CATALOGUE
from plugins.skm.lexicon import LEXICON

CASES = [
    ("Antriannya lama sekali, nunggu hampir 3 jam", {"U3"}),
    ("mengantri dari jam 7 pagi baru dipanggil jam 11", {"U3"}),
    ("antrean panjang, mohon dipercepat", {"U3"}),
    ("antre nya lamaaa bgt", {"U3"}),
    ("sudah ditunggu tapi tidak dipanggil", {"U3"}),
    ("ruang tunggu panas, kursinya kurang", {"U8"}),
    ("toliet kotor dan bau", {"U8"}),
    ("WC tidak ada airnya, parkiran sempit", {"U8"}),
    ("ada pungutan di luar tarif resmi", {"U4"}),
    ("biayanya mahal, bayar tanpa kwitansi", {"U4"}),
    ("pengaduan saya tidak ditanggapi", {"U9"}),
    ("sudah mengadu berkali-kali, keluhan tidak ditanggapi", {"U9"}),
    ("petugasnya judes dan ketus", {"U7"}),
    ("Mohon petugas lebih ramah dan sopan", {"U7"}),
    ("persyaratanya terlalu banyak, harus fotocopy KTP 3 lembar", {"U1"}),
    ("berkas harus difotokopi ulang", {"U1"}),
    ("prosedurnya berbelit-belit", {"U2"}),
    ("alurnya ribet, bolak-balik ke loket", {"U2"}),
    ("prosedr ribet", {"U2"}),
    ("antri lama dan toilet kotor, petugas judes", {"U3", "U7", "U8"}),
    ("Mohon petugas tidak sibuk dengan telepon genggam saat melayani.", {"U7"}),
    ("Mohon layanan pendaftaran online dikembangkan.", {"U2"}),
    ("terima kasih, pelayanan sudah bagus", set()),
    ("", set()),
]


@pytest.mark.parametrize(("saran", "unsur"), CASES)
def test_realistic_saran_reach_their_unsur(saran: str, unsur: set[str]):
    assert match_unsur(saran, LEXICON) == unsur


def test_affixed_forms_reach_the_root():
    for word in ("menunggu", "tunggu", "ditunggu", "nungguin", "tunggunya"):
        assert "tunggu" in word_forms(word), word
    for word in ("antrean", "antreannya", "mengantre"):
        assert "antre" in word_forms(word), word
    for word in ("antrian", "antri", "ngantri"):
        assert "antri" in word_forms(word), word
    assert "adu" in word_forms("pengaduan") and "pungut" in word_forms("pemungutan")
    assert words("berbelit-belit, bolak-balik") == ["berbelit", "bolak", "balik"]


def test_a_phrase_uses_up_its_words():
    # "ruang tunggu" is sarana; its "tunggu" does not also count for waktu.
    assert match_unsur("ruang tunggu sempit", LEXICON) == {"U8"}
    assert match_unsur("ruang tunggu sempit dan menunggu lama", LEXICON) == {"U3", "U8"}


def test_short_words_do_not_match_by_accident():
    assert match_unsur("bagus sih", LEXICON) == set()  # "sih" is not (ber)sih
    assert match_unsur("acara bagus", LEXICON) == set()  # "ac" only as a word


def test_another_vocabulary_extends_the_lexicon_and_unmatched_are_apart():
    extra = PlanVocabulary(code="rsud", version="1", lexicon={"U8": ("lift",), "U10": ("obat",)})
    skm = PlanVocabulary(code="skm", version="1", lexicon=LEXICON)
    lexicon = merged_lexicon([skm, extra])
    by_unsur, unmatched = sort_saran(["lift rusak", "obatnya habis", "mantap"], lexicon)
    assert by_unsur == {"U8": ["lift rusak"], "U10": ["obatnya habis"]}
    assert unmatched == ["mantap"]
    _by, repeated = sort_saran(["Sudah baik.", "Sudah baik.", " Sudah baik. "], lexicon)
    assert repeated == ["Sudah baik."]  # the same words from several respondents, listed once
    assert "toilet" in lexicon["U8"] and "lift" in lexicon["U8"]


def test_every_standard_unsur_has_roots_and_activities():
    codes = {f"U{n}" for n in range(1, 10)}
    assert set(LEXICON) == codes
    assert {a.unsur for a in CATALOGUE} == codes
    assert all(a.quarter in ("I", "II", "III", "IV") and a.position for a in CATALOGUE)


def _unsur(code: str, nrr: float, mutu: str) -> UnsurResult:
    return UnsurResult(code=code, name=code, answered=10, nrr=nrr, konversi=nrr * 25, mutu=mutu)


def test_priorities_are_the_three_lowest_and_every_one_below_b_lowest_first():
    unsur = [
        _unsur("U1", 3.5, "A"), _unsur("U2", 3.0, "C"), _unsur("U3", 2.9, "C"),
        _unsur("U4", 3.6, "A"), _unsur("U5", 3.2, "B"), _unsur("U6", 3.05, "C"),
        _unsur("U7", 3.4, "B"), _unsur("U8", 2.5, "D"),
        UnsurResult(code="U9", name="U9", answered=0),
    ]  # fmt: skip
    score = ScoreResult.withhold("skm", 10, unsur, "tes")
    chosen = [u.code for u in priorities(score, {"C", "D"})]
    assert chosen == ["U8", "U3", "U2", "U6"]
    good = [_unsur(f"U{n}", 3.5 + n / 100, "A") for n in range(1, 10)]
    assert [u.code for u in priorities(ScoreResult.withhold("skm", 1, good, "t"), {"C", "D"})] == [
        "U1", "U2", "U3",
    ]  # fmt: skip
