"""SKM scoring per PermenPAN-RB 14/2017: exact arithmetic, bands, blanks, weights, names."""

from __future__ import annotations

import math
from collections.abc import Sequence
from decimal import Decimal
from fractions import Fraction

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from core.surveys.profile import AGE_BANDS, JENIS_KELAMIN, PEKERJAAN, PENDIDIKAN, age_band
from plugins.skm.questionnaire import STANDARD_NAMES, STANDARD_UNSUR
from plugins.skm.scoring import (
    MUTU_TABLE,
    ScoringError,
    SkmScore,
    classify,
    round_half_up,
    score_tallies,
)

NINE = [f"U{i}" for i in range(1, 10)]


def tally_matrix(matrix: Sequence[Sequence[int | None]]) -> dict[str, dict[int, int]]:
    """Tally a respondents × unsur matrix (columns U1, U2, …); None is a blank."""
    width = len(matrix[0])
    tally: dict[str, dict[int, int]] = {f"U{j + 1}": {} for j in range(width)}
    for row in matrix:
        for j, value in enumerate(row):
            if value is not None:
                column = tally[f"U{j + 1}"]
                column[value] = column.get(value, 0) + 1
    return tally


def uniform(counts: dict[int, int], codes: Sequence[str] = NINE) -> dict[str, dict[int, int]]:
    return {code: dict(counts) for code in codes}


def expected_mutu(konversi: Fraction) -> str:
    """Independent band rule: round half up to 2 decimals, inclusive lower bounds."""
    rounded = Fraction(math.floor(konversi * 100 + Fraction(1, 2)), 100)
    if rounded >= Fraction("88.31"):
        return "A"
    if rounded >= Fraction("76.61"):
        return "B"
    if rounded >= Fraction("65.00"):
        return "C"
    return "D"


matrices = st.integers(min_value=9, max_value=12).flatmap(
    lambda width: st.lists(
        st.lists(st.sampled_from([None, 1, 2, 3, 4]), min_size=width, max_size=width),
        min_size=1,
        max_size=40,
    )
)


@settings(max_examples=200, deadline=None)
@given(matrices)
def test_score_matches_exact_formula_on_raw_answers(matrix: list[list[int | None]]) -> None:
    width = len(matrix[0])
    columns = [[row[j] for row in matrix if row[j] is not None] for j in range(width)]
    tally = tally_matrix(matrix)

    if any(not column for column in columns):
        unanswered = f"U{next(j for j, c in enumerate(columns) if not c) + 1}"
        with pytest.raises(ScoringError, match=unanswered):
            score_tallies(tally, len(matrix))
        return

    nrrs = [Fraction(sum(column), len(column)) for column in columns]
    ikm = sum(nrrs, Fraction(0)) / width
    konversi = ikm * 25

    score = score_tallies(tally, len(matrix))

    assert score.respondents == len(matrix)
    assert [u.code for u in score.unsur] == [f"U{j + 1}" for j in range(width)]
    assert [u.answered for u in score.unsur] == [len(c) for c in columns]
    assert [u.total for u in score.unsur] == [sum(c) for c in columns]
    for unsur, nrr in zip(score.unsur, nrrs, strict=True):
        assert abs(unsur.nrr - float(nrr)) < 1e-9
        assert abs(unsur.konversi - float(nrr * 25)) < 1e-9
    assert abs(score.ikm - float(ikm)) < 1e-9
    assert abs(score.konversi - float(konversi)) < 1e-9
    # Skip only the (practically impossible) case of an exact value within 1e-9 of, but not
    # on, a rounding midpoint, where float and exact rounding could legitimately disagree.
    distance = konversi * 100 + Fraction(1, 2)
    off_midpoint = abs(distance - round(distance))
    if off_midpoint == 0 or off_midpoint > Fraction(1, 10**9):
        assert score.mutu == expected_mutu(konversi)
        assert (score.mutu, score.kinerja) == classify(score.konversi)


@pytest.mark.parametrize(
    ("konversi", "mutu"),
    [
        (64.99, "D"),
        (65.00, "C"),
        (76.60, "C"),
        (76.61, "B"),
        (88.30, "B"),
        (88.31, "A"),
        (64.995, "C"),
        (76.605, "B"),
        (88.305, "A"),
        (64.994, "D"),
        (76.604, "C"),
        (88.304, "B"),
        (25, "D"),
        (25.0, "D"),
        (100, "A"),
        (100.0, "A"),
    ],
)
def test_band_edges_are_inclusive_after_half_up_rounding(konversi: float, mutu: str) -> None:
    kinerja = {"A": "Sangat baik", "B": "Baik", "C": "Kurang baik", "D": "Tidak baik"}[mutu]
    assert classify(konversi) == (mutu, kinerja)


def test_floats_are_rounded_as_written_not_as_their_binary_value() -> None:
    # The double nearest to 82.345 is 82.34499999…; plain formatting rounds it down.
    assert f"{82.345:.2f}" == "82.34"
    assert round_half_up(82.345, 2) == Decimal("82.35")
    assert round_half_up(64.995, 2) == Decimal("65.00")
    assert round_half_up(Fraction(12999, 200), 2) == Decimal("65.00")


@pytest.mark.parametrize("bad", [3.2, 1.0, 24.9, 100.01, 120.0, float("nan"), float("inf")])
def test_classify_refuses_values_off_the_25_100_scale(bad: float) -> None:
    with pytest.raises(ScoringError):
        classify(bad)


def test_mutu_table_matches_the_regulation_and_classify() -> None:
    assert [(b.nilai_persepsi, b.mutu, b.kinerja) for b in MUTU_TABLE] == [
        (1, "D", "Tidak baik"),
        (2, "C", "Kurang baik"),
        (3, "B", "Baik"),
        (4, "A", "Sangat baik"),
    ]
    assert [b.konversi_range for b in MUTU_TABLE] == [
        ("25,00", "64,99"),
        ("65,00", "76,60"),
        ("76,61", "88,30"),
        ("88,31", "100,00"),
    ]
    for band in MUTU_TABLE:
        low, high = (float(x.replace(",", ".")) for x in band.konversi_range)
        assert classify(low)[0] == band.mutu
        assert classify(high)[0] == band.mutu


def test_exact_sum_not_rounded_nrrs_decides_mutu() -> None:
    # 29 × "3" and 2 × "4" for every unsur: NRR = 95/31 = 3.0645…, konversi 76.6129 → B.
    tally = uniform({3: 29, 4: 2})
    score = score_tallies(tally, 31)
    assert score.konversi == pytest.approx(76.61290322580645, abs=1e-12)
    assert (score.mutu, score.kinerja) == ("B", "Baik")
    # The known mistake — NRR rounded to 2 decimals before summing — lands in C.
    rounded_nrr = round_half_up(Fraction(95, 31), 2)
    assert rounded_nrr == Decimal("3.06")
    wrong = float(sum([rounded_nrr] * 9) / 9 * 25)
    assert classify(wrong)[0] == "C"


def test_blanks_are_excluded_from_sum_and_count() -> None:
    matrix: list[list[int | None]] = [[4] * 9 for _ in range(3)]
    matrix[1][0] = None  # respondent 2 left U1 blank
    matrix[2][0] = 2
    score = score_tallies(tally_matrix(matrix), 3)
    u1 = score.unsur[0]
    assert (u1.answered, u1.total) == (2, 6)
    assert u1.nrr == 3.0  # (4 + 2) / 2, not (4 + 0 + 2) / 3
    assert score.ikm == pytest.approx((3 + 8 * 4) / 9)
    assert score.respondents == 3


def test_unsur_nobody_answered_raises_naming_it() -> None:
    tally = uniform({4: 3})
    tally["U5"] = {}
    with pytest.raises(ScoringError, match="U5"):
        score_tallies(tally, 3)
    tally["U5"] = {1: 0, 2: 0}
    with pytest.raises(ScoringError, match="U5"):
        score_tallies(tally, 3)


def test_ten_unsur_use_weight_one_tenth() -> None:
    tally = uniform({4: 5}, [*NINE, "U10"])
    tally["U10"] = {1: 5}
    score = score_tallies(tally, 5)
    assert score.ikm == pytest.approx((9 * 4 + 1) / 10)
    assert score.konversi == pytest.approx(92.5)
    assert score.mutu == "A"
    assert [u.code for u in score.unsur][-2:] == ["U9", "U10"]


def test_legend_weight_caps_all_four_at_99_9() -> None:
    score = score_tallies(uniform({4: 7}), 7, weight_mode="legend_0111")
    assert score.ikm == pytest.approx(3.996)
    assert score.konversi == pytest.approx(99.9)
    assert score.mutu == "A"
    assert score.weight_mode == "legend_0111"
    low = score_tallies(uniform({1: 7}), 7, weight_mode="legend_0111")
    assert low.konversi == pytest.approx(24.975)
    assert low.mutu == "D"
    exact = score_tallies(uniform({4: 7}), 7)
    assert exact.konversi == 100.0
    assert exact.weight_mode == "exact"


def test_legend_weight_only_for_nine_unsur_and_unknown_mode_refused() -> None:
    with pytest.raises(ScoringError, match="9 unsur"):
        score_tallies(uniform({4: 2}, [*NINE, "U10"]), 2, weight_mode="legend_0111")
    with pytest.raises(ScoringError, match="weight_mode"):
        score_tallies(uniform({4: 2}), 2, weight_mode="0.111")


def test_all_ones_and_all_fours() -> None:
    low = score_tallies(uniform({1: 12}), 12)
    assert (low.ikm, low.konversi, low.mutu, low.kinerja) == (1.0, 25.0, "D", "Tidak baik")
    assert all(u.mutu == "D" and u.konversi == 25.0 for u in low.unsur)
    high = score_tallies(uniform({4: 12}), 12)
    assert (high.ikm, high.konversi, high.mutu, high.kinerja) == (4.0, 100.0, "A", "Sangat baik")


def test_u8_is_sarana_and_u9_is_pengaduan() -> None:
    score = score_tallies(uniform({3: 1}), 1)
    names = {u.code: u.name for u in score.unsur}
    assert names["U8"] == "Sarana dan Prasarana"
    assert names["U9"].startswith("Penanganan Pengaduan")
    by_code = {u.code: u for u in STANDARD_UNSUR}
    assert (by_code["U8"].letter, by_code["U9"].letter) == ("i", "h")
    assert by_code["U8"].labels == ("Buruk", "Cukup", "Baik", "Sangat baik")
    assert by_code["U9"].labels[0] == "Tidak ada"
    assert by_code["U9"].labels[3] == "Dikelola dengan baik"
    assert by_code["U4"].labels == ("Sangat mahal", "Cukup mahal", "Murah", "Gratis")


def test_questionnaire_has_nine_unsur_in_order() -> None:
    assert [u.code for u in STANDARD_UNSUR] == NINE
    assert [u.letter for u in STANDARD_UNSUR] == list("abcdefgih")
    assert STANDARD_NAMES["U1"] == "Persyaratan"
    assert STANDARD_NAMES["U2"] == "Sistem, Mekanisme, dan Prosedur"
    assert all(len(u.labels) == 4 and u.question for u in STANDARD_UNSUR)


def test_unsur_sorted_numerically_and_named() -> None:
    tally = uniform({2: 1}, ["U10", "U2", "U1", "U11", "U9", "U3", "U4", "U5", "U6", "U7", "U8"])
    score = score_tallies(tally, 1, names={"U10": "Aksesibilitas", "U1": "Syarat"})
    assert [u.code for u in score.unsur] == [f"U{i}" for i in range(1, 12)]
    names = {u.code: u.name for u in score.unsur}
    assert names["U10"] == "Aksesibilitas"
    assert names["U11"] == "U11"
    assert names["U1"] == "Syarat"
    assert names["U2"] == STANDARD_NAMES["U2"]


@pytest.mark.parametrize(
    ("tally", "respondents"),
    [
        (uniform({5: 1}), 1),
        (uniform({0: 1}), 1),
        (uniform({4: 1}), 0),
        (uniform({4: 1}), -3),
        (uniform({4: 2}), 1),  # more answers than questionnaires
        (uniform({4: -1, 3: 2}), 2),
        ({**uniform({4: 1}), "X1": {4: 1}}, 1),
        ({**uniform({4: 1}), "U0": {4: 1}}, 1),
        ({}, 1),
    ],
)
def test_invalid_tallies_raise(tally: dict[str, dict[int, int]], respondents: int) -> None:
    with pytest.raises(ScoringError):
        score_tallies(tally, respondents)


def test_float_answer_values_are_refused() -> None:
    tally: dict = uniform({4: 1})
    tally["U3"] = {3.0: 1}
    with pytest.raises(ScoringError, match="U3"):
        score_tallies(tally, 1)


def test_to_dict_has_exactly_the_contract_keys_and_unrounded_floats() -> None:
    score = score_tallies(uniform({3: 2, 4: 1}), 3)
    data = score.to_dict()
    assert set(data) == {"respondents", "unsur", "ikm", "konversi", "mutu", "kinerja"}
    assert all(
        set(u) == {"code", "name", "answered", "nrr", "konversi", "mutu"} for u in data["unsur"]
    )
    assert data["ikm"] == 10 / 3
    assert data["konversi"] == pytest.approx(250 / 3)
    assert data["unsur"][0]["nrr"] == 10 / 3
    assert isinstance(score, SkmScore)


@pytest.mark.parametrize(
    ("age", "band"),
    [(0, "≤20"), (20, "≤20"), (21, "21–30"), (30, "21–30"), (31, "31–40"), (50, "41–50"),
     (51, "51–60"), (60, "51–60"), (61, ">60"), (99, ">60")],
)  # fmt: skip
def test_age_band(age: int, band: str) -> None:
    assert age_band(age) == band
    assert band in AGE_BANDS


def test_age_band_rejects_negative_and_profile_lists() -> None:
    with pytest.raises(ValueError):
        age_band(-1)
    assert JENIS_KELAMIN == ("L", "P")
    assert PENDIDIKAN == ("SD", "SMP", "SMA", "D1", "D2", "D3", "D4", "S1", "S2", "S3")
    assert PEKERJAAN == ("PNS", "TNI", "POLRI", "Swasta", "Wirausaha", "Lainnya")


# --- the method as the core sees it: a typed result, withheld when it cannot be stated ---------


def test_method_result_carries_weighted_nrr_and_the_index() -> None:
    from plugins.skm.method import METHOD_CODE, score

    tally = {**uniform({4: 1}), "U3": {2: 1}}
    result = score(tally, 1)
    assert (result.method, result.withheld, result.mutu) == (METHOD_CODE, None, "A")
    assert result.index == pytest.approx((8 * 4 + 2) / 9)
    u3 = next(u for u in result.unsur if u.code == "U3")
    assert u3.weighted == pytest.approx(2 / 9) and u3.nrr == 2.0
    assert sum(u.weighted or 0 for u in result.unsur) == pytest.approx(result.index)


def test_method_withholds_the_index_when_an_unsur_has_no_answers() -> None:
    from plugins.skm.method import score

    tally = {**uniform({4: 2}), "U9": {}}
    result = score(tally, 2)
    assert result.index is None and result.konversi is None and result.mutu is None
    assert "U9" in (result.withheld or "") and "Penanganan Pengaduan" in (result.withheld or "")
    rows = {u.code: u for u in result.unsur}
    assert len(rows) == 9 and rows["U9"].answered == 0 and rows["U9"].nrr is None
    assert rows["U1"].nrr == 4.0 and rows["U1"].weighted is None  # no weight without an index


def test_method_withholds_instead_of_raising_on_impossible_data() -> None:
    from plugins.skm.method import score

    assert score(uniform({4: 1}), 0).withheld == "belum ada responden"
    assert "melebihi" in (score(uniform({4: 3}), 2).withheld or "")


def test_score_result_refuses_figures_and_a_reason_together() -> None:
    from core.plugin_api import ScoreResult

    with pytest.raises(ValueError):
        ScoreResult("m", 1, (), 3.0, 75.0, "C", "Kurang baik", withheld="alasan")
    with pytest.raises(ValueError):
        ScoreResult("m", 1, (), None, None, None, None)
