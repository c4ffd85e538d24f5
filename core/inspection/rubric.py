"""The PEKPPP rubric (PermenPAN-RB 29/2022, form F-02) for the indicators the inspectorate checks
from what Suara holds: 6 (SKM per 14/2017), 7 (publication media), 8 (share of the RTL done),
9 (speed of follow-up) and FKP 2 (groups of the public involved). Each function turns evidence
already counted into a score 0–5. Indicators 8 and 9 read the bands ``core.plans.kpi`` computes,
so their edges live in one place.
"""

from __future__ import annotations

from functools import cache

from core.plans import kpi

NON_ELECTRONIC = frozenset({"cetak", "papan_pengumuman"})
ELECTRONIC = frozenset({"elektronik", "media_sosial", "website", "aplikasi", "sippn"})
"""Media codes of the publication register (core/reports/publications.py)."""
MAX_SCORE = 5


def indicator_6(
    surveyed: bool,
    per_rule: bool,
    media: frozenset[str],
    plan_followed_up: bool,
) -> int:
    """0 no SKM; 1 not per the rule; 2 per the rule (a closed cycle, sample ≥ minimum, the 14/2017
    method); 3 + published non-electronically; 4 + and electronically; 5 + and followed up (a
    published plan with items done).
    """
    if not surveyed:
        return 0
    if not per_rule:
        return 1
    if not media or not media & NON_ELECTRONIC:
        return 2
    if not media & ELECTRONIC:
        return 3
    return 5 if plan_followed_up else 4


def indicator_7(media: frozenset[str]) -> int:
    """The number of media the SKM result was published in: 0 none … 4 four, 5 more than four."""
    return min(len(media), MAX_SCORE)


@cache
def _bands_8() -> dict[str, int]:
    # The plans room's band (core.plans.kpi holds the edges) → the F-02 score.
    return {
        kpi.indicator_8(0, 0, False, False): 0,
        kpi.indicator_8(10, 0, False, False): 1,
        kpi.indicator_8(10, 1, True, False): 2,
        kpi.indicator_8(10, 3, True, False): 3,
        kpi.indicator_8(10, 9, True, False): 4,
        kpi.indicator_8(10, 10, True, False): 4,
        kpi.indicator_8(10, 10, True, True): 5,
    }


@cache
def _bands_9() -> dict[str, int]:
    return {
        kpi.indicator_9(None): 0,
        kpi.indicator_9(13): 0,
        kpi.indicator_9(12): 1,
        kpi.indicator_9(9): 2,
        kpi.indicator_9(6): 3,
        kpi.indicator_9(3): 4,
        kpi.indicator_9(1): 5,
    }


def indicator_8(band: str) -> int:
    """The score of the plans room's indicator-8 band: 0 no plan; 1 not started; 2 < 30 %;
    3 30–80 %; 4 > 80 % (also 100 % without a Laporan Hasil Tindak Lanjut); 5 100 % with one."""
    return _bands_8()[band]


def indicator_9(band: str) -> int:
    """The score of the plans room's indicator-9 band (months from the SKM report's publication
    to the follow-up): 0 never or later than 12; 1 ≤ 12; 2 ≤ 9; 3 ≤ 6; 4 ≤ 3; 5 ≤ 1."""
    return _bands_9()[band]


def fkp_2(groups: int) -> int:
    """The number of the five groups of the public present at the unit's forums: 0 … 5."""
    return max(0, min(groups, MAX_SCORE))
