"""Numbers as Indonesian reports write them (the rules live in core.formatting, shared with workers)."""

from __future__ import annotations

from core.formatting import DASH, integer, number, percent, rounded

__all__ = ["DASH", "integer", "number", "percent", "rounded"]
