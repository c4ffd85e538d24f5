"""Forums over the JSON API, the public RSVP link, the iCalendar feeds and the stakeholder pages."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta, timezone
from urllib.parse import urlparse

import pytest
from icalendar import Calendar

from core.accounts.policy import Actor
from core.audit.tables import AuditEvent
from core.clock import frozen_at
from core.forums.stakeholders import CSV_COLUMNS
from core.forums.tables import Stakeholder, StakeholderUnit
from core.surveys.cycles import close_cycle, create_cycle, open_cycle
from core.surveys.schemas import CycleIn
from tests.conftest import csrf_token, login
from tests.factories import PASSWORD, make_unit, make_user

pytestmark = pytest.mark.usefixtures("fast_passwords")

GROUPS = ("pengguna_layanan", "akademisi", "instansi_terkait", "organisasi_masyarakat")
WIB = timezone(timedelta(hours=7))
START = "2026-12-10T09:00:00+07:00"
END = "2026-12-10T12:00:00+07:00"
ERROR_ROW_RE = re.compile(r"<tr><td>([^<]*)</td><td>([^<]*)</td><td>([^<]*)</td></tr>")


async def _token(client, username: str) -> dict[str, str]:
    response = await client.post(
        "/api/v1/auth/token", json={"username": username, "password": PASSWORD}
    )
    assert response.status_code == 200, response.text
    return {"Authorization": f"Bearer {response.json()['access_token']}"}


async def _closed_cycle(hooks, unit: str = "PKM-A") -> int:
    system = Actor.system()
    cycle_id = await create_cycle(
        system, hooks, CycleIn(unit=unit, period_type="tw1", year=2026, population=50)
    )
    await open_cycle(system, hooks, cycle_id)
    await close_cycle(
        system, hooks, cycle_id, "Tes: siklus ditutup sebelum sampel minimum tercapai"
    )
    return cycle_id


def _forum(cycle_id: int | None = None, **changes) -> dict:
    body = {
        "title": "Tindak lanjut SKM TW I Puskesmas Sukamaju",
        "purpose": "tindak_lanjut_skm",
        "units": ["PKM-A"],
        "format": "tatap_muka",
        "venue": "Aula Puskesmas",
        "start": START,
        "end": END,
        "cycle": cycle_id,
        "capacity": 30,
        "agenda": [{"title": "Paparan hasil SKM", "speaker": "Kepala Puskesmas", "duration": 30}],
    }
    return {**body, **changes}


@pytest.fixture
async def world(db, hooks) -> dict:
    """Two puskesmas, a closed cycle of PKM-A, and one user per role."""
    await make_unit("PKM-A", "puskesmas")
    await make_unit("PKM-B", "puskesmas")
    await make_user("org", "organizer")
    await make_user("insp", "inspector")
    await make_user("opr", "operator", ("PKM-A",))
    return {"cycle": await _closed_cycle(hooks)}


# --- the flow from plan to published minutes ---------------------------------------------------


async def test_skm_follow_up_forum_from_plan_to_published_minutes(client, world):
    org = await _token(client, "org")
    people = []
    for n, group in enumerate(GROUPS):
        response = await client.post(
            "/api/v1/stakeholders",
            headers=org,
            json={
                "name": f"Warga {n}",
                "organisation": f"Organisasi {n}",
                "group": group,
                "email": f"warga{n}@contoh.id",
                "phone": f"08123450000{n}",
                "consent": True,
                "units": ["PKM-A"],
                "vulnerable": ["lansia"] if n == 0 else [],
            },
        )
        assert response.status_code == 201, response.text
        people.append(response.json())
    assert people[0]["phone"] == "+6281234500000" and people[0]["vulnerable"] == ["lansia"]
    duplicate = await client.post(
        "/api/v1/stakeholders",
        headers=org,
        json={"name": "Lagi", "group": "media", "email": "warga0@contoh.id"},
    )
    assert duplicate.status_code == 409 and "sudah ada" in duplicate.json()["detail"]
    listed = await client.get("/api/v1/stakeholders", headers=org, params={"group": "akademisi"})
    assert [p["name"] for p in listed.json()] == ["Warga 1"]
    by_unit = await client.get("/api/v1/stakeholders", headers=org, params={"unit": "PKM-A"})
    assert len(by_unit.json()) == 4
    searched = await client.get("/api/v1/stakeholders", headers=org, params={"q": "organisasi 3"})
    assert [p["group"] for p in searched.json()] == ["organisasi_masyarakat"]

    created = await client.post("/api/v1/forums", headers=org, json=_forum(world["cycle"]))
    assert created.status_code == 201, created.text
    forum = created.json()
    forum_id = forum["id"]
    assert forum["status"] == "draft" and forum["cycle"] == world["cycle"]
    assert forum["start"].startswith("2026-12-10T02:00:00")  # stored and answered in UTC
    assert any("unsur masyarakat" in w for w in forum["warnings"])
    assert forum["agenda"][0]["title"] == "Paparan hasil SKM"

    invited = await client.post(
        f"/api/v1/forums/{forum_id}/invitations",
        headers=org,
        json={"stakeholders": [p["id"] for p in people[:2]], "groups": list(GROUPS[2:])},
    )
    assert invited.status_code == 201, invited.text
    assert sorted(i["stakeholder"] for i in invited.json()) == sorted(p["id"] for p in people)
    forum = (await client.get(f"/api/v1/forums/{forum_id}", headers=org)).json()
    assert forum["groups_invited"] == sorted(GROUPS) and forum["invited"] == 4
    assert forum["warnings"] == []

    scheduled = await client.post(f"/api/v1/forums/{forum_id}/schedule", headers=org)
    assert scheduled.status_code == 200 and scheduled.json()["status"] == "scheduled"

    invitations = (await client.get(f"/api/v1/forums/{forum_id}/invitations", headers=org)).json()
    assert [i["rsvp"] for i in invitations] == ["pending"] * 4
    token = {i["stakeholder"]: i["token"] for i in invitations}
    first = token[people[0]["id"]]
    public = await client.get(f"/api/v1/public/invitations/{first}")  # no log-in
    assert public.status_code == 200
    assert public.json()["title"] == forum["title"] and public.json()["venue"] == "Aula Puskesmas"
    assert public.json()["rsvp"] == "pending" and public.json()["accepts_answers"] is True
    assert "token" not in public.json() and "email" not in public.json()
    answered = await client.post(f"/api/v1/public/invitations/{first}", json={"rsvp": "hadir"})
    assert answered.status_code == 200 and answered.json()["rsvp"] == "hadir"
    assert (await client.get(f"/api/v1/public/invitations/{first}")).json()["rsvp"] == "hadir"
    second = token[people[1]["id"]]
    missing = await client.post(f"/api/v1/public/invitations/{second}", json={"rsvp": "diwakilkan"})
    assert missing.status_code == 422
    assert missing.json()["errors"][0]["field"] == "representative"
    represented = await client.post(
        f"/api/v1/public/invitations/{second}",
        json={"rsvp": "diwakilkan", "representative": "Ibu Sari"},
    )
    assert represented.json()["representative"] == "Ibu Sari"
    declined = await client.post(
        f"/api/v1/public/invitations/{token[people[3]['id']]}", json={"rsvp": "tidak_hadir"}
    )
    assert declined.json()["rsvp"] == "tidak_hadir"
    bad = await client.post(f"/api/v1/public/invitations/{first}", json={"rsvp": "mungkin"})
    assert bad.status_code == 422 and bad.json()["errors"][0]["field"] == "rsvp"
    unknown = await client.get("/api/v1/public/invitations/bukan-token")
    assert (
        unknown.status_code == 404 and unknown.json()["detail"] == "Tautan undangan tidak dikenal."
    )

    too_soon = await client.post(
        f"/api/v1/forums/{forum_id}/attendance", headers=org, json={"invitation_token": first}
    )
    assert too_soon.status_code == 409 and "pada hari forum (10/12/2026)" in too_soon.text
    with frozen_at(datetime(2026, 12, 10, 9, 30, tzinfo=WIB)):
        early = await client.post(f"/api/v1/forums/{forum_id}/hold", headers=org)
        assert early.status_code == 409
        assert early.json()["detail"] == (
            "Forum belum dapat ditandai berlangsung: belum ada daftar hadir."
        )
        by_qr = await client.post(
            f"/api/v1/forums/{forum_id}/attendance", headers=org, json={"invitation_token": first}
        )
        assert by_qr.status_code == 201, by_qr.text
        assert by_qr.json()["method"] == "qr" and by_qr.json()["stakeholder"] == people[0]["id"]
        by_id = await client.post(
            f"/api/v1/forums/{forum_id}/attendance",
            headers=org,
            json={"stakeholder": people[1]["id"]},
        )
        assert by_id.json()["method"] == "tap" and by_id.json()["name"] == "Warga 1"
        walk_in = await client.post(
            f"/api/v1/forums/{forum_id}/attendance",
            headers=org,
            json={"walk_in": {"name": "Pak Budi", "group": "media", "phone": "0812 1111 2222"}},
        )
        assert walk_in.status_code == 201 and walk_in.json()["method"] == "walkin"
        wrong_qr = await client.post(
            f"/api/v1/forums/{forum_id}/attendance", headers=org, json={"invitation_token": "x"}
        )
        assert wrong_qr.status_code == 422

        held = await client.post(f"/api/v1/forums/{forum_id}/hold", headers=org)
        assert held.status_code == 200 and held.json()["status"] == "held"
        assert held.json()["attended"] == 3

    unpublishable = await client.post(f"/api/v1/forums/{forum_id}/publish-minutes", headers=org)
    assert unpublishable.status_code == 409
    assert "notulen forum masih kosong" in unpublishable.json()["detail"]

    numbers = []
    for text in ("Tambah loket pendaftaran", "Papan informasi alur", "Kotak pengaduan"):
        agreement = await client.post(
            f"/api/v1/forums/{forum_id}/agreements",
            headers=org,
            json={"text": text, "owner_unit": "PKM-A", "due_date": "2027-03-31"},
        )
        assert agreement.status_code == 201, agreement.text
        assert agreement.json()["cycle"] == world["cycle"]
        numbers.append(agreement.json()["number"])
    assert numbers == [1, 2, 3]
    no_owner = await client.post(
        f"/api/v1/forums/{forum_id}/agreements", headers=org, json={"text": "Tanpa pemilik"}
    )
    assert no_owner.status_code == 422

    minutes = await client.post(
        f"/api/v1/forums/{forum_id}/minutes",
        headers=org,
        json={"notulen": "<p>Dibuka pukul 09.00</p><script>alert(1)</script>"},
    )
    assert minutes.status_code == 200
    assert "<script>" not in minutes.json()["notulen_html"]
    assert "&lt;script&gt;" in minutes.json()["notulen_html"]  # shown as text, never run
    published = await client.post(f"/api/v1/forums/{forum_id}/publish-minutes", headers=org)
    assert published.status_code == 200, published.text
    done = published.json()
    assert done["status"] == "minutes_published"
    assert done["groups_attended"] == ["akademisi", "media", "pengguna_layanan"]

    agreements = (await client.get(f"/api/v1/forums/{forum_id}/agreements", headers=org)).json()
    assert [a["number"] for a in agreements] == [1, 2, 3]
    assert agreements[0]["text"] == "Tambah loket pendaftaran"
    assert agreements[0]["owner_unit"] == "PKM-A" and agreements[0]["due_date"] == "2027-03-31"
    invitations = (await client.get(f"/api/v1/forums/{forum_id}/invitations", headers=org)).json()
    assert sum(i["attended"] for i in invitations) == 2
    closed = await client.post(f"/api/v1/public/invitations/{first}", json={"rsvp": "hadir"})
    assert closed.status_code == 409


async def test_forbidden_transitions_answer_409_with_the_reason(client, world):
    org = await _token(client, "org")
    forum_id = (
        await client.post("/api/v1/forums", headers=org, json=_forum(world["cycle"]))
    ).json()["id"]
    assert (
        await client.post(f"/api/v1/forums/{forum_id}/schedule", headers=org)
    ).status_code == 200
    again = await client.post(f"/api/v1/forums/{forum_id}/schedule", headers=org)
    assert again.status_code == 409
    assert again.json()["detail"] == (
        "Forum berstatus «Terjadwal»; tidak dapat menjadi «Terjadwal». "
        "Langkah yang diizinkan: «Telah berlangsung», «Dibatalkan»."
    )
    assert again.json()["allowed"] == ["held", "cancelled"]
    unmoved = await client.patch(
        f"/api/v1/forums/{forum_id}", headers=org, json={"venue": "Balai Desa"}
    )
    assert unmoved.status_code == 422 and unmoved.json()["errors"][0]["field"] == "reason"
    short = await client.post(f"/api/v1/forums/{forum_id}/cancel", headers=org, json={"reason": ""})
    assert short.status_code == 422
    cancelled = await client.post(
        f"/api/v1/forums/{forum_id}/cancel", headers=org, json={"reason": "Banjir di lokasi"}
    )
    assert cancelled.status_code == 200 and cancelled.json()["status"] == "cancelled"
    assert cancelled.json()["status_reason"] == "Banjir di lokasi"
    frozen = await client.patch(f"/api/v1/forums/{forum_id}", headers=org, json={"title": "Baru"})
    assert frozen.status_code == 409 and "tidak dapat diubah" in frozen.json()["detail"]
    missing = await client.get("/api/v1/forums/9999", headers=org)
    assert missing.status_code == 404


async def test_field_errors_answer_422(client, world):
    org = await _token(client, "org")
    naive = await client.post(
        "/api/v1/forums",
        headers=org,
        json=_forum(world["cycle"], start="2026-12-10T09:00:00", end="2026-12-10T12:00:00"),
    )
    assert naive.status_code == 422
    assert {"start", "end"} <= {e["field"] for e in naive.json()["errors"]}
    no_cycle = await client.post("/api/v1/forums", headers=org, json=_forum(None))
    assert no_cycle.status_code == 422
    assert [e["field"] for e in no_cycle.json()["errors"]] == ["cycle"]
    unknown_field = await client.post(
        "/api/v1/forums", headers=org, json=_forum(world["cycle"], colour="red")
    )
    assert unknown_field.status_code == 422
    not_a_date = await client.post(
        "/api/v1/forums", headers=org, json=_forum(world["cycle"], start="besok")
    )
    assert not_a_date.status_code == 422
    bad_filter = await client.get(
        "/api/v1/forums", headers=org, params={"from": "2026-12-01T00:00"}
    )
    assert bad_filter.status_code == 422 and bad_filter.json()["errors"][0]["field"] == "from"
    bad_status = await client.get("/api/v1/forums", headers=org, params={"status": "selesai"})
    assert bad_status.status_code == 422


async def test_listing_filters_and_patch(client, world, hooks):
    org = await _token(client, "org")
    first = (await client.post("/api/v1/forums", headers=org, json=_forum(world["cycle"]))).json()
    other = await client.post(
        "/api/v1/forums",
        headers=org,
        json=_forum(
            purpose="maklumat",
            units=["PKM-B"],
            format="daring",
            venue="",
            link="https://meet.contoh.id/fkp",
            start="2027-01-15T09:00:00+07:00",
            end="2027-01-15T11:00:00+07:00",
        ),
    )
    assert other.status_code == 201, other.text
    second = other.json()

    async def ids(**params) -> list[int]:
        response = await client.get("/api/v1/forums", headers=org, params=params)
        assert response.status_code == 200, response.text
        return [f["id"] for f in response.json()]

    assert await ids() == [first["id"], second["id"]]
    assert await ids(unit="PKM-B") == [second["id"]]
    assert await ids(purpose="tindak_lanjut_skm") == [first["id"]]
    assert await ids(**{"from": "2027-01-01"}) == [second["id"]]
    assert await ids(to="2026-12-10") == [first["id"]]  # a date "to" includes that day
    assert await ids(**{"from": "2026-12-10T12:30:00+07:00"}) == [second["id"]]
    assert await ids(status="draft") == [first["id"], second["id"]]
    assert await ids(status="scheduled") == []

    moved = await client.patch(
        f"/api/v1/forums/{first['id']}",
        headers=org,
        json={
            "title": "FKP tindak lanjut SKM",
            "start": "2026-12-11T09:00:00+07:00",
            "end": "2026-12-11T12:00:00+07:00",
        },
    )
    assert moved.status_code == 200, moved.text
    assert moved.json()["title"] == "FKP tindak lanjut SKM"
    assert moved.json()["start"].startswith("2026-12-11T02:00:00")


async def test_permissions(client, world):
    anonymous = await client.get("/api/v1/forums")
    assert anonymous.status_code == 401
    assert (await client.post("/api/v1/forums", json=_forum(world["cycle"]))).status_code == 401
    assert (await client.get("/api/v1/stakeholders")).status_code == 401

    org = await _token(client, "org")
    forum = (await client.post("/api/v1/forums", headers=org, json=_forum(world["cycle"]))).json()
    b_forum = await client.post(
        "/api/v1/forums", headers=org, json=_forum(purpose="kebijakan", units=["PKM-B"])
    )
    assert b_forum.status_code == 201

    operator = await _token(client, "opr")
    denied = await client.post("/api/v1/forums", headers=operator, json=_forum(world["cycle"]))
    assert denied.status_code == 403
    mine = await client.get("/api/v1/forums", headers=operator)
    assert [f["id"] for f in mine.json()] == [forum["id"]]  # only their unit's forum
    hidden = await client.get(f"/api/v1/forums/{b_forum.json()['id']}", headers=operator)
    assert hidden.status_code == 404
    cannot = await client.post(f"/api/v1/forums/{forum['id']}/schedule", headers=operator)
    assert cannot.status_code == 403
    registry = await client.get("/api/v1/stakeholders", headers=operator)
    assert registry.status_code == 403

    inspector = await _token(client, "insp")
    listed = await client.get("/api/v1/forums", headers=inspector)
    assert listed.status_code == 200 and len(listed.json()) == 2
    one = await client.get(f"/api/v1/forums/{forum['id']}", headers=inspector)
    assert one.status_code == 200
    invitations = await client.get(f"/api/v1/forums/{forum['id']}/invitations", headers=inspector)
    assert invitations.status_code == 200
    assert (await client.get("/api/v1/stakeholders", headers=inspector)).status_code == 200
    read_only = await client.post(f"/api/v1/forums/{forum['id']}/schedule", headers=inspector)
    assert read_only.status_code == 403
    no_create = await client.post(
        "/api/v1/stakeholders", headers=inspector, json={"name": "A", "group": "media"}
    )
    assert no_create.status_code == 403


# --- iCalendar feeds ---------------------------------------------------------------------------


async def test_calendar_feeds(client, world, settings):
    org = await _token(client, "org")

    async def forum(**changes) -> int:
        response = await client.post(
            "/api/v1/forums", headers=org, json=_forum(purpose="standar_pelayanan", **changes)
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


# --- stakeholder pages -------------------------------------------------------------------------


@pytest.fixture
async def organizer(client, db) -> str:
    """Signed in as an organizer; the CSRF token for forms."""
    await make_unit("PKM-A", "puskesmas")
    await make_user("org", "organizer")
    await login(client, "org", PASSWORD)
    return await csrf_token(client, "/pemangku/baru")


def _import_errors(html: str) -> set[tuple[str, str]]:
    return {(row, field) for row, field, _ in ERROR_ROW_RE.findall(html)}


async def test_stakeholder_form_errors_create_edit_and_withdraw_consent(client, organizer):
    form = await client.get("/pemangku/baru")
    assert form.status_code == 200
    for label in ("Masyarakat pengguna layanan", "Akademisi/ahli/praktisi", "Media"):
        assert label in form.text
    assert 'name="consent"' in form.text and "setuju dihubungi" in form.text
    assert 'name="vulnerable" value="disabilitas"' in form.text
    assert '<option value="PKM-A"' in form.text

    bad = await client.post(
        "/pemangku",
        data={"_csrf_token": organizer, "name": "", "group": "", "email": "bukan", "consent": "1"},
    )
    assert bad.status_code == 422
    for field in ("name", "group", "email"):
        assert re.search(rf'id="f-{field}"[^>]*aria-invalid="true"', bad.text), field
    assert 'value="bukan"' in bad.text  # what was typed is kept
    no_contact = await client.post(
        "/pemangku",
        data={"_csrf_token": organizer, "name": "Ani", "group": "media", "consent": "1"},
    )
    assert no_contact.status_code == 422
    assert 'id="e-consent"' in no_contact.text and "perlu e-mail atau telepon" in no_contact.text
    assert await Stakeholder.count() == 0

    created = await client.post(
        "/pemangku",
        data={
            "_csrf_token": organizer,
            "name": "Siti Aminah",
            "organisation": "Paguyuban Pasien",
            "group": "pengguna_layanan",
            "email": "siti@contoh.id",
            "phone": "0812 3456 7890",
            "consent": "1",
            "vulnerable": ["lansia", "disabilitas"],
            "units": "PKM-A",
        },
        follow_redirects=False,
    )
    assert created.status_code in (302, 303), created.text
    row = await Stakeholder.select().where(Stakeholder.email == "siti@contoh.id").first()
    assert created.headers["location"] == f"/pemangku/{row['id']}?disimpan=1"
    assert row["consent"] and row["phone"] == "+6281234567890"
    assert await StakeholderUnit.count().where(StakeholderUnit.stakeholder == row["id"]) == 1

    listing = await client.get("/pemangku")
    assert "Siti Aminah" in listing.text and "Bersedia dihubungi" in listing.text
    assert "Lanjut usia" in listing.text and "Penyandang disabilitas" in listing.text
    assert 'href="/pemangku"' in listing.text and 'aria-current="page"' in listing.text
    assert "Siti Aminah" not in (await client.get("/pemangku", params={"group": "media"})).text
    assert "Siti Aminah" in (await client.get("/pemangku", params={"q": "paguyuban"})).text
    assert "Siti Aminah" in (await client.get("/pemangku", params={"unit": "PKM-A"})).text

    again = await client.post(
        "/pemangku",
        data={
            "_csrf_token": organizer,
            "name": "Siti A.",
            "group": "media",
            "phone": "081234567890",
        },
    )
    assert again.status_code == 409 and "sudah ada" in again.text

    edit = await client.get(f"/pemangku/{row['id']}")
    assert edit.status_code == 200 and 'value="Siti Aminah"' in edit.text
    assert f'action="/pemangku/{row["id"]}/tarik-persetujuan"' in edit.text
    saved = await client.post(
        f"/pemangku/{row['id']}",
        data={
            "_csrf_token": organizer,
            "name": "Siti Aminah, S.Pd.",
            "group": "organisasi_masyarakat",
            "email": "siti@contoh.id",
            "consent": "1",
            "vulnerable": "lansia",
        },
        follow_redirects=False,
    )
    assert saved.status_code in (302, 303), saved.text
    updated = await Stakeholder.select().where(Stakeholder.id == row["id"]).first()
    assert updated["name"] == "Siti Aminah, S.Pd." and updated["group"] == "organisasi_masyarakat"
    assert updated["consent_at"] == row["consent_at"]  # consent given earlier keeps its date
    assert await StakeholderUnit.count().where(StakeholderUnit.stakeholder == row["id"]) == 0
    assert await AuditEvent.exists().where(AuditEvent.action == "stakeholder.updated")

    withdrawn = await client.post(
        f"/pemangku/{row['id']}/tarik-persetujuan",
        data={"_csrf_token": organizer},
        follow_redirects=False,
    )
    assert withdrawn.status_code in (302, 303)
    after = await Stakeholder.select().where(Stakeholder.id == row["id"]).first()
    assert after["consent"] is False and after["consent_at"] is None
    assert await AuditEvent.exists().where(
        (AuditEvent.action == "stakeholder.consent_withdrawn")
        & (AuditEvent.entity_id == str(row["id"]))
    )
    page = await client.get(f"/pemangku/{row['id']}?ditarik=1")
    assert "Tidak bersedia dihubungi" in page.text and "telah ditarik" in page.text
    assert "tarik-persetujuan" not in page.text


async def test_stakeholder_csv_import_is_all_or_nothing(client, organizer):
    page = await client.get("/pemangku/impor")
    assert page.status_code == 200 and "/pemangku/impor/templat.csv" in page.text
    template = await client.get("/pemangku/impor/templat.csv")
    assert template.status_code == 200
    assert template.headers["content-type"].startswith("text/csv")
    assert template.text.splitlines()[0] == ",".join(CSV_COLUMNS)

    bad = (
        b"name,group,email,phone,consent,units\n"
        b"Ani,pengguna_layanan,ani@contoh.id,,ya,PKM-A\n"
        b",media,,,tidak,\n"
        b"Budi,wartawan,ani@contoh.id,,mungkin,XX\n"
    )
    response = await client.post(
        "/pemangku/impor",
        data={"_csrf_token": organizer},
        files={"file": ("pemangku.csv", bad, "text/csv")},
    )
    assert response.status_code == 422
    assert "Tidak ada yang diimpor" in response.text
    assert {("3", "name"), ("4", "group"), ("4", "email"), ("4", "consent"), ("4", "units")} <= (
        _import_errors(response.text)
    )
    assert await Stakeholder.count() == 0  # the good first row was not imported either

    no_header = await client.post(
        "/pemangku/impor",
        data={"_csrf_token": organizer},
        files={"file": ("x.csv", b"nama,kelompok\nAni,media\n", "text/csv")},
    )
    assert no_header.status_code == 422 and ("—", "file") in _import_errors(no_header.text)

    good = await client.post(
        "/pemangku/impor",
        data={"_csrf_token": organizer},
        files={"file": ("templat.csv", template.content, "text/csv")},
    )
    assert good.status_code == 200, good.text
    assert "1 pemangku kepentingan baru, 0 diperbarui" in good.text
    again = await client.post(
        "/pemangku/impor",
        data={"_csrf_token": organizer},
        files={"file": ("templat.csv", template.content, "text/csv")},
    )
    assert "0 pemangku kepentingan baru, 1 diperbarui" in again.text
    assert await Stakeholder.count() == 1


async def test_stakeholder_pages_follow_permissions(client, db):
    await make_unit("PKM-A", "puskesmas")
    await make_user("insp", "inspector")
    await login(client, "insp", PASSWORD)
    listing = await client.get("/pemangku")
    assert listing.status_code == 200 and 'href="/pemangku"' in listing.text
    assert "/pemangku/baru" not in listing.text
    assert (await client.get("/pemangku/baru")).status_code == 403
    assert (await client.get("/pemangku/impor")).status_code == 403


async def test_operators_do_not_see_the_registry(client, db):
    await make_unit("PKM-A", "puskesmas")
    await make_user("opr", "operator", ("PKM-A",))
    await login(client, "opr", PASSWORD)
    home = await client.get("/units")
    assert 'href="/pemangku"' not in home.text
    assert (await client.get("/pemangku")).status_code == 403


async def test_rsvp_tokens_only_for_managers_and_staff_answers_are_their_own(client, world):
    from core.audit.tables import AuditEvent

    org = await _token(client, "org")
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
    forum = (await client.post("/api/v1/forums", headers=org, json=_forum(world["cycle"]))).json()
    invited = await client.post(
        f"/api/v1/forums/{forum['id']}/invitations",
        headers=org,
        json={"stakeholders": [people[0]["id"]]},
    )
    assert invited.status_code == 201, invited.text
    await client.post(f"/api/v1/forums/{forum['id']}/schedule", headers=org)

    inspector = await _token(client, "insp")
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
    actors = await AuditEvent.select(AuditEvent.actor).where(
        AuditEvent.action == "invitation.answered"
    ).order_by(AuditEvent.id)
    assert [a["actor"] for a in actors] == ["org", "system"]
