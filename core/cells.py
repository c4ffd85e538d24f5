"""Cells safe to export: text a spreadsheet would run as a formula is neutralised.

Every CSV and XLSX writer passes its values through :func:`safe_cell` (or :func:`safe_row`), so a
name like ``=HYPERLINK(...)`` or ``@SUM(A1)`` is shown as text in Excel and LibreOffice instead of
being evaluated, and a control character an older record may hold cannot break the workbook.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
CONTROL_RE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def has_control_characters(text: str) -> bool:
    """True when the text holds a control character other than tab and line breaks."""
    return CONTROL_RE.search(text) is not None


def safe_cell(value: Any) -> Any:
    """The value for an exported cell: formula-like text prefixed with ``'``, control characters
    dropped; numbers, dates, None and other non-text values pass unchanged."""
    if not isinstance(value, str):
        return value
    text = CONTROL_RE.sub("", value)
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def safe_row(values: Iterable[Any]) -> list[Any]:
    """:func:`safe_cell` over one row."""
    return [safe_cell(v) for v in values]
