"""Pure SKM arithmetic of PermenPAN-RB 14/2017 (normative spec: the SKM domain document).

Everything is computed exactly with :class:`fractions.Fraction` from answer tallies; floats are
produced only at the end (each the correctly rounded value of the exact result). Nothing is rounded
before summing. Rounding happens only for classification and display, via :func:`round_half_up`.
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction
from typing import Any

from plugins.skm.questionnaire import STANDARD_NAMES

Tally = Mapping[str, Mapping[int, int]]
"""Unsur code ("U1".."U9", "U10"…) → {answer value 1..4: number of respondents}. Blanks absent."""

WEIGHT_MODES: tuple[str, ...] = ("exact", "legend_0111")
LEGEND_WEIGHT = Fraction("0.111")
"""Nilai penimbang as printed in the regulation's legend; only for ``weight_mode="legend_0111"``."""
ANSWER_VALUES: tuple[int, ...] = (1, 2, 3, 4)

_CODE_RE = re.compile(r"U([1-9][0-9]*)")


class ScoringError(ValueError):
    """The tallies cannot be scored (nobody answered an unsur, bad value, no respondents…)."""


@dataclass(frozen=True)
class MutuBand:
    """One row of the interpretation table, with the ranges as printed in the regulation."""

    nilai_persepsi: int
    ikm_range: tuple[str, str]
    konversi_range: tuple[str, str]
    konversi_min: Decimal
    mutu: str
    kinerja: str


MUTU_TABLE: tuple[MutuBand, ...] = (
    MutuBand(1, ("1,00", "2,5996"), ("25,00", "64,99"), Decimal("25.00"), "D", "Tidak baik"),
    MutuBand(2, ("2,60", "3,064"), ("65,00", "76,60"), Decimal("65.00"), "C", "Kurang baik"),
    MutuBand(3, ("3,0644", "3,532"), ("76,61", "88,30"), Decimal("76.61"), "B", "Baik"),
    MutuBand(4, ("3,5324", "4,00"), ("88,31", "100,00"), Decimal("88.31"), "A", "Sangat baik"),
)
"""Interpretation table, lowest band first. ``konversi_min`` is the inclusive lower bound that
:func:`classify` applies to the konversi value rounded half up to 2 decimals (gap-free rule)."""

_KONVERSI_FLOOR = Decimal("24.98")  # 9 × 0,111 × 25 = 24,975 → 24,98 in legend mode


@dataclass(frozen=True)
class UnsurScore:
    """Result for one unsur: ``total`` is the sum of answer values over ``answered`` answers."""

    code: str
    name: str
    answered: int
    total: int
    nrr: float
    konversi: float
    mutu: str
    kinerja: str


@dataclass(frozen=True)
class SkmScore:
    """IKM of a set of questionnaires; ``ikm`` is on the 1–4 scale, ``konversi`` on 25–100."""

    respondents: int
    unsur: tuple[UnsurScore, ...]
    ikm: float
    konversi: float
    mutu: str
    kinerja: str
    weight_mode: str

    def to_dict(self) -> dict[str, Any]:
        """Plain, JSON-ready dict with unrounded floats (``weight_mode`` and totals left out)."""
        return {
            "respondents": self.respondents,
            "unsur": [
                {
                    "code": u.code,
                    "name": u.name,
                    "answered": u.answered,
                    "nrr": u.nrr,
                    "konversi": u.konversi,
                    "mutu": u.mutu,
                }
                for u in self.unsur
            ],
            "ikm": self.ikm,
            "konversi": self.konversi,
            "mutu": self.mutu,
            "kinerja": self.kinerja,
        }


def unsur_number(code: str) -> int:
    """Numeric part of an unsur code ("U10" → 10); raise ScoringError for anything else."""
    match = _CODE_RE.fullmatch(code) if isinstance(code, str) else None
    if match is None:
        raise ScoringError(f"kode unsur tidak dikenal: {code!r} (harus U1, U2, …)")
    return int(match.group(1))


def round_half_up(value: float | int | Decimal | Fraction, places: int = 2) -> Decimal:
    """Round half up to ``places`` decimals, the way the mutu rule and reports round.

    A float is taken at its shortest repr (``Decimal(repr(x))``), i.e. the decimal a person sees:
    ``82.345`` is stored in binary as 82.34499999…, but it means 82.345 and rounds to 82.35.
    (``f"{x:.2f}"`` rounds the binary value and prints 82.34 — never use it for konversi.)
    Fractions are rounded exactly.
    """
    quantum = Decimal(1).scaleb(-places)
    if isinstance(value, Fraction):
        scaled = value * 10**places
        return (Decimal(math.floor(scaled + Fraction(1, 2))) * quantum).quantize(quantum)
    if isinstance(value, bool):
        raise TypeError("bool is not a number here")
    if isinstance(value, float):
        if not math.isfinite(value):
            raise ScoringError(f"nilai tidak berhingga: {value!r}")
        dec = Decimal(repr(value))
    else:
        dec = Decimal(value)
    return dec.quantize(quantum, rounding=ROUND_HALF_UP)


def classify(konversi: float) -> tuple[str, str]:
    """Return (mutu, kinerja) for a 25–100 konversi value.

    The value is first rounded half up to 2 decimals (:func:`round_half_up`), then the gap-free,
    inclusive rule applies: A ≥ 88,31; B ≥ 76,61; C ≥ 65,00; else D. So 64.995 → 65,00 → C and
    64.994 → 64,99 → D. Values outside 24,98–100 after rounding raise ScoringError (a 1–4 IKM
    passed by mistake, a ×20 scale…); 24,975 → 24,98 (D) is the floor of the legend-0,111 mode.
    """
    rounded = round_half_up(konversi, 2)
    if not _KONVERSI_FLOOR <= rounded <= Decimal(100):
        raise ScoringError(f"nilai konversi {konversi!r} di luar rentang 25–100")
    band = next((b for b in reversed(MUTU_TABLE) if rounded >= b.konversi_min), MUTU_TABLE[0])
    return band.mutu, band.kinerja


def _weight(mode: str, count: int) -> Fraction:
    if mode == "exact":
        return Fraction(1, count)
    if mode == "legend_0111":
        if count != len(STANDARD_NAMES):
            raise ScoringError(
                f"mode penimbang 0,111 hanya berlaku untuk 9 unsur, bukan {count}; "
                "gunakan penimbang tepat 1/X"
            )
        return LEGEND_WEIGHT
    raise ScoringError(f"weight_mode tidak dikenal: {mode!r} (pilihan: {', '.join(WEIGHT_MODES)})")


def score_tallies(
    tally: Tally,
    respondents: int,
    names: Mapping[str, str] | None = None,
    weight_mode: str = "exact",
) -> SkmScore:
    """Score SKM answer tallies per PermenPAN-RB 14/2017.

    ``NRR_u = Σ answers / number answering u`` (blanks are simply not in the tally);
    ``IKM = Σ NRR_u × w`` with ``w = 1/X`` for the X unsur in ``tally`` (``weight_mode="exact"``,
    default). ``weight_mode="legend_0111"`` uses the legend's 0,111 instead, only to match old
    spreadsheets: it needs exactly nine unsur and caps the index at 99,9 (floor 24,975).
    ``konversi = IKM × 25``. Unsur come out ordered by number (U2 before U10). Names default to the
    standard names for U1..U9, ``names`` overrides them; U10+ without a name show their code.

    Raises ScoringError if ``respondents < 1``, a code is not ``U<n>``, a value is outside 1..4,
    a count is negative, an unsur was answered by nobody, or more answers than respondents.
    """
    if isinstance(respondents, bool) or not isinstance(respondents, int) or respondents < 1:
        raise ScoringError(f"jumlah responden harus ≥ 1, bukan {respondents!r}")
    if not tally:
        raise ScoringError("tidak ada unsur untuk dinilai")
    names = names or {}

    codes = sorted(tally, key=unsur_number)
    weight = _weight(weight_mode, len(codes))

    scores: list[UnsurScore] = []
    ikm = Fraction(0)
    for code in codes:
        answered = 0
        total = 0
        for value, count in tally[code].items():
            if isinstance(value, bool) or not isinstance(value, int) or value not in ANSWER_VALUES:
                raise ScoringError(f"unsur {code}: nilai {value!r} di luar 1–4")
            if isinstance(count, bool) or not isinstance(count, int) or count < 0:
                raise ScoringError(f"unsur {code}: jumlah untuk nilai {value} tidak sah: {count!r}")
            answered += count
            total += value * count
        if answered == 0:
            raise ScoringError(f"unsur {code} tidak dijawab oleh satu responden pun")
        if answered > respondents:
            raise ScoringError(f"unsur {code}: {answered} jawaban melebihi {respondents} responden")
        nrr = Fraction(total, answered)
        ikm += nrr * weight
        konversi = float(nrr * 25)
        mutu, kinerja = classify(konversi)
        scores.append(
            UnsurScore(
                code=code,
                name=names.get(code) or STANDARD_NAMES.get(code, code),
                answered=answered,
                total=total,
                nrr=float(nrr),
                konversi=konversi,
                mutu=mutu,
                kinerja=kinerja,
            )
        )

    konversi = float(ikm * 25)
    mutu, kinerja = classify(konversi)
    return SkmScore(
        respondents=respondents,
        unsur=tuple(scores),
        ikm=float(ikm),
        konversi=konversi,
        mutu=mutu,
        kinerja=kinerja,
        weight_mode=weight_mode,
    )
