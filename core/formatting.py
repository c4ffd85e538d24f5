"""Numbers as Indonesian reports write them: decimal comma, half-up rounding, dot for thousands."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

DASH = "—"


def rounded(value: float | int, places: int) -> Decimal:
    """Half-up rounding of the number as written (82.345 → 82.35; binary float noise ignored)."""
    exact = Decimal(repr(value)) if isinstance(value, float) else Decimal(value)
    return exact.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)


def number(value: float | int | None, places: int = 2) -> str:
    """``82,35`` (2 places) or ``3,4567`` (4 places); a dash when there is no value."""
    if value is None:
        return DASH
    text = f"{rounded(value, places):,.{places}f}"
    return text.replace(",", "\x00").replace(".", ",").replace("\x00", ".")


def integer(value: int | None) -> str:
    """``1.234`` (dot groups thousands)."""
    if value is None:
        return DASH
    return f"{value:,d}".replace(",", ".")


def percent(share: float | None, places: int = 1) -> str:
    """A share 0–1 as ``33,3%``."""
    if share is None:
        return DASH
    return f"{number(share * 100, places)}%"
