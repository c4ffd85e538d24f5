"""Date arithmetic of the forum calendar: which month or ISO week, its days, and events per day."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

MONTH_RE = re.compile(r"^(\d{4})-(\d{2})$")
WEEK_RE = re.compile(r"^(\d{4})-W(\d{2})$")
YEARS = range(1970, 9999)  # the neighbours of any shown period stay valid dates


@dataclass(frozen=True)
class Period:
    """A month or ISO week shown by the calendar, in local dates [first, after)."""

    kind: str  # "month" or "week"
    first: date
    after: date
    key: str  # 2026-12 or 2026-W50
    previous: str
    next: str

    def bounds(self, tz: ZoneInfo) -> tuple[datetime, datetime]:
        """The period as aware datetimes in the local time zone."""
        return (
            datetime.combine(self.first, time(0), tzinfo=tz),
            datetime.combine(self.after, time(0), tzinfo=tz),
        )


@dataclass
class Day:
    """One cell of the calendar."""

    date: date
    in_period: bool
    today: bool
    events: list[Any] = field(default_factory=list)


def month_key(day: date) -> str:
    """2026-12 for any day in December 2026."""
    return f"{day.year:04d}-{day.month:02d}"


def week_key(day: date) -> str:
    """2026-W50 for any day in ISO week 50 of 2026."""
    year, week, _ = day.isocalendar()
    return f"{year:04d}-W{week:02d}"


def _add_months(first: date, months: int) -> date:
    index = first.year * 12 + first.month - 1 + months
    return date(index // 12, index % 12 + 1, 1)


def parse_month(text: str | None) -> date | None:
    """The first day of a month written 2026-12, or None when malformed or out of range."""
    match = MONTH_RE.match(text or "")
    if not match or not 1 <= int(match.group(2)) <= 12 or int(match.group(1)) not in YEARS:
        return None
    return date(int(match.group(1)), int(match.group(2)), 1)


def parse_week(text: str | None) -> date | None:
    """The Monday of an ISO week written 2026-W50, or None when malformed or out of range."""
    match = WEEK_RE.match(text or "")
    if not match or int(match.group(1)) not in YEARS:
        return None
    try:
        return date.fromisocalendar(int(match.group(1)), int(match.group(2)), 1)
    except ValueError:
        return None


def month_period(first: date) -> Period:
    """The month starting on first."""
    return Period(
        kind="month",
        first=first,
        after=_add_months(first, 1),
        key=month_key(first),
        previous=month_key(_add_months(first, -1)),
        next=month_key(_add_months(first, 1)),
    )


def week_period(monday: date) -> Period:
    """The ISO week starting on monday."""
    return Period(
        kind="week",
        first=monday,
        after=monday + timedelta(days=7),
        key=week_key(monday),
        previous=week_key(monday - timedelta(days=7)),
        next=week_key(monday + timedelta(days=7)),
    )


def local_days(start: datetime, end: datetime, tz: ZoneInfo) -> list[date]:
    """Every local date an event touches (an event ending at midnight does not touch the next)."""
    first = start.astimezone(tz).date()
    last_moment = end.astimezone(tz) - timedelta(microseconds=1)
    last = max(first, last_moment.date())
    return [first + timedelta(days=n) for n in range((last - first).days + 1)]


def weeks(period: Period, today: date, events: Iterable[Any], tz: ZoneInfo) -> list[list[Day]]:
    """Rows of seven days (Monday first) covering the period, each with its events by start."""
    first = period.first - timedelta(days=period.first.weekday())
    last = period.after + timedelta(days=(7 - period.after.weekday()) % 7)
    days = {
        first + timedelta(days=n): Day(
            date=first + timedelta(days=n),
            in_period=period.first <= first + timedelta(days=n) < period.after,
            today=first + timedelta(days=n) == today,
        )
        for n in range((last - first).days)
    }
    for event in sorted(events, key=lambda e: e.start):
        for day in local_days(event.start, event.end, tz):
            if day in days:
                days[day].events.append(event)
    ordered = [days[d] for d in sorted(days)]
    return [ordered[i : i + 7] for i in range(0, len(ordered), 7)]
