"""Krejcie & Morgan minimum sample size."""

from __future__ import annotations

import math
from fractions import Fraction

import pytest

from plugins.skm.sample_size import KM_TABLE_ROWS, krejcie_morgan, krejcie_morgan_exact


def formula(population: int) -> int:
    """Independent restatement: S = χ²NP(1−P) / (d²(N−1) + χ²P(1−P)), rounded half up."""
    chi2, p, d = Fraction(3841, 1000), Fraction(1, 2), Fraction(5, 100)
    s = chi2 * population * p * (1 - p) / (d * d * (population - 1) + chi2 * p * (1 - p))
    return math.floor(s + Fraction(1, 2))


@pytest.mark.parametrize(
    ("population", "sample"),
    [(1, 1), (2, 2), (10, 10), (100, 80), (1000, 278), (10000, 370), (50000, 381),
     (1000000, 384)],
)  # fmt: skip
def test_known_values(population: int, sample: int) -> None:
    assert krejcie_morgan(population) == sample


@pytest.mark.parametrize(("population", "sample"), KM_TABLE_ROWS)
def test_printed_table_rows_match_the_formula(population: int, sample: int) -> None:
    assert formula(population) == sample
    assert krejcie_morgan(population) == sample


def test_table_is_the_classic_90_rows_in_order() -> None:
    populations = [n for n, _ in KM_TABLE_ROWS]
    assert len(KM_TABLE_ROWS) == 90
    assert populations == sorted(populations)
    assert populations[0] == 10
    assert populations[-1] == 1000000
    assert dict(KM_TABLE_ROWS)[9000] == 368  # the worked example of the 1970 article


def test_minimum_never_exceeds_population_and_grows() -> None:
    previous = 0
    for population in range(1, 3000):
        sample = krejcie_morgan(population)
        assert 1 <= sample <= population
        assert sample >= previous
        previous = sample
    assert krejcie_morgan(10**9) == 384
    # 3.841·100·0.25 / (0.0025·99 + 3.841·0.25) = 96.025 / 1.20775 ≈ 79.51
    assert krejcie_morgan_exact(100) == Fraction("96.025") / Fraction("1.20775")


@pytest.mark.parametrize("population", [0, -1, -1000])
def test_population_below_one_is_refused(population: int) -> None:
    with pytest.raises(ValueError):
        krejcie_morgan(population)
