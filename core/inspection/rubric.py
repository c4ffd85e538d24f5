"""The PEKPPP rubric (PermenPAN-RB 29/2022, form F-02) for the indicators the inspectorate checks
from what Suara holds: 6 (SKM per 14/2017), 7 (publication media), 8 (share of the RTL done),
9 (speed of follow-up) and FKP 2 (groups of the public involved). Each function turns evidence
already counted into a score 0–5; None in means the evidence is not held, and gives None out.
"""

from __future__ import annotations

NON_ELECTRONIC = frozenset({"cetak", "papan_pengumuman"})
ELECTRONIC = frozenset({"elektronik", "media_sosial", "website", "aplikasi", "sippn"})
"""Media codes of the publication register (core/reports/publications.py)."""
MAX_SCORE = 5


def indicator_6(
    surveyed: bool,
    per_rule: bool,
    media: frozenset[str] | None,
    plan_followed_up: bool | None,
) -> int | None:
    """0 no SKM; 1 not per the rule; 2 per the rule (a closed cycle, sample ≥ minimum, the 14/2017
    method); 3 + published non-electronically; 4 + and electronically; 5 + and followed up.

    Without the publication register (``media`` None) a unit per the rule scores 2, the most the
    evidence shows; ``plan_followed_up`` None likewise stops at 4.
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


def indicator_7(media: frozenset[str] | None) -> int | None:
    """The number of media the SKM result was published in: 0 none … 4 four, 5 more than four."""
    if media is None:
        return None
    return min(len(media), MAX_SCORE)


def indicator_8(items: int | None, done: int, started: bool, with_report: bool) -> int | None:
    """% of RTL items done: 0 no plan; 1 not started; 2 < 30 %; 3 30–80 %; 4 > 80 %;
    5 100 % with a Laporan Hasil Tindak Lanjut."""
    if items is None:
        return None
    if items == 0:
        return 0
    if not started and done == 0:
        return 1
    share = done / items
    if share >= 1:
        return 5 if with_report else 4
    if share > 0.8:
        return 4
    if share >= 0.3:
        return 3
    return 2


def indicator_9(months: float | None, followed_up: bool | None) -> int | None:
    """Months from the report's publication to its follow-up: 0 never; 1 within 12; 2 within 9;
    3 within 6; 4 within 3; 5 within 1 month."""
    if followed_up is None:
        return None
    if not followed_up or months is None or months > 12:
        return 0
    for limit, score in ((1, 5), (3, 4), (6, 3), (9, 2)):
        if months <= limit:
            return score
    return 1


def fkp_2(groups: int) -> int:
    """The number of the five groups of the public present at the unit's forums: 0 … 5."""
    return max(0, min(groups, MAX_SCORE))
