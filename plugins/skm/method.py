"""The SKM scoring method as the core sees it: tallies in, a :class:`ScoreResult` out.

The arithmetic lives in :mod:`plugins.skm.scoring`; this module only decides when the index may be
stated. A questionnaire unsur that nobody answered withholds the index (naming the unsur), as
``suara skm score`` refuses the same data: scoring the others with weight 1/(X−1) would be quietly
wrong.
"""

from __future__ import annotations

from fractions import Fraction

from core.plugin_api import InterpretationBand, ScoreResult, Tally, UnsurResult
from plugins.skm.questionnaire import STANDARD_NAMES
from plugins.skm.scoring import MUTU_TABLE, ScoringError, SkmScore, score_tallies, unsur_number

METHOD_CODE = "skm-14-2017"

INTERPRETATION: tuple[InterpretationBand, ...] = tuple(
    InterpretationBand(band.mutu, band.kinerja, *band.konversi_range) for band in MUTU_TABLE
)
"""The regulation's interpretation table (konversi ranges), lowest band first."""


def _rows(score: SkmScore, weighted: bool) -> list[UnsurResult]:
    weight = Fraction(1, len(score.unsur)) if weighted else None
    return [
        UnsurResult(
            code=u.code,
            name=u.name,
            answered=u.answered,
            nrr=u.nrr,
            weighted=float(Fraction(u.total, u.answered) * weight) if weight else None,
            konversi=u.konversi,
            mutu=u.mutu,
            kinerja=u.kinerja,
        )
        for u in score.unsur
    ]


def _unanswered(code: str) -> UnsurResult:
    return UnsurResult(code=code, name=STANDARD_NAMES.get(code, code), answered=0)


def score(tally: Tally, respondents: int) -> ScoreResult:
    """The IKM of the tallies, or the reason it is withheld (never an exception for bad data)."""
    codes = sorted(tally, key=unsur_number)
    if respondents < 1:
        return ScoreResult.withhold(
            METHOD_CODE, respondents, [_unanswered(c) for c in codes], "belum ada responden"
        )
    silent = [code for code in codes if not sum(tally[code].values())]
    answered = {code: tally[code] for code in codes if code not in silent}
    try:
        if not silent:
            result = score_tallies(tally, respondents)
            return ScoreResult(
                method=METHOD_CODE,
                respondents=respondents,
                unsur=tuple(_rows(result, weighted=True)),
                index=result.ikm,
                konversi=result.konversi,
                mutu=result.mutu,
                kinerja=result.kinerja,
            )
        partial = (
            {u.code: u for u in _rows(score_tallies(answered, respondents), weighted=False)}
            if answered
            else {}
        )
    except ScoringError as exc:
        return ScoreResult.withhold(
            METHOD_CODE, respondents, [_unanswered(c) for c in codes], str(exc)
        )
    names = ", ".join(f"{c} ({STANDARD_NAMES[c]})" if c in STANDARD_NAMES else c for c in silent)
    reason = f"unsur {names} tidak dijawab oleh satu responden pun"
    rows = [partial.get(code) or _unanswered(code) for code in codes]
    return ScoreResult.withhold(METHOD_CODE, respondents, rows, reason)
