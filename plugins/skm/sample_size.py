"""Krejcie & Morgan (1970) minimum sample size, as PermenPAN-RB 14/2017 prescribes.

The result is a *minimum* number of respondents — never a cap: responses beyond it are kept.
"""

from __future__ import annotations

import math
from fractions import Fraction

CHI_SQUARE = Fraction("3.841")  # χ² for 1 degree of freedom at 95 % confidence
PROPORTION = Fraction(1, 2)  # P, the proportion giving the largest sample
ACCURACY = Fraction(1, 20)  # d = 0.05

# Table 1 of Krejcie & Morgan (1970), "Table for Determining Sample Size from a Given
# Population": (N population, S sample). Three printed columns of 30 rows each.
KM_TABLE_ROWS: tuple[tuple[int, int], ...] = (
    (10, 10), (15, 14), (20, 19), (25, 24), (30, 28), (35, 32), (40, 36), (45, 40), (50, 44),
    (55, 48), (60, 52), (65, 56), (70, 59), (75, 63), (80, 66), (85, 70), (90, 73), (95, 76),
    (100, 80), (110, 86), (120, 92), (130, 97), (140, 103), (150, 108), (160, 113), (170, 118),
    (180, 123), (190, 127), (200, 132), (210, 136),
    (220, 140), (230, 144), (240, 148), (250, 152), (260, 155), (270, 159), (280, 162),
    (290, 165), (300, 169), (320, 175), (340, 181), (360, 186), (380, 191), (400, 196),
    (420, 201), (440, 205), (460, 210), (480, 214), (500, 217), (550, 226), (600, 234),
    (650, 242), (700, 248), (750, 254), (800, 260), (850, 265), (900, 269), (950, 274),
    (1000, 278), (1100, 285),
    (1200, 291), (1300, 297), (1400, 302), (1500, 306), (1600, 310), (1700, 313), (1800, 317),
    (1900, 320), (2000, 322), (2200, 327), (2400, 331), (2600, 335), (2800, 338), (3000, 341),
    (3500, 346), (4000, 351), (4500, 354), (5000, 357), (6000, 361), (7000, 364), (8000, 367),
    (9000, 368), (10000, 370), (15000, 375), (20000, 377), (30000, 379), (40000, 380),
    (50000, 381), (75000, 382), (1000000, 384),
)  # fmt: skip


def krejcie_morgan_exact(population: int) -> Fraction:
    """Unrounded ``S = χ²·N·P(1−P) / (d²(N−1) + χ²·P(1−P))`` as an exact fraction."""
    if isinstance(population, bool) or not isinstance(population, int):
        raise TypeError(f"population must be an int, not {population!r}")
    if population < 1:
        raise ValueError(f"population must be ≥ 1, not {population}")
    pq = PROPORTION * (1 - PROPORTION)
    return CHI_SQUARE * population * pq / (ACCURACY**2 * (population - 1) + CHI_SQUARE * pq)


def krejcie_morgan(population: int) -> int:
    """Minimum respondents for ``population`` service recipients (χ²=3.841, P=0.5, d=0.05).

    ``S`` is rounded half up, reproducing the printed table (100 → 80, 1000 → 278, …);
    population 1 → 1. Raises ValueError if ``population < 1``.
    """
    return math.floor(krejcie_morgan_exact(population) + Fraction(1, 2))
