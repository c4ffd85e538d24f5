"""Plausible dates for the demo: office days (no weekend, no Indonesian public holiday) and
moments in local office hours."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import holidays


def is_office_day(day: date) -> bool:
    """Monday to Friday and not a national public holiday (libur nasional)."""
    return day.weekday() < 5 and day not in holidays.country_holidays("ID", years=day.year)


def office_day(day: date, step: int = 1) -> date:
    """``day`` if it is an office day, else the next one (``step=-1``: the previous one)."""
    while not is_office_day(day):
        day += timedelta(days=step)
    return day


def at(day: date, hour: int, minute: int, zone: ZoneInfo | str) -> datetime:
    """A local moment of ``day``."""
    tz = zone if isinstance(zone, ZoneInfo) else ZoneInfo(zone)
    return datetime.combine(day, time(hour, minute), tzinfo=tz)
