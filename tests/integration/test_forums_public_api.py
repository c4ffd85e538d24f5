"""What a forum shows outside the staff API: the iCalendar feeds (no log-in) and the RSVP link,
whose token only managers see and whose answers are recorded as the one who gave them."""

from __future__ import annotations

from datetime import UTC, datetime
from urllib.parse import urlparse

from icalendar import Calendar

from core.audit.tables import AuditEvent
from tests.conftest import bearer
from tests.integration.forum_data import GROUPS, forum_body

# --- iCalendar feeds ---------------------------------------------------------------------------


async def test_calendar_feeds(client, forum_world, settings):
    org = await bearer(client, "org")

    async def forum(**changes) -> int:
        response = await client.post(
            "/api/v1/forums", headers=org, json=forum_body(purpose="standar_pelayanan", **changes)
        )
        assert response.status_code == 201, response.text
        return response.json()["id"]

    a = await forum(title="Standar pelayanan PKM-A")
    b = await forum(title="Standar pelayanan PKM-B", units=["PKM-B"], venue="Balai PKM-B")
    draft = await forum(title="Masih draf")
    gone = await forum(title="Batal", venue="Aula Kecamatan")
    never = await forum(title="Batal sebelum diumumkan", venue="Aula Desa")
    for forum_id in (a, b, gone):
        assert (await client.post(f"/api/v1/forums/{forum_id}/schedule", headers=org)).is_success
    for forum_id in (gone, never):
        cancelled = await client.post(
            f"/api/v1/forums/{forum_id}/cancel", headers=org, json={"reason": "Banjir di lokasi"}
        )
        assert cancelled.status_code == 200
    moved = await client.patch(
        f"/api/v1/forums/{a}",
        headers=org,
        json={
            "start": "2026-12-11T13:00:00+07:00",
            "end": "2026-12-11T15:30:00+07:00",
            "reason": "Kepala puskesmas rapat di kabupaten",
        },
    )
    assert moved.status_code == 200, moved.text

    response = await client.get("/calendar.ics")  # no log-in
    assert response.status_code == 200
    assert response.headers["content-type"] == "text/calendar; charset=utf-8"
    calendar = Calendar.from_ical(response.content)
    events = {str(e["UID"]): e for e in calendar.walk("VEVENT")}
    host = urlparse(settings.base_url).hostname
    assert set(events) == {f"forum-{i}@{host}" for i in (a, b, gone)}
    assert f"forum-{draft}@{host}" not in events and f"forum-{never}@{host}" not in events
    event = events[f"forum-{a}@{host}"]
    assert event.decoded("DTSTART") == datetime(2026, 12, 11, 6, 0, tzinfo=UTC)
    assert event.decoded("DTEND") == datetime(2026, 12, 11, 8, 30, tzinfo=UTC)
    assert event["DTSTART"].to_ical() == b"20261211T060000Z"
    assert int(event["SEQUENCE"]) == 1  # rescheduled once
    assert str(event["SUMMARY"]) == "Standar pelayanan PKM-A"
    assert str(event["LOCATION"]) == "Aula Puskesmas"
    assert str(event["URL"]) == f"{settings.base_url}/forum/{a}"
    assert str(event["STATUS"]) == "CONFIRMED"
    assert "DTSTAMP" in event
    assert "Kepala puskesmas rapat" not in response.text  # internal reasons stay internal
    assert int(events[f"forum-{b}@{host}"]["SEQUENCE"]) == 0
    assert str(events[f"forum-{gone}@{host}"]["STATUS"]) == "CANCELLED"

    unit_feed = await client.get("/calendar/PKM-A.ics")
    assert unit_feed.status_code == 200
    assert unit_feed.headers["content-type"].startswith("text/calendar")
    uids = {str(e["UID"]) for e in Calendar.from_ical(unit_feed.content).walk("VEVENT")}
    assert uids == {f"forum-{a}@{host}", f"forum-{gone}@{host}"}
    b_feed = Calendar.from_ical((await client.get("/calendar/PKM-B.ics")).content)
    assert [str(e["SUMMARY"]) for e in b_feed.walk("VEVENT")] == ["Standar pelayanan PKM-B"]
    assert (await client.get("/calendar/TIDAK-ADA.ics")).status_code == 404
    assert (await client.get("/calendar/PKM-A")).status_code == 404


async def test_rsvp_tokens_only_for_managers_and_staff_answers_are_their_own(client, forum_world):

    org = await bearer(client, "org")
    people = [
        (await client.post("/api/v1/stakeholders", headers=org, json=p)).json()
        for p in (
            {
                "name": "Ani",
                "organisation": "Radio Warga",
                "email": "ani@contoh.id",
                "group": GROUPS[0],
                "consent": True,
                "units": ["PKM-A"],
            },
        )
    ]
    forum = (
        await client.post("/api/v1/forums", headers=org, json=forum_body(forum_world["cycle"]))
    ).json()
    invited = await client.post(
        f"/api/v1/forums/{forum['id']}/invitations",
        headers=org,
        json={"stakeholders": [people[0]["id"]]},
    )
    assert invited.status_code == 201, invited.text
    await client.post(f"/api/v1/forums/{forum['id']}/schedule", headers=org)

    inspector = await bearer(client, "insp")
    seen = await client.get(f"/api/v1/forums/{forum['id']}/invitations", headers=inspector)
    assert seen.status_code == 200 and [i["token"] for i in seen.json()] == [None]
    managed = await client.get(f"/api/v1/forums/{forum['id']}/invitations", headers=org)
    token = managed.json()[0]["token"]
    assert token

    staff = await client.post(
        f"/api/v1/public/invitations/{token}", headers=org, json={"rsvp": "hadir"}
    )
    assert staff.status_code == 200
    anonymous = await client.post(f"/api/v1/public/invitations/{token}", json={"rsvp": "hadir"})
    assert anonymous.status_code == 200
    actors = (
        await AuditEvent.select(AuditEvent.actor)
        .where(AuditEvent.action == "invitation.answered")
        .order_by(AuditEvent.id)
    )
    assert [a["actor"] for a in actors] == ["org", "system"]
