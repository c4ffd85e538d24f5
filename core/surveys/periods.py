"""Survey periods: triwulan, semester, year or custom dates."""

from __future__ import annotations

import calendar
from datetime import date

from core.errors import FieldError

PERIOD_LABELS: dict[str, str] = {
    "tw1": "Triwulan I",
    "tw2": "Triwulan II",
    "tw3": "Triwulan III",
    "tw4": "Triwulan IV",
    "s1": "Semester I",
    "s2": "Semester II",
    "tahunan": "Tahunan",
    "custom": "Rentang tanggal khusus",
}
FIRST_YEAR, LAST_YEAR = 2000, 2100
"""The years a survey cycle may fall in (anything else is a typing error)."""
_MONTHS: dict[str, tuple[int, int]] = {
    "tw1": (1, 3),
    "tw2": (4, 6),
    "tw3": (7, 9),
    "tw4": (10, 12),
    "s1": (1, 6),
    "s2": (7, 12),
    "tahunan": (1, 12),
}


def period_dates(period_type: str, year: int) -> tuple[date, date]:
    """First and last day of a standard period in a year."""
    first, last = _MONTHS[period_type]
    return date(year, first, 1), date(year, last, calendar.monthrange(year, last)[1])


def resolve_period(
    period_type: str, start: date | None, end: date | None, year: int | None
) -> tuple[date, date, list[FieldError]]:
    """Dates of a cycle from its period type; the given dates must agree with a standard period."""
    errors: list[FieldError] = []
    if period_type not in PERIOD_LABELS:
        choices = ", ".join(PERIOD_LABELS)
        return date.min, date.min, [FieldError("period_type", f"pilihan: {choices}")]
    if period_type == "custom":
        if start is None:
            errors.append(FieldError("start_date", "wajib diisi untuk rentang khusus"))
        if end is None:
            errors.append(FieldError("end_date", "wajib diisi untuk rentang khusus"))
        if errors:
            return date.min, date.min, errors
        assert start is not None and end is not None
        if end < start:
            errors.append(FieldError("end_date", "tidak boleh sebelum tanggal mulai"))
        elif start.year != end.year:
            errors.append(FieldError("end_date", "periode survei harus dalam satu tahun"))
        return start, end, errors
    if year is not None and not FIRST_YEAR <= year <= LAST_YEAR:
        return date.min, date.min, [FieldError("year", f"tahun {FIRST_YEAR}–{LAST_YEAR}")]
    the_year = year or (start.year if start else None)
    if the_year is None:
        return date.min, date.min, [FieldError("start_date", "tahun atau tanggal mulai wajib")]
    expected = period_dates(period_type, the_year)
    if start is not None and start != expected[0]:
        errors.append(FieldError("start_date", f"{PERIOD_LABELS[period_type]} mulai {expected[0]}"))
    if end is not None and end != expected[1]:
        errors.append(
            FieldError("end_date", f"{PERIOD_LABELS[period_type]} berakhir {expected[1]}")
        )
    return expected[0], expected[1], errors
