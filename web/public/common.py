"""Helpers the public form and the printed survey materials share."""

from __future__ import annotations

from datetime import date

from babel.dates import format_date
from litestar import Request

from web.context import locale_of


def date_range(request: Request, start: date, end: date) -> str:
    """A period written out in the visitor's language: ``1 Oktober 2026 – 31 Desember 2026``."""
    lang = locale_of(request)
    first = format_date(start, "d MMMM y", locale=lang)
    return f"{first} – {format_date(end, 'd MMMM y', locale=lang)}"
