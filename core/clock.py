"""The one place that reads the wall clock, so tests can reason about time."""

from datetime import UTC, datetime


def utcnow() -> datetime:
    """Current time in UTC, truncated to microseconds (what both databases store)."""
    return datetime.now(UTC)
