"""Numbers and times as Indonesian reports write them.

Numbers: decimal comma, half-up rounding, dot for thousands (the rules live in core.formatting,
shared with the workers that write reports). Times: in the installation's zone
(``LocalTime``), never UTC on a page.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

from babel.dates import format_date

from core.formatting import DASH, integer, number, percent, rounded
from core.notifications.messages import ZONE_NAMES

__all__ = ["DASH", "LocalTime", "integer", "number", "percent", "rounded"]

@dataclass(frozen=True)
class LocalTime:
    """Moments as people in the installation's zone read them (``SUARA_TIMEZONE``, WIB by default).

    Every page gets one as ``t`` (see ``web.context.page``): ``t.moment(x)`` → ``01/12/2026 16.21
    WIB``, ``t.moment(x, seconds=True)``, ``t.day(x)`` → ``Selasa, 1 Desember 2026``,
    ``t.short_day(x)`` → ``1 Des 2026``, ``t.clock(x)`` → ``16.21``, ``t.zone`` → ``WIB``.
    Stored times are UTC; a naive one (SQLite) is read as UTC.
    """

    zone_name: str
    lang: str = "id"

    @property
    def zone(self) -> str:
        """The zone as people call it now: WIB, WITA, WIT, or its own abbreviation."""
        return self._zone_at(datetime.now(UTC))

    def _zone_at(self, value: datetime) -> str:
        return ZONE_NAMES.get(self.zone_name) or self.local(value).tzname() or self.zone_name

    def local(self, value: datetime) -> datetime:
        """The moment in the installation's zone."""
        aware = value if value.tzinfo else value.replace(tzinfo=UTC)
        return aware.astimezone(ZoneInfo(self.zone_name))

    def clock(self, value: datetime | None, seconds: bool = False) -> str:
        """``16.21`` (Indonesian) or ``16:21`` (English), with ``:ss``/``.ss`` when asked."""
        if value is None:
            return DASH
        sep = "." if self.lang == "id" else ":"
        pattern = f"%H{sep}%M{sep}%S" if seconds else f"%H{sep}%M"
        return self.local(value).strftime(pattern)

    def moment(self, value: datetime | None, seconds: bool = False) -> str:
        """``01/12/2026 16.21 WIB``: a date and time in tables and lists."""
        if value is None:
            return DASH
        return f"{self.local(value):%d/%m/%Y} {self.clock(value, seconds)} {self._zone_at(value)}"

    def day(self, value: date | datetime | None) -> str:
        """``Selasa, 1 Desember 2026``."""
        return self._day(value, "EEEE, d MMMM y")

    def short_day(self, value: date | datetime | None) -> str:
        """``1 Des 2026``."""
        return self._day(value, "d MMM y")

    def iso(self, value: datetime) -> str:
        """The moment in ISO 8601 with its offset, for ``<time datetime>``."""
        return self.local(value).isoformat(timespec="seconds")

    def _day(self, value: date | datetime | None, pattern: str) -> str:
        if value is None:
            return DASH
        if isinstance(value, datetime):
            value = self.local(value).date()
        return format_date(value, pattern, locale=self.lang)
