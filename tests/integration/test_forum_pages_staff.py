"""The organiser's forum pages: the create and edit forms, the status buttons with their audit
events, invitations, agreements and minutes, and check-in on the forum day (tap, QR, walk-in)."""

from __future__ import annotations

import html
import re
from datetime import UTC, datetime

from litestar.testing import AsyncTestClient

from core.clock import frozen_at
from core.forums import service
from core.forums.schemas import AttendanceIn
from core.forums.tables import Attendance, Forum, Invitation, Stakeholder
from tests.integration.forum_data import (
    FORM,
    FORUM_DAY,
    SYSTEM,
    WIB,
    actions,
    closed_cycle,
    invalid,
    new_forum,
    people,
    post,
    scheduled_forum,
    status,
    text,
)

# --- create form ----------------------------------------------------------------------------------


async def test_create_form_shows_errors_then_creates_with_warnings(client, token, hooks):
    form = await client.get("/forum/baru")
    assert form.status_code == 200
    assert 'name="agenda-3-title"' in form.text and 'name="agenda-4-title"' not in form.text
    assert "Tindak lanjut hasil SKM" in form.text  # PURPOSE_LABELS

    more = await post(client, "/forum/baru", token, **{**FORM, "aksi": "tambah_baris"})
    assert more.status_code == 200
    assert 'name="agenda-4-title"' in more.text and 'value="Pembukaan"' in more.text
    assert not await Forum.exists()

    bad = await post(
        client,
        "/forum/baru",
        token,
        **{
            **FORM,
            "title": "",
            "purpose": "tindak_lanjut_skm",
            "format": "daring",
            "venue": "",
            "end_time": "08:00",
            "agenda-2-speaker": "tanpa judul",
        },
    )
    assert bad.status_code == 422
    for field in ("f-title", "f-cycle", "f-link", "f-end_time", "f-agenda-2-title"):
        assert invalid(bad.text, field), field
    assert "harus setelah waktu mulai" in bad.text
    summary = text(bad.text)  # the list above the form names each field, in page order
    assert summary.index("Judul forum: wajib diisi") < summary.index("Agenda baris 2, acara: wajib")
    assert not await Forum.exists()

    bad_date = await post(client, "/forum/baru", token, **{**FORM, "date": "2026-13-45"})
    assert bad_date.status_code == 422 and invalid(bad_date.text, "f-date")

    created = await post(client, "/forum/baru", token, **FORM)
    assert created.status_code in (302, 303), created.text
    forum_id = int(re.search(r"/forum/(\d+)", created.headers["location"]).group(1))
    row = await Forum.select().where(Forum.id == forum_id).first()
    assert row["start_at"] == datetime(2026, 12, 10, 2, 0, tzinfo=UTC)  # 09.00 WIB
    assert row["end_at"] == datetime(2026, 12, 10, 5, 0, tzinfo=UTC)
    assert row["capacity"] == 40 and row["status"] == "draft"
    page = text((await client.get(created.headers["location"])).text)
    assert "Forum tersimpan sebagai draf" in page
    assert "Baru 0 dari 5 unsur masyarakat yang diundang" in page
    assert "Kamis, 10 Desember 2026, 09.00–12.00 WIB" in page
    assert "Pembukaan" in page

    clash = await post(client, "/forum/baru", token, **{**FORM, "start_time": "10:00"})
    clash_page = text((await client.get(clash.headers["location"])).text)
    assert f"Bentrok tempat dengan forum #{forum_id}" in clash_page

    cycle_id = await closed_cycle(hooks)
    follow_up = {
        **FORM,
        "purpose": "tindak_lanjut_skm",
        "cycle": str(cycle_id),
        "date": "2026-12-20",
    }
    listed = (await client.get("/forum/baru")).text
    assert f'<option value="{cycle_id}" data-unit="PKM-A"' in listed
    assert "Unit PKM-A — Triwulan I 2026" in text(listed)
    done = await post(client, "/forum/baru", token, **follow_up)
    detail = (await client.get(done.headers["location"])).text
    assert f"/units/PKM-A/skm?cycle={cycle_id}" in detail


# --- status buttons, invitations, agreements, minutes ---------------------------------------------


async def test_buttons_drive_the_status_with_audit_events(client, token):
    forum_id = await new_forum()
    stakeholder_ids = await people()
    page = (await client.get(f"/forum/{forum_id}")).text
    assert "Jadwalkan" in page and "Tandai berlangsung" not in page
    assert f'value="{stakeholder_ids[0]}"' in page  # invite form lists the registry

    invited = await post(
        client,
        f"/forum/{forum_id}/undang",
        token,
        groups=["pengguna_layanan", "akademisi", "media"],
    )
    assert invited.status_code in (302, 303)
    assert await Invitation.count().where(Invitation.forum == forum_id) == 3
    none = await post(client, f"/forum/{forum_id}/undang", token)
    assert none.status_code == 422 and "pilih minimal satu pemangku kepentingan" in none.text

    assert (await post(client, f"/forum/{forum_id}/jadwalkan", token)).status_code in (302, 303)
    assert await status(forum_id) == "scheduled"

    with frozen_at(datetime(2026, 12, 9, 16, 0, tzinfo=WIB)):
        eve = await post(client, f"/forum/{forum_id}/berlangsung", token)
        assert eve.status_code == 409 and "baru dapat dilakukan pada hari forum" in eve.text
        tap = await post(
            client, f"/forum/{forum_id}/hadir", token, stakeholder=str(stakeholder_ids[0])
        )
        assert tap.status_code == 409 and "Pencatatan kehadiran baru dapat" in tap.text
    with frozen_at(FORUM_DAY):
        early = await post(client, f"/forum/{forum_id}/berlangsung", token)
    assert early.status_code == 409
    assert "Forum belum dapat ditandai berlangsung: belum ada daftar hadir." in early.text
    assert await status(forum_id) == "scheduled"

    moved = await post(
        client,
        f"/forum/{forum_id}/ubah-jadwal",
        token,
        date="2026-12-11",
        start_time="13:00",
        end_time="15:00",
        venue="Balai Desa",
    )
    assert moved.status_code == 422 and invalid(moved.text, "r-reason")
    moved = await post(
        client,
        f"/forum/{forum_id}/ubah-jadwal",
        token,
        date="2026-12-11",
        start_time="13:00",
        end_time="15:00",
        venue="Balai Desa",
        reason="Aula direnovasi",
    )
    assert moved.status_code in (302, 303)
    row = await Forum.select().where(Forum.id == forum_id).first()
    assert row["start_at"] == datetime(2026, 12, 11, 6, 0, tzinfo=UTC)
    assert row["venue"] == "Balai Desa" and row["status_reason"] == "Aula direnovasi"

    with frozen_at(datetime(2026, 12, 11, 13, 30, tzinfo=WIB)):
        tapped = await post(
            client, f"/forum/{forum_id}/hadir", token, stakeholder=str(stakeholder_ids[0])
        )
        assert tapped.status_code in (302, 303)
        held = await post(client, f"/forum/{forum_id}/berlangsung", token)
        assert held.status_code in (302, 303)
    assert await status(forum_id) == "held"

    publish = await post(client, f"/forum/{forum_id}/terbitkan", token)
    assert publish.status_code == 409 and "notulen forum masih kosong" in publish.text

    missing = await post(client, f"/forum/{forum_id}/kesepakatan", token, owner_unit="PKM-A")
    assert missing.status_code == 422 and invalid(missing.text, "a-text")
    for n, wording in enumerate(("Tambah loket pendaftaran", "Papan alur layanan"), start=1):
        added = await post(
            client,
            f"/forum/{forum_id}/kesepakatan",
            token,
            text=wording,
            owner_unit="PKM-A",
            owner_person="Kepala TU",
            due_date=f"2027-0{n}-28",
        )
        assert added.status_code in (302, 303)
    minutes = await post(
        client,
        f"/forum/{forum_id}/notulen",
        token,
        notulen="Dibuka **09.00**\n\n<script>alert(1)</script>",
    )
    assert minutes.status_code in (302, 303)
    page = (await client.get(f"/forum/{forum_id}")).text
    assert "Tambah loket pendaftaran" in page and "Unit PKM-A / Kepala TU" in page
    assert "<strong>09.00</strong>" in page and "<script>alert(1)" not in page

    assert (await post(client, f"/forum/{forum_id}/terbitkan", token)).status_code in (302, 303)
    assert await status(forum_id) == "minutes_published"
    page = (await client.get(f"/forum/{forum_id}")).text
    assert "Terbitkan notulen" not in page and 'name="text"' not in page

    other = await new_forum(datetime(2026, 12, 20, 9, 0, tzinfo=WIB))
    short = await post(client, f"/forum/{other}/batalkan", token, reason="x")
    assert short.status_code == 422 and invalid(short.text, "c-reason")
    cancelled = await post(client, f"/forum/{other}/batalkan", token, reason="Banjir di lokasi")
    assert cancelled.status_code in (302, 303) and await status(other) == "cancelled"

    assert {
        "forum.invited",
        "forum.scheduled",
        "forum.rescheduled",
        "forum.attendance",
        "forum.held",
        "forum.agreement_added",
        "forum.minutes_saved",
        "forum.minutes_published",
    } <= set(await actions(forum_id))
    assert "forum.cancelled" in await actions(other)


async def test_edit_form_changes_a_forum_until_it_is_held(client, token):
    forum_id, ids = await scheduled_forum()
    form = (await client.get(f"/forum/{forum_id}/ubah")).text
    assert 'value="Forum standar pelayanan"' in form and 'value="2026-12-10"' in form
    assert 'value="09:00"' in form and 'name="reason"' in form
    changed = {
        **FORM,
        "title": "Standar pelayanan poli gigi",
        "units": ["PKM-A", "PKM-B"],
        "narasumber": "drg. Ani\nKepala Puskesmas",
        "moderator": "Camat",
        "agenda-2-title": "Diskusi",
        "agenda-2-duration": "45",
    }
    saved = await post(client, f"/forum/{forum_id}/ubah", token, **changed)
    assert saved.status_code in (302, 303), saved.text
    forum = await service.get_forum(SYSTEM, forum_id)
    assert forum.title == "Standar pelayanan poli gigi" and forum.units == ["PKM-A", "PKM-B"]
    assert forum.narasumber == "drg. Ani\nKepala Puskesmas" and forum.moderator == "Camat"
    assert [(a.title, a.duration) for a in forum.agenda] == [("Pembukaan", 15), ("Diskusi", 45)]
    assert "forum.updated" in await actions(forum_id)

    moved = await post(client, f"/forum/{forum_id}/ubah", token, **{**changed, "venue": "Lain"})
    assert moved.status_code == 422 and invalid(moved.text, "f-reason")
    empty = await post(client, f"/forum/{forum_id}/ubah", token, **{**changed, "title": ""})
    assert empty.status_code == 422 and invalid(empty.text, "f-title")

    with frozen_at(FORUM_DAY):
        tap = await post(client, f"/forum/{forum_id}/hadir", token, stakeholder=str(ids[0]))
        assert tap.status_code in (302, 303)
        screen = (await client.get(f"/forum/{forum_id}/hadir")).text
        assert "Batalkan kehadiran Warga w0" in screen
        undo = await post(client, f"/forum/{forum_id}/hadir/batal", token, stakeholder=str(ids[0]))
        assert undo.status_code in (302, 303)
        after = text((await client.get(undo.headers["location"])).text)
        assert "Kehadiran Warga w0 dibatalkan." in after
        assert "forum.attendance_undone" in await actions(forum_id)
        await service.check_in(SYSTEM, forum_id, AttendanceIn(stakeholder=ids[0]))
        await service.hold_forum(SYSTEM, forum_id)
    assert (await client.get(f"/forum/{forum_id}/ubah")).status_code == 409
    late = await post(client, f"/forum/{forum_id}/ubah", token, **changed)
    assert late.status_code == 409 and "tidak dapat diubah" in late.text


# --- check-in -------------------------------------------------------------------------------------


async def test_check_in_by_tap_qr_and_walk_in(app, client, token, settings, on_forum_day):
    forum_id, ids = await scheduled_forum()
    invitations = await service.list_invitations(SYSTEM, forum_id)

    screen = text((await client.get(f"/forum/{forum_id}/hadir", params={"q": "w1"})).text)
    assert "Warga w1" in screen and "Warga w2" not in screen
    tapped = await post(client, f"/forum/{forum_id}/hadir", token, stakeholder=str(ids[1]), q="w1")
    assert tapped.status_code in (302, 303)
    after = text((await client.get(tapped.headers["location"])).text)
    assert "Warga w1 tercatat hadir." in after and "1 orang hadir" in after

    target = invitations[0]
    svg = await client.get(f"/forum/{forum_id}/undangan/{target.id}/qr.svg")
    assert svg.status_code == 200 and svg.headers["content-type"].startswith("image/svg+xml")
    url = f"{settings.base_url}/forum/{forum_id}/checkin/{target.token}"
    assert url in html.unescape(svg.text)  # segno writes the encoded URL as the SVG title

    confirm = await client.get(f"/forum/{forum_id}/checkin/{target.token}")
    assert confirm.status_code == 200 and "Catat hadir" in confirm.text
    assert not await Attendance.exists().where(Attendance.stakeholder == target.stakeholder)
    recorded = await post(client, f"/forum/{forum_id}/checkin/{target.token}", token)
    assert recorded.status_code in (302, 303)
    row = await Attendance.select().where(Attendance.stakeholder == target.stakeholder).first()
    assert row["method"] == "qr"
    assert (
        "sudah tercatat hadir"
        in (await client.get(f"/forum/{forum_id}/checkin/{target.token}")).text
    )
    assert (await client.get(f"/forum/{forum_id}/checkin/bukan-token")).status_code == 404
    async with AsyncTestClient(app=app, base_url="http://testserver.local") as stranger:
        away = await stranger.get(
            f"/forum/{forum_id}/checkin/{target.token}", follow_redirects=False
        )
        assert away.status_code in (302, 303) and away.headers["location"].startswith("/login")

    no_group = await post(client, f"/forum/{forum_id}/hadir/baru", token, name="Pak Budi")
    assert no_group.status_code == 422 and invalid(no_group.text, "w-group")
    walk_in = await post(
        client,
        f"/forum/{forum_id}/hadir/baru",
        token,
        name="Pak Budi",
        organisation="Radio Contoh",
        group="media",
        phone="0812 1111 2222",
        consent="1",
    )
    assert walk_in.status_code in (302, 303)
    budi = await Stakeholder.select().where(Stakeholder.name == "Pak Budi").first()
    assert budi["phone"] == "+6281211112222" and budi["consent"] is True
    attendance = await Attendance.select().where(Attendance.stakeholder == budi["id"]).first()
    assert attendance["method"] == "walkin" and attendance["invitation"] is None
    assert "Pak Budi tercatat hadir." in text((await client.get(walk_in.headers["location"])).text)

    known = await post(
        client,
        f"/forum/{forum_id}/hadir/baru",
        token,
        name="Ibu Rina",
        group="akademisi",
        email="w3@contoh.id",  # already in the registry as Warga w3
    )
    assert known.status_code in (302, 303)
    assert await Attendance.exists().where(Attendance.stakeholder == ids[3])
    assert not await Stakeholder.exists().where(Stakeholder.name == "Ibu Rina")
