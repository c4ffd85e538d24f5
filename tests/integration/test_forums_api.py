"""Forums over the JSON API for staff: from plan to published minutes, refused transitions (409),
field errors (422), listing filters and PATCH, and who may do what."""

from __future__ import annotations

from datetime import datetime

from core.clock import frozen_at
from tests.conftest import bearer
from tests.integration.forum_data import WIB, forum_body

GROUPS = ("pengguna_layanan", "akademisi", "instansi_terkait", "organisasi_masyarakat")


# --- the flow from plan to published minutes ---------------------------------------------------


async def test_skm_follow_up_forum_from_plan_to_published_minutes(client, forum_world):
    org = await bearer(client, "org")
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

    created = await client.post(
        "/api/v1/forums", headers=org, json=forum_body(forum_world["cycle"])
    )
    assert created.status_code == 201, created.text
    forum = created.json()
    forum_id = forum["id"]
    assert forum["status"] == "draft" and forum["cycle"] == forum_world["cycle"]
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
        assert agreement.json()["cycle"] == forum_world["cycle"]
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


async def test_forbidden_transitions_answer_409_with_the_reason(client, forum_world):
    org = await bearer(client, "org")
    forum_id = (
        await client.post("/api/v1/forums", headers=org, json=forum_body(forum_world["cycle"]))
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


async def test_field_errors_answer_422(client, forum_world):
    org = await bearer(client, "org")
    naive = await client.post(
        "/api/v1/forums",
        headers=org,
        json=forum_body(
            forum_world["cycle"], start="2026-12-10T09:00:00", end="2026-12-10T12:00:00"
        ),
    )
    assert naive.status_code == 422
    assert {"start", "end"} <= {e["field"] for e in naive.json()["errors"]}
    no_cycle = await client.post("/api/v1/forums", headers=org, json=forum_body(None))
    assert no_cycle.status_code == 422
    assert [e["field"] for e in no_cycle.json()["errors"]] == ["cycle"]
    unknown_field = await client.post(
        "/api/v1/forums", headers=org, json=forum_body(forum_world["cycle"], colour="red")
    )
    assert unknown_field.status_code == 422
    not_a_date = await client.post(
        "/api/v1/forums", headers=org, json=forum_body(forum_world["cycle"], start="besok")
    )
    assert not_a_date.status_code == 422
    bad_filter = await client.get(
        "/api/v1/forums", headers=org, params={"from": "2026-12-01T00:00"}
    )
    assert bad_filter.status_code == 422 and bad_filter.json()["errors"][0]["field"] == "from"
    bad_status = await client.get("/api/v1/forums", headers=org, params={"status": "selesai"})
    assert bad_status.status_code == 422


async def test_listing_filters_and_patch(client, forum_world, hooks):
    org = await bearer(client, "org")
    first = (
        await client.post("/api/v1/forums", headers=org, json=forum_body(forum_world["cycle"]))
    ).json()
    other = await client.post(
        "/api/v1/forums",
        headers=org,
        json=forum_body(
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


async def test_permissions(client, forum_world):
    anonymous = await client.get("/api/v1/forums")
    assert anonymous.status_code == 401
    assert (
        await client.post("/api/v1/forums", json=forum_body(forum_world["cycle"]))
    ).status_code == 401
    assert (await client.get("/api/v1/stakeholders")).status_code == 401

    org = await bearer(client, "org")
    forum = (
        await client.post("/api/v1/forums", headers=org, json=forum_body(forum_world["cycle"]))
    ).json()
    b_forum = await client.post(
        "/api/v1/forums", headers=org, json=forum_body(purpose="kebijakan", units=["PKM-B"])
    )
    assert b_forum.status_code == 201

    operator = await bearer(client, "opr")
    denied = await client.post(
        "/api/v1/forums", headers=operator, json=forum_body(forum_world["cycle"])
    )
    assert denied.status_code == 403
    mine = await client.get("/api/v1/forums", headers=operator)
    assert [f["id"] for f in mine.json()] == [forum["id"]]  # only their unit's forum
    hidden = await client.get(f"/api/v1/forums/{b_forum.json()['id']}", headers=operator)
    assert hidden.status_code == 404
    cannot = await client.post(f"/api/v1/forums/{forum['id']}/schedule", headers=operator)
    assert cannot.status_code == 403
    registry = await client.get("/api/v1/stakeholders", headers=operator)
    assert registry.status_code == 403

    inspector = await bearer(client, "insp")
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
