"""The iCalendar builder: RFC 5545 documents that calendar apps can subscribe to."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

from icalendar import Calendar

from core.forums.calendar import build_calendar, forum_uid
from core.forums.schemas import ForumOut

WIB = timezone(timedelta(hours=7))
BASE = "https://suara.contoh.go.id:8443/"
NOW = datetime(2026, 12, 1, 3, 0, tzinfo=UTC)


def forum(forum_id: int = 7, **changes) -> ForumOut:
    start = datetime(2026, 12, 10, 9, 0, tzinfo=WIB)
    values = {
        "id": forum_id,
        "title": "Tindak lanjut SKM; loket, antrean",
        "purpose": "tindak_lanjut_skm",
        "units": ["PKM-A"],
        "format": "tatap_muka",
        "venue": "Aula Puskesmas, Jl. Merdeka 1",
        "link": "",
        "start": start,
        "end": start + timedelta(hours=3),
        "timezone": "Asia/Jakarta",
        "capacity": None,
        "cycle": 1,
        "status": "scheduled",
        "status_reason": "",
        "narasumber": "dr. Rahma",
        "moderator": "",
        "notulis": "",
        "notulen": "<p>rahasia internal</p>",
        "no_agreement_statement": "",
        "locked": False,
        "agenda": [],
        "groups_invited": [],
        "groups_attended": [],
        "invited": 4,
        "attended": 0,
        "warnings": ["Baru 1 dari 5 unsur masyarakat yang diundang"],
    }
    return ForumOut(**(values | changes))


def parse(body: bytes) -> list:
    calendar = Calendar.from_ical(body)
    assert str(calendar["VERSION"]) == "2.0" and str(calendar["PRODID"])
    return list(calendar.walk("VEVENT"))


def test_event_has_utc_times_uid_url_and_public_facts_only():
    body = build_calendar([forum()], BASE, unit_names={"PKM-A": "Puskesmas Sukamaju"}, now=NOW)
    assert b"\r\n" in body  # CRLF line endings
    assert all(len(line) <= 75 for line in body.split(b"\r\n"))  # folded lines
    [event] = parse(body)
    assert str(event["UID"]) == "forum-7@suara.contoh.go.id"
    assert event.decoded("DTSTART") == datetime(2026, 12, 10, 2, 0, tzinfo=UTC)
    assert event.decoded("DTEND") == datetime(2026, 12, 10, 5, 0, tzinfo=UTC)
    assert b"DTSTART:20261210T020000Z" in body  # UTC form, no TZID needed
    assert event.decoded("DTSTAMP") == NOW
    assert str(event["SUMMARY"]) == "Tindak lanjut SKM; loket, antrean"
    assert b"SUMMARY:Tindak lanjut SKM\\; loket\\, antrean" in body  # escaped per RFC 5545
    assert str(event["LOCATION"]) == "Aula Puskesmas, Jl. Merdeka 1"
    assert str(event["URL"]) == "https://suara.contoh.go.id:8443/forum/7"
    assert str(event["STATUS"]) == "CONFIRMED"
    assert int(event["SEQUENCE"]) == 0
    description = str(event["DESCRIPTION"])
    assert "Puskesmas Sukamaju" in description and "/forum/7" in description
    assert "rahasia" not in body.decode() and "unsur masyarakat" not in body.decode()
    assert "dr. Rahma" not in body.decode()


def test_cancelled_sequence_link_and_revision_time():
    revised = datetime(2026, 11, 30, 8, 0, tzinfo=UTC)
    online = forum(2, format="daring", venue="", link="https://meet.contoh.id/fkp")
    body = build_calendar(
        [forum(1, status="cancelled"), online],
        BASE,
        sequences={1: 2},
        revised={2: revised},
        now=NOW,
    )
    cancelled, daring = parse(body)
    assert str(cancelled["STATUS"]) == "CANCELLED" and int(cancelled["SEQUENCE"]) == 2
    assert str(daring["LOCATION"]) == "https://meet.contoh.id/fkp"
    assert daring.decoded("DTSTAMP") == revised and daring.decoded("LAST-MODIFIED") == revised
    assert str(daring["UID"]) != str(cancelled["UID"])


def test_empty_feed_is_a_valid_calendar():
    assert parse(build_calendar([], BASE, name="Forum — PKM-A")) == []


def test_uid_is_stable_and_names_the_host():
    assert forum_uid(3, "http://127.0.0.1:8000") == "forum-3@127.0.0.1"
    assert forum_uid(3, "https://suara.contoh.go.id/") == forum_uid(3, "https://suara.contoh.go.id")
