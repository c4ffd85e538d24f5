"""Stored UTC moments shown in the installation's zone, in both languages."""

from __future__ import annotations

from datetime import UTC, date, datetime

from web.formatting import DASH, LocalTime

LATE_EVENING_UTC = datetime(2026, 11, 30, 20, 5, 9, tzinfo=UTC)


def test_wib_is_seven_hours_ahead_and_crosses_the_day():
    t = LocalTime("Asia/Jakarta")
    assert t.moment(LATE_EVENING_UTC) == "01/12/2026 03.05 WIB"
    assert t.moment(LATE_EVENING_UTC, seconds=True) == "01/12/2026 03.05.09 WIB"
    assert t.day(LATE_EVENING_UTC) == "Selasa, 1 Desember 2026"
    assert t.short_day(LATE_EVENING_UTC) == "1 Des 2026"
    assert t.clock(LATE_EVENING_UTC) == "03.05"
    assert t.iso(LATE_EVENING_UTC) == "2026-12-01T03:05:09+07:00"
    assert t.zone == "WIB"


def test_other_zones_and_english():
    assert LocalTime("Asia/Makassar").moment(LATE_EVENING_UTC) == "01/12/2026 04.05 WITA"
    assert LocalTime("Asia/Jayapura", "en").moment(LATE_EVENING_UTC) == "01/12/2026 05:05 WIT"
    assert LocalTime("Asia/Jakarta", "en").day(LATE_EVENING_UTC) == "Tuesday, 1 December 2026"
    # a zone outside Indonesia shows its own abbreviation, as of that moment
    assert LocalTime("Europe/Berlin").moment(datetime(2026, 7, 1, 10, tzinfo=UTC)).endswith(
        "12.00 CEST"
    )


def test_naive_times_are_read_as_utc_and_missing_ones_are_a_dash():
    t = LocalTime("Asia/Jakarta")
    assert t.moment(datetime(2026, 11, 30, 20, 5)) == "01/12/2026 03.05 WIB"
    assert t.moment(None) == t.day(None) == t.clock(None) == DASH
    assert t.day(date(2026, 12, 1)) == "Selasa, 1 Desember 2026"
